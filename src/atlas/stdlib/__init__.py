"""The standard library (reference section 7), grouped like the reference.

Importing this package registers every builtin in `registry.BUILTINS`.
"""

from __future__ import annotations

from . import (  # noqa: F401  (imported for their registrations)
    arrays,
    assertions,
    collections,
    conversions,
    higher_order,
    json_lib,
    math_lib,
    option_result,
    prelude,
    strings,
)
from .registry import BUILTINS, METHOD_WRITEBACK, Builtin

# Constants of reference 7.2: immutable top-level names, not callable.
CONSTANTS: dict[str, float] = {
    "PI": 3.141592653589793,
    "E": 2.718281828459045,
    "SQRT2": 1.4142135623730951,
    "LN2": 0.6931471805599453,
    "LN10": 2.302585092994046,
}


def builtin_names() -> set[str]:
    """Every registered builtin name."""
    return set(BUILTINS)


def get_builtin(name: str) -> Builtin:
    return BUILTINS[name]


__all__ = ["BUILTINS", "CONSTANTS", "METHOD_WRITEBACK", "Builtin", "builtin_names", "get_builtin"]
