"""HashMap, HashSet, Queue and Stack builtins (reference 7.6)."""

from __future__ import annotations

import math

import pytest
from stdlib_support import FakeContext, atlas_fn, call, fails, nums, same

from atlas.vm.errors import divide_by_zero
from atlas.vm.values import NONE, HashMap, HashSet, Queue, Some, Stack, values_equal

NAN = math.nan
UNHASHABLE = "Cannot hash type {} - only number, string, bool, null are hashable"


def new_map(*pairs: tuple) -> HashMap:
    return call("hashMapFromEntries", [list(p) for p in pairs])


def new_set(*items: object) -> HashSet:
    return call("hashSetFromArray", list(items))


# -------------------------------------------------------------------- HashMap


def test_map_put_get_has_size() -> None:
    m = call("hashMapNew")
    assert call("hashMapIsEmpty", m) is True
    assert call("hashMapPut", m, "name", "Alice") is m
    call("hashMapPut", m, "age", 30.0)
    assert call("hashMapSize", m) == 2.0
    assert type(call("hashMapSize", m)) is float
    assert call("hashMapIsEmpty", m) is False
    assert same(call("hashMapGet", m, "name"), Some("Alice"))
    assert call("hashMapGet", m, "missing") is NONE
    assert call("hashMapHas", m, "age") is True
    assert call("hashMapHas", m, "missing") is False


def test_map_replace_keeps_position_and_first_key() -> None:
    m = new_map(("a", 1.0), (0.0, "zero"), ("b", 2.0))
    call("hashMapPut", m, "a", 10.0)
    call("hashMapPut", m, -0.0, "negative zero")
    assert call("hashMapEntries", m) == [["a", 10.0], [0.0, "negative zero"], ["b", 2.0]]
    assert same(call("hashMapKeys", m)[1], 0.0)


def test_map_key_normalisation() -> None:
    m = new_map((0.0, "z"), (NAN, "n"), (True, "t"), (1.0, "one"), (None, "null"))
    assert same(call("hashMapGet", m, -0.0), Some("z"))
    assert same(call("hashMapGet", m, float("nan")), Some("n"))
    assert same(call("hashMapGet", m, True), Some("t"))
    assert same(call("hashMapGet", m, 1.0), Some("one"))
    assert same(call("hashMapGet", m, None), Some("null"))
    assert call("hashMapGet", m, "1") is NONE
    assert call("hashMapSize", m) == 5.0


def test_map_values_of_any_kind() -> None:
    m = new_map(("list", nums(1, 2)), ("opt", NONE), ("map", HashMap()))
    assert call("hashMapValues", m)[0] == nums(1, 2)
    assert same(call("hashMapGet", m, "opt"), Some(NONE))


def test_map_from_entries() -> None:
    m = new_map(("a", 1.0), ("b", 2.0), ("a", 3.0))
    assert call("hashMapEntries", m) == [["a", 3.0], ["b", 2.0]]
    assert call("hashMapSize", call("hashMapFromEntries", [])) == 0.0
    pair_error = ("AT0001", "Type error: Entry must be [key, value] array with exactly 2 elements")
    assert fails("hashMapFromEntries", [["a"]]) == pair_error
    assert fails("hashMapFromEntries", [["a", 1.0, 2.0]]) == pair_error
    assert fails("hashMapFromEntries", ["a"]) == (
        "AT0102",
        "HashMap.fromEntries(): expected array, got string",
    )
    assert fails("hashMapFromEntries", 1.0) == (
        "AT0102",
        "HashMap.fromEntries(): expected array, got number",
    )
    assert fails("hashMapFromEntries", [[nums(1), 1.0]]) == ("AT0140", UNHASHABLE.format("array"))


def test_map_remove_and_clear_in_place() -> None:
    m = new_map(("a", 1.0), ("b", 2.0))
    assert same(call("hashMapRemove", m, "a"), Some(1.0))
    assert call("hashMapRemove", m, "a") is NONE
    assert call("hashMapKeys", m) == ["b"]
    assert call("hashMapClear", m) is m
    assert call("hashMapSize", m) == 0.0


