"""Native code never changes behaviour: the same errors, codes and source positions."""

from __future__ import annotations

import pytest

from atlas.jit.lowering import MAX_DEFERRED_CHECKS
from atlas.limits import MAX_CALL_DEPTH

from .jit_support import blocks, same, unit_ir


@pytest.mark.parametrize(
    ("expr", "code"),
    [
        ("x / 0", "AT0005"),
        ("x % 0", "AT0005"),
        ("0 / 0", "AT0005"),
        ("x * 1e308 * 10", "AT0007"),
        ("x - x / 0", "AT0005"),
        ("sqrt(-1) + x", "AT0007"),
        ("pow(10, 400) - x", "AT0007"),
        ("log(0) * x", "AT0007"),
    ],
)
def test_numeric_errors_inside_native_code(expr: str, code: str) -> None:
    src = f"fn f(x: number) -> number {{\n    let y = 1;\n    return {expr} + y;\n}}\nprint(\"before\");\nprint(f(3));\n"
    result = same(src)
    assert result.function("f").tier == "native"
    assert result.error is not None and result.error[0] == code
    assert result.error[2] == 3
    assert result.stdout == "before\n"


def test_compound_assignment_errors_in_native_loop() -> None:
    src = """
fn f(n: number) -> number {
    var x = 10;
    for (var i = 0; i < n; i++) {
        x /= (5 - i);
    }
    return x;
}
print(f(3));
print(f(10));
"""
    result = same(src)
    assert result.error[:3] == ("AT0005", "Divide by zero", 5)


def test_deep_native_recursion_is_a_clean_stack_overflow() -> None:
    src = """
fn down(n: number) -> number {
    if (n == 0) { return 0; }
    return down(n - 1) + 1;
}
print(down(5000));
print(down(100000));
"""
    result = same(src)
    assert result.stdout == "5000\n"
    assert result.error == ("AT0008", "Stack overflow: maximum call depth exceeded", 4, 12)
    assert result.function("down").tier == "native"


def test_depth_limit_is_identical_in_both_tiers() -> None:
    src = f"""
fn depth(n: number) -> number {{
    if (n == 0) {{ return 0; }}
    return depth(n - 1) + 1;
}}
print(depth({MAX_CALL_DEPTH - 1}));
print(depth({MAX_CALL_DEPTH}));
"""
    result = same(src)
    assert result.stdout == f"{MAX_CALL_DEPTH - 1}\n"
    assert result.error[0] == "AT0008"


def test_mutual_recursion_and_negative_zero() -> None:
    src = """
fn is_even(n: number) -> bool { if (n == 0) { return true; } return is_odd(n - 1); }
fn is_odd(n: number) -> bool { if (n == 0) { return false; } return is_even(n - 1); }
fn neg(x: number) -> number { return -x; }
print(is_even(400));
print(is_odd(399));
print(neg(0));
print(neg(-0));
print(0 * neg(1));
"""
    assert same(src).stdout == "true\ntrue\n-0\n0\n-0\n"


def test_math_intrinsics_match_the_vm_bit_for_bit() -> None:
    values = ["0", "-0", "0.5", "-0.5", "1.5", "2.5", "-2.5", "3.5", "1e300", "-7.25", "0.1", "123456.789"]
    fns = ["abs", "floor", "ceil", "round", "sqrt", "sign", "sin", "cos", "tan", "atan", "asin", "acos", "log"]
    lines = ["fn show(x: number) -> void { print(x); }"]
    for fn in fns:
        lines.append(f"fn t_{fn}(x: number) -> number {{ return {fn}(x); }}")
    for fn in fns:
        for v in values:
            lines.append(f"show(t_{fn}({v}));")
    pairs = [("min", "0", "-0"), ("min", "-0", "0"), ("max", "0", "-0"), ("max", "-0", "0"),
             ("min", "sqrt(-1)", "3"), ("max", "3", "sqrt(-1)"), ("pow", "2", "0.5"), ("pow", "-8", "3"),
             ("pow", "0", "-1"), ("pow", "-0", "-1"), ("pow", "10", "400")]  # fmt: skip
    for i, (fn, a, b) in enumerate(pairs):
        lines.append(f"fn p{i}(x: number, y: number) -> number {{ return {fn}(x, y); }}")
        lines.append(f"show(p{i}({a}, {b}));")
    lines.append("fn c(x: number, lo: number, hi: number) -> number { return clamp(x, lo, hi); }")
    lines += ["show(c(5, 1, 3));", "show(c(-5, 1, 3));", "show(c(2, 3, 1));", "show(c(sqrt(-1), 0, 1));"]
    result = same("\n".join(lines))
    assert result.function("t_round").tier == "native"


