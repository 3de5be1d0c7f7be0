"""Shared argument checking and arity-error texts for the standard library.

Every family of builtins in reference section 7 words its errors a little differently;
the variants live here once so each module only names the one it uses.
"""

from __future__ import annotations

import math
from typing import Any

from ..vm.errors import AtlasRuntimeError, arg_error, type_error
from ..vm.values import Function, kind_name
from .registry import ArityError, Builtin, default_arity_error

# ------------------------------------------------------------------ arity messages


def display_name_arity(display: str) -> ArityError:
    """AT0102 `<display>(): expected N argument(s), got M` under another name
    (`HashMap.put`, `typeOf`, ...)."""

    def error(_name: str, lo: int, hi: int, got: int) -> AtlasRuntimeError:
        return default_arity_error(display, lo, hi, got)

    return error


def intrinsic_arity(params: str) -> ArityError:
    """AT0001 `map() expects 2 arguments (array, callback)` (reference 7.4)."""

    def error(name: str, lo: int, _hi: int, _got: int) -> AtlasRuntimeError:
        return type_error(f"{name}() expects {lo} arguments ({params})")

    return error


def assertion_arity_error(name: str, lo: int, _hi: int, got: int) -> AtlasRuntimeError:
    """AT0001 `assertEqual expects 2 arguments, got 1` (reference 7.9)."""
    return type_error(f"{name} expects {lo} argument{'' if lo == 1 else 's'}, got {got}")


# ----------------------------------------------------------------- kind checks


def expected(name: str, kind: str, value: Any) -> AtlasRuntimeError:
    """AT0102 `<name>(): expected <kind>, got <actual kind>` (reference 7.0)."""
    return arg_error(f"{name}(): expected {kind}, got {kind_name(value)}")


def string_arg(name: str, value: Any) -> str:
    if type(value) is not str:
        raise expected(name, "string", value)
    return value


def number_arg(name: str, value: Any) -> float:
    if type(value) is not float:
        raise expected(name, "number", value)
    return value


def array_arg(name: str, value: Any) -> list:
    if type(value) is not list:
        raise expected(name, "array", value)
    return value


def is_function_value(value: Any) -> bool:
    """Whether `value` can be called back: a user function or a builtin."""
    return type(value) is Function or type(value) is Builtin


# ------------------------------------------------------------ callback helpers


def check_callback_args(
    name: str, first: Any, first_ok: bool, first_kind: str, callback: Any
) -> None:
    """AT0001 `<name>() first argument must be <kind>` / `... second argument must be
    function`, shared by every intrinsic."""
    if not first_ok:
        raise type_error(f"{name}() first argument must be {first_kind}")
    if not is_function_value(callback):
        raise type_error(f"{name}() second argument must be function")


def predicate_result(name: str, result: Any) -> bool:
    """A predicate's result, which must be a bool."""
    if type(result) is not bool:
        raise type_error(f"{name}() predicate must return bool")
    return result


# ------------------------------------------------------------------ integers


def is_integral(x: float) -> bool:
    """Finite with no fractional part (NaN and infinities are not integers)."""
    return math.isfinite(x) and x.is_integer()


def non_negative_index(x: float) -> int:
    """An integral number as an index, negative values saturating to 0."""
    return int(x) if x > 0 else 0
