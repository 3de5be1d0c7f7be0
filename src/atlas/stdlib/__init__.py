"""The standard library (reference section 7), grouped like the reference.

Importing this package registers every builtin in `registry.BUILTINS`: the CORE tier
(7.1-7.9) and the EXTENDED tier (7.10: files, paths, fs, env_process, regex_lib,
datetime_lib, archives, reflect), whose functions touching the disk, the environment or
other processes ask `atlas.permissions` first.
"""

from __future__ import annotations

from . import (  # noqa: F401  (imported for their registrations)
    archives,
    arrays,
    assertions,
    collections,
    conversions,
    datetime_lib,
    env_process,
    files,
    fs,
    higher_order,
    json_lib,
    math_lib,
    option_result,
    paths,
    prelude,
    reflect,
    regex_lib,
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
