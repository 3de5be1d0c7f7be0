"""Reflection (reference 7.10, "Reflection")."""

from __future__ import annotations

import math

import pytest
from stdlib_support import atlas_fn, builtin_value, call, fails

from atlas.stdlib.datetime_lib import EPOCH, DateTime
from atlas.stdlib.regex_lib import compile_regex
from atlas.vm.values import NONE, Err, HashMap, HashSet, Json, Ok, Queue, Some, Stack


def double(x: float) -> float:
    return x * 2


class Proto:
    """A compiled function's prototype, as far as reflection looks at it."""

    def __init__(self, name: str, nparams: int) -> None:
        self.name = name
        self.nparams = nparams


def user_fn(name: str = "double", nparams: int = 1) -> object:
    fn = atlas_fn(double, name)
    fn.proto = Proto(name, nparams)
    return fn


KINDS = [
    (1.0, "number", "primitive number type"),
    ("s", "string", "primitive string type"),
    (True, "bool", "primitive bool type"),
    (None, "null", "null type"),
    ([1.0, 2.0], "array", "array of number"),
    ([], "array", "empty array"),
    ([1.0, "a"], "array", "array of mixed types"),
    ([[1.0]], "array", "array of array"),
    (Some(1.0), "Option", "Option type"),
    (NONE, "Option", "Option type"),
    (Ok(1.0), "Result", "Result type"),
    (Err("e"), "Result", "Result type"),
    (HashMap(), "hashmap", "HashMap type"),
    (HashSet(), "hashset", "HashSet type"),
    (Queue(), "queue", "Queue type"),
    (Stack(), "stack", "Stack type"),
    (Json({"a": 1.0}), "json", "dynamic JSON value type"),
    (compile_regex("a"), "regex", "Regex type"),
    (DateTime(EPOCH), "datetime", "DateTime type"),
]


@pytest.mark.parametrize(("value", "kind", "description"), KINDS)
def test_typeof_and_describe(value: object, kind: str, description: str) -> None:
    assert call("reflect_typeof", value) == kind
    assert call("reflect_type_describe", value) == description


def test_functions() -> None:
    fn = user_fn()
    assert call("reflect_typeof", fn) == "function"
    assert call("reflect_type_describe", fn) == "function double"
    assert call("reflect_typeof", builtin_value("len")) == "builtin"
    assert call("reflect_type_describe", builtin_value("len")) == "builtin function type"
    assert call("reflect_is_callable", fn) is True
    assert call("reflect_is_callable", builtin_value("len")) is False
    assert call("reflect_is_callable", "double") is False
    assert call("reflect_get_function_name", fn) == "double"
    assert call("reflect_get_function_name", builtin_value("split")) == "split"
    assert call("reflect_get_function_arity", user_fn("f", 3)) == 3.0
    assert call("reflect_get_function_arity", builtin_value("substring")) == 3.0
    assert fails("reflect_get_function_name", "f") == (
        "AT0102",
        "reflect_get_function_name(): expected function, got string",
    )
    assert fails("reflect_get_function_arity", None) == (
        "AT0102",
        "reflect_get_function_arity(): expected function, got null",
    )


def test_primitive_and_same_type() -> None:
    for value in (1.0, "x", False, None):
        assert call("reflect_is_primitive", value) is True
    for value in ([], Some(1.0), Json(1.0), HashMap()):
        assert call("reflect_is_primitive", value) is False
    assert call("reflect_same_type", 1.0, math.nan) is True
    assert call("reflect_same_type", Some(1.0), NONE) is True
    assert call("reflect_same_type", Ok(1.0), Err(1.0)) is True
    assert call("reflect_same_type", 1.0, "1") is False
    assert call("reflect_same_type", [], [1.0]) is True


def test_length_and_emptiness() -> None:
    assert call("reflect_get_length", [1.0, 2.0]) == 2.0
    assert call("reflect_get_length", "héllo") == 5.0
    assert call("reflect_is_empty", []) is True
    assert call("reflect_is_empty", "") is True
    assert call("reflect_is_empty", "x") is False
    assert fails("reflect_get_length", 1.0) == (
        "AT0001",
        "Type error: reflect_get_length: expected array or string, got number",
    )
    assert fails("reflect_is_empty", HashMap()) == (
        "AT0001",
        "Type error: reflect_is_empty: expected array or string, got hashmap",
    )


def test_clone_and_to_string() -> None:
    items = [1.0, [2.0]]
    assert call("reflect_clone", items) == items
    assert call("reflect_value_to_string", items) == "[1, [2]]"
    assert call("reflect_value_to_string", Some("x")) == "Some(x)"
    assert call("reflect_value_to_string", compile_regex(r"\d")) == r"<Regex /\d/>"
    assert call("reflect_value_to_string", None) == "null"


def test_deep_equals() -> None:
    assert call("reflect_deep_equals", [1.0, [2.0, Some("a")]], [1.0, [2.0, Some("a")]]) is True
    assert call("reflect_deep_equals", [1.0], [2.0]) is False
    assert call("reflect_deep_equals", Json({"a": [1.0]}), Json({"a": [1.0]})) is True
    assert call("reflect_deep_equals", Ok(1.0), Err(1.0)) is False
    assert call("reflect_deep_equals", user_fn("f"), user_fn("f")) is True
    assert call("reflect_deep_equals", user_fn("f"), user_fn("g")) is False
    assert call("reflect_deep_equals", 1.0, "1") is False
    assert call("reflect_deep_equals", compile_regex("a"), compile_regex("a")) is True


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("reflect_typeof", 1),
        ("reflect_same_type", 2),
        ("reflect_deep_equals", 2),
        ("reflect_clone", 1),
    ],
)
def test_arity(name: str, count: int) -> None:
    assert fails(name) == ("AT0102", f"{name}(): expected {count} argument(s), got 0")
