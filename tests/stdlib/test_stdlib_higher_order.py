"""The array intrinsics (reference 7.4)."""

from __future__ import annotations

import math

import pytest
from stdlib_support import FakeContext, atlas_fn, builtin_value, call, fails, nums, same

from atlas.vm.errors import AtlasRuntimeError, divide_by_zero

double = atlas_fn(lambda x: x * 2, "double")
is_even = atlas_fn(lambda x: x % 2 == 0, "isEven")
add = atlas_fn(lambda acc, x: acc + x, "add")
ascending = atlas_fn(lambda a, b: a - b, "ascending")
boom = atlas_fn(lambda *args: (_ for _ in ()).throw(divide_by_zero()), "boom")

INTRINSIC_PARAMS = {
    "map": "array, callback",
    "filter": "array, predicate",
    "forEach": "array, callback",
    "find": "array, predicate",
    "findIndex": "array, predicate",
    "flatMap": "array, callback",
    "some": "array, predicate",
    "every": "array, predicate",
    "sort": "array, comparator",
    "sortBy": "array, keyExtractor",
}


def test_map() -> None:
    assert call("map", nums(1, 2, 3), double) == nums(2, 4, 6)
    assert call("map", [], double) == []
    assert call("map", nums(-1, 2), builtin_value("abs")) == nums(1, 2)
    assert call("map", nums(1.5), builtin_value("str")) == ["1.5"]


def test_map_calls_in_order_with_one_argument(ctx: FakeContext) -> None:
    call("map", nums(1, 2), double, ctx=ctx)
    assert ctx.calls == [("double", [1.0]), ("double", [2.0])]


def test_filter() -> None:
    assert call("filter", nums(1, 2, 3, 4), is_even) == nums(2, 4)
    assert call("filter", [], is_even) == []
    assert call("filter", ["", "a"], builtin_value("isString")) == ["", "a"]
    assert fails("filter", nums(1), double) == (
        "AT0001",
        "Type error: filter() predicate must return bool",
    )


def test_reduce() -> None:
    assert call("reduce", nums(1, 2, 3), add, 10.0) == 16.0
    assert call("reduce", [], add, "init") == "init"
    concat = atlas_fn(lambda acc, x: [*acc, x], "collect")
    assert call("reduce", nums(1, 2), concat, []) == nums(1, 2)
    assert call("reduce", nums(3, 1, 2), builtin_value("max"), -math.inf) == 3.0


def test_reduce_argument_order(ctx: FakeContext) -> None:
    call("reduce", ["a", "b"], add, "", ctx=ctx)
    assert ctx.calls == [("add", ["", "a"]), ("add", ["a", "b"])]


def test_for_each(ctx: FakeContext) -> None:
    seen: list = []
    record = atlas_fn(lambda x: seen.append(x), "record")
    assert call("forEach", nums(1, 2), record, ctx=ctx) is None
    assert seen == nums(1, 2)
    assert call("forEach", ["a"], builtin_value("print"), ctx=ctx) is None
    assert ctx.stdout == ["a\n"]


def test_find_returns_element_or_null() -> None:
    assert call("find", nums(1, 3, 4, 6), is_even) == 4.0
    assert call("find", nums(1, 3), is_even) is None
    assert call("find", [], is_even) is None
    assert fails("find", nums(1), double) == (
        "AT0001",
        "Type error: find() predicate must return bool",
    )


def test_find_stops_at_first_match(ctx: FakeContext) -> None:
    call("find", nums(2, 4), is_even, ctx=ctx)
    assert ctx.calls == [("isEven", [2.0])]


def test_find_index() -> None:
    assert call("findIndex", nums(1, 3, 4), is_even) == 2.0
    assert call("findIndex", nums(1, 3), is_even) == -1.0
    assert type(call("findIndex", nums(2), is_even)) is float
    assert fails("findIndex", nums(1), double) == (
        "AT0001",
        "Type error: findIndex() predicate must return bool",
    )


def test_flat_map() -> None:
    pair = atlas_fn(lambda x: [x, x], "pair")
    assert call("flatMap", nums(1, 2), pair) == nums(1, 1, 2, 2)
    assert call("flatMap", nums(1, 2), double) == nums(2, 4)
    nested = atlas_fn(lambda x: [[x]], "nested")
    assert call("flatMap", nums(1), nested) == [nums(1)]
    assert call("flatMap", nums(1), atlas_fn(lambda x: [], "none")) == []


def test_some_and_every_short_circuit(ctx: FakeContext) -> None:
    assert call("some", nums(1, 2, 3), is_even, ctx=ctx) is True
    assert ctx.calls == [("isEven", [1.0]), ("isEven", [2.0])]
    assert call("some", nums(1, 3), is_even) is False
    assert call("some", [], is_even) is False
    ctx.calls.clear()
    assert call("every", nums(2, 3, 4), is_even, ctx=ctx) is False
    assert ctx.calls == [("isEven", [2.0]), ("isEven", [3.0])]
    assert call("every", nums(2, 4), is_even) is True
    assert call("every", [], is_even) is True
    assert fails("some", nums(1), double) == (
        "AT0001",
        "Type error: some() predicate must return bool",
    )
    assert fails("every", nums(1), double) == (
        "AT0001",
        "Type error: every() predicate must return bool",
    )


