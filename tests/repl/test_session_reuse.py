"""One session fed chunk after chunk (the REPL, atlas.Runtime): what one chunk leaves
behind must not spoil the next."""

from __future__ import annotations

import pytest

import atlas
from atlas.config import JitConfig
from atlas.diagnostics import AtlasError
from atlas.pipeline import Session
from atlas.vm.executor import RunLimits, run_on_big_stack

EAGER = JitConfig(call_threshold=0)


def tier(rt: atlas.Runtime, name: str) -> str:
    return [f for f in rt.jit_stats()["functions"] if f["name"] == name][-1]["tier"]


def test_redefined_hot_function_gives_the_new_result() -> None:
    rt = atlas.Runtime(EAGER)
    rt.eval("fn f(x: number) -> number { return x + 1; }")
    assert [rt.eval("f(1);") for _ in range(3)] == [2.0, 2.0, 2.0]
    assert tier(rt, "f") == "native"
    rt.eval("fn f(x: number) -> number { return x + 2; }")
    assert [rt.eval("f(1);") for _ in range(3)] == [3.0, 3.0, 3.0]


def test_native_caller_of_a_redefined_function_calls_the_new_one() -> None:
    rt = atlas.Runtime(EAGER)
    rt.eval("fn f(x: number) -> number { return x + 1; }")
    rt.eval("fn g(x: number) -> number { return f(x) * 10; }")
    assert [rt.eval("g(1);") for _ in range(3)] == [20.0] * 3
    assert tier(rt, "g") == "native"
    rt.eval("fn f(x: number) -> number { return x + 2; }")
    assert [rt.eval("g(1);") for _ in range(3)] == [30.0] * 3
    assert tier(rt, "g") == "native"  # compiled again, against the new f


def test_redefinition_without_the_jit() -> None:
    rt = atlas.Runtime(False)
    rt.eval("fn f(x: number) -> number { return x + 1; }")
    rt.eval("fn g(x: number) -> number { return f(x) * 10; }")
    assert rt.eval("g(1);") == 20.0
    rt.eval("fn f(x: number) -> number { return x + 2; }")
    assert rt.eval("g(1);") == 30.0


def test_a_run_stopped_in_the_vm_does_not_interrupt_the_next_native_run() -> None:
    session = Session(jit=JitConfig(call_threshold=0, loop_threshold=0))
    # String concatenation keeps this loop in the VM: the stop reaches it there.
    endless = 'var t = ""; while (true) { t = t + "x"; if (len(t) > 100) { t = ""; } }'
    with pytest.raises(AtlasError, match="AT0009"):
        run_on_big_stack(session.execute, session.prepare_text(endless), limits=RunLimits(seconds=0.2))
    counting = "fn count(n: number) -> number { var i = 0; while (i < n) { i = i + 1; } return i; }"
    modules = session.prepare_text(counting + " count(10);")
    assert run_on_big_stack(session.execute, modules) == 10.0
    assert session.jit.functions  # the second run did go native
