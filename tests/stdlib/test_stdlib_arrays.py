"""Array builtins and write-back methods (reference 4.10 and 7.4)."""

from __future__ import annotations

import math

import pytest
from stdlib_support import atlas_fn, call, fails, nums, same

from atlas.stdlib import METHOD_WRITEBACK
from atlas.vm.values import NONE, Some

NAN = math.nan
EMPTY_POP = ("AT0001", "Type error: Cannot pop from empty array")
EMPTY_SHIFT = ("AT0001", "Type error: Cannot shift from empty array")


# ------------------------------------------------------------- pure functions


def test_array_push_returns_a_new_array() -> None:
    a = nums(1, 2)
    assert call("arrayPush", a, 3.0) == nums(1, 2, 3)
    assert a == nums(1, 2)
    assert call("arrayPush", [], "x") == ["x"]
    assert call("arrayPush", nums(1), nums(2)) == [1.0, [2.0]]


def test_array_pop_and_shift_return_pairs() -> None:
    a = nums(1, 2, 3)
    assert call("arrayPop", a) == [3.0, nums(1, 2)]
    assert call("arrayShift", a) == [1.0, nums(2, 3)]
    assert call("arrayPop", ["x"]) == ["x", []]
    assert a == nums(1, 2, 3)
    assert fails("arrayPop", []) == EMPTY_POP
    assert fails("arrayShift", []) == EMPTY_SHIFT


def test_array_unshift_and_reverse_are_pure() -> None:
    a = nums(2, 3)
    assert call("arrayUnshift", a, 1.0) == nums(1, 2, 3)
    assert call("arrayReverse", a) == nums(3, 2)
    assert a == nums(2, 3)
    assert call("arrayReverse", []) == []


def test_array_sort_natural_order() -> None:
    a = nums(3, 1, 4, 1, 5, 9, 2, 6)
    assert call("arraySort", a) == nums(1, 1, 2, 3, 4, 5, 6, 9)
    assert a == nums(3, 1, 4, 1, 5, 9, 2, 6)
    assert call("arraySort", ["b", "a", "C", "é", "e"]) == ["C", "a", "b", "e", "é"]
    assert call("arraySort", []) == []
    assert call("arraySort", nums(-1, -math.inf, math.inf, 0)) == nums(-math.inf, -1, 0, math.inf)


def test_array_sort_is_stable() -> None:
    zeros = [0.0, -0.0, 0.0, -0.0]
    result = call("arraySort", [1.0, *zeros, -1.0])
    assert same(result, [-1.0, *zeros, 1.0])


def test_array_sort_nan_and_mixed_kinds_do_not_fail() -> None:
    result = call("arraySort", [2.0, NAN, 1.0])
    assert len(result) == 3
    mixed = call("arraySort", ["b", 1.0, True, None, "a", 0.0])
    assert len(mixed) == 6
    assert [x for x in mixed if type(x) is str] == ["a", "b"]
    assert [x for x in mixed if type(x) is float] == [0.0, 1.0]


def test_concat() -> None:
    a, b = nums(1, 2), nums(3)
    assert call("concat", a, b) == nums(1, 2, 3)
    assert a == nums(1, 2) and b == nums(3)
    assert call("concat", [], []) == []
    assert fails("concat", [], 1.0) == ("AT0102", "concat(): expected array, got number")


def test_index_of_family_uses_structural_equality() -> None:
    a = [1.0, [2.0], "x", Some(1.0), 1.0, None]
    assert call("arrayIndexOf", a, 1.0) == 0.0
    assert call("arrayLastIndexOf", a, 1.0) == 4.0
    assert call("arrayIndexOf", a, [2.0]) == 1.0
    assert call("arrayIndexOf", a, Some(1.0)) == 3.0
    assert call("arrayIndexOf", a, None) == 5.0
    assert call("arrayIndexOf", a, "y") == -1.0
    assert call("arrayLastIndexOf", a, "y") == -1.0
    assert call("arrayIndexOf", nums(0), -0.0) == 0.0
    assert call("arrayIndexOf", [NAN], NAN) == -1.0
    assert call("arrayIndexOf", [True], 1.0) == -1.0
    assert call("arrayIncludes", a, [2.0]) is True
    assert call("arrayIncludes", a, NONE) is False
    assert call("arrayIncludes", [], 1.0) is False
    f = atlas_fn(lambda: None, "f")
    assert call("arrayIncludes", [f], atlas_fn(lambda: 1, "f")) is True
    assert type(call("arrayIndexOf", a, "x")) is float


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (1.0, 4.0, nums(1, 2, 3)),
        (0.0, 5.0, nums(0, 1, 2, 3, 4)),
        (0.0, 99.0, nums(0, 1, 2, 3, 4)),
        (-3.0, 2.0, nums(0, 1)),
        (1.9, 3.9, nums(1, 2)),
        (-0.5, 1.0, nums(0)),
        (2.0, 2.0, []),
        (5.0, 5.0, []),
        (7.0, 9.0, []),
        (NAN, 2.0, nums(0, 1)),
        (-math.inf, math.inf, nums(0, 1, 2, 3, 4)),
        (-2.0, -1.0, []),
    ],
)
def test_slice(start: float, end: float, expected: list) -> None:
    a = nums(0, 1, 2, 3, 4)
    assert call("slice", a, start, end) == expected
    assert a == nums(0, 1, 2, 3, 4)


