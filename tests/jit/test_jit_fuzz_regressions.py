"""Mismatches between the VM and the JIT found by differential fuzzing, minimised.

Each test runs a small program in the VM and with every function and loop compiled at
once, and expects identical behaviour. Tests of mismatches not fixed yet are marked
xfail(strict=True) with the diagnosis: whoever fixes the JIT removes the mark (strict,
so a fix that forgets to is noticed).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atlas.config import JitConfig

from .jit_support import EAGER, same

INFINITE_INDEX = (
    "jit/lowering.py index(): the out-of-range path calls an index whole when floor(x) == x, "
    "which holds for +Infinity, so native code reports AT0006 where the VM (interpreter.py "
    "index error: infinities are not whole numbers) reports AT0103"
)


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


HOISTED_INTERRUPT_CHECK = (
    "jit/lowering.py LOOP: the interrupt flag is read with a plain load, so LLVM hoists it "
    "out of a loop body that stores nothing (the loop becomes `br label %loop`) and neither "
    "Ctrl-C nor a run timeout can stop it; the load must be volatile or atomic"
)

SPINNING = {
    "top-level": "var m = 0;\nfor (;;) {\n    if (m > 2) { break; }\n}\nprint(m);\n",
    "function": (
        "fn spin() -> number {\n    var k = 0;\n    while (true) {\n        if (k > 2) { break; }\n"
        "    }\n    return k;\n}\nprint(spin());\n"
    ),
}


@pytest.mark.parametrize("where", sorted(SPINNING))
def test_ctrl_c_stops_a_native_loop_that_stores_nothing(where: str, tmp_path: Path) -> None:
    """Found by the hostile-input fuzzer: a mutated program looping forever at the top level
    could not be stopped (in-process, `run_on_big_stack(timeout=...)` waits for ever)."""
    (tmp_path / "spin.atl").write_text(SPINNING[where], encoding="utf-8")
    argv = [
        sys.executable,
        "-m",
        "atlas",
        "run",
        "--jit-threshold",
        "0",
        "--jit-loop-threshold",
        "0",
        "spin.atl",
    ]
    proc = subprocess.Popen(
        argv, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        time.sleep(2)  # compiled and spinning by then
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("still running 30 s after Ctrl-C")
    assert proc.returncode == 130 and "interrupted" in stderr


def test_a_loop_left_at_once_inside_a_compiled_nest_is_still_an_entry() -> None:
    """Found by bench/fuzz.py: an inner loop whose body always breaks has no reachable
    back-edge, so its header started no block, and the region's entry switch failed."""
    src = "for x in [2, 100, 100] {\n    for (var j = 2; j < 5; j += 0.5) {\n        break;\n    }\n}\nprint(1);\n"
    assert same(src).stdout == "1\n"


