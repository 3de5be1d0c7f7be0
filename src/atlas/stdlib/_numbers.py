"""Number texts used by `toString` and `toJSON` (reference 5.4 and 7.7).

They differ from display (5.2): integral values print as integers only below 1e15;
above, the shortest round-trip digits are padded with zeros (`1e23` ->
`100000000000000000000000`, where display gives the exact `99999999999999991611392`).
"""

from __future__ import annotations

import math

from ..vm.values import format_number, positional


def shortest_positional(x: float) -> str:
    """Shortest round-trip digits of a finite `x`, positional, no trailing `.0`."""
    text = positional(repr(x))
    return text[:-2] if text.endswith(".0") else text


def _finite_text(x: float) -> str:
    if x.is_integer() and abs(x) < 1e15:
        return format_number(x)  # exact integer, `-0` for negative zero
    return shortest_positional(x)


def to_string_number(x: float) -> str:
    """`toString` of a number: `NaN`, `Infinity`, `-Infinity` for the non-finite."""
    if math.isfinite(x):
        return _finite_text(x)
    if x != x:
        return "NaN"
    return "Infinity" if x > 0 else "-Infinity"


def payload_number(x: float) -> str:
    """A number inside `Some(...)`/`Ok(...)`/`Err(...)` in `toString`: like
    `to_string_number` but the infinities read `inf`/`-inf`."""
    return _finite_text(x) if math.isfinite(x) else format_number(x)
