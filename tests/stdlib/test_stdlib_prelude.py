"""print, len, str (reference 5.3 and 7.1)."""

from __future__ import annotations

import math

import pytest
from stdlib_support import FakeContext, atlas_fn, builtin_value, call, fails, nums

from atlas.vm.values import NONE, HashMap, HashSet, Json, Ok, Queue, Some, Stack


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("hello", "hello"),
        ("", ""),
        ("日本語 🌍", "日本語 🌍"),
        (42.0, "42"),
        (-0.0, "-0"),
        (2.5, "2.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e21, "1000000000000000000000"),
        (1.5e-10, "0.00000000015"),
        (math.nan, "NaN"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (True, "true"),
        (False, "false"),
        (None, "null"),
    ],
)
def test_print_writes_display_and_newline(ctx: FakeContext, value: object, text: str) -> None:
    assert call("print", value, ctx=ctx) is None
    assert ctx.stdout == [text + "\n"]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (nums(1, 2), "array"),
        (Some(1.0), "Option"),
        (NONE, "Option"),
        (Ok(1.0), "Result"),
        (Json(None), "json"),
        (HashMap(), "hashmap"),
        (HashSet(), "hashset"),
        (Queue(), "queue"),
        (Stack(), "stack"),
        (atlas_fn(lambda: None, "f"), "function"),
        (builtin_value("len"), "builtin"),
    ],
)
def test_print_rejects_other_kinds(ctx: FakeContext, value: object, kind: str) -> None:
    assert fails("print", value, ctx=ctx) == (
        "AT0102",
        f"print(): expected string, number, bool, or null, got {kind}",
    )
    assert ctx.stdout == []


def test_print_arity() -> None:
    assert fails("print") == ("AT0102", "print(): expected 1 argument(s), got 0")
    assert fails("print", "a", "b") == ("AT0102", "print(): expected 1 argument(s), got 2")


def test_len_counts_code_points_and_elements() -> None:
    assert call("len", "hello") == 5.0
    assert call("len", "") == 0.0
    assert call("len", "Hello 🌍") == 7.0
    assert call("len", "日本語") == 3.0
    assert call("len", "é") == 1.0
    assert call("len", []) == 0.0
    assert call("len", nums(1, 2, 3)) == 3.0
    assert type(call("len", "abc")) is float


@pytest.mark.parametrize(
    ("value", "kind"),
    [(1.0, "number"), (True, "bool"), (None, "null"), (Some(1.0), "Option"), (Json([]), "json")],
)
def test_len_rejects_other_kinds(value: object, kind: str) -> None:
    assert fails("len", value) == ("AT0102", f"len(): expected string or array, got {kind}")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (42.0, "42"),
        (3.14, "3.14"),
        (-0.0, "-0"),
        (1e23, "99999999999999991611392"),
        (1e-7, "0.0000001"),
        (math.nan, "NaN"),
        (math.inf, "inf"),
        (True, "true"),
        (False, "false"),
        (None, "null"),
    ],
)
def test_str_is_display(value: object, text: str) -> None:
    assert call("str", value) == text


@pytest.mark.parametrize(
    ("value", "kind"),
    [("x", "string"), ([], "array"), (NONE, "Option"), (Ok(1.0), "Result")],
)
def test_str_rejects_strings_and_containers(value: object, kind: str) -> None:
    assert fails("str", value) == ("AT0102", f"str(): expected number, bool, or null, got {kind}")
