"""Unchecked copies of pure functions (jit/result_checks.py): the checks whose values
reach the result are left to the entry, which runs the checked copy again whenever the
unchecked one failed or returned NaN or infinity. Programs behave as in the VM."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.compile.opcodes import Op
from atlas.config import JitConfig
from atlas.jit import runtime as rt
from atlas.jit.analysis import specialised
from atlas.jit.ranges import MAX
from atlas.jit.result_checks import result_bound, retry_checks
from atlas.limits import ensure_recursion_headroom

from .jit_support import analysed, function_ir, pcs_of, run, same, unit_ir

FIB = """
fn fib(n: number) -> number {
    if (n < 2) { return n; }
    return fib(n - 1) + fib(n - 2);
}
print(fib(24));
"""


def bound_ops(source: str, name: str) -> list[str]:
    """The opcodes (by name, in pc order) whose checks `name` may leave to its result."""
    proto, _ = analysed(source, name)
    return [Op(proto.code[pc][0]).name for pc in sorted(result_bound(proto))]


def test_fib_leaves_its_sum_and_both_calls_to_its_result():
    assert bound_ops(FIB, "fib") == ["CALLG", "CALLG", "ADD"]
    assert retry_checks(analysed(FIB, "fib")[1])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Returned on one path and compared on the other: not bound.
        ("let s = f(n - 1) * 3; if (s > 1) { return s; } return 0;", []),
        # Returned on every path, though compared first: bound (control flow may
        # differ from the checked run's, but the result is not finite either way).
        ("let s = f(n - 1) * 3; if (s > 1) { return s; } return s + 1;", ["CALLG", "MUL", "ADD"]),
        # A divisor does not pass an infinity on (x / inf is 0); a dividend does.
        ("return 1 / f(n - 1);", ["DIV"]),
        ("return f(n - 1) / 3;", ["CALLG", "DIV"]),
        # An argument is no use: the value may not reach the result.
        ("return f(f(n - 1) + 1);", ["CALLG"]),
    ],
)
def test_what_reaches_the_result(body, expected):
    source = f"fn f(n: number) -> number {{ if (n < 1) {{ return 1; }} {body} }}\nprint(f(3));"
    assert bound_ops(source, "f") == expected


def test_a_loop_leaves_nothing_to_the_result():
    source = """
fn f(n: number) -> number {
    var s = 0;
    for (var i = 0; i < n; i++) { s = s + i * 0.5; }
    return s + 1;
}
print(f(3));
"""
    assert bound_ops(source, "f") == []


@pytest.mark.parametrize(
    "source",
    [
        # changes a global (a second run would change it again)
        "var calls = 0;\nfn f(n: number) -> number { calls = calls + 1; if (n < 1) { return 1; } return f(n - 1) * 2; }",
        # calls another function (which might change one)
        "fn g(x: number) -> number { return x; }\n"
        "fn f(n: number) -> number { if (n < 1) { return 1; } return g(n) + f(n - 1) * 2; }",
        # holds an array
        "fn f(a: number[], n: number) -> number { if (n < 1) { return a[0]; } return f(a, n - 1) * 2; }",
        # does not call itself (a check or two per call from the VM is not worth a copy)
        "fn f(n: number) -> number { return n * n * 3; }",
        # returns a bool
        "fn f(n: number) -> bool { if (n < 1) { return true; } return f(n - 1); }",
    ],
)
def test_functions_that_get_no_unchecked_copy(source):
    assert not retry_checks(analysed(source + "\n", "f")[1])


def test_the_entry_runs_the_unchecked_copy_first():
    ir = unit_ir(FIB)
    calls = re.findall(r"call \w+ @\"?(atlas_fn\w+)", function_ir(ir, "atlas_entry0"))
    assert calls[0].endswith("_unchecked") and not calls[-1].endswith("_unchecked")
    # The copy the recursion runs in (its argument known finite) makes no NaN/Infinity
    # check: no AT0007 status. The checked one makes one per call (for the sum).
    status = f"i64 {rt.STATUS_INVALID_NUMERIC}"
    assert function_ir(ir, "atlas_fn0_s1_unchecked").count(status) == 0
    assert function_ir(ir, "atlas_fn0_s0").count(status) == 1
    assert same(FIB).stdout == "46368\n"


# Each runs with the JIT (compiling on the first call, and after 50 calls) and in the
# VM, with the same output and error.
PROGRAMS = {
    # An overflow deep in the recursion: AT0007 at the multiplication, as in the VM.
    "overflow": """
fn grow(n: number) -> number {
    if (n < 1) { return 1e300; }
    return grow(n - 1) * 10 + 1;
}
print(grow(5));
print(grow(20));
""",
    # The first failure is an overflow; the unchecked copy carries on into the depth
    # limit (AT0008), and the checked one finds the overflow first.
    "overflow_then_depth": """
fn deep(n: number, x: number) -> number {
    let y = x * 1e300;
    if (n > 1000000) { return y; }
    return deep(n + 1, x) + y;
}
print(deep(999990, 1));
print(deep(0, 1e10));
""",
    # A function that really returns an infinity: the checked copy returns it too.
    "infinite_result": """
fn low(n: number) -> number {
    if (n < 1) { return log(0); }
    return low(n - 1);
}
print(low(30));
print(low(30) > 0);
""",
    # A call result the code compares (not passed on): checked in the unchecked copy.
    "compared_call": """
