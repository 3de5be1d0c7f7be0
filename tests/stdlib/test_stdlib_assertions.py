"""Testing assertions (reference 7.9)."""

from __future__ import annotations

import math

import pytest
from stdlib_support import FakeContext, atlas_fn, builtin_value, call, fails, nums

from atlas.vm.errors import divide_by_zero, type_error
from atlas.vm.values import NONE, Err, HashMap, Json, Ok, Some


def fail_with(message: str) -> tuple[str, str]:
    return ("AT0001", f"Type error: {message}")


def test_assert_and_assert_false() -> None:
    assert call("assert", True, "fine") is None
    assert fails("assert", False, "x must be positive") == fail_with(
        "Assertion failed: x must be positive"
    )
    assert call("assertFalse", False, "fine") is None
    assert fails("assertFalse", True, "should be false") == fail_with(
        "Assertion failed (expected false): should be false"
    )


def test_assert_argument_kinds() -> None:
    assert fails("assert", 1.0, "m") == fail_with("expected bool, got number")
    assert fails("assert", True, 1.0) == fail_with("expected string, got number")
    assert fails("assertFalse", None, "m") == fail_with("expected bool, got null")
    assert fails("assertFalse", False, Some("m")) == fail_with("expected string, got Option")


EQUAL_PAIRS = [
    (1.0, 1.0),
    (0.0, -0.0),
    ("a", "a"),
    (True, True),
    (None, None),
    ([], []),
    ([1.0, ["x"]], [1.0, ["x"]]),
    (Some(nums(1)), Some(nums(1))),
    (NONE, NONE),
    (Ok(1.0), Ok(1.0)),
    (Err("e"), Err("e")),
]
UNEQUAL_PAIRS = [
    (1.0, 2.0),
    (math.nan, math.nan),
    ("a", "b"),
    (1.0, "1"),
    (True, 1.0),
    (None, NONE),
    (nums(1), nums(1, 2)),
    (Some(1.0), NONE),
    (Ok(1.0), Err(1.0)),
    (HashMap(), HashMap()),
    (Json(1.0), Json(1.0)),
]


@pytest.mark.parametrize(("a", "b"), EQUAL_PAIRS)
def test_assert_equal_passes(a: object, b: object) -> None:
    assert call("assertEqual", a, b) is None
    assert fails("assertNotEqual", a, b)[0] == "AT0001"


@pytest.mark.parametrize(("a", "b"), UNEQUAL_PAIRS)
def test_assert_not_equal_passes(a: object, b: object) -> None:
    assert call("assertNotEqual", a, b) is None
    assert fails("assertEqual", a, b)[0] == "AT0001"


def test_equality_failure_messages() -> None:
    assert fails("assertEqual", nums(1, 2), nums(1, 3)) == fail_with(
        "Assertion failed: values not equal\n  Actual:   [1, 2]\n  Expected: [1, 3]"
    )
    assert fails("assertEqual", "a", Some("b")) == fail_with(
        "Assertion failed: values not equal\n  Actual:   a\n  Expected: Some(b)"
    )
    assert fails("assertNotEqual", Ok(-0.0), Ok(0.0)) == fail_with(
        "Assertion failed: values are equal (expected them to differ)\n  Value: Ok(-0)"
    )


def test_result_assertions() -> None:
    assert call("assertOk", Ok(5.0)) == 5.0
    assert call("assertErr", Err("bad")) == "bad"
    assert fails("assertOk", Err("disk full")) == fail_with(
        "assertOk: expected Ok, got Err(disk full)"
    )
    assert fails("assertErr", Ok(nums(1))) == fail_with("assertErr: expected Err, got Ok([1])")
    assert fails("assertOk", Some(1.0)) == fail_with("expected Result, got Option")
    assert fails("assertErr", 1.0) == fail_with("expected Result, got number")


def test_option_assertions() -> None:
    assert call("assertSome", Some("v")) == "v"
    assert call("assertNone", NONE) is None
    assert fails("assertSome", NONE) == fail_with("assertSome: expected Some, got None")
    assert fails("assertNone", Some(2.5)) == fail_with("assertNone: expected None, got Some(2.5)")
    assert fails("assertSome", Ok(1.0)) == fail_with("expected Option, got Result")
    assert fails("assertNone", None) == fail_with("expected Option, got null")