def test_map_snapshots_are_independent() -> None:
    m = new_map(("a", 1.0))
    keys = call("hashMapKeys", m)
    call("hashMapPut", m, "b", 2.0)
    assert keys == ["a"]
    assert call("hashMapEntries", m) == [["a", 1.0], ["b", 2.0]]
    assert call("hashMapValues", m) == nums(1, 2)


def test_map_unhashable_keys() -> None:
    m = HashMap()
    assert fails("hashMapPut", m, nums(1), 1.0) == ("AT0140", UNHASHABLE.format("array"))
    assert fails("hashMapGet", m, Some(1.0)) == ("AT0140", UNHASHABLE.format("Option"))
    assert fails("hashMapHas", m, HashMap()) == ("AT0140", UNHASHABLE.format("hashmap"))
    assert fails("hashMapRemove", m, atlas_fn(lambda: 0, "f")) == (
        "AT0140",
        UNHASHABLE.format("function"),
    )


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("hashMapPut", ("k", 1.0)),
        ("hashMapGet", ("k",)),
        ("hashMapRemove", ("k",)),
        ("hashMapHas", ("k",)),
        ("hashMapSize", ()),
        ("hashMapIsEmpty", ()),
        ("hashMapClear", ()),
        ("hashMapKeys", ()),
        ("hashMapValues", ()),
        ("hashMapEntries", ()),
    ],
)
def test_map_functions_reject_other_kinds(name: str, args: tuple) -> None:
    assert fails(name, 1.0, *args) == ("AT0001", "Type error: Expected HashMap, got number")
    assert fails(name, HashSet(), *args) == ("AT0001", "Type error: Expected HashMap, got hashset")


@pytest.mark.parametrize(
    ("name", "display", "count"),
    [
        ("hashMapNew", "HashMap.new", 0),
        ("hashMapFromEntries", "HashMap.fromEntries", 1),
        ("hashMapPut", "HashMap.put", 3),
        ("hashMapGet", "HashMap.get", 2),
        ("hashMapRemove", "HashMap.remove", 2),
        ("hashMapHas", "HashMap.has", 2),
        ("hashMapSize", "HashMap.size", 1),
        ("hashMapIsEmpty", "HashMap.isEmpty", 1),
        ("hashMapClear", "HashMap.clear", 1),
        ("hashMapKeys", "HashMap.keys", 1),
        ("hashMapValues", "HashMap.values", 1),
        ("hashMapEntries", "HashMap.entries", 1),
        ("hashSetNew", "HashSet.new", 0),
        ("hashSetFromArray", "HashSet.fromArray", 1),
        ("hashSetAdd", "HashSet.add", 2),
        ("hashSetRemove", "HashSet.remove", 2),
        ("hashSetHas", "HashSet.has", 2),
        ("hashSetSize", "HashSet.size", 1),
        ("hashSetIsEmpty", "HashSet.isEmpty", 1),
        ("hashSetClear", "HashSet.clear", 1),
        ("hashSetUnion", "HashSet.union", 2),
        ("hashSetIntersection", "HashSet.intersection", 2),
        ("hashSetDifference", "HashSet.difference", 2),
        ("hashSetSymmetricDifference", "HashSet.symmetricDifference", 2),
        ("hashSetIsSubset", "HashSet.isSubset", 2),
        ("hashSetIsSuperset", "HashSet.isSuperset", 2),
        ("hashSetToArray", "HashSet.toArray", 1),
        ("queueNew", "Queue.new", 0),
        ("queueEnqueue", "Queue.enqueue", 2),
        ("queueDequeue", "Queue.dequeue", 1),
        ("queuePeek", "Queue.peek", 1),
        ("queueSize", "Queue.size", 1),
        ("queueIsEmpty", "Queue.isEmpty", 1),
        ("queueClear", "Queue.clear", 1),
        ("queueToArray", "Queue.toArray", 1),
        ("stackNew", "Stack.new", 0),
        ("stackPush", "Stack.push", 2),
        ("stackPop", "Stack.pop", 1),
        ("stackPeek", "Stack.peek", 1),
        ("stackSize", "Stack.size", 1),
        ("stackIsEmpty", "Stack.isEmpty", 1),
        ("stackClear", "Stack.clear", 1),
        ("stackToArray", "Stack.toArray", 1),
    ],
)
def test_count_errors_use_display_names(name: str, display: str, count: int) -> None:
    args = [None] * (count + 1)
    assert fails(name, *args) == (
        "AT0102",
        f"{display}(): expected {count} argument(s), got {count + 1}",
    )