fn pick(n: number) -> number {
    if (n < 1) { return 1e308 * 10; }
    if (pick(n - 1) > 0) { return 1; }
    return 2;
}
print(pick(1));
""",
    "compared_call_deeper": """
fn pick(n: number) -> number {
    if (n < 1) { return 1e308 * n * 10 + 1e308 * 10; }
    if (pick(n - 1) > 0) { return 1; }
    return 2;
}
print(pick(12));
""",
    # A zero divisor after an overflow: AT0007 first, as in the VM.
    "overflow_then_zero": """
fn q(n: number, d: number) -> number {
    if (n < 1) { return 1; }
    let big = q(n - 1, d) * 1e200 * 1e200;
    return big / d + q(n - 1, d);
}
print(q(3, 2));
print(q(3, 0));
""",
    # Compiled in a unit where a frame holds an array (`first`): failures return a
    # flag instead of unwinding, and the entry of `grow` still runs both copies.
    "flag_unit": """
fn grow(n: number) -> number {
    if (n < 1) { return 1e300; }
    return grow(n - 1) * 10 + 1;
}
fn first(a: number[]) -> number {
    return grow(a[0]);
}
print(first([3]));
print(grow(4));
print(grow(12));
""",
    # A zero divisor with nothing not finite before it: AT0005.
    "zero_divisor": """
fn q(n: number, d: number) -> number {
    if (n < 1) { return 1; }
    return q(n - 1, d) / d + 1;
}
print(q(6, 2));
print(q(6, 0));
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
@pytest.mark.parametrize("threshold", [0, 50])
def test_behaves_as_in_the_vm(name, threshold):
    same(PROGRAMS[name], JitConfig(call_threshold=threshold, loop_threshold=threshold))


def test_errors_name_the_first_failure():
    assert run(PROGRAMS["overflow"]).error[0] == "AT0007"
    assert run(PROGRAMS["overflow_then_depth"]).error[0] == "AT0007"
    assert run(PROGRAMS["overflow_then_zero"]).error[0] == "AT0007"
    assert run(PROGRAMS["zero_divisor"]).error[0] == "AT0005"
    assert run(PROGRAMS["infinite_result"]).stdout == "-inf\nfalse\n"


def test_no_fact_follows_from_a_check_the_copy_leaves_out():
    """The ranges of an unchecked copy: `s` is not known finite after `a * b`, so the
    compare that bounds it from above bounds nothing from below."""
    source = """
fn f(n: number) -> number {
    if (n < 1) { return 1; }
    let s = f(n - 1) * n;
    if (s < 10) { return s + 1; }
    return s - 1;
}
print(f(3));
"""
    proto, analysis = analysed(source, "f")
    left = retry_checks(analysis)
    (mul,) = pcs_of(proto, Op.MUL)
    s_reg = proto.code[mul][1]
    returns = [pc for pc, instr in enumerate(proto.code) if instr[0] == Op.ADD and instr[2] == s_reg]
    assert mul in left and returns
    checked = specialised(analysis, None)
    unchecked = specialised(analysis, None, left)
    assert checked.ranges.of(returns[0], s_reg).lo == -MAX
    assert unchecked.ranges.of(returns[0], s_reg) is None or unchecked.ranges.of(returns[0], s_reg).lo == -math.inf
    assert mul not in unchecked.ranges.finite_results


# Random pure functions that call themselves: sums, products and quotients of the
# parameters, the recursive result and constants that overflow soon (1e300), compared
# or passed on, so that the unchecked copy's result is sometimes not finite for a
# reason the checked copy reports and sometimes for none (an infinity it returns).
LEAVES = ["n", "x", "r", "1e300", "0.5", "-3", "0", "log(0)"]
OPERATORS = ["+", "-", "*", "/", "%"]


@st.composite
def expressions(draw: st.DrawFn, names: list[str], depth: int = 2) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(names))
    left = draw(expressions(names, depth - 1))
    right = draw(expressions(names, depth - 1))
    return f"({left} {draw(st.sampled_from(OPERATORS))} {right})"


@st.composite
def recursive_functions(draw: st.DrawFn) -> str:
    base = [leaf for leaf in LEAVES if leaf != "r"]
    early = draw(expressions(base))
    argument = draw(expressions(base))
    compared = draw(expressions(LEAVES))
    then = draw(expressions(LEAVES))
    otherwise = draw(expressions(LEAVES))
    pairs = draw(st.lists(st.tuples(st.integers(0, 12), st.sampled_from(["1", "0.25", "1e10"])), min_size=1, max_size=3))
    calls = "\n".join(f"print(f({n}, {x}));" for n, x in pairs)
    return f"""
fn f(n: number, x: number) -> number {{
    if (n < 1) {{ return {early}; }}
    let r = f(n - 1, {argument});
    if ({compared} < x) {{ return {then}; }}
    return {otherwise};
}}
{calls}
"""


# Raised before any hypothesis example runs (an example that changes it is warned about).
ensure_recursion_headroom()


@settings(max_examples=40, deadline=None)
@given(source=recursive_functions())
def test_random_pure_recursions_behave_as_in_the_vm(source: str) -> None:
    same(source)