def test_undefined_global_read_in_native_code() -> None:
    # `f` is hoisted, so it runs before `later` is initialised: AT0002 at the read.
    src = """
print("start");
let x = f();
let later = 5;
fn f() -> number { return later + 1; }
"""
    result = same(src)
    assert result.stdout == "start\n"
    assert result.error == ("AT0002", "Unknown symbol: later", 5, 27)
    assert result.function("f").tier == "native"


def test_global_numbers_are_shared_with_the_vm() -> None:
    src = """
var counter = 0;
var flag = false;
fn bump(n: number) -> void {
    for (var i = 0; i < n; i++) { counter = counter + 1; }
    flag = counter > 5;
}
bump(3);
print(counter);
print(flag);
bump(4);
print(counter);
print(flag);
counter = 100;
bump(1);
print(counter);
"""
    result = same(src)
    assert result.stdout == "3\nfalse\n7\ntrue\n101\n"
    assert result.function("bump").tier == "native"


@pytest.mark.parametrize("bad_line", range(6))
@pytest.mark.parametrize("second_bad", [False, True])
def test_the_first_failing_check_of_a_batch_is_the_one_reported(bad_line: int, second_bad: bool) -> None:
    """Straight-line arithmetic is checked together (finiteness checks summed): whichever
    statement overflows first must be the one reported, with its line and column."""
    lines = []
    for k in range(6):
        scale = "1e308" if k == bad_line or (second_bad and k == min(bad_line + 2, 5)) else "1"
        lines.append(f"    let v{k} = x * {scale} * 10 + v{k - 1 if k else 'in'};")
    body = "\n".join(lines)
    src = f"fn f(x: number) -> number {{\n    let vin = x + 1;\n{body}\n    return v5;\n}}\nprint(f(3));\n"
    result = same(src)
    assert result.function("f").tier == "native"
    assert result.error is not None and result.error[0] == "AT0007"
    assert result.error[2] == bad_line + 3


@pytest.mark.parametrize(
    "body",
    [
        "let a = x * 1e308;\n    let b = 1 / a;\n    return b + 1;",  # divisor: 1 / inf is 0
        "let a = x * 1e308;\n    let b = 5 % a;\n    return b + 1;",  # 5 % inf is 5
        "let a = x * 1e308;\n    let b = a * 0;\n    return b + 1;",  # inf * 0 is NaN
        "let a = x * 1e308;\n    let b = a - a;\n    return b;",  # inf - inf is NaN
        "let a = x * 1e308;\n    let b = a / 2;\n    return b;",  # dividend
        "let a = x * 1e308;\n    let b = min(a, 3);\n    return b + 1;",  # a builtin: not followed
        "let a = x * 1e308;\n    let b = a > 1;\n    return 1;",  # a compare
    ],
)
def test_a_value_checked_through_a_later_one_still_fails_at_its_own_line(body: str) -> None:
    """A finiteness check may be left to a later checked value computed from it (NaN and
    infinity propagate through +, -, * and a dividend); never through a divisor, a
    builtin or a compare. Either way the error is the first one, on line 2."""
    src = f"fn f(x: number) -> number {{\n    {body}\n}}\nprint(f(3));\n"
    result = same(src)
    assert result.function("f").tier == "native"
    assert result.error is not None and result.error[:3] == ("AT0007", result.error[1], 2)


@pytest.mark.parametrize(
    "p, q", [("1e308", "1e308"), ("-1e308", "-1.7e308"), ("1e308", "-1e308"), ("1e308", "pow(10, 309)"), ("3", "4")]
)
def test_finite_values_whose_sum_overflows_are_not_an_error(p: str, q: str) -> None:
    """The checks of a batch add up the checked values: a sum that overflows from finite
    values alone sends the cold path back, and only a real NaN or infinity is reported."""
    src = f"""fn f(p: number, q: number) -> bool {{
    let x = p * 1;
    let y = q * 1;
    let z = y * 0.5;
    return x < y && z < x;
}}
print(f({p}, {q}));
"""
    result = same(src)
    assert result.function("f").tier == "native"
    assert (result.error is None) == (q != "pow(10, 309)")