# -------------------------------------------------------------------- HashSet


def test_set_add_has_size_remove() -> None:
    s = call("hashSetNew")
    assert call("hashSetIsEmpty", s) is True
    assert call("hashSetAdd", s, "apple") is s
    call("hashSetAdd", s, "banana")
    call("hashSetAdd", s, "apple")
    assert call("hashSetSize", s) == 2.0
    assert call("hashSetHas", s, "banana") is True
    assert call("hashSetHas", s, "grape") is False
    assert call("hashSetRemove", s, "apple") is True
    assert call("hashSetRemove", s, "apple") is False
    assert call("hashSetToArray", s) == ["banana"]
    assert call("hashSetClear", s) is s
    assert call("hashSetIsEmpty", s) is True


def test_set_normalisation_and_first_element_kept() -> None:
    s = new_set(0.0, -0.0, NAN, float("nan"), True, 1.0, None, "a", "a")
    assert call("hashSetSize", s) == 6.0
    assert same(call("hashSetToArray", s)[0], 0.0)
    assert call("hashSetHas", s, -0.0) is True
    assert call("hashSetHas", s, NAN) is True
    assert call("hashSetHas", s, False) is False
    assert fails("hashSetFromArray", [nums(1)]) == ("AT0140", UNHASHABLE.format("array"))
    assert fails("hashSetAdd", HashSet(), NONE) == ("AT0140", UNHASHABLE.format("Option"))
    assert fails("hashSetFromArray", "abc") == (
        "AT0102",
        "HashSet.fromArray(): expected array, got string",
    )


def test_set_algebra() -> None:
    a, b = new_set(1.0, 2.0, 3.0), new_set(3.0, 4.0, 2.0)
    assert call("hashSetToArray", call("hashSetUnion", a, b)) == nums(1, 2, 3, 4)
    assert call("hashSetToArray", call("hashSetIntersection", a, b)) == nums(2, 3)
    assert call("hashSetToArray", call("hashSetDifference", a, b)) == nums(1)
    assert call("hashSetToArray", call("hashSetDifference", b, a)) == nums(4)
    assert call("hashSetToArray", call("hashSetSymmetricDifference", a, b)) == nums(1, 4)
    assert call("hashSetToArray", a) == nums(1, 2, 3)  # arguments unchanged
    assert call("hashSetToArray", b) == nums(3, 4, 2)
    empty = HashSet()
    assert call("hashSetIsSubset", empty, a) is True
    assert call("hashSetIsSubset", new_set(1.0, 2.0), a) is True
    assert call("hashSetIsSubset", a, b) is False
    assert call("hashSetIsSuperset", a, new_set(3.0)) is True
    assert call("hashSetIsSuperset", a, a) is True
    assert call("hashSetIsSuperset", empty, a) is False


def test_set_results_are_new_sets() -> None:
    a = new_set(1.0)
    union = call("hashSetUnion", a, HashSet())
    call("hashSetAdd", union, 2.0)
    assert call("hashSetSize", a) == 1.0


@pytest.mark.parametrize(
    ("name", "display", "args"),
    [
        ("hashSetAdd", "HashSet.add", (1.0,)),
        ("hashSetRemove", "HashSet.remove", (1.0,)),
        ("hashSetHas", "HashSet.has", (1.0,)),
        ("hashSetSize", "HashSet.size", ()),
        ("hashSetIsEmpty", "HashSet.isEmpty", ()),
        ("hashSetClear", "HashSet.clear", ()),
        ("hashSetToArray", "HashSet.toArray", ()),
    ],
)
def test_set_functions_reject_other_kinds(name: str, display: str, args: tuple) -> None:
    assert fails(name, HashMap(), *args) == (
        "AT0102",
        f"{display}(): expected HashSet, got hashmap",
    )


