"""Loops that sum doubles, vectorised by LLVM with the additions kept in program
order (`-force-ordered-reductions`, set in jit/backend.py): the arithmetic feeding the
sum runs several elements per instruction, the sum takes them one at a time, and the
result is the interpreter's to the bit, whatever the order of the terms does to it."""

from __future__ import annotations

import pytest

from atlas.config import JitConfig

from .jit_support import EAGER, listing, same

# Each term needs a division (which LLVM only vectorises when it pays), in a loop
# nest: as in spectral_norm's inner loops, a sum of elements scaled by 1 / a
# whole-number expression, per row.
WEIGHTED = """
fn weighted(a: number[], n: number) -> number {
    var total = 0;
    for (var i = 0; i < 3; i++) {
        var s = 0;
        for (var j = 0; j < n; j++) {
            s = s + a[j] / (i * j + j + 1);
        }
        total = total * 0.75 + s;
    }
    return total;
}
"""


def test_a_sum_of_quotients_is_vectorised_and_summed_in_order() -> None:
    source = WEIGHTED + "var a: number[] = [];\nfor (var k = 0; k < 64; k++) { a.push(k); }\nprint(weighted(a, 64));"
    ir_text = listing(source, "optimized_ir")
    assert "fdiv <" in ir_text  # several divisions per instruction
    # without `reassoc`, llvm.vector.reduce.fadd adds the lanes one by one, in order
    assert "reassoc" not in ir_text and "fast" not in ir_text


def terms(count: int) -> str:
    """Terms whose sum depends on the order of the additions: 1e16 absorbs a 1 that is
    added after it, but not two added before it."""
    values = ["1", "1", "1e16", "1", "-1e16", "3", "0.1", "-0.3", "1e-17"]
    return "[" + ", ".join(values[k % len(values)] for k in range(count)) + "]"


@pytest.mark.parametrize("jit", [EAGER, JitConfig(call_threshold=2, loop_threshold=3), JitConfig()],
                         ids=["eager", "small", "default"])  # fmt: skip
def test_vectorised_sums_change_nothing(jit: JitConfig) -> None:
    # lengths around every vector width and unroll (the loop's main part and its rest)
    calls = "\n".join(f"print(weighted({terms(n)}, {n}));" for n in [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 70])
    same(WEIGHTED + calls, jit)


def test_a_vectorised_sum_still_fails_where_the_interpreter_does() -> None:
    # the sum overflows at j = 2 (its check waits until the loop is left), then j = 6
    # is out of bounds: AT0007 at the addition, as in the VM
    same(WEIGHTED + "print(weighted([1e308, 1e308, 1e308, 1e308, 1e308, 1e308], 9));")
