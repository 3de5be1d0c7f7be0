"""Failures in units that unwind (no frame holds an array): a failed call never returns;
the failure jumps straight back to the entry Python called. Errors, their sites and what
runs after them must be exactly the VM's, from any depth and through every entry."""

from __future__ import annotations

import pytest

import atlas
from atlas.config import JitConfig
from atlas.diagnostics import AtlasError
from atlas.jit.stats import collect

from .jit_support import EAGER, run, same, unit_ir

EAGER_ONLY_CALLS = JitConfig(call_threshold=0, loop_threshold=10**9)


def test_a_unit_without_arrays_unwinds_and_one_with_arrays_returns_a_flag() -> None:
    numbers = unit_ir("fn f(n: number) -> number { if (n < 1) { return 0; } return f(n - 1) + 1; }\nprint(f(5));")
    assert "llvm.eh.sjlj.setjmp" in numbers
    assert 'define internal double @"atlas_fn0"' in numbers
    arrays = unit_ir("fn f(a: number[], n: number) -> number { if (n < 1) { return a[0]; } return f(a, n - 1); }\nprint(f([1], 5));")
    assert "llvm.eh.sjlj" not in arrays
    assert 'define internal {double, i1} @"atlas_fn0"' in arrays


def test_failures_jump_through_the_runtime_unit_which_the_cache_does_not_hold() -> None:
    """A failing path ends in `return atlas_unwind_T(ctx)` (a function of the runtime
    unit, loaded once with the backend); no unit jumps inline."""
    native = run("fn f(n: number) -> bool { if (n < 1) { return 1 / n > 0; } return f(n - 1); }\nprint(f(5));")
    ir_text = "\n".join(unit.loaded.ir_text for unit in native.jit.cache.units)
    assert 'declare i1 @"atlas_unwind_i1"' in ir_text
    assert "llvm.eh.sjlj.longjmp" not in ir_text
    runtime = native.jit.backend.runtime
    assert runtime is not None and runtime.code_bytes > 0
    totals = collect(native.session.image, native.jit, EAGER)["totals"]
    assert totals["runtime_code_bytes"] == runtime.code_bytes
    assert totals["code_bytes_held"] == sum(unit.loaded.code_bytes for unit in native.jit.cache.units)


# f recurses to n = depth + 1, where each of these fails only if depth is about 2:
# the warm-up (depth 20) runs, then each entry fails deep in native code.
FAILURES = {
    "divide-by-zero": "return 10 / (n - 3);",
    "not-finite": "return 1e307 * (100 / n) * 0;",
    "stack-overflow": "if (depth < 3) { return f(n + 1, depth) + 1; } return n;",
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("entry", ["call", "loop", "loop-in-function", "nested-call"])
def test_failures_deep_in_a_recursion_are_the_vms(failure: str, entry: str) -> None:
    body = FAILURES[failure]
    source = f"""
fn f(n: number, depth: number) -> number {{
    if (n > depth) {{ {body} }}
    return f(n + 1, depth) + n;
}}
fn g(depth: number) -> number {{ return f(0, depth) * 2; }}
var total = 0;
var i = 0;
while (i < 40) {{ total = total + f(0, 20); i = i + 1; }}
print(total);
"""
    trigger = {
        "call": "print(f(0, 2));",
        "loop": "var k = 0;\nwhile (k < 3000) { total = total + f(0, 20 - k / 100); k = k + 1; }\nprint(total);",
        "loop-in-function": "fn run() -> number {\n    var t = 0;\n    var k = 0;\n"
        "    while (k < 3000) { t = t + f(0, 20 - k / 100); k = k + 1; }\n    return t;\n}\nprint(run());",
        "nested-call": "print(g(2));",
    }[entry]
    for config in (EAGER, EAGER_ONLY_CALLS, JitConfig(call_threshold=5, loop_threshold=7)):
        native = same(source + trigger, config)
        assert native.stdout and native.error is not None


def test_bool_and_void_functions_that_fail_after_succeeding() -> None:
    source = """
var hits = 0;
fn even(n: number) -> bool { if (n == 0) { return true; } if (n < 0) { return 1 / n > 0; } return odd(n - 1); }
fn odd(n: number) -> bool { if (n == 0) { return false; } return even(n - 1); }
fn tick(n: number) -> void { if (n < 0) { hits = hits / 0; } hits = hits + 1; }
var i = 0;
while (i < 200) { if (even(i % 17)) { tick(i); } i = i + 1; }
print(hits);
tick(-1);
"""
    for config in (EAGER, EAGER_ONLY_CALLS, JitConfig(call_threshold=3, loop_threshold=3)):
        assert same(source, config).error is not None


def test_a_runtime_keeps_working_after_native_code_unwound() -> None:
    rt = atlas.Runtime(EAGER)
    rt.eval("fn f(n: number) -> number { if (n == 0) { return 1 / n; } if (n < 0) { return 0; } return f(n - 2) + 1; }")
    for _ in range(3):
        assert rt.call("f", 9.0) == 5.0  # 9, 7, ... 1, -1: never 0
        with pytest.raises(AtlasError) as failed:
            rt.call("f", 8.0)
        assert failed.value.diagnostics[0].code == "AT0005"
        assert rt.eval("var s = 0;\nvar i = 0;\nwhile (i < 50) { s = s + f(11); i = i + 1; }\ns;") == 300.0
    assert [f["tier"] for f in rt.jit_stats()["functions"] if f["name"] == "f"] == ["native"]