@pytest.mark.parametrize(
    ("name", "display"),
    [
        ("hashSetUnion", "HashSet.union"),
        ("hashSetIntersection", "HashSet.intersection"),
        ("hashSetDifference", "HashSet.difference"),
        ("hashSetSymmetricDifference", "HashSet.symmetricDifference"),
        ("hashSetIsSubset", "HashSet.isSubset"),
        ("hashSetIsSuperset", "HashSet.isSuperset"),
    ],
)
def test_set_operations_reject_other_kinds(name: str, display: str) -> None:
    assert fails(name, [], HashSet()) == ("AT0102", f"{display}(): expected HashSet, got array")
    assert fails(name, HashSet(), None) == ("AT0102", f"{display}(): expected HashSet, got null")


# ---------------------------------------------------------------------- Queue


def test_queue_fifo() -> None:
    q = call("queueNew")
    assert call("queueIsEmpty", q) is True
    assert call("queueDequeue", q) is NONE
    assert call("queuePeek", q) is NONE
    assert call("queueEnqueue", q, "first") is q
    call("queueEnqueue", q, "second")
    call("queueEnqueue", q, "third")
    assert call("queueSize", q) == 3.0
    assert same(call("queuePeek", q), Some("first"))
    assert same(call("queueDequeue", q), Some("first"))
    assert call("queueSize", q) == 2.0
    assert call("queueToArray", q) == ["second", "third"]
    assert call("queueClear", q) is q
    assert call("queueSize", q) == 0.0
    assert call("queueToArray", q) == []


def test_queue_many_dequeues_compact() -> None:
    q = Queue()
    for i in range(100):
        call("queueEnqueue", q, float(i))
    for i in range(90):
        assert same(call("queueDequeue", q), Some(float(i)))
    assert call("queueToArray", q) == [float(i) for i in range(90, 100)]
    assert call("queueSize", q) == 10.0
    assert len(q.items) < 100
    call("queueEnqueue", q, 100.0)
    assert same(call("queuePeek", q), Some(90.0))
    assert values_equal(q, Queue([float(i) for i in range(90, 101)]))


def test_queue_to_array_is_a_snapshot() -> None:
    q = Queue()
    call("queueEnqueue", q, 1.0)
    snapshot = call("queueToArray", q)
    call("queueEnqueue", q, 2.0)
    assert snapshot == nums(1)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("queueEnqueue", (1.0,)),
        ("queueDequeue", ()),
        ("queuePeek", ()),
        ("queueSize", ()),
        ("queueIsEmpty", ()),
        ("queueClear", ()),
        ("queueToArray", ()),
    ],
)
def test_queue_functions_reject_other_kinds(name: str, args: tuple) -> None:
    assert fails(name, Stack(), *args) == ("AT0001", "Type error: Expected Queue, got stack")


# ---------------------------------------------------------------------- Stack


def test_stack_lifo() -> None:
    s = call("stackNew")
    assert call("stackIsEmpty", s) is True
    assert call("stackPop", s) is NONE
    assert call("stackPeek", s) is NONE
    assert call("stackPush", s, 10.0) is s
    call("stackPush", s, 20.0)
    call("stackPush", s, 30.0)
    assert call("stackSize", s) == 3.0
    assert same(call("stackPeek", s), Some(30.0))
    assert same(call("stackPop", s), Some(30.0))
    assert call("stackSize", s) == 2.0
    assert call("stackToArray", s) == nums(10, 20)
    assert call("stackClear", s) is s
    assert call("stackIsEmpty", s) is True


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("stackPush", (1.0,)),
        ("stackPop", ()),
        ("stackPeek", ()),
        ("stackSize", ()),
        ("stackIsEmpty", ()),
        ("stackClear", ()),
        ("stackToArray", ()),
    ],
)
def test_stack_functions_reject_other_kinds(name: str, args: tuple) -> None:
    assert fails(name, Queue(), *args) == ("AT0001", "Type error: Expected Stack, got queue")
    assert fails(name, nums(1), *args) == ("AT0001", "Type error: Expected Stack, got array")