def test_sort_with_comparator() -> None:
    a = nums(3, 1, 2)
    assert call("sort", a, ascending) == nums(1, 2, 3)
    assert a == nums(3, 1, 2)
    descending = atlas_fn(lambda x, y: y - x, "descending")
    assert call("sort", nums(3, 1, 2), descending) == nums(3, 2, 1)
    assert call("sort", [], ascending) == []
    assert call("sort", nums(7), ascending) == nums(7)


def test_sort_is_stable() -> None:
    by_first = atlas_fn(lambda x, y: x[0] - y[0], "byFirst")
    pairs = [[1.0, "a"], [0.0, "b"], [1.0, "c"], [0.0, "d"]]
    assert call("sort", pairs, by_first) == [[0.0, "b"], [0.0, "d"], [1.0, "a"], [1.0, "c"]]


def test_sort_call_sequence_is_the_reference_insertion_sort(ctx: FakeContext) -> None:
    call("sort", nums(3, 1, 2), ascending, ctx=ctx)
    assert ctx.calls == [
        ("ascending", [1.0, 3.0]),  # i=1: swap -> [1, 3, 2]
        ("ascending", [2.0, 3.0]),  # i=2, j=2: swap -> [1, 2, 3]
        ("ascending", [2.0, 1.0]),  # j=1: stop
    ]


def test_sort_nan_or_zero_keeps_order() -> None:
    nan = atlas_fn(lambda x, y: math.nan, "nan")
    assert call("sort", nums(3, 1, 2), nan) == nums(3, 1, 2)
    zero = atlas_fn(lambda x, y: 0.0, "zero")
    assert call("sort", ["b", "a"], zero) == ["b", "a"]


def test_sort_comparator_must_return_number() -> None:
    as_bool = atlas_fn(lambda x, y: x < y, "lt")
    assert fails("sort", nums(2, 1), as_bool) == (
        "AT0001",
        "Type error: sort() comparator must return number",
    )


def test_sort_by() -> None:
    length = builtin_value("len")
    assert call("sortBy", ["ccc", "a", "bb"], length) == ["a", "bb", "ccc"]
    neg = atlas_fn(lambda x: -x, "neg")
    assert call("sortBy", nums(1, 3, 2), neg) == nums(3, 2, 1)
    ident = atlas_fn(lambda x: x, "ident")
    assert call("sortBy", ["b", "C", "a"], ident) == ["C", "a", "b"]
    assert call("sortBy", [], ident) == []


def test_sort_by_is_stable_and_calls_key_once_in_order(ctx: FakeContext) -> None:
    first = atlas_fn(lambda p: p[0], "first")
    pairs = [[2.0, "a"], [1.0, "b"], [2.0, "c"], [1.0, "d"]]
    result = call("sortBy", pairs, first, ctx=ctx)
    assert result == [[1.0, "b"], [1.0, "d"], [2.0, "a"], [2.0, "c"]]
    assert ctx.calls == [("first", [p]) for p in pairs]


def test_sort_by_mixed_keys_compare_equal() -> None:
    key = atlas_fn(lambda x: x, "key")
    # Insertion sort: "a" vs 2 equal (stop); 1 vs "a" equal (stop); so nothing moves
    # past a mixed pair.
    assert call("sortBy", [2.0, "a", 1.0], key) == [2.0, "a", 1.0]
    # 1 < 2 swaps; "a" vs 2, NaN vs "a" and 0 vs NaN all compare equal and stop.
    result = call("sortBy", [2.0, 1.0, "a", math.nan, 0.0], key)
    assert same(result, [1.0, 2.0, "a", math.nan, 0.0])


def test_callback_errors_propagate_unchanged() -> None:
    for name, args in [
        ("map", (nums(1), boom)),
        ("filter", (nums(1), boom)),
        ("reduce", (nums(1), boom, 0.0)),
        ("forEach", (nums(1), boom)),
        ("find", (nums(1), boom)),
        ("findIndex", (nums(1), boom)),
        ("flatMap", (nums(1), boom)),
        ("some", (nums(1), boom)),
        ("every", (nums(1), boom)),
        ("sort", (nums(1, 2), boom)),
        ("sortBy", (nums(1), boom)),
    ]:
        assert fails(name, *args) == ("AT0005", "Divide by zero"), name


def test_callback_count_errors_propagate() -> None:
    # A builtin callback called with the wrong number of arguments raises its own error.
    with pytest.raises(AtlasRuntimeError) as info:
        call("map", nums(1), builtin_value("pow"))
    assert info.value.message == "Type error: pow() expects 2 arguments"


@pytest.mark.parametrize(("name", "params"), INTRINSIC_PARAMS.items())
def test_argument_errors(name: str, params: str) -> None:
    assert fails(name, nums(1)) == (
        "AT0001",
        f"Type error: {name}() expects 2 arguments ({params})",
    )
    assert fails(name, "abc", double) == (
        "AT0001",
        f"Type error: {name}() first argument must be array",
    )
    assert fails(name, nums(1), "double") == (
        "AT0001",
        f"Type error: {name}() second argument must be function",
    )


def test_reduce_argument_errors() -> None:
    assert fails("reduce", nums(1), add) == (
        "AT0001",
        "Type error: reduce() expects 3 arguments (array, reducer, initial)",
    )
    assert fails("reduce", None, add, 0.0) == (
        "AT0001",
        "Type error: reduce() first argument must be array",
    )
    assert fails("reduce", [], 1.0, 0.0) == (
        "AT0001",
        "Type error: reduce() second argument must be function",
    )


def test_builtins_are_function_values() -> None:
    assert call("map", ["a"], builtin_value("toUpperCase")) == ["A"]
