"""Heads of recursive functions: the last twin of a recursive function calls a copy of
its first few register-only instructions, which returns where the function returns
early (a base case) and otherwise makes the whole call again. What the program does,
and every error and its site, must stay the VM's."""

from __future__ import annotations

import pytest

from atlas.config import JitConfig

from .jit_support import EAGER, same, unit_ir


def defined(ir_text: str, suffix: str) -> bool:
    return any(line.startswith("define") and f'{suffix}"(' in line for line in ir_text.splitlines())


FIB = "fn fib(n: number) -> number {\n    if (n < 2) { return n; }\n    return fib(n - 1) + fib(n - 2);\n}\n"


def test_a_base_case_gets_a_head_that_calls_the_whole_function_where_it_ends() -> None:
    ir_text = unit_ir(FIB + "print(fib(12));")
    assert defined(ir_text, "_head")
    head = ir_text[ir_text.index('_head"(') :].split("\n}\n")[0]
    assert head.count("call") == 1 and '@"atlas_fn0"(' in head  # the rest: the first copy


@pytest.mark.parametrize(
    "source",
    [
        # the first thing the function does is a call
        "fn f(n: number) -> number { print(n); if (n < 1) { return 0; } return f(n - 1); }\nprint(f(3));",
        # a loop before the base case
        "fn f(n: number) -> number {\n    var i = 0;\n    while (i < 2) { i = i + 1; }\n"
        "    if (n < 1) { return i; }\n    return f(n - 1);\n}\nprint(f(3));",
        # the function holds an array
        "fn f(a: number[], n: number) -> number { if (n < 1) { return a[0]; } return f(a, n - 1); }\nprint(f([1], 3));",
        # not recursive
        "fn f(n: number) -> number { if (n < 1) { return 0; } return n * 2; }\nprint(f(3));",
    ],
)
def test_no_head_where_no_early_return_is_reached_by_register_code_alone(source: str) -> None:
    assert not defined(unit_ir(source), "_head")


THRESHOLDS = [EAGER, JitConfig(call_threshold=3, loop_threshold=5), JitConfig()]


@pytest.mark.parametrize("jit", THRESHOLDS, ids=["eager", "small", "default"])
@pytest.mark.parametrize(
    "program",
    [
        FIB + "print(fib(22));\nprint(fib(2.5));\nprint(fib(-3));",
        # the base case fails in the head (AT0005 at the division, deep in a recursion)
        "fn f(n: number) -> number {\n    if (n < 1) { return 10 / n; }\n    return f(n - 1) + f(n - 2);\n}\n"
        "print(f(15.5));\nprint(f(15));",
        # a check of the head is still waiting where the head ends: the whole call makes it again
        "fn f(n: number) -> number {\n    if (n < 2) { return n; }\n    var x = 10 / (n - 7);\n"
        "    return f(n - 1) + f(n - 2) + x;\n}\nprint(f(6));\nprint(f(12));",
        # NaN/Infinity in the head's own arithmetic, and in the sums after it
        "fn f(n: number, s: number) -> number {\n    var y = s * s;\n    if (n < 1) { return y; }\n"
        "    return f(n - 1, s) + f(n - 2, s);\n}\nprint(f(10, 3));\nprint(f(10, 1e200));",
        "fn f(n: number) -> number {\n    if (n < 2) { return 1e300; }\n    return f(n - 1) * 10 + f(n - 2);\n}\n"
        "print(f(3));\nprint(f(12));",
        # bool results, two base cases, a head with a compare stored in a register
        "fn even(n: number) -> bool {\n    var zero = n == 0;\n    if (zero) { return true; }\n"
        "    if (n == 1) { return false; }\n    return even(n - 2);\n}\n"
        "print(even(300));\nprint(even(301));\nprint(even(7.5));",
        # no base case is ever taken: the depth limit (AT0008) through heads
        "fn down(n: number) -> number {\n    if (n < -1e9) { return 0; }\n    return down(n - 1) + 1;\n}\nprint(down(5));",
        # a base case that returns nothing (a void function)
        "var count = 0;\nfn walk(n: number) {\n    if (n < 1) { return; }\n    count = count + 1;\n"
        "    walk(n - 1);\n    walk(n - 2);\n}\nwalk(16);\nprint(count);",
    ],
    ids=["fib", "fails-in-head", "dropped-check", "not-finite-in-head", "not-finite-after", "bool", "depth", "void"],
)
def test_recursion_through_heads_is_the_vms(program: str, jit: JitConfig) -> None:
    same(program, jit=jit)