# ----------------------------------------------------------------- intrinsics

value_and_key = atlas_fn(lambda v, k: [v, k], "pair")


def test_hash_map_for_each_passes_value_then_key(ctx: FakeContext) -> None:
    m = new_map(("a", 1.0), ("b", 2.0))
    assert call("hashMapForEach", m, value_and_key, ctx=ctx) is None
    assert ctx.calls == [("pair", [1.0, "a"]), ("pair", [2.0, "b"])]


def test_hash_map_map_and_filter() -> None:
    m = new_map(("a", 1.0), ("b", 2.0))
    doubled = call("hashMapMap", m, atlas_fn(lambda v, k: v * 2, "double"))
    assert call("hashMapEntries", doubled) == [["a", 2.0], ["b", 4.0]]
    assert call("hashMapEntries", m) == [["a", 1.0], ["b", 2.0]]
    kept = call("hashMapFilter", m, atlas_fn(lambda v, k: k == "b", "isB"))
    assert call("hashMapEntries", kept) == [["b", 2.0]]
    assert call("hashMapSize", m) == 2.0
    assert fails("hashMapFilter", m, value_and_key) == (
        "AT0001",
        "Type error: hashMapFilter() predicate must return bool",
    )


def test_hash_set_callbacks(ctx: FakeContext) -> None:
    s = new_set(1.0, 2.0, 3.0)
    seen = atlas_fn(lambda x: None, "seen")
    assert call("hashSetForEach", s, seen, ctx=ctx) is None
    assert ctx.calls == [("seen", [1.0]), ("seen", [2.0]), ("seen", [3.0])]
    mapped = call("hashSetMap", s, atlas_fn(lambda x: x > 1, "big"))
    assert mapped == [False, True, True]
    odd = call("hashSetFilter", s, atlas_fn(lambda x: x % 2 == 1, "odd"))
    assert type(odd) is HashSet
    assert call("hashSetToArray", odd) == nums(1, 3)
    assert call("hashSetSize", s) == 3.0
    assert fails("hashSetFilter", s, atlas_fn(lambda x: x, "ident")) == (
        "AT0001",
        "Type error: hashSetFilter() predicate must return bool",
    )


def test_collection_callback_errors_propagate() -> None:
    boom = atlas_fn(lambda *a: (_ for _ in ()).throw(divide_by_zero()), "boom")
    m, s = new_map(("a", 1.0)), new_set(1.0)
    for name, target in [
        ("hashMapForEach", m),
        ("hashMapMap", m),
        ("hashMapFilter", m),
        ("hashSetForEach", s),
        ("hashSetMap", s),
        ("hashSetFilter", s),
    ]:
        assert fails(name, target, boom) == ("AT0005", "Divide by zero"), name


@pytest.mark.parametrize(
    ("name", "params", "kind", "target"),
    [
        ("hashMapForEach", "map, callback", "HashMap", HashMap()),
        ("hashMapMap", "map, callback", "HashMap", HashMap()),
        ("hashMapFilter", "map, predicate", "HashMap", HashMap()),
        ("hashSetForEach", "set, callback", "HashSet", HashSet()),
        ("hashSetMap", "set, callback", "HashSet", HashSet()),
        ("hashSetFilter", "set, predicate", "HashSet", HashSet()),
    ],
)
def test_collection_intrinsic_errors(name: str, params: str, kind: str, target: object) -> None:
    assert fails(name, target) == ("AT0001", f"Type error: {name}() expects 2 arguments ({params})")
    assert fails(name, [], value_and_key) == (
        "AT0001",
        f"Type error: {name}() first argument must be {kind}",
    )
    assert fails(name, target, "f") == (
        "AT0001",
        f"Type error: {name}() second argument must be function",
    )
