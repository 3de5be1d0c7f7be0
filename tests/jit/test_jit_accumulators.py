"""Accumulators whose NaN/Infinity check waits until their loop is left (jit/
accumulators.py). The error a program ends with, and its site, stay the VM's: a
failure found late is reported where it happened, and first."""

from __future__ import annotations

import pytest

from atlas.config import JitConfig

from .jit_support import EAGER, SUM_OF_PRODUCTS, same, unit_ir

SMALL = JitConfig(call_threshold=2, loop_threshold=3)
THRESHOLDS = [EAGER, SMALL, JitConfig()]
IDS = ["eager", "small", "default"]


SUM = SUM_OF_PRODUCTS


def test_the_check_of_a_sum_waits_for_the_loop_exit() -> None:
    ir_text = unit_ir(SUM + "print(total([1, 2, 3], 3, 2));")
    assert "leave" in ir_text  # the test on the way out


def test_a_sum_read_in_its_loop_is_checked_in_the_loop() -> None:
    source = SUM.replace("s = s + a[j] * x;", "s = s + a[j] * x;\n        if (s > 100) { s = 0; }")
    assert "leave" not in unit_ir(source + "print(total([1, 2, 3], 3, 2));")


BIG = "1e307"
# overflows at j = 1 (each product 1e308 is finite), then j = 3 is out of bounds
THEN_INDEX = SUM + f"print(total([1, 2], 2, 1));\nprint(total([{BIG}, {BIG}, {BIG}], 5, 10));"
THEN_DIVISOR = (
    "fn h(n: number, x: number) -> number {\n    var s = 0;\n"
    "    for (var j = 0; j < n; j++) { s = s + x / (40 - j); }\n    return s;\n}\n"
    "print(h(10, 1));\nprint(h(50, 1e308));\nprint(h(50, 1));"
)


@pytest.mark.parametrize("program", [THEN_INDEX, THEN_DIVISOR], ids=["index", "divisor"])
def test_a_later_failure_in_the_loop_reports_the_sum_first(program: str) -> None:
    assert "leave" in unit_ir(program)  # the sum's check waits: the cold path tests it first
    result = same(program)
    assert result.error is not None and result.error[0] == "AT0007"


@pytest.mark.parametrize("jit", THRESHOLDS, ids=IDS)
@pytest.mark.parametrize(
    "program",
    [
        # overflows part way; the loop then ends normally (the test on the way out)
        SUM + f"print(total([1, 2, 3], 3, 2));\nlet big: number[] = [{BIG}, {BIG}, {BIG}, 1, 1];\n"
        f"print(total(big, 5, 10));",
        # overflows in an early chunk of a long loop (the test at a chunk's end)
        SUM + "let ones: number[] = [];\nfor (var k = 0; k < 20000; k++) { ones.push(1); }\n"
        f"print(total(ones, 20000, 1));\nprint(total(ones, 20000, {BIG}));",
        # overflows, then an index is out of bounds in a later iteration: AT0007 first
        THEN_INDEX,
        # an index out of bounds before any overflow: AT0006
        SUM + f"print(total([1, 2], 2, 1));\nprint(total([1, 1, 1], 5, {BIG}));",
        # overflows, then a divisor is zero in a later iteration: AT0007 first
        THEN_DIVISOR,
        # a subtraction, and a break out of the loop after the overflow
        "fn g(n: number, x: number) -> number {\n    var s = 0;\n    for (var j = 0; j < n; j++) {\n"
        "        if (j == 30) { break; }\n        s = s - x;\n    }\n    return s;\n}\n"
        f"print(g(10, 1));\nprint(g(100, {BIG}));",
        # a callee that cannot fail in the loop (spectral_norm's shape)
        "fn entry(i: number, j: number) -> number { return 1 / ((i + j) * (i + j + 1) / 2 + i + 1); }\n"
        "fn row(n: number, i: number, x: number[]) -> number {\n    var s = 0;\n"
        "    for (var j = 0; j < n; j++) { s = s + entry(i, j) * x[j]; }\n    return s;\n}\n"
        "var t = 0;\nfor (var i = 0; i < 30; i++) { t = t + row(4, i, [1, 2, 3, 4]); }\nprint(t);\n"
        "print(row(4, 0, [1.5e308, 1.5e308, 1.5e308, 1]));\nprint(row(6, 0, [1, 2, 3, 4]));",
        # the same, with an element that is not finite (the product fails, at the product)
        "fn entry(i: number, j: number) -> number { return 1 / ((i + j) * (i + j + 1) / 2 + i + 1); }\n"
        "fn row(n: number, i: number, x: number[]) -> number {\n    var s = 0;\n"
        "    for (var j = 0; j < n; j++) { s = s + entry(i, j) * x[j]; }\n    return s;\n}\n"
        "var t = 0;\nfor (var i = 0; i < 30; i++) { t = t + row(4, i, [1, 2, 3, 4]); }\nprint(t);\n"
        "print(row(4, 1, [1, 2, 3, 4]));\nprint(row(4, 0, [1, 2, -log(0), 4]));",
        # a callee that can fail: the sum is checked at every iteration
        "fn inv(j: number) -> number { return 1 / (j - 3); }\n"
        "fn s2(n: number) -> number {\n    var s = 0;\n    for (var j = 0; j < n; j++) { s = s + inv(j); }\n"
        "    return s;\n}\nprint(s2(3));\nprint(s2(5));",
        # at the top level (a loop region), the sum read after the loop
        f"var acc = 0;\nfor (var j = 0; j < 5000; j++) {{ acc = acc + j * {BIG}; }}\nprint(acc);",
        "var acc2 = 0;\nfor (var j = 0; j < 5000; j++) { acc2 = acc2 + j * 0.5; }\nprint(acc2);",
    ],
    ids=["exit", "chunk", "then-index", "index-first", "then-divisor", "break", "safe-callee", "infinite-element",
         "unsafe-callee",
         "region-overflow", "region"],
)  # fmt: skip
def test_accumulators_fail_as_in_the_vm(program: str, jit: JitConfig) -> None:
    same(program, jit=jit)


@pytest.mark.parametrize("jit", THRESHOLDS, ids=IDS)
@pytest.mark.parametrize("count", ["0", "3"])
def test_a_sum_that_enters_its_loop_infinite_fails_only_if_added_to(jit: JitConfig, count: str) -> None:
    """Math builtins do not trap: `log(0)` is -inf. A sum that holds it before the loop
    fails at the first addition, and not at all if the loop runs no iteration."""
    program = (
        "fn f(n: number, x: number) -> number {\n    var s = log(x);\n"
        "    for (var j = 0; j < n; j++) { s = s + 1; }\n    return s;\n}\n"
        f"print(f(5, 2));\nprint(f({count}, 0));"
    )
    same(program, jit=jit)


@pytest.mark.parametrize("jit", THRESHOLDS, ids=IDS)
def test_elements_and_results_may_be_nan_or_infinite(jit: JitConfig) -> None:
    """Arrays hold what builtins return (`-log(0)` is inf), and functions return it."""
    program = (
        "fn g(x: number) -> number { return log(x); }\n"
        "fn h(a: number[], x: number) -> number { return a[0] * 0.5 + g(x) * 0.5; }\n"
        "print(h([1], 2));\nprint(h([-log(0)], 2));\nprint(h([1], 0));"
    )
    same(program, jit=jit)