def test_slice_errors() -> None:
    assert fails("slice", nums(0, 1, 2), 2.0, 1.0) == (
        "AT0001",
        "Type error: Invalid slice range: start 2 > end 1",
    )
    assert fails("slice", nums(0, 1, 2), 9.0, 1.0) == (
        "AT0001",
        "Type error: Invalid slice range: start 3 > end 1",
    )
    assert fails("slice", "abc", 0.0, 1.0) == ("AT0102", "slice(): expected array, got string")
    assert fails("slice", [], "0", 1.0) == ("AT0102", "slice(): expected number, got string")


# ----------------------------------------------- write-back builtins (in place)


def test_pop_removes_last_in_place() -> None:
    a = nums(1, 2, 3)
    assert call("pop", a) == 3.0
    assert a == nums(1, 2)
    assert fails("pop", []) == EMPTY_POP
    assert fails("pop", 1.0) == ("AT0102", "pop(): expected array, got number")


def test_shift_removes_first_in_place() -> None:
    a = nums(1, 2, 3)
    assert call("shift", a) == 1.0
    assert a == nums(2, 3)
    assert fails("shift", []) == EMPTY_SHIFT
    assert fails("shift", "abc") == ("AT0102", "shift(): expected array, got string")


def test_unshift_reverse_flatten_mutate_and_return_the_same_list() -> None:
    a = nums(2, 3)
    assert call("unshift", a, 1.0) is a
    assert a == nums(1, 2, 3)
    assert call("reverse", a) is a
    assert a == nums(3, 2, 1)
    b = [1.0, nums(2, 3), [], [[4.0]], "x"]
    assert call("flatten", b) is b
    assert b == [1.0, 2.0, 3.0, [4.0], "x"]
    empty: list = []
    assert call("flatten", empty) == [] and call("reverse", empty) == []


def test_write_back_builtins_check_the_kind() -> None:
    assert fails("unshift", None, 1.0) == ("AT0102", "unshift(): expected array, got null")
    assert fails("reverse", Some(1.0)) == ("AT0102", "reverse(): expected array, got Option")
    assert fails("flatten", "ab") == ("AT0102", "flatten(): expected array, got string")


# --------------------------------------------------------- write-back methods


def test_method_push_unshift_reverse_return_the_array() -> None:
    a = nums(1)
    assert METHOD_WRITEBACK["push"](a, 2.0) is a
    assert a == nums(1, 2)
    assert METHOD_WRITEBACK["unshift"](a, 0.0) is a
    assert a == nums(0, 1, 2)
    assert METHOD_WRITEBACK["reverse"](a) is a
    assert a == nums(2, 1, 0)


def test_method_pop_shift_return_the_element() -> None:
    a = nums(1, 2, 3)
    assert METHOD_WRITEBACK["pop"](a) == 3.0
    assert METHOD_WRITEBACK["shift"](a) == 1.0
    assert a == nums(2)


def test_method_errors() -> None:
    from atlas.vm.errors import AtlasRuntimeError

    for method, message in [("pop", EMPTY_POP[1]), ("shift", EMPTY_SHIFT[1])]:
        with pytest.raises(AtlasRuntimeError) as info:
            METHOD_WRITEBACK[method]([])
        assert (info.value.code, info.value.message) == ("AT0001", message)
    with pytest.raises(AtlasRuntimeError) as info:
        METHOD_WRITEBACK["push"](1.0, 2.0)
    assert (info.value.code, info.value.message) == (
        "AT0102",
        "arrayPush(): expected array, got number",
    )


@pytest.mark.parametrize(
    "name",
    ["arrayPush", "arrayUnshift", "arrayIndexOf", "arrayLastIndexOf", "arrayIncludes"],
)
def test_two_argument_functions_check_the_array(name: str) -> None:
    assert fails(name, "abc", 1.0) == ("AT0102", f"{name}(): expected array, got string")


@pytest.mark.parametrize("name", ["arrayPop", "arrayShift", "arrayReverse", "arraySort"])
def test_one_argument_functions_check_the_array(name: str) -> None:
    assert fails(name, 1.0) == ("AT0102", f"{name}(): expected array, got number")
    assert fails(name) == ("AT0102", f"{name}(): expected 1 argument(s), got 0")
