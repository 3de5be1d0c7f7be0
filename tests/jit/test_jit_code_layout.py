"""Code layout: blocks reached only by a jump start on a 16-byte boundary (as gcc -O2
aligns jump targets); the padding sits after a jump, where nothing runs into it."""

from __future__ import annotations

from .jit_support import listing, same

PICK = """
fn pick(x: number, y: number) -> number {
    if (x > y) {
        return x * 3 + y;
    }
    if (x < 0) {
        return y - x;
    }
    return x + y * 5;
}
print(pick(1, 2) + pick(3, 1) + pick(-4, -5));
"""


def assembly(source: str) -> list[str]:
    text = listing(source, "asm_text")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith(".cfi")]


def test_a_block_after_an_unconditional_jump_is_aligned() -> None:
    lines = assembly(PICK)
    after_jump = [i for i, line in enumerate(lines) if line.startswith(".LBB") and lines[i - 2].startswith("jmp")]
    assert after_jump  # (the padding directive sits between the jump and the label)
    assert all(lines[i - 1] == ".p2align\t4" for i in after_jump)


def test_aligned_code_runs_as_before() -> None:
    same(PICK)
