"""Helpers shared by the EXTENDED tier (reference 7.10): registration, argument kinds
that only these builtins take, results built from Python data, and I/O failures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..vm.errors import AtlasRuntimeError, type_error
from ..vm.values import HashMap, Json, format_number, hash_key, kind_name
from ._args import expected, is_integral, number_arg
from .registry import ArityError, builtin, default_arity_error


def extended(
    name: str,
    args: int | tuple[int, int],
    *,
    needs_ctx: bool = False,
    arity_error: ArityError = default_arity_error,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register an EXTENDED-tier builtin (untyped for the checker, reference 7.10)."""
    return builtin(name, args, needs_ctx=needs_ctx, arity_error=arity_error, tier="extended")


# ----------------------------------------------------------------- argument kinds


def string_array_arg(name: str, value: Any) -> list[str]:
    """A `string[]` argument: AT0102 `expected string[], got <kind>` otherwise."""
    if type(value) is not list or any(type(x) is not str for x in value):
        raise expected(name, "string[]", value)
    return value


def bytes_arg(name: str, value: Any) -> bytes:
    """A byte array (`number[]` of integers 0-255) as bytes."""
    if type(value) is not list:
        raise expected(name, "number[]", value)
    for x in value:
        if type(x) is not float or not is_integral(x) or not 0 <= x <= 255:
            shown = format_number(x) if type(x) is float else kind_name(x)
            raise type_error(f"{name}: byte values must be whole numbers 0-255, got {shown}")
    return bytes(int(x) for x in value)


def byte_array(data: bytes) -> list[float]:
    """Bytes as an Atlas `number[]`."""
    return [float(b) for b in data]


def level_arg(name: str, value: Any, default: int = 6) -> int:
    """A compression level 0-9 (null or absent: `default`)."""
    if value is None:
        return default
    level = number_arg(name, value)
    if not is_integral(level) or not 0 <= level <= 9:
        raise type_error(
            f"{name}: compression level must be a whole number 0-9, got {format_number(level)}"
        )
    return int(level)


# ------------------------------------------------------------------------ results


def hashmap_of(fields: dict[str, Any]) -> HashMap:
    """An Atlas HashMap with string keys, in the given order."""
    return HashMap({hash_key(k): (k, v) for k, v in fields.items()})


def json_of(data: Any) -> Json:
    """A json value from Python data (ints become numbers)."""
    return Json(_json_data(data))


def _json_data(data: Any) -> Any:
    if isinstance(data, bool) or data is None or isinstance(data, str):
        return data
    if isinstance(data, int | float):
        return float(data)
    if isinstance(data, dict):
        return {str(k): _json_data(v) for k, v in data.items()}
    return [_json_data(x) for x in data]


# ----------------------------------------------------------------------- failures


def failure_reason(exc: BaseException) -> str:
    """Why an operation failed, without repeating the path an OSError's text names."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def io_error(action: str, path: str, exc: BaseException) -> AtlasRuntimeError:
    """AT0400 `Failed to <action> '<path>': <reason>` (reference 6.5)."""
    return AtlasRuntimeError("AT0400", f"Failed to {action} '{path}': {failure_reason(exc)}")


@contextmanager
def io_errors(action: str, path: str) -> Iterator[None]:
    """Turn an OSError (or a decoding error) inside the block into AT0400."""
    try:
        yield
    except (OSError, UnicodeError, ValueError) as exc:
        raise io_error(action, path, exc) from None


def whole_seconds(timestamp: float) -> float:
    """A file time as whole Unix seconds (the fraction is dropped, as the original did)."""
    return float(int(timestamp // 1))
