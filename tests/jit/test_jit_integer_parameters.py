"""Integer parameters: a copy of a small callee whose callers pass it whole numbers
within ±2^53 held in i64 (loop counters, and their steps) takes them as i64 when it
holds them in integer registers itself; a recursion through such calls (`is_even(n)`
calling `is_odd(n - 1)`) never converts its counter. What the program does, and every
error and its site, must stay the VM's, -0 included (an i64 cannot hold it)."""

from __future__ import annotations

import re

import pytest

from atlas.config import JitConfig

from .jit_support import EAGER, same, unit_ir

PARITY = """
fn is_even(n: number) -> bool {
    if (n == 0) { return true; }
    return is_odd(n - 1);
}
fn is_odd(n: number) -> bool {
    if (n == 0) { return false; }
    return is_even(n - 1);
}
"""


def copies(source: str, jit: JitConfig = EAGER) -> dict[str, list[str]]:
    """Each specialised copy's name -> the types of its parameters after ctx and depth."""
    ir_text = unit_ir(source, jit)
    found = {}
    for name, params in re.findall(r'^define [^@]*@"(atlas_fn\d+_s\d+)"\((.*)\)', ir_text, re.M):
        found[name] = re.findall(r'(\w+\*?) %"\.\d+"', params)[1:]  # after depth (ctx's type is no word)
    return found


def looped(call: str, count: int = 9) -> str:
    """A function calling `call` from a counted loop over k (a local: an integer register)."""
    return (
        f"fn main() -> number {{\n    var t = 0;\n    for (var k = 0; k < {count}; k++) {{\n"
        f"        if ({call}) {{ t = t + 1; }}\n    }}\n    return t;\n}}\nprint(main());"
    )


def test_a_recursion_called_with_a_loop_counter_takes_it_as_an_i64() -> None:
    found = copies(PARITY + looped("is_even(k)", 50))
    # (the generic copies, compiled first here, call copies taking doubles)
    assert {name.split("_s")[0] for name, params in found.items() if params == ["i64"]} == {"atlas_fn0", "atlas_fn1"}


@pytest.mark.parametrize(
    "call",
    [
        "is_even(k * 0.5)",  # not whole
        "is_even(k + 0.5)",
        "is_even(-0)",  # whole, but -0
        "is_even(k * -1)",  # whole, and -0 when k is 0: a double register
    ],
)
def test_no_i64_parameter_where_the_argument_is_not_held_as_an_integer(call: str) -> None:
    source = PARITY + looped(call)
    assert all("i64" not in params for params in copies(source).values())


def test_a_parameter_the_callee_overwrites_with_a_fraction_stays_a_double() -> None:
    source = (
        "fn half(n: number) -> number {\n    n = n / 2;\n    return n + 1;\n}\n"
        + looped("half(k) > 2")
    )
    assert all("i64" not in params for params in copies(source).values())


def test_a_whole_constant_argument_is_passed_as_an_i64() -> None:
    source = PARITY + looped("is_even(12)")
    assert any(params == ["i64"] for params in copies(source).values())


THRESHOLDS = [EAGER, JitConfig(call_threshold=3, loop_threshold=5), JitConfig()]


def in_main(body: str) -> str:
    """`body` run by a function returning a number or an array, printed after (its
    loop counters are locals: integer registers; print is never native)."""
    if "return out" not in body:
        return f"fn main() -> number {{\n{body}\n}}\nprint(main());"
    return f"fn main() -> number[] {{\n{body}\n}}\nvar got = main();\nfor (var i = 0; i < len(got); i++) {{ print(got[i]); }}"


PROGRAMS = {
    "parity": PARITY + in_main(
        "var t = 0;\nfor (var r = 0; r < 10; r++) {\n    for (var k = 0; k < 300; k++) {\n"
        "        if (is_even(k)) { t = t + k; } else { t = t + 1; }\n    }\n}\nreturn t;"
    ),
    # the depth limit (AT0008) reached through calls passing i64
    "depth": PARITY + in_main("var t = 0;\nfor (var k = 9990; k < 10010; k++) { if (is_even(k)) { t = t + 1; } }\nreturn t;"),
    # negative counters never reach the base case: the depth limit again
    "negative": PARITY + in_main("var t = 0;\nfor (var k = 0; k > -3; k--) { if (is_odd(k)) { t = t + 1; } }\nreturn t;"),
    # at -2^53 a step of -1 rounds back to -2^53 (the clamp), at 2^53 + 1 too
    "clamp": "fn down(n: number) -> number { return n - 1; }\nfn up(n: number) -> number { return n + 1; }\n"
    + in_main(
        "var out = [0, 0, 0, 0, 0, 0];\nfor (var k = 0; k < 3; k++) {\n"
        "    out[2 * k] = down(k - 9007199254740992) - k;\n    out[2 * k + 1] = up(9007199254740990 + k) + k;\n}\n"
        "return out;"
    ),
    # -0 never reaches an i64: it comes back as -0, and 1 / it divides by zero
    "minus-zero": "fn same(n: number) -> number { return n; }\n"
    + in_main("var out = [1, 1, 1];\nfor (var k = 0; k < 3; k++) { out[k] = same(k * -1); }\nreturn out;")
    + "\nfn inverse(n: number) -> number { return 1 / n; }\n"
    + "fn main2() -> number {\n    var t = 0;\n    for (var k = 0; k < 3; k++) { t = t + inverse(k - 1); }\n"
    "    return t;\n}\nprint(main2());",
    # a parameter read as a double (sqrt, a fraction) and one passed on
    "as-double": "fn h(n: number, m: number) -> number { return sqrt(n) + n * 0.5 + g(m - n); }\n"
    "fn g(d: number) -> number { return d / 3; }\n"
    + in_main(
        "var t = 0;\nfor (var i = 0; i < 40; i++) { for (var j = 0; j < 40; j++) { t = t + h(i, j); } }\nreturn t;"
    ),
    # an integer parameter used as an index and a divisor (AT0005 at k = 0, AT0006 past the end)
    "divisor": "fn at(a: number[], i: number) -> number { return a[i] / i; }\n"
    + in_main("var a = [1, 2, 3];\nvar t = 0;\nfor (var k = 3; k >= 0; k--) { t = t + at(a, k - 1); }\nreturn t;"),
    "index": "fn at(a: number[], i: number) -> number { return a[i]; }\n"
    + in_main("var a = [1, 2, 3];\nvar t = 0;\nfor (var k = 0; k < 5; k++) { t = t + at(a, k); }\nreturn t;"),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_each_program_below_passes_i64_arguments(name: str) -> None:
    assert any("i64" in params for params in copies(PROGRAMS[name]).values())


@pytest.mark.parametrize("jit", THRESHOLDS, ids=["eager", "small", "default"])
@pytest.mark.parametrize("name", PROGRAMS)
def test_integer_parameters_change_nothing(name: str, jit: JitConfig) -> None:
    same(PROGRAMS[name], jit)
