"""Testing assertions (reference 7.9).

Failures, argument-kind errors (`expected bool, got number`) and count errors
(`assert expects 2 arguments, got 1`) are all AT0001.
"""

from __future__ import annotations

from typing import Any

from ..vm.errors import AtlasRuntimeError, type_error
from ..vm.values import Err, NoneValue, Ok, Some, display, format_number, kind_name
from ._args import assertion_arity_error, is_function_value, is_integral
from .registry import CallContext, builtin


def deep_equal(a: Any, b: Any) -> bool:
    """Equality of the assertions: numbers (IEEE), strings, bools, null, arrays
    element-wise, Option and Result recursively; other kinds are never equal."""
    t = type(a)
    if t is not type(b):
        return False
    if t is float or t is str or t is bool or a is None:
        return a == b
    if t is list:
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if t is Some or t is Ok or t is Err:
        return deep_equal(a.value, b.value)
    return t is NoneValue


def _kind(value: Any, kind: str, accepted: tuple[type, ...]) -> Any:
    if type(value) not in accepted:
        raise type_error(f"expected {kind}, got {kind_name(value)}")
    return value


def _assertion(name: str, args: int, *, needs_ctx: bool = False) -> Any:
    return builtin(name, args, arity_error=assertion_arity_error, needs_ctx=needs_ctx)


def _condition(cond: Any, msg: Any) -> bool:
    """The bool `cond`, after checking both arguments' kinds."""
    _kind(cond, "bool", (bool,))
    _kind(msg, "string", (str,))
    return cond


@_assertion("assert", 2)
def assert_(cond: Any, msg: Any) -> None:
    if not _condition(cond, msg):
        raise type_error(f"Assertion failed: {msg}")


@_assertion("assertFalse", 2)
def assert_false(cond: Any, msg: Any) -> None:
    if _condition(cond, msg):
        raise type_error(f"Assertion failed (expected false): {msg}")


@_assertion("assertEqual", 2)
def assert_equal(actual: Any, expected: Any) -> None:
    if not deep_equal(actual, expected):
        raise type_error(
            "Assertion failed: values not equal\n"
            f"  Actual:   {display(actual)}\n  Expected: {display(expected)}"
        )


@_assertion("assertNotEqual", 2)
def assert_not_equal(actual: Any, expected: Any) -> None:
    if deep_equal(actual, expected):
        raise type_error(
            "Assertion failed: values are equal (expected them to differ)\n"
            f"  Value: {display(actual)}"
        )


@_assertion("assertOk", 1)
def assert_ok(r: Any) -> Any:
    """The Ok payload."""
    if type(_kind(r, "Result", (Ok, Err))) is Err:
        raise type_error(f"assertOk: expected Ok, got Err({display(r.value)})")
    return r.value


@_assertion("assertErr", 1)
def assert_err(r: Any) -> Any:
    """The Err payload."""
    if type(_kind(r, "Result", (Ok, Err))) is Ok:
        raise type_error(f"assertErr: expected Err, got Ok({display(r.value)})")
    return r.value


@_assertion("assertSome", 1)
def assert_some(o: Any) -> Any:
    """The Some payload."""
    if type(_kind(o, "Option", (Some, NoneValue))) is NoneValue:
        raise type_error("assertSome: expected Some, got None")
    return o.value


@_assertion("assertNone", 1)
def assert_none(o: Any) -> None:
    if type(_kind(o, "Option", (Some, NoneValue))) is Some:
        raise type_error(f"assertNone: expected None, got Some({display(o.value)})")


@_assertion("assertContains", 2)
def assert_contains(a: Any, x: Any) -> None:
    if not any(deep_equal(item, x) for item in _kind(a, "array", (list,))):
        raise type_error(f"assertContains: array does not contain {display(x)}")


@_assertion("assertEmpty", 1)
def assert_empty(a: Any) -> None:
    if _kind(a, "array", (list,)):
        raise type_error(f"assertEmpty: expected empty array, got length {len(a)}")


@_assertion("assertLength", 2)
def assert_length(a: Any, n: Any) -> None:
    items = _kind(a, "array", (list,))
    expected = _kind(n, "number", (float,))
    if not is_integral(expected) or expected < 0:
        raise type_error(
            f"assertLength: expected a non-negative integer length, got {format_number(n)}"
        )
    if len(items) != expected:
        raise type_error(f"assertLength: expected length {int(expected)}, got {len(items)}")


def _run(ctx: CallContext, f: Any) -> AtlasRuntimeError | None:
    """Call the zero-argument function `f`; the runtime error it raised, if any."""
    if not is_function_value(f):
        raise type_error(f"expected function, got {kind_name(f)}")
    try:
        ctx.call(f, [])
    except AtlasRuntimeError as error:
        return error
    return None


@_assertion("assertThrows", 1, needs_ctx=True)
def assert_throws(ctx: CallContext, f: Any) -> None:
    """Passes when calling `f()` raises a runtime error."""
    if _run(ctx, f) is None:
        raise type_error("assertThrows: expected function to throw, but it returned successfully")


@_assertion("assertNoThrow", 1, needs_ctx=True)
def assert_no_throw(ctx: CallContext, f: Any) -> None:
    """Passes when calling `f()` returns normally."""
    error = _run(ctx, f)
    if error is not None:
        raise type_error(
            f"assertNoThrow: expected function to succeed, but it threw: {error.message}"
        )
