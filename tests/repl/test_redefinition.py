"""Redefining a function in a later chunk drops the native code compiled against it."""

from __future__ import annotations

import atlas
from atlas.config import JitConfig

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
