"""Every claim of docs/values.md, exercised in both tiers (the VM alone, and the JIT
compiling everything it can as early as possible). Each test names its claim."""

from __future__ import annotations

import pytest

import atlas
from atlas.config import JitConfig

TIERS = {"vm": False, "jit": JitConfig(call_threshold=0, loop_threshold=0)}


@pytest.fixture(params=list(TIERS))
def rt(request: pytest.FixtureRequest) -> atlas.Runtime:
    return atlas.Runtime(TIERS[request.param], stdout=lambda text: None)


def test_claim_1_binding_copies(rt: atlas.Runtime) -> None:
    assert rt.eval("let a = [1, 2, 3]; var b = a; b[0] = 100; [a[0], b[0]];") == [1.0, 100.0]


def test_claim_2_passing_copies(rt: atlas.Runtime) -> None:
    src = """
fn poke(xs: number[]) -> number { xs[0] = 99; return xs[0]; }
let a = [1, 2];
let seen = poke(a);
[a[0], seen];
"""
    assert rt.eval(src) == [1.0, 99.0]


def test_claim_3_returning_copies(rt: atlas.Runtime) -> None:
    src = """
var store = [1, 2, 3];
fn get() -> number[] { return store; }
var got = get();
got[0] = 50;
store[1] = 60;
[store[0], store[1], got[0], got[1]];
"""
    assert rt.eval(src) == [1.0, 60.0, 50.0, 2.0]


def test_claim_4_elements_copy(rt: atlas.Runtime) -> None:
    assert rt.eval("let m = [[1, 2], [3, 4]]; var row = m[0]; row[0] = 5; [m[0][0], row[0]];") == [1.0, 5.0]


def test_claim_5_nested_assignment_updates_in_place(rt: atlas.Runtime) -> None:
    src = "var m = [[1, 2], [3, 4]]; let before = m; m[1][0] = 30; [m[1][0], before[1][0]];"
    assert rt.eval(src) == [30.0, 3.0]


def test_claim_6_for_in_iterates_a_snapshot(rt: atlas.Runtime) -> None:
    src = """
var xs = [1, 2, 3];
var seen = 0;
for x in xs { xs[2] = 100; seen = seen + x; }
[seen, xs[2]];
"""
    assert rt.eval(src) == [6.0, 100.0]


def test_claim_7_captures_are_snapshots(rt: atlas.Runtime) -> None:
    src = """
fn outer() -> number {
    var n = 1;
    fn inner() -> number { return n; }
    n = 2;
    return inner();
}
outer();
"""
    assert rt.eval(src) == 1.0


def test_claim_8_equality_is_structural(rt: atlas.Runtime) -> None:
    assert rt.eval("[[1, 2] == [1, 2], [1, 2] == [2, 1], 0 / 1 == -0, Some(1) == Some(1)];") == [
        True, False, True, True,
    ]  # fmt: skip


def test_claim_9_write_back_builtins_update_their_variable(rt: atlas.Runtime) -> None:
    src = """
let a = [3, 1, 2];
let r = reverse(a);
var b = [1];
let pushed = arrayPush(b, 2);
[a[0], r[0], len(b), len(pushed)];
"""
    assert rt.eval(src) == [2.0, 2.0, 1.0, 2.0]


def test_claim_10_collections_are_values_too(rt: atlas.Runtime) -> None:
    src = """
var m = hashMapNew();
hashMapPut(m, "a", 1);
var copy = m;
hashMapPut(copy, "b", 2);
[hashMapSize(m), hashMapSize(copy)];
"""
    assert rt.eval(src) == [1.0, 2.0]


def globals_list(rt: atlas.Runtime, name: str) -> list:
    session = rt._session
    return session.image.globals.values[session.image.slot(session.prior_globals[name])[1]]


def test_cost_model_a_unique_array_is_mutated_in_place_and_a_shared_one_copied_once() -> None:
    # Only ids are kept here: holding the list would itself make it shared.
    rt = atlas.Runtime(jit=False)
    rt.eval("var a = [1, 2, 3];")
    first = id(globals_list(rt, "a"))
    rt.eval("a[0] = 10;")
    assert id(globals_list(rt, "a")) == first  # held only by `a`: no copy
    rt.eval("let b = a;")
    rt.eval("a[1] = 20;")
    copied = id(globals_list(rt, "a"))
    assert copied != first and id(globals_list(rt, "b")) == first  # shared: copied once
    rt.eval("a[2] = 30;")
    assert id(globals_list(rt, "a")) == copied  # unique again: no further copy


def test_number_globals_are_shared_by_the_vm_and_native_code() -> None:
    rt = atlas.Runtime(JitConfig(call_threshold=0, loop_threshold=0))
    src = """
var counter = 0;
fn bump() -> number { counter = counter + 1; return counter; }
bump();
bump();
counter;
"""
    assert rt.eval(src) == 2.0
    assert rt.jit_stats()["functions"][0]["tier"] == "native"