def test_assert_contains() -> None:
    assert call("assertContains", [1.0, [2.0], Some("x")], [2.0]) is None
    assert call("assertContains", [1.0, [2.0], Some("x")], Some("x")) is None
    assert fails("assertContains", nums(1, 2), 3.0) == fail_with(
        "assertContains: array does not contain 3"
    )
    assert fails("assertContains", [math.nan], math.nan)[0] == "AT0001"
    assert fails("assertContains", "abc", "a") == fail_with("expected array, got string")


def test_assert_empty() -> None:
    assert call("assertEmpty", []) is None
    assert fails("assertEmpty", nums(1, 2)) == fail_with(
        "assertEmpty: expected empty array, got length 2"
    )
    assert fails("assertEmpty", "") == fail_with("expected array, got string")


def test_assert_length() -> None:
    assert call("assertLength", nums(1, 2), 2.0) is None
    assert call("assertLength", [], 0.0) is None
    assert call("assertLength", [], -0.0) is None
    assert fails("assertLength", nums(1), 2.0) == fail_with(
        "assertLength: expected length 2, got 1"
    )
    for bad, text in [(-1.0, "-1"), (1.5, "1.5"), (math.nan, "NaN"), (math.inf, "inf")]:
        assert fails("assertLength", [], bad) == fail_with(
            f"assertLength: expected a non-negative integer length, got {text}"
        )
    assert fails("assertLength", [], "1") == fail_with("expected number, got string")
    assert fails("assertLength", None, 1.0) == fail_with("expected array, got null")


def raise_error() -> None:
    raise type_error("boom")


def test_assert_throws(ctx: FakeContext) -> None:
    thrower = atlas_fn(raise_error, "thrower")
    quiet = atlas_fn(lambda: 1.0, "quiet")
    assert call("assertThrows", thrower, ctx=ctx) is None
    assert ctx.calls == [("thrower", [])]
    assert fails("assertThrows", quiet) == fail_with(
        "assertThrows: expected function to throw, but it returned successfully"
    )
    divider = atlas_fn(lambda: (_ for _ in ()).throw(divide_by_zero()), "divider")
    assert call("assertThrows", divider) is None
    # A builtin called without its arguments throws its count error.
    assert call("assertThrows", builtin_value("len")) is None


def test_assert_no_throw() -> None:
    assert call("assertNoThrow", atlas_fn(lambda: None, "ok")) is None
    assert call("assertNoThrow", builtin_value("random")) is None
    assert fails("assertNoThrow", atlas_fn(raise_error, "thrower")) == fail_with(
        "assertNoThrow: expected function to succeed, but it threw: Type error: boom"
    )
    divider = atlas_fn(lambda: (_ for _ in ()).throw(divide_by_zero()), "divider")
    assert fails("assertNoThrow", divider) == fail_with(
        "assertNoThrow: expected function to succeed, but it threw: Divide by zero"
    )


def test_throw_assertions_need_a_function() -> None:
    assert fails("assertThrows", "f") == fail_with("expected function, got string")
    assert fails("assertNoThrow", None) == fail_with("expected function, got null")


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("assert", 2),
        ("assertFalse", 2),
        ("assertEqual", 2),
        ("assertNotEqual", 2),
        ("assertOk", 1),
        ("assertErr", 1),
        ("assertSome", 1),
        ("assertNone", 1),
        ("assertContains", 2),
        ("assertEmpty", 1),
        ("assertLength", 2),
        ("assertThrows", 1),
        ("assertNoThrow", 1),
    ],
)
def test_assertion_count_errors(name: str, count: int) -> None:
    plural = "" if count == 1 else "s"
    assert fails(name) == fail_with(f"{name} expects {count} argument{plural}, got 0")
    args = [None] * (count + 1)
    assert fails(name, *args) == fail_with(
        f"{name} expects {count} argument{plural}, got {count + 1}"
    )
