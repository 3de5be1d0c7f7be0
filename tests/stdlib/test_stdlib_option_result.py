"""Option and Result builtins (reference 4.11 and 7.5)."""

from __future__ import annotations

import pytest
from stdlib_support import FakeContext, atlas_fn, builtin_value, call, fails, nums, same

from atlas.vm.errors import divide_by_zero
from atlas.vm.values import NONE, Err, HashMap, Ok, Some


def test_constructors() -> None:
    assert same(call("Some", 1.0), Some(1.0))
    assert same(call("Ok", "v"), Ok("v"))
    assert same(call("Err", None), Err(None))
    assert same(call("Some", NONE), Some(NONE))
    assert type(call("Ok", 1.0)) is Ok and type(call("Err", 1.0)) is Err
    for name in ["Some", "Ok", "Err"]:
        assert fails(name) == ("AT0102", f"{name}(): expected 1 argument(s), got 0")
        assert fails(name, 1.0, 2.0) == ("AT0102", f"{name}(): expected 1 argument(s), got 2")


def test_tag_tests() -> None:
    assert call("is_some", Some(1.0)) is True
    assert call("is_some", NONE) is False
    assert call("is_none", NONE) is True
    assert call("is_none", Some(None)) is False
    assert call("is_ok", Ok(1.0)) is True
    assert call("is_ok", Err(1.0)) is False
    assert call("is_err", Err(1.0)) is True
    assert call("is_err", Ok(1.0)) is False


@pytest.mark.parametrize(
    ("name", "kind", "bad"),
    [
        ("is_some", "Option", Ok(1.0)),
        ("is_none", "Option", None),
        ("is_ok", "Result", Some(1.0)),
        ("is_err", "Result", 1.0),
    ],
)
def test_tag_test_errors(name: str, kind: str, bad: object) -> None:
    assert fails(name, bad) == ("AT0001", f"Type error: {name}() requires {kind} value")


def test_unwrap() -> None:
    assert call("unwrap", Some(1.0)) == 1.0
    assert call("unwrap", Ok("v")) == "v"
    assert call("unwrap", Some(None)) is None
    assert fails("unwrap", NONE) == ("AT0001", "Type error: unwrap() called on None")
    assert fails("unwrap", Err("something went wrong")) == (
        "AT0001",
        "Type error: unwrap() called on Err(something went wrong)",
    )
    assert fails("unwrap", Err(nums(1, 2))) == (
        "AT0001",
        "Type error: unwrap() called on Err([1, 2])",
    )
    assert fails("unwrap", 1.0) == (
        "AT0001",
        "Type error: unwrap() requires Option or Result value",
    )


def test_unwrap_or() -> None:
    assert call("unwrap_or", Some(1.0), 0.0) == 1.0
    assert call("unwrap_or", NONE, 0.0) == 0.0
    assert call("unwrap_or", Ok("a"), "b") == "a"
    assert call("unwrap_or", Err("a"), "b") == "b"
    assert fails("unwrap_or", [], 0.0) == (
        "AT0001",
        "Type error: unwrap_or() requires Option or Result value",
    )
    assert fails("unwrap_or", NONE) == ("AT0102", "unwrap_or(): expected 2 argument(s), got 1")


def test_expect() -> None:
    assert call("expect", Some(1.0), "msg") == 1.0
    assert call("expect", Ok(2.0), "msg") == 2.0
    assert fails("expect", NONE, "value missing") == ("AT0001", "Type error: value missing")
    assert fails("expect", Err("disk full"), "write failed") == (
        "AT0001",
        "Type error: write failed: disk full",
    )
    assert fails("expect", Err(Some(3.0)), "m") == ("AT0001", "Type error: m: Some(3)")
    assert fails("expect", Some(1.0), 1.0) == ("AT0102", "expect(): expected string, got number")
    assert fails("expect", 1.0, "m") == (
        "AT0001",
        "Type error: expect() requires Option or Result value",
    )


def test_result_ok_and_err() -> None:
    assert same(call("result_ok", Ok(1.0)), Some(1.0))
    assert call("result_ok", Err(1.0)) is NONE
    assert same(call("result_err", Err("e")), Some("e"))
    assert call("result_err", Ok(1.0)) is NONE
    assert fails("result_ok", Some(1.0)) == ("AT0001", "Type error: ok() requires Result value")
    assert fails("result_err", None) == ("AT0001", "Type error: err() requires Result value")


double = atlas_fn(lambda x: x * 2, "double")
to_ok = atlas_fn(lambda x: Ok(x + 1), "toOk")
to_err = atlas_fn(lambda x: Err(f"bad {x}"), "toErr")


def test_result_map() -> None:
    assert same(call("result_map", Ok(2.0), double), Ok(4.0))
    err = Err("e")
    assert call("result_map", err, double) is err
    assert same(call("result_map", Ok(-2.0), builtin_value("abs")), Ok(2.0))


def test_result_map_err() -> None:
    assert same(call("result_map_err", Err(2.0), double), Err(4.0))
    ok = Ok(1.0)
    assert call("result_map_err", ok, double) is ok


def test_result_and_then() -> None:
    assert same(call("result_and_then", Ok(1.0), to_ok), Ok(2.0))
    assert same(call("result_and_then", Ok(1.0), to_err), Err("bad 1.0"))
    err = Err("e")
    assert call("result_and_then", err, to_ok) is err
    # The callback's value is returned as is, even when it is not a Result.
    assert call("result_and_then", Ok(1.0), double) == 2.0


def test_result_or_else() -> None:
    assert same(call("result_or_else", Err(1.0), to_ok), Ok(2.0))
    ok = Ok("v")
    assert call("result_or_else", ok, to_ok) is ok


def test_result_callbacks_only_run_for_their_tag(ctx: FakeContext) -> None:
    call("result_map", Err(1.0), double, ctx=ctx)
    call("result_map_err", Ok(1.0), double, ctx=ctx)
    call("result_and_then", Err(1.0), double, ctx=ctx)
    call("result_or_else", Ok(1.0), double, ctx=ctx)
    assert ctx.calls == []
    call("result_map", Ok(1.0), double, ctx=ctx)
    assert ctx.calls == [("double", [1.0])]


def test_result_callback_errors_propagate() -> None:
    boom = atlas_fn(lambda x: (_ for _ in ()).throw(divide_by_zero()), "boom")
    assert fails("result_map", Ok(1.0), boom) == ("AT0005", "Divide by zero")
    assert fails("result_or_else", Err(1.0), boom) == ("AT0005", "Divide by zero")


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("result_map", "result, transform_fn"),
        ("result_map_err", "result, transform_fn"),
        ("result_and_then", "result, next_fn"),
        ("result_or_else", "result, recovery_fn"),
    ],
)
def test_result_intrinsic_errors(name: str, params: str) -> None:
    assert fails(name, Ok(1.0)) == (
        "AT0001",
        f"Type error: {name}() expects 2 arguments ({params})",
    )
    assert fails(name, Some(1.0), double) == (
        "AT0001",
        f"Type error: {name}() first argument must be Result",
    )
    assert fails(name, Ok(1.0), HashMap()) == (
        "AT0001",
        f"Type error: {name}() second argument must be function",
    )
    # The callback is checked first.
    assert fails(name, 1.0, 1.0) == (
        "AT0001",
        f"Type error: {name}() second argument must be function",
    )
