"""Prelude builtins `print`, `len`, `str` (reference 5.3 and 7.1)."""

from __future__ import annotations

from typing import Any

from ..vm.values import display
from ._args import expected
from .registry import CallContext, builtin

_PRINTABLE = (str, float, bool, type(None))
_STR_ABLE = (float, bool, type(None))


@builtin("print", 1, needs_ctx=True)
def print_(ctx: CallContext, value: Any) -> None:
    """Write display(value) and a newline; only strings, numbers, bools and null."""
    if type(value) not in _PRINTABLE:
        raise expected("print", "string, number, bool, or null", value)
    ctx.write_stdout(display(value) + "\n")


@builtin("len", 1)
def len_(value: Any) -> float:
    """Code points of a string, elements of an array."""
    if type(value) is str or type(value) is list:
        return float(len(value))
    raise expected("len", "string or array", value)


@builtin("str", 1)
def str_(value: Any) -> str:
    """display(value) of a number, bool or null (strings are rejected)."""
    if type(value) not in _STR_ABLE:
        raise expected("str", "number, bool, or null", value)
    return display(value)