def test_an_internal_jit_error_falls_back_to_the_vm(monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.jit import lowering

    def broken(self: object, *args: object) -> None:
        raise KeyError("injected")

    monkeypatch.setattr(lowering.FunctionLowering, "lower", broken)
    result = same("fn sq(x: number) -> number { return x * x; }\nprint(sq(5));")
    assert result.stdout == "25\n"
    record = result.function("sq")
    assert record.tier == "fallback"
    assert record.fallback_reason.startswith("internal JIT error while compiling: KeyError")


INNER_ENTRY_SOURCES = {
    "top-level": "let a = [1, 2];\nfor x in a {\n    for y in a {\n    }\n}\nprint(\"ok\");\n",
    "literal": "var t = 0;\nfor x in [1, 2] {\n    let b = [3, 4];\n    for y in b {\n        t += y;\n    }\n}\nprint(t);\n",
    "function": (
        "fn f(n: number) -> number {\n    var t = 0;\n    for (var i = 0; i < n; i++) {\n"
        "        for y in [0.25, 1e-7] {\n            t += y;\n        }\n    }\n    return t;\n}\n"
        "print(f(40));\n"
    ),
}


@pytest.mark.parametrize("entry", ["eager", "inner loop hot first"])
@pytest.mark.parametrize("name", sorted(INNER_ENTRY_SOURCES))
def test_an_inner_loop_entry_receives_the_arrays_it_iterates(name: str, entry: str) -> None:
    """Found by bench/fuzz.py as a segfault: the array a nested for-in walks is set inside
    the outer loop (and cleared before its back-edge), so it was left out of the region's
    registers; entering the nest at the inner header then iterated a null array."""
    src = INNER_ENTRY_SOURCES[name]
    config = EAGER if entry == "eager" else JitConfig(call_threshold=1000, loop_threshold=1)
    result = same(src, config)
    assert result.error is None
    records = result.loops("<main>") + result.loops("f")
    if name == "function" and entry == "eager":
        records.append(result.function("f"))
    assert any(r.tier == "native" for r in records)


def test_a_return_inside_a_loop_region_hands_back_the_kind_the_vm_expects() -> None:
    # Found by bench/fuzz.py (seed guards19:940). The temporary `r2` holds a number
    # (`sin(i) + i * 1.5`) and then the returned bool: a region keeps one kind per
    # register, so the return handed the VM the number. Such a region stays in the VM.
    src = """
fn f(n: number) -> bool {
    var i = 0;
    while (i < 100) {
        i = i + 1;
        if (sin(i) + i * 1.5 > n) { return n > 0 && i > 0; }
    }
    return false;
}
print(f(8));
print(f(-1));
print(f(20));
"""
    result = same(src, JitConfig(call_threshold=1000, loop_threshold=2))
    assert result.stdout.split() == ["true", "false", "true"]
    (loop,) = result.loops("f")
    assert loop.tier == "fallback" and "leaves the loop as another kind" in loop.fallback_reason


@pytest.mark.parametrize(
    "index",
    ["(-1.7976931348623157e+308 * 3) % 10", "(1e308 * 10) % 7", "-(1e308 * 10) - 1", "(0 - 1e308 * 10) * 0"],
)
def test_an_index_after_a_check_that_cannot_pass_is_never_reached(index: str, tmp_path: Path) -> None:
    # Found by bench/fuzz.py (seed chunks26:145): `-MAX * 3` is -Infinity, so its check
    # (AT0007) always fails. Its range, cut to the finite numbers, was empty, and an
    # empty range passed for "finite": the `% 10` after it went unchecked and the NaN
    # index was converted as a proven whole number (LLVM poison), which read outside the
    # array and crashed the process. A range analysis path now ends at such a check.
    src = f"fn at(a: number[]) -> number {{ return a[{index}]; }}\nprint(at([1, 2, 3]));\n"
    path = tmp_path / "at.atl"
    path.write_text(src, encoding="utf-8")
    argv = [sys.executable, "-m", "atlas", "run", "--jit-threshold", "0", "--jit-loop-threshold", "0", str(path)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "AT0007" in proc.stderr
    result = same(src)
    assert result.error is not None and result.error[0] == "AT0007"


@pytest.mark.parametrize("divisor", ["0", "(1 - 1)"])
def test_an_index_computed_by_a_failing_check_still_waiting_is_never_poison(divisor: str) -> None:
    # Found by bench/fuzz.py (seed 42:1669, thresholds 1,7): `9007199254740992 % 0`
    # fails its AT0005 check, which waits in the batch while the index check after it
    # branches at once. The ranges (which assume checks pass) call the index whole, so
    # it was converted with a plain fptosi: poison for NaN, and LLVM, free to do
    # anything with a branch on poison, blamed the index of the line before (AT0103).
    src = (
        "fn f(a: number[], b: number[]) -> number {\n"
        "    let x = a[len(a) - 1];\n"
        f"    return -(b[(9007199254740992 % {divisor})]) + x;\n"
        "}\n"
        "print(f([1, 5], [2]));\n"
    )
    result = same(src)
    assert result.error[:3] == ("AT0005", "Divide by zero", 3)
    assert result.function("f").tier == "native"


def test_a_compare_with_a_failing_check_still_waiting_reports_that_check() -> None:
    # The same shape for a compare: a counter against `K % 0`, whose range is empty, so
    # the bound it converts is "whole"; the conversion is frozen like an index's.
    src = (
        "fn f(n: number) -> number {\n"
        "    var t = 0;\n"
        "    for (var i = 0; i < n; i++) {\n"
        "        let small = i < (9007199254740992 % 0);\n"
        "        if (small) { t = t + 1; }\n"
        "    }\n"
        "    return t;\n"
        "}\n"
        "print(f(3));\n"
    )
    result = same(src)
    assert result.error[:3] == ("AT0005", "Divide by zero", 4)
    assert result.function("f").tier == "native"
