"""Mismatches between the VM and the JIT found by differential fuzzing, minimised.

Each test runs a small program in the VM and with every function and loop compiled at
once, and expects identical behaviour. Tests of mismatches not fixed yet are marked
xfail(strict=True) with the diagnosis: whoever fixes the JIT removes the mark (strict,
so a fix that forgets to is noticed).
"""

from __future__ import annotations

import pytest

from .jit_support import same

INFINITE_INDEX = (
    "jit/lowering.py index(): the out-of-range path calls an index whole when floor(x) == x, "
    "which holds for +Infinity, so native code reports AT0006 where the VM (interpreter.py "
    "index error: infinities are not whole numbers) reports AT0103"
)


@pytest.mark.xfail(strict=True, reason=INFINITE_INDEX)
@pytest.mark.parametrize(
    "access",
    ["return a[i];", "a[i] = 5; return 0;", "a[i] += 5; return 0;", "a[i]++; return 0;"],
    ids=["read", "write", "compound", "increment"],
)
@pytest.mark.parametrize("infinity", ["-log(0)", "pow(10, 400)"])
def test_infinite_index_is_not_a_whole_number(access: str, infinity: str) -> None:
    src = f"fn at(a: number[], i: number) -> number {{\n    {access}\n}}\nprint(at([1, 2, 3], {infinity}));\n"
    result = same(src)
    assert result.error[:3] == ("AT0103", "Invalid index: array indices must be whole numbers", 2)
    assert result.function("at").tier == "native"


def test_negative_infinite_index_already_agrees() -> None:
    src = "fn at(a: number[], i: number) -> number {\n    return a[i];\n}\nprint(at([1, 2, 3], log(0)));\n"
    assert same(src).error[0] == "AT0103"
