"""Fused multiply-adds: `s * 2^k + y` (and the differences) become one fma where the
product is exact, so the result is the two operations' to the bit. A product that
would be subnormal (k < 0, s tiny) or that overflows must still round, and fail, as
the two operations do."""

from __future__ import annotations

import pytest

from atlas.config import JitConfig
from atlas.jit.backend import host_has_fma

from .jit_support import EAGER, same, unit_ir


def uses_fma(source: str) -> bool:
    if not host_has_fma():
        pytest.skip("this host has no FMA instruction")
    return "llvm.fma.f64" in unit_ir(source)


def scaled(expression: str, start: str = "0", count: int = 9) -> str:
    """A function looping `s = <expression>` over i, then printing s."""
    return (
        f"fn f(n: number, y: number) -> number {{\n    var s = {start};\n"
        f"    for (var i = 0; i < n; i++) {{\n        s = {expression};\n    }}\n    return s;\n}}\n"
        f"print(f({count}, 0.25));"
    )


@pytest.mark.parametrize("expression", ["s * 0.5 + i", "i + 0.5 * s", "s * 4 - y", "y - s * 0.125", "s * 0.25 + i"])
def test_a_product_by_a_power_of_two_is_fused_into_the_sum(expression: str) -> None:
    assert uses_fma(scaled(expression))


@pytest.mark.parametrize("expression", ["s * 3 + i", "s * 0.1 + i", "s * y + i", "s * 0.5 * y + i", "s * 0.5"])
def test_no_fma_where_the_product_is_not_exact_or_nothing_adds(expression: str) -> None:
    assert not uses_fma(scaled(expression))


THRESHOLDS = [EAGER, JitConfig(call_threshold=3, loop_threshold=5), JitConfig()]

PROGRAMS = {
    "loop_sum": scaled("s * 0.5 + i", count=5000),
    # a product among the subnormals rounds: 1.5 * 2^-1074 is 2^-1073 (ties to even), and
    # the sum rounds again; fma would round once (to 2^-1073, not 3 * 2^-1074)
    "subnormal": scaled("s * 0.5 + 5e-324", start="3 * 5e-324", count=1),
    "subnormal-loop": scaled("s * 0.5 + y * 1e-320", start="1e-310", count=40),
    # -5e-324 * 0.5 rounds to -0, and -0 + 0 is 0; fma would give -0
    "minus-zero": scaled("s * 0.5 + 0", start="-5e-324", count=1),
    "minus-zeros": scaled("s * 0.5 - 0", start="-0", count=3),
    # the product overflows: AT0007 at it, though the fused sum would be finite
    "overflow": scaled("s * 2 - 1.7e308", start="1e308", count=1),
    "overflow-loop": scaled("s * 4 - i", start="1", count=600),
    "nan": "fn f(x: number) -> number { return x * 0.5 + 1; }\nprint(f(1));\nprint(f(sqrt(-1)));",
    "infinite-addend": "fn f(x: number, y: number) -> number { return x * 0.5 + y; }\n"
    "print(f(1, 2));\nprint(f(3, -log(0)));",
    "huge-factor": scaled("y - s * 5e-324", start="9e15", count=3),
    "sum": "fn f(a: number[]) -> number {\n    var s = 0;\n    for (var i = 0; i < len(a); i++) {\n"
    "        s = s + a[i] * 0.5;\n    }\n    return s;\n}\nprint(f([1, 2, 3e-323, 5e-324, -0]));\nprint(f([1e308, 1e308, 1e308]));",
}


@pytest.mark.parametrize("jit", THRESHOLDS, ids=["eager", "small", "default"])
@pytest.mark.parametrize("name", PROGRAMS)
def test_fused_sums_change_nothing(name: str, jit: JitConfig) -> None:
    same(PROGRAMS[name], jit)


def test_the_programs_above_are_fused() -> None:
    assert all(uses_fma(PROGRAMS[name]) for name in ("loop_sum", "subnormal", "minus-zero", "overflow", "nan"))