TAIL_CALLS = """
fn down(n: number) -> number { if (n <= 0) { return n * 2; } return down(n - 1); }
fn is_even(n: number) -> bool { if (n == 0) { return true; } return is_odd(n - 1); }
fn is_odd(n: number) -> bool { if (n == 0) { return false; } return is_even(n - 1); }
fn fails(n: number) -> number { if (n <= 0) { return n / 0; } return fails(n - 1); }
fn nested(n: number, m: number) -> number { if (m <= 0) { return down(n); } return nested(n, m - 1); }
"""


@pytest.mark.parametrize("call", ["down(N)", "is_even(N)", "is_odd(N)", "fails(N)", "nested(N, 20)"])
@pytest.mark.parametrize("offset", [-22, -3, -2, -1, 0, 1])
def test_tail_calls_become_loops_yet_overflow_at_the_same_depth(call: str, offset: int) -> None:
    """`return f(...)` hands the callee's outcome back as it is, so LLVM turns the
    recursion into a loop; the depth still counts every call, so AT0008 (and any other
    error) comes exactly where the VM raises it."""
    src = TAIL_CALLS + f"print({call.replace('N', str(MAX_CALL_DEPTH + offset))});\n"
    result = same(src)
    assert result.error is not None or result.stdout


def test_a_tail_recursive_function_compiles_to_a_loop() -> None:
    from atlas.config import JitConfig
    from atlas.pipeline import Session

    session = Session(jit=JitConfig())
    session.prepare_text(TAIL_CALLS, "tail.atl")
    for name in ("down", "is_even"):
        proto = next(p for p in session.image.protos if p.name == name)
        ((_, unit),) = session.jit.inspect(proto)
        calls = [line for line in unit.optimized_ir.splitlines() if " call " in line and "@atlas_fn" in line]
        assert calls == [], calls


def test_a_recursive_function_is_unrolled_through_its_twins() -> None:
    """fib calls its first twin, which calls the second, which calls fib: LLVM inlines
    the twins, so one native body makes eight recursive calls. Depth and errors still
    count every call."""
    from atlas.config import JitConfig
    from atlas.pipeline import Session

    src = "fn fib(n: number) -> number { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }\n"
    session = Session(jit=JitConfig())
    session.prepare_text(src, "fib.atl")
    proto = next(p for p in session.image.protos if p.name == "fib")
    ((_, unit),) = session.jit.inspect(proto)
    calls = [line for line in unit.optimized_ir.splitlines() if " call " in line and "@atlas_fn" in line]
    assert len(calls) >= 8
    same(src + "print(fib(20));\n")
    linear = "fn d(n: number) -> number { if (n == 0) { return 0; } return d(n - 1) + 1; }\n"
    for n in (MAX_CALL_DEPTH - 2, MAX_CALL_DEPTH - 1, MAX_CALL_DEPTH, MAX_CALL_DEPTH + 1):
        same(linear + f"print(d({n}));\n")


def long_body(lines: int) -> str:
    """A loop whose body makes `lines` checked multiply-adds in a row."""
    chain = "\n".join(f"        let a{k} = a{k - 1} * x + {k};" for k in range(1, lines + 1))
    return f"""
fn f(x: number, n: number) -> number {{
    var s = 0;
    for (var i = 0; i < n; i++) {{
        let a0 = x + i;
{chain}
        s = s + a{lines};
    }}
    return s;
}}
"""


def test_a_long_body_is_checked_with_one_branch() -> None:
    """Up to MAX_DEFERRED_CHECKS checks wait for one branch: the body's (a product and
    a sum per line) are one batch; the loop's end (its sum, the interrupt poll) is the
    other."""
    lines = (MAX_DEFERRED_CHECKS - 1) // 2 - 1
    ir = unit_ir(long_body(lines) + "print(f(0.5, 10));")
    assert sum(label.startswith("failed_pc") for label, _ in blocks(ir)) == 2


@pytest.mark.parametrize("x", ["0.5", "2", "1e20", "-1e25", "1e30", "1e300", "sqrt(-1)"])
def test_a_long_body_fails_at_the_first_failing_line(x: str) -> None:
    # Products overflow at a different line for each x (the 14th for 1e20, the 9th
    # for 1e30): the error and its position are the VM's.
    same(long_body(24) + f"print(f({x}, 30));")
