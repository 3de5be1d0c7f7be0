"""Value ranges and hoisted uniqueness: checks native code skips, and the programs that
show skipping them changes nothing (each case runs with and without the JIT)."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atlas.compile.opcodes import Op
from atlas.config import JitConfig
from atlas.jit.analysis import hoisted_owns, owned_arrays, specialised
from atlas.jit.ranges import MAX, Range, arithmetic, builtin_range, root_bound
from atlas.pipeline import Session

from .jit_support import EAGER, analysed, blocks, function_ir, pcs_of, same, unit_ir

COUNTERS = """
fn f(a: number[], n: number, x: number) -> number {
    var s = 0;
    for (var i = 0; i < n; i++) { s = s + a[i] * x; }
    return s + x;
}
"""


def test_a_loop_counter_needs_no_finiteness_check_but_a_parameter_does() -> None:
    proto, analysis = analysed(COUNTERS, "f")
    adds = pcs_of(proto, Op.ADD)
    finite = analysis.ranges.finite_results
    counter_adds = [pc for pc in adds if proto.code[pc][3] >= proto.const_base]  # i = i + 1
    assert len(counter_adds) == 1
    assert [pc for pc in adds if pc in finite] == counter_adds
    # s + x and s + a[i] * x involve a parameter that may be NaN or huge: checked.
    assert all(pc not in finite for pc in pcs_of(proto, Op.MUL))


def test_an_index_that_passed_its_check_is_whole_and_below_the_largest_length() -> None:
    proto, analysis = analysed(COUNTERS, "f")
    (index_pc,) = pcs_of(proto, Op.INDEX)
    reg = proto.code[index_pc][3]
    after = analysis.ranges.of(index_pc + 1, reg)
    assert after is not None and after.whole and after.lo == 0 and after.hi <= 2.0**53


def test_an_index_that_passed_a_stores_check_is_whole_and_below_the_largest_length() -> None:
    source = "fn f(a: number[], i: number) -> number {\n    a[i] = 1;\n    return i;\n}\n"
    proto, analysis = analysed(source, "f")
    (store_pc,) = pcs_of(proto, Op.SETIDX)
    after = analysis.ranges.of(store_pc + 1, proto.code[store_pc][2])
    assert after is not None and after.whole and after.lo == 0 and after.hi <= 2.0**53


def test_nested_loops_and_widening_settle() -> None:
    source = """
    fn g(n: number) -> number {
        var t = 0;
        for (var i = 0; i < n; i++) { for (var j = i; j < n; j = j + 2) { t = t + i * j - 3; } }
        return t;
    }
    """
    _, analysis = analysed(source, "g")
    assert all(state is not None for pc, state in enumerate(analysis.ranges.before) if analysis.reachable(pc))


@given(
    st.floats(allow_nan=False), st.floats(allow_nan=False), st.floats(allow_nan=False), st.floats(allow_nan=False),
    st.sampled_from([Op.ADD, Op.SUB, Op.MUL]),
)
def test_arithmetic_bounds_contain_every_result(a: float, b: float, c: float, d: float, op: int) -> None:
    x, y = Range(min(a, b), max(a, b)), Range(min(c, d), max(c, d))
    bound = arithmetic(op, x, y)
    for p in (a, b, (a + b) / 2 if math.isfinite(a + b) else a):
        for q in (c, d):
            value = p + q if op == Op.ADD else p - q if op == Op.SUB else p * q
            if bound is None:
                continue
            assert not math.isnan(value)
            assert bound.lo <= value <= bound.hi


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False, allow_infinity=False))
def test_a_sum_of_squares_bounds_each_root(z: float, w: float) -> None:
    total = z * z + w * w  # the doubles Atlas computes
    if math.isfinite(total):
        assert abs(z) <= root_bound(total) and abs(w) <= root_bound(total)
        assert abs(z) <= root_bound(z * z)


@given(st.floats(min_value=0, max_value=2.0**-1000))
def test_tiny_squares_that_round_to_zero_stay_within_the_bound(z: float) -> None:
    assert abs(z) <= root_bound(z * z)


def test_a_finite_value_plus_a_small_one_never_overflows() -> None:
    bound = arithmetic(Op.ADD, Range(-MAX, MAX, True), Range(1.0, 1.0, True))
    assert bound is not None and bound.finite and bound.whole


def test_builtin_ranges() -> None:
    assert builtin_range("floor", [Range(0.5, 7.5)]) == Range(0.0, 7.0, True)
    assert builtin_range("sqrt", [Range(-1.0, 4.0)]) is None  # sqrt(-1) is NaN
    assert builtin_range("sqrt", [Range(0.0, 4.0)]) == Range(0.0, 2.0)
    assert builtin_range("abs", [Range(-3.0, 2.0, True)]) == Range(0.0, 3.0, True)
    assert builtin_range("min", [Range(1.0, 5.0), None]) is None  # min(x, NaN) is x
    assert builtin_range("tan", [Range(0.0, 1.0)]) is None


# ----------------------------------------------------------- behaviour is unchanged

@pytest.mark.parametrize(
    "body, code",
    [
        ("var x = 1.7976931348623157e308; x = x + 1; print(x == 1.7976931348623157e308);", None),
        ("var x = 1.7976931348623157e308; for (var i = 0; i < 3; i++) { x = x + 1e292; } print(x);", "AT0007"),
        ("var x = 1e200; for (var i = 0; i < 3; i++) { x = x * 1e50; } print(x);", "AT0007"),
        ("var k = 1; for (var i = 0; i < 2000; i++) { k = k * 2; } print(k);", "AT0007"),
        ("var s = 0; for (var i = 0; i < 10; i++) { s = s + sqrt(i - 5); } print(s);", "AT0007"),
        ("var s = 0; for (var i = 0; i < 10; i++) { s = s + i % (i - 4); } print(s);", "AT0005"),
    ],
)
def test_arithmetic_results_and_errors_match_the_vm(body: str, code: str | None) -> None:
    native = same(f"fn f() -> void {{ {body} }}\nf();")
    assert (native.error or (None,))[0] == code


@pytest.mark.parametrize(
    "index, code",
    [
        ("i + 4", "AT0006"), ("i - 1", "AT0103"), ("i * 0.5", "AT0103"), ("i + 4611686018427387904", "AT0006"),
        ("i + 9223372036854775808", "AT0006"), ("i - 9223372036854775808", "AT0103"),
        ("i * 1e300", "AT0006"), ("floor(i / 2)", None), ("sqrt(i - 3)", "AT0103"), ("abs(i - 2)", None),
    ],
)
def test_index_checks_report_what_the_vm_reports(index: str, code: str | None) -> None:
    source = f"""
    fn f(a: number[]) -> number {{
        var s = 0;
        for (var i = 0; i < len(a); i++) {{ s = s + a[{index}]; a[{index}] = i; }}
        return s;
    }}
    print(f([1, 2, 3, 4, 5]));
    """
    native = same(source)
    assert (native.error or (None,))[0] == code


def test_an_index_checked_once_bounds_arithmetic_on_it() -> None:
    source = """
    fn f(a: number[], step: number) -> number {
        var m = 0;
        var count = 0;
        while (m < len(a)) { a[m] = a[m] + 1; m = m + step; count++; }
        return count + a[0];
    }
    var a = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    print(f(a, 7));
    print(f(a, 1e308));
    print(f(a, -1));
    """
    native = same(source)
    assert native.error is not None and native.error[0] == "AT0103"


# ---------------------------------------------------------- copy-on-write is kept

COW = """
fn show(a: number[]) -> string {
    var s = "";
    for (var i = 0; i < len(a); i++) { s = s + str(a[i]) + " "; }
    return s;
}
fn fill(a: number[], v: number) -> number[] {
    for (var i = 0; i < len(a); i++) { a[i] = v; }
    return a;
}
fn keep_alias(a: number[]) -> number {
    var total = 0;
    for (var r = 0; r < 3; r++) {
        var before = a;
        for (var i = 0; i < len(a); i++) { a[i] = a[i] + 1; }
        total = total + before[0] * 100 + a[0];
    }
    return total;
}
fn skip_some(a: number[], n: number) -> number[] {
    var i = 0;
    while (i < n) {
        i++;
        if (i % 2 == 0) { continue; }
        a[i % len(a)] = i;
    }
    return a;
}
let original = [1, 2, 3];
let filled = fill(original, 9);
print(show(original));
print(show(filled));
print(keep_alias(original));
print(show(original));
let copy = original;
print(show(skip_some(copy, 9)));
print(show(original));
print(show(copy));
"""


def test_making_arrays_unique_before_a_loop_keeps_value_semantics() -> None:
    native = same(COW)
    assert native.error is None
    assert native.stdout.splitlines()[:2] == ["1 2 3 ", "9 9 9 "]


def test_a_loop_that_owns_and_never_shares_an_array_hoists_its_check() -> None:
    proto, analysis = analysed(COW, "fill")
    pcs = range(len(proto.code))
    hoisted = hoisted_owns(analysis, pcs)
    assert list(hoisted.values()) == [frozenset({0})]
    owned = owned_arrays(analysis, pcs, [0], hoisted)
    assert all(0 in owned[pc] for pc in pcs_of(proto, Op.OWN))
    # keep_alias copies `a` inside its outer loop: only the inner loop may hoist.
    proto, analysis = analysed(COW, "keep_alias")
    hoisted = hoisted_owns(analysis, range(len(proto.code)))
    assert len(hoisted) == 1


SMOOTH = """
fn smooth(a: number[], rounds: number) -> number[] {
    for (var r = 0; r < rounds; r++) {
        for (var i = 1; i < len(a); i++) { a[i] = (a[i] + a[i - 1]) * 0.5; }
    }
    return a;
}
let data = [1, 2, 3, 4];
print(show(smooth(data, 3)));
print(show(data));
"""


def test_an_inner_loop_entered_with_its_arrays_unique_does_not_check_again() -> None:
    """The outer loop made `a` unique on entry and nothing shared it since: entering
    the inner loop (once per round) has nothing to check. keep_alias's inner loop,
    entered after `before = a`, still checks."""
    ir = unit_ir(COW + SMOOTH)
    preheaders = {
        name: [label for label, _ in blocks(function_ir(ir, name)) if re.fullmatch(r"pre\d+", label)]
        for name in ("atlas_fn2", "atlas_fn4")
    }
    assert preheaders == {"atlas_fn2": ["pre5"], "atlas_fn4": ["pre1"]}
    native = same(COW + SMOOTH)
    assert native.stdout.splitlines()[-2:] == ["1 1.125 1.4375 1.9375 ", "1 2 3 4 "]


def test_an_array_the_loop_never_reaches_is_left_alone() -> None:
    result = same("""
    fn f(flag: bool) -> number {
        var a: number[] = [];
        if (flag) { a = [1, 2]; }
        var t = 0;
        for (var i = 0; i < 3; i++) { if (flag) { a[0] = i; } t = t + i; }
        return t + len(a);
    }
    print(f(false));
    print(f(true));
    """)
    assert result.error is None and result.stdout == "3\n5\n"


def test_a_checked_result_proves_its_operands_finite() -> None:
    proto, analysis = analysed(
        "fn f(n: number) -> number { if (n < 2) { return n; } return (n - 1) * (n - 2); }", "f"
    )
    first, second = pcs_of(proto, Op.SUB)
    finite = analysis.ranges.finite_results
    assert first not in finite and second in finite  # n - 1 passed: n is finite


@pytest.mark.parametrize("arg", ["sqrt(-1)", "pow(10, 400)", "-pow(10, 400)", "1e308", "5", "-0.5"])
@pytest.mark.parametrize(
    "body",
    [
        "return (n - 1) * (n - 2) + (n - 3);",
        "var r = n % 7; return r + n + 1;",
        "var q = n / 3; return q + n - 1;",
        "var r = 10 % n; return r + n - 1;",
        "var p = n * n; return n + 1;",
    ],
)
def test_operands_known_finite_after_a_check_behave_as_in_the_vm(arg: str, body: str) -> None:
    same(f"fn f(n: number) -> number {{ {body} }}\nprint(f({arg}));")


# ------------------------------------------ counters, quotients and callers' ranges

def test_a_counter_bounded_by_a_parameter_stays_within_2_to_the_53() -> None:
    source = """
    fn g(n: number) -> number {
        var t = 0;
        for (var i = 0; i < n; i++) { for (var j = 0; j < n; j++) { t = t + (i + j) * (i + j + 1); } }
        return t;
    }
    """
    proto, analysis = analysed(source, "g")
    (inner_lt,) = [pc for pc in pcs_of(proto, Op.IFLT)][1:]
    i_reg = proto.code[pcs_of(proto, Op.IFLT)[0]][1]
    assert analysis.ranges.of(inner_lt, i_reg) == Range(0.0, 2.0**53, True)
    finite = analysis.ranges.finite_results
    # i + j, i + j + 1 and their product are finite, and so is t + ...: a finite value
    # plus one below 2^970 rounds to at most the largest double.
    assert all(pc in finite for pc in pcs_of(proto, Op.MUL) + pcs_of(proto, Op.ADD))


def test_stepping_past_2_to_the_53_widens_on() -> None:
    proto, analysis = analysed(
        "fn g(n: number) -> number { var k = 0; while (k < n) { k = k + 2; } return k; }", "g"
    )
    (header,) = pcs_of(proto, Op.IFLT)
    assert analysis.ranges.of(header, proto.code[header][1]).hi > 2.0**53
    same("fn g(n: number) -> number { var k = 9007199254740990; while (k < n) { k = k + 2; } return k; }\n"
         "print(g(9007199254741000));")


@given(
    st.floats(allow_nan=False), st.floats(allow_nan=False), st.floats(allow_nan=False), st.floats(allow_nan=False),
)
def test_quotient_bounds_contain_every_result(a: float, b: float, c: float, d: float) -> None:
    from atlas.jit.ranges import quotient

    x, y = Range(min(a, b), max(a, b)), Range(min(c, d), max(c, d))
    bound = quotient(x, y)
    if bound is None:
        assert y.lo <= 0 <= y.hi or any(math.isnan(p / q) for p in (a, b) for q in (c, d))
        return
    for p in (a, b, (a + b) / 2 if math.isfinite(a + b) else a):
        for q in (c, d, (c + d) / 2 if math.isfinite(c + d) else c):
            assert bound.lo <= p / q <= bound.hi


ENTRY = """
fn entry(i: number, j: number) -> number {
    return 1 / ((i + j) * (i + j + 1) / 2 + i + 1);
}
fn total(n: number) -> number {
    var s = 0;
    for (var i = 0; i < n; i++) { for (var j = 0; j < n; j++) { s = s + entry(i, j); } }
    return s;
}
"""


def native_unit(source: str, name: str):
    from atlas.config import JitConfig

    session = Session(jit=JitConfig())
    session.prepare_text(source, "test.atl")
    proto = next(p for p in session.image.protos if p.name == name)
    ((_, unit),) = session.jit.inspect(proto)
    return unit


def test_a_small_callee_gets_a_copy_specialised_to_its_callers_counters() -> None:
    unit = native_unit(ENTRY, "total")
    generic, copy = (function_ir(unit.ir_text, name) for name in ("atlas_fn0", "atlas_fn0_s0"))
    # The generic entry checks the divisor and the result; its copy for two counters
    # (whole, in [0, 2^53]) checks nothing.
    assert "fcmp oeq" in generic and "fcmp ueq" in generic
    assert "fcmp" not in copy and "fabs" not in copy and "failed_pc" not in copy


@pytest.mark.parametrize(
    "call",
    ["total(30)", "entry(0 - 1, 0)", "entry(sqrt(-1), 1)", "entry(1e308, 1e308)", "entry(-0.5, -0.5)"],
)
def test_the_generic_callee_still_checks_what_other_callers_pass(call: str) -> None:
    same(ENTRY + f"print(total(30));\nfor (var k = 0; k < 2000; k++) {{ entry(k, k); }}\nprint({call});")


def test_a_divisor_known_nonzero_needs_no_check_and_errors_stay_put() -> None:
    result = same("""
    fn f(n: number) -> number {
        var s = 0;
        for (var i = 0; i < n; i++) { s = s + 1 / (i + 1) + 7 / (i - 3); }
        return s;
    }
    print(f(3));
    print(f(10));
    """)
    assert result.error is not None and result.error[0] == "AT0005"


@pytest.mark.parametrize("x", ["1e308", "sqrt(-1)", "2", "0"])
def test_stores_before_a_deferred_check_fails_report_the_first_error(x: str) -> None:
    """In a function, element stores go before the checks of the values stored: the
    error and its site are still the first the VM meets."""
    body = "for (var i = 0; i < len(a); i++) { a[i] = a[i] * x; a[i] = 1 / a[i] + a[i]; b[i] = a[i]; }"
    same(f"""
    fn f(a: number[], x: number) -> number[] {{ var b = a; {body} return b; }}
    var total = 0;
    for (var r = 0; r < 300; r++) {{ total = total + f([1, 2, 3], 1)[2]; }}
    print(total);
    print(f([1, 2, 3, 4], {x}));
    let a = [5, 6, 7];
    let x = {x};
    var b = a;
    {body.replace("len(a)", "3")}
    print(b);
    """)


# ------------------------------------------------------------- short loops

@pytest.mark.parametrize(
    "loop, short",
    [
        ("for (var k = 0; k < 100; k++) { t = t + k; }", True),
        ("var k = 0; while (k < 50 && t < 1e9) { t = t * 2 + 1; k = k + 1; }", True),
        ("for (var k = 0; k < 100; k++) { if (t > 5) { continue; } t = t + 1; }", True),
        ("for (var k = 0; k < 100000; k++) { t = t + k; }", False),  # too many trips
        ("for (var k = 0; k < n; k++) { t = t + k; }", False),  # bound not constant
        ("for (var k = n; k < 100; k++) { t = t + k; }", False),  # start unknown
        ("for (var k = 0; k < 100; k = k + 0.5) { t = t + k; }", False),  # step below 1
        ("var k = 0; while (k < 100) { if (t > 5) { continue; } k = k + 1; }", False),
        ("for (var k = 0; k < 100; k++) { k = k - 1; t = t + 1; }", False),
        ("for (var k = 0; k < 10; k++) { for (var j = 0; j < 10; j++) { t = t + j; } }", None),
    ],
)
def test_short_innermost_loops_skip_the_interrupt_poll(loop: str, short: bool | None) -> None:
    from atlas.jit.analysis import short_loop_ends

    proto, analysis = analysed(f"fn f(n: number) -> number {{ var t = 0; {loop} return t; }}", "f")
    ends = short_loop_ends(analysis)
    loops = pcs_of(proto, Op.LOOP)
    if short is None:  # nested: the inner loop only
        assert ends == {min(loops)}
    else:
        assert (ends == set(loops)) if short else not ends


FIB = "fn fib(n: number) -> number { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }\n"


def test_a_recursive_function_calls_a_copy_that_knows_its_argument_is_finite() -> None:
    """fib's recursive calls pass n - 1 and n - 2, which passed their checks: a copy for
    finite arguments (which calls itself, through its twin) needs no check on n - 1."""
    ir_text = native_unit(FIB, "fib").ir_text
    names = ("atlas_fn0", "atlas_fn0_s0", "atlas_fn0_s0_twin1", "atlas_fn0_s0_twin2", "atlas_fn0_s0_head")
    generic, copy, twin1, twin2, head = (function_ir(ir_text, name) for name in names)
    # The last twin calls the head (fib's `n < 2` test), which calls the copy again.
    callees = names[1:] + names[1:2]
    assert all(f'@"{callee}"(' in caller for caller, callee in zip((generic, copy, twin1, twin2, head), callees, strict=True))
    assert generic.count("fcmp ueq") > copy.count("fcmp ueq")
    # Only the copy polls for Ctrl-C on entry: a recursion passes through it every third call.
    assert "load atomic" in copy and "load atomic" not in twin1 + twin2 + head


@pytest.mark.parametrize("arg", ["20", "sqrt(-1)", "pow(10, 400)", "-pow(10, 400)", "2.5", "-3"])
def test_recursive_copies_behave_as_the_vm(arg: str) -> None:
    same(FIB + f"print(fib(15));\nprint(fib({arg}));")


# ------------------------------------------------------------- offset indices

@pytest.mark.parametrize(
    "k, code",
    [("0", None), ("5", None), ("6", "AT0006"), ("-1", "AT0103"), ("- 1", "AT0103"),
     ("9007199254740992", "AT0006"), ("-9007199254740992", "AT0103"), ("4611686018427387904", "AT0006"),
     ("0.5", "AT0103")],
)  # fmt: skip
def test_indices_base_plus_a_constant_report_what_the_vm_reports(k: str, code: str | None) -> None:
    offset = k if k.startswith("- ") else f"+ {k}"
    result = same(f"""
    fn f(s: number[], n: number) -> number {{
        var t = 0;
        for (var i = 0; i < n; i++) {{
            let a = 6 * i;
            t = t + s[a] + s[a + 1] + s[a {offset}];
            s[a {offset}] = t;
        }}
        return t;
    }}
    print(f([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 2));
    """)
    assert (result.error or (None,))[0] == code


def test_offset_indices_share_one_conversion() -> None:
    source = """
    fn f(s: number[], n: number) -> number {
        var t = 0;
        for (var i = 0; i < n; i++) { let a = 6 * i; t = t + BODY; }
        return t;
    }
    """
    one = native_unit(source.replace("BODY", "s[a]"), "f").optimized_ir.count("fptosi")
    four = native_unit(source.replace("BODY", "s[a] * s[a + 1] - s[a + 2] + s[a + 5]"), "f").optimized_ir.count("fptosi")
    assert four == one  # a is converted once; a + 1, a + 2, a + 5 are i64 adds


# ------------------------------------------------------------ integer registers

def test_counters_and_lengths_live_in_integers_but_parameters_products_and_minus_zero_do_not() -> None:
    from atlas.jit.integers import integer_registers

    proto, analysis = analysed("""
    fn f(a: number[], n: number) -> number {
        var t = 0;
        var z = -0;
        var m = 0;
        for (var i = 0; i < n; i++) { let k = len(a); m = i * 2; t = t + a[i % k]; z = z + 1; }
        return t + m + z;
    }
    """, "f")
    plan = integer_registers(analysis)
    adds = {proto.code[pc][1]: pc for pc in pcs_of(proto, Op.ADD)}
    lens = [proto.code[pc][1] for pc in pcs_of(proto, Op.LEN)]
    counter = proto.code[pcs_of(proto, Op.IFLT)[0]][1]
    assert counter in plan.registers and lens[0] in plan.registers
    assert plan.clamps[adds[counter]] == 2**53  # i + 1 may round at 2^53: clamped
    assert 0 not in plan.registers and 1 not in plan.registers  # parameters
    muls = [proto.code[pc][1] for pc in pcs_of(proto, Op.MUL)]
    assert not set(muls) & plan.registers
    # z starts at -0, which an integer cannot hold; t sums array elements.
    assert all(reg not in plan.registers for reg in range(2, 5) if reg != counter and reg not in lens)


@pytest.mark.parametrize(
    "bound",
    ["10", "10.5", "-3", "0", "-0", "sqrt(-1)", "pow(10, 400)", "-pow(10, 400)", "1e300", "2.5e-300",
     "9007199254740991", "9007199254740992", "-9007199254740992", "-9007199254740993.5"],
)  # fmt: skip
@pytest.mark.parametrize("compare", ["i < b", "i <= b", "b > i", "b >= i", "b < i", "b <= i", "i > b", "i >= b"])
def test_integer_counters_compare_with_any_number_as_doubles_do(bound: str, compare: str) -> None:
    same(f"""
    fn f(b: number, start: number) -> number {{
        var count = 0;
        var i = 0;
        while (count < 12) {{
            if ({compare}) {{ count = count + 2; }} else {{ count = count + 3; }}
            i = i + 1;
        }}
        var j = 9007199254740987;
        for (var k = 0; k < 12; k++) {{ if (j < b) {{ count = count + 1; }} j = j + 1; }}
        var d = -9007199254740987;
        for (var k = 0; k < 12; k++) {{ if (b < d) {{ count = count + 1; }} d = d - 1; }}
        return count * 1000000 + i + j + d;
    }}
    for (var r = 0; r < 3; r++) {{ print(f({bound}, r)); }}
    """)


def test_a_counter_passing_2_to_the_53_sticks_there_as_a_double_does() -> None:
    result = same("""
    fn up(limit: number) -> number {
        var k = 9007199254740980;
        var steps = 0;
        while (k < limit && steps < 40) { k = k + 1; steps = steps + 1; }
        return k;
    }
    fn down(limit: number) -> number {
        var k = -9007199254740980;
        var steps = 0;
        while (k > limit && steps < 40) { k = k - 1; steps = steps + 1; }
        return k;
    }
    fn at(a: number[], limit: number) -> number {
        var k = 9007199254740980;
        while (k < limit) { k = k + 1; }
        return a[k];
    }
    print(up(1e300));
    print(up(9007199254740991));
    print(down(-1e300));
    let a = [1, 2, 3];
    print(at(a, 9007199254740993));
    """)
    assert result.stdout.splitlines()[:3] == ["9007199254740992", "9007199254740991", "-9007199254740992"]
    assert result.error is not None and result.error[0] == "AT0006"


def test_integer_counters_cross_into_and_out_of_loop_regions() -> None:
    same("""
    var total = 0;
    var i = 0;
    while (i < 3000) { total = total + i % 7; i = i + 1; }
    print(i);
    print(total);
    let a = [5, 6, 7];
    var s = 0;
    for (var k = 0; k < 3000; k++) { s = s + a[k % 3]; }
    for (var k = 2999; k >= 0; k--) { s = s - a[k % 3]; }
    print(s);
    """, jit=JitConfig(call_threshold=2, loop_threshold=50))


# ------------------------------------------- parameters' entry ranges and dead edges

SQUARES = """
fn squares(n: number, limit: number) -> number {
    var c = 0;
    for (var pass = 0; pass < 3; pass++) {
        for (var i = 1; i < n && i <= limit; i++) {
            var m = i * i;
            while (m < n && c < 20000) { c = c + 1; m = m + i; }
        }
    }
    return c;
}
"""


def test_a_parameter_no_loop_writes_keeps_its_entry_range_inside_the_loops() -> None:
    from atlas.jit.analysis import SMALL_WHOLE, specialised
    from atlas.jit.integers import integer_registers

    proto, generic = analysed(SQUARES, "squares")
    small = Range(0.0, SMALL_WHOLE, True)
    analysis = specialised(generic, {0: small})
    (mul,) = pcs_of(proto, Op.MUL)
    assert analysis.ranges.of(mul, 0).hi == SMALL_WHOLE  # not widened to 2^53 by the loops
    counter = proto.code[mul][2]
    assert analysis.ranges.of(mul, counter).hi <= SMALL_WHOLE
    # i < n <= 2^26 makes i * i exact in an integer, and so is m + i while m < n.
    plan = integer_registers(analysis)
    assert proto.code[mul][1] in plan.registers and proto.code[mul][1] not in integer_registers(generic).registers


def test_a_compare_the_ranges_rule_out_sends_nothing_down_that_edge() -> None:
    proto, analysis = analysed("""
    fn f(x: number) -> number {
        var t = 0;
        for (var i = 0; i < 10; i++) {
            if (i > 20) { t = t + x; }
            t = t + 1;
        }
        return t;
    }
    """, "f")
    (dead,) = [pc for pc, (op, *_) in enumerate(proto.code) if op == Op.ADD and proto.code[pc][3] == 0]
    assert analysis.ranges.before[dead] is None
    t = proto.code[dead][1]
    assert analysis.ranges.of(pcs_of(proto, Op.RETURN)[0], t).whole  # t + x never ran


@pytest.mark.parametrize("n", ["3000", "67108864", "67108865", "1e17", "2.5", "-4", "0", "-0", "sqrt(-1)", "1 / 0"])
def test_loops_compiled_for_a_parameter_range_behave_as_the_vm_for_any_value(n: str) -> None:
    same(SQUARES + f"print(squares(2000, 2000));\nprint(squares({n}, 3));\nprint(squares(2000, 2000));\n",
         JitConfig(call_threshold=1000, loop_threshold=50))


BOUNDED = """
fn f(a: number[], x: number) -> number {
    let n = min(len(a), 100);
    var t = 0;
    for (var i = 0; i < n; i++) { t = t + a[i]; }
    for (var j = 0; j < x; j++) { t = t + 1; }
    return t;
}
"""


def test_a_counter_compares_with_a_whole_bound_without_rounding_it() -> None:
    ir_text = native_unit(BOUNDED, "f").ir_text
    # `i < n`: n is whole within 2^53 by its range, so it converts as it is; `j < x`
    # rounds x up (and maps NaN and the infinities) once.
    calls = [line for line in ir_text.splitlines() if "call" in line and "llvm.ceil" in line]
    assert len(calls) == 1


@pytest.mark.parametrize("x", ["3", "2.5", "-1", "sqrt(-1)", "1 / 0"])
def test_compares_with_whole_and_other_bounds_behave_as_the_vm(x: str) -> None:
    same(BOUNDED + f"print(f([1, 2, 3], {x}));\n")


# ------------------------------------------------------------ loops run in chunks

@pytest.mark.parametrize(
    "loop",
    [
        "for (var k = 0; k < n; k++) { t = t + k % 7; }",
        "for (var k = 0; k <= n; k++) { t = t + k % 7; }",
        "for (var k = -5; k < n; k = k + 3) { t = t + k; }",
        "for (var k = 1; k < n; k = k + step) { t = t + 1; }",
        "for (var k = 0; k < n; k++) { if (k % 1000 == 999) { continue; } if (k > 9000) { break; } t = t + 1; }",
        "for (var k = 0; k < 10000; k++) { t = t + a[k % 3]; }",
        "for (var k = 0; k < len(a) + n; k++) { t = t + a[k]; }",
        "for (var j = 0; j < n; j++) { for (var k = j; k < n; k = k + 700) { t = t + 1; } }",
        "for (var j = 0; j < 3; j++) { for (var k = 0; k <= n; k++) { t = t + k % 5; } t = t * 2; }",
    ],
)  # fmt: skip
@pytest.mark.parametrize("n", ["0", "1", "4095", "4096", "4097", "8192.5", "12289", "-3", "sqrt(-1)", "1 / 0"])
def test_loops_run_in_chunks_behave_as_the_vm(loop: str, n: str) -> None:
    # Bounds around the chunk size (4,096 counts), fractions, NaN (no iteration),
    # infinity (stopped by the break, or by the array's bounds); each function is
    # entered with several bounds, so a chunk's end never outlives its entry.
    same(f"""
    fn f(a: number[], n: number, step: number) -> number {{
        var t = 0;
        {loop}
        return t;
    }}
    let a = [1, 2, 3];
    for (var r = 0; r < 3; r++) {{ print(f(a, {n}, r + 1)); print(f(a, 5000, 2)); }}
    """, JitConfig(call_threshold=2, loop_threshold=50))


def test_a_counted_loop_polls_once_per_chunk() -> None:
    from atlas.jit.analysis import constant_number, short_loop_ends
    from atlas.jit.integers import CHUNK, OUTER_CHUNK, chunked_loops, integer_registers

    proto, analysis = analysed("""
    fn f(n: number, a: number[]) -> number {
        var t = 0;
        for (var i = 0; i < 1000; i++) { for (var k = 0; k < 100000; k++) { t = t + a[k % 3]; } }
        while (t > n) { t = t - 1; }
        return t;
    }
    """, "f")
    # The inner counted loop runs in chunks of CHUNK counts, the one around it in chunks
    # of OUTER_CHUNK; the while loop has no counter.
    outer, inner = (loop for _, loop in sorted(chunked_loops(analysis, integer_registers(analysis), short_loop_ends(analysis)).items()))
    assert constant_number(proto, inner.bound) == 100000.0 and not inner.or_equal
    assert proto.code[inner.end][0] == Op.LOOP and (inner.chunk, outer.chunk) == (CHUNK, OUTER_CHUNK)
    assert outer.header < inner.header <= inner.end < outer.end


def test_a_loop_around_a_call_or_an_unchunked_loop_polls_at_every_back_edge() -> None:
    from atlas.jit.analysis import short_loop_ends
    from atlas.jit.integers import chunked_loops, integer_registers

    _, analysis = analysed("""
    fn g(x: number) -> number { return x * 0.5; }
    fn f(n: number, a: number[]) -> number {
        var t = 0;
        for (var i = 0; i < 100; i++) { for (var k = 0; k < 10000; k++) { t = t + g(a[k % 3]); } }
        for (var i = 0; i < 100; i++) { var w = 0; while (w < 3) { w = w + t + n; } }
        for (var i = 0; i < 100; i++) { for (var j = 0; j < 100; j++) { for (var k = 0; k < 9999; k++) {} } }
        return t;
    }
    """, "f")
    loops = chunked_loops(analysis, integer_registers(analysis), short_loop_ends(analysis))
    # The loop calling g is chunked (its calls poll on entry when they call), the loop
    # around it is not; the while loop has no counter, so the loop around it is not;
    # the three-deep nest chunks its innermost and middle loops only.
    assert sorted(loop.chunk for loop in loops.values()) == [64, 4096, 4096]


@pytest.mark.parametrize(
    ("compare", "low", "high"),
    [("i < 5", 0.0, 4.0), ("i <= 5", 0.0, 5.0), ("5 > i", 0.0, 4.0), ("i < 4.5", 0.0, 4.0), ("i < n", 0.0, 2.0**53)],
)
def test_a_strict_compare_keeps_a_whole_number_one_below_the_bound(compare: str, low: float, high: float) -> None:
    proto, analysis = analysed(f"""
    fn f(a: number[], n: number) -> number {{
        var t = 0;
        for (var i = 0; {compare}; i++) {{ t = t + a[i]; }}
        return t;
    }}
    """, "f")
    (index,) = pcs_of(proto, Op.INDEX)
    counter = proto.code[index][3]
    found = analysis.ranges.of(index, counter)
    assert (found.lo, found.hi) == (low, high)


def test_a_failed_non_strict_compare_keeps_the_other_side_strictly_above() -> None:
    proto, analysis = analysed("""
    fn f(a: number[]) -> number {
        var i = 9;
        var t = 0;
        while (true) {
            if (i <= 2) { break; }
            t = t + a[i];
            i = i - 1;
        }
        return t;
    }
    """, "f")
    (index,) = pcs_of(proto, Op.INDEX)
    found = analysis.ranges.of(index, proto.code[index][3])
    assert (found.lo, found.hi) == (3.0, 9.0)


# ------------------------------------------------------------- element reads and calls


def test_an_element_read_may_be_nan_or_infinite() -> None:
    """Math builtins do not trap (`-log(0)` is inf, and an array may hold it): half an
    element is checked, like any unknown number."""
    source = "fn f(a: number[]) -> number { return a[0] * 0.5; }\n"
    proto, analysis = analysed(source, "f")
    (half,) = pcs_of(proto, Op.MUL)
    assert half not in analysis.ranges.finite_results


def test_what_a_small_callee_returns_has_a_range() -> None:
    """`entry(i, j)` is in (0, 1] for whole i, j >= 0, so `entry(i, j) * 3` is finite
    (no check) once i is known whole and not negative; a callee returning what a builtin
    returns has no range."""
    source = (
        "fn entry(i: number, j: number) -> number { return 1 / ((i + j) * (i + j + 1) / 2 + i + 1); }\n"
        "fn other(x: number) -> number { return log(x); }\n"
        "fn row(n: number, i: number) -> number {\n    var s = 0;\n"
        "    for (var j = 0; j < n; j++) { s = s + entry(i, j) * 3 + other(j) * 3; }\n    return s;\n}\n"
    )
    proto, generic = analysed(source, "row")
    product, logged = pcs_of(proto, Op.MUL)
    assert product not in generic.ranges.finite_results  # i may be anything
    guarded = specialised(generic, {0: Range(0, 100, True), 1: Range(0, 100, True)})
    assert product in guarded.ranges.finite_results
    assert logged not in guarded.ranges.finite_results


def test_a_guarded_number_array_bounds_its_elements_until_a_store() -> None:
    """Under an entry guard whose elements were all finite, half an element is finite;
    after a store into a copy of the array, that copy's elements may be anything."""
    source = (
        "fn f(a: number[], x: number) -> number {\n    var b = a;\n    let y = a[0] * 0.5;\n"
        "    b[0] = x;\n    return y + b[0] * 0.5 + a[1] * 0.5;\n}\n"
    )
    proto, generic = analysed(source, "f")
    first, stored, second = pcs_of(proto, Op.MUL)
    guarded = specialised(generic, {0: Range(-MAX, MAX)})
    assert first not in generic.ranges.finite_results
    assert first in guarded.ranges.finite_results and second in guarded.ranges.finite_results
    assert stored not in guarded.ranges.finite_results


DIVIDES = """
fn f(a: number[], d: number) -> number {
    var s = 0;
    for (var i = 0; i < len(a); i++) {
        let q = a[i] / (d - i);
        let r = a[i] % (d - i);
        s = s + q * 2 + r;
    }
    return s;
}
"""


def hot_code(body: str) -> str:
    """The lines of a function's IR outside its cold paths (failed_pc*, report_pc*)."""
    hot, cold = [], False
    for line in body.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            cold = line.startswith(('"failed_pc', '"report_pc', "failed_pc", "report_pc"))
        elif not cold:
            hot.append(line)
    return "\n".join(hot)


def test_a_zero_divisor_is_caught_by_the_quotients_finiteness_test() -> None:
    """x / 0 is infinite or NaN for every x: where the quotient's check is in the
    batch, the hot path's branch does not test the divisor itself; only the cold path
    does, to tell AT0005 from AT0007. (The remainder of a finite element is finite by
    the ranges: it has no finiteness check, and its zero check stays.)"""
    body = function_ir(unit_ir(DIVIDES + "print(f([1, 2, 3, 4], 9.5));"), "atlas_fn0")
    zero_tests = re.findall(r'(%"[.0-9]+") = fcmp oeq double %"[.0-9]+",\s+0x0$', body, re.M)
    division, remainder = zero_tests
    hot = hot_code(body)
    assert f"i1 {division}," not in hot and f", {division}\n" not in hot + "\n"
    assert f"i1 {remainder}," in hot  # tested on the hot path
    assert f"i1 {division}, i64" in body  # the cold path's select


@pytest.mark.parametrize(
    "call",
    ["f([1, 2, 3, 4], 2)", "f([0, 0, 0], 1)", "f([sqrt(-1), 1], 0)", "f([-log(0), 1], 0)", "f([1e308, 1e308], 1e-300)",
     "f([1, 2, 3], 9.5)", "f([0, 5], -0)"],
)  # fmt: skip
def test_zero_divisors_still_fail_with_at0005_at_their_site(call: str) -> None:
    for jit in (EAGER, JitConfig(call_threshold=2, loop_threshold=3)):
        same(DIVIDES + f"print(f([1, 2, 3], 9.5));\nprint(f([1, 2, 3], 9.5));\nprint({call});", jit)


ESCAPE = """
fn escape(cr: number, ci: number) -> number {
    var zr = 0;
    var zi = 0;
    var it = 0;
    while (it < 60 && zr * zr + zi * zi <= 4) {
        let next_zr = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = next_zr;
        it = it + 1;
    }
    return it;
}
fn grid(n: number) -> number {
    var total = 0;
    for (var row = 0; row < n; row++) {
        for (var col = 0; col < n; col++) {
            total = total + escape(col * 2.5 / n - 2, row * 2.5 / n - 1.25);
        }
    }
    return total;
}
"""


def test_an_escape_test_bounds_the_squares_it_sums() -> None:
    """`zr * zr + zi * zi <= 4` holds: both squares are at most 4 (each term of a sum
    of numbers >= 0 is at most the sum), so |zr|, |zi| <= 2, and the loop's arithmetic
    on them needs no check."""
    proto, analysis = analysed(ESCAPE + "print(grid(4));", "escape")
    ranges = analysis.ranges
    body = pcs_of(proto, Op.SUB)[0]  # zr * zr - zi * zi, after the test held
    for reg in (2, 3):  # zr, zi (after the parameters cr, ci)
        bound = ranges.of(body, reg)
        assert bound is not None and bound.lo > -2.001 and bound.hi < 2.001
    squares = [pc for pc in pcs_of(proto, Op.MUL) if pc > pcs_of(proto, Op.IFLE)[0]]
    assert squares and all(pc in ranges.finite_results for pc in [*squares, body])


@pytest.mark.parametrize(
    "program",
    [
        ESCAPE + "print(grid(12));\nprint(escape(0.25, 0.5));\nprint(escape(-2, 0));",
        ESCAPE + "print(grid(6));\nprint(escape(1e308, 0));\nprint(escape(sqrt(-1), 0));\nprint(escape(0, -log(0)));",
        # a square that rounds to 0: z * z <= 0 holds for |z| < 2^-537, not only for 0
        "fn f(z: number) -> number {\n    if (z * z <= 0) { return z * 1e300 * 1e300; }\n    return 0;\n}\n"
        "print(f(3));\nprint(f(-0));\nprint(f(1e-170));",
        # a bound from an arithmetic range, not a compare; and a sum with a negative term
        "fn g(x: number, y: number) -> number {\n    let s = x * x + y;\n    if (s <= 1) { return x * 1e308 * 10; }\n"
        "    return s;\n}\nprint(g(0.5, 0));\nprint(g(2, -10));",
        # the squared register is written between the square and the test
        "fn h(x: number) -> number {\n    var z = x;\n    let q = z * z;\n    z = z * 1e200;\n"
        "    if (q <= 4) { return z * 1e200; }\n    return 0;\n}\nprint(h(1));\nprint(h(3));",
    ],
    ids=["mandelbrot", "non-finite", "underflow", "negative-term", "rewritten"],
)
def test_bounds_from_squares_change_nothing(program: str) -> None:
    for jit in (EAGER, JitConfig(call_threshold=2, loop_threshold=3), JitConfig()):
        same(program, jit)
