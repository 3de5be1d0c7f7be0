"""Option and Result builtins (reference 4.11 and 7.5).

`None` itself is not registered: the compiler and VM treat the name specially.
"""

from __future__ import annotations

from typing import Any

from ..vm.errors import type_error
from ..vm.values import NONE, Err, NoneValue, Ok, Some, display
from ._args import intrinsic_arity, is_function_value, string_arg
from .registry import CallContext, builtin

_OPTION = (Some, NoneValue)
_RESULT = (Ok, Err)


# ---------------------------------------------------------------- constructors


@builtin("Some", 1)
def some(value: Any) -> Some:
    return Some(value)


@builtin("Ok", 1)
def ok(value: Any) -> Ok:
    return Ok(value)


@builtin("Err", 1)
def err(error: Any) -> Err:
    return Err(error)


# ------------------------------------------------------------------ inspection


def _option(name: str, value: Any) -> Any:
    if type(value) not in _OPTION:
        raise type_error(f"{name}() requires Option value")
    return value


def _result(name: str, value: Any) -> Any:
    if type(value) not in _RESULT:
        raise type_error(f"{name}() requires Result value")
    return value


@builtin("is_some", 1)
def is_some(o: Any) -> bool:
    return type(_option("is_some", o)) is Some


@builtin("is_none", 1)
def is_none(o: Any) -> bool:
    return _option("is_none", o) is NONE


@builtin("is_ok", 1)
def is_ok(r: Any) -> bool:
    return type(_result("is_ok", r)) is Ok


@builtin("is_err", 1)
def is_err(r: Any) -> bool:
    return type(_result("is_err", r)) is Err


def _payload_or_failure(name: str, x: Any) -> tuple[bool, Any]:
    """(True, payload) for Some/Ok, (False, error or None) for None/Err."""
    t = type(x)
    if t is Some or t is Ok:
        return True, x.value
    if t is Err:
        return False, x.value
    if t is NoneValue:
        return False, None
    raise type_error(f"{name}() requires Option or Result value")


@builtin("unwrap", 1)
def unwrap(x: Any) -> Any:
    present, value = _payload_or_failure("unwrap", x)
    if present:
        return value
    if type(x) is Err:
        raise type_error(f"unwrap() called on Err({display(value)})")
    raise type_error("unwrap() called on None")


@builtin("unwrap_or", 2)
def unwrap_or(x: Any, default: Any) -> Any:
    present, value = _payload_or_failure("unwrap_or", x)
    return value if present else default


@builtin("expect", 2)
def expect(x: Any, message: Any) -> Any:
    """The payload; `None` fails with `message`, `Err(e)` with `message: e`."""
    message = string_arg("expect", message)
    present, value = _payload_or_failure("expect", x)
    if present:
        return value
    if type(x) is Err:
        raise type_error(f"{message}: {display(value)}")
    raise type_error(message)


@builtin("result_ok", 1)
def result_ok(r: Any) -> Any:
    """`Ok(v)` -> `Some(v)`, `Err` -> `None`."""
    if type(r) is Ok:
        return Some(r.value)
    if type(r) is Err:
        return NONE
    raise type_error("ok() requires Result value")


@builtin("result_err", 1)
def result_err(r: Any) -> Any:
    """`Err(e)` -> `Some(e)`, `Ok` -> `None`."""
    if type(r) is Err:
        return Some(r.value)
    if type(r) is Ok:
        return NONE
    raise type_error("err() requires Result value")


# ------------------------------------------------------------------ intrinsics


def _result_intrinsic(name: str, callback_name: str, on: type, rewrap: bool) -> None:
    """Register `name(r, f)`: `f` is applied to the payload of an `on` (Ok or Err)
    result, the result of the other tag passes through. With `rewrap` the callback's
    value is wrapped again in `on` (map); otherwise it is returned as is (and_then)."""

    def impl(ctx: CallContext, r: Any, f: Any) -> Any:
        if not is_function_value(f):
            raise type_error(f"{name}() second argument must be function")
        if type(r) not in _RESULT:
            raise type_error(f"{name}() first argument must be Result")
        if type(r) is not on:
            return r
        value = ctx.call(f, [r.value])
        return on(value) if rewrap else value

    impl.__name__ = impl.__qualname__ = name
    params = f"result, {callback_name}"
    builtin(name, 2, arity_error=intrinsic_arity(params), needs_ctx=True)(impl)


_result_intrinsic("result_map", "transform_fn", Ok, rewrap=True)
_result_intrinsic("result_map_err", "transform_fn", Err, rewrap=True)
_result_intrinsic("result_and_then", "next_fn", Ok, rewrap=False)
_result_intrinsic("result_or_else", "recovery_fn", Err, rewrap=False)
