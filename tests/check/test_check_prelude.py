"""The checker's static knowledge of the standard library (reference 7, 7.12)."""

from __future__ import annotations

from atlas.check.prelude import (
    ARRAY_METHODS,
    CORE_BUILTINS,
    TYPED_SIGNATURES,
    builtin_symbol,
    known_builtins,
)
from atlas.stdlib.registry import BUILTINS

TYPED_NAMES = [
    "print",
    "len",
    "str",
    "split",
    "join",
    "trim",
    "trimStart",
    "trimEnd",
    "indexOf",
    "lastIndexOf",
    "includes",
    "toUpperCase",
    "toLowerCase",
    "substring",
    "charAt",
    "repeat",
    "replace",
    "padStart",
    "padEnd",
    "startsWith",
    "endsWith",
    "pop",
    "shift",
    "unshift",
    "reverse",
    "concat",
    "flatten",
    "arrayIndexOf",
    "arrayLastIndexOf",
    "arrayIncludes",
    "slice",
    "map",
    "filter",
    "reduce",
    "forEach",
    "find",
    "findIndex",
    "flatMap",
    "some",
    "every",
    "sort",
    "sortBy",
    "abs",
    "floor",
    "ceil",
    "round",
    "min",
    "max",
    "sqrt",
    "pow",
    "log",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "clamp",
    "sign",
    "random",
    "parseJSON",
    "toJSON",
    "isValidJSON",
    "prettifyJSON",
    "minifyJSON",
]


def test_exactly_the_65_typed_builtins():
    assert len(TYPED_NAMES) == 65
    assert set(TYPED_SIGNATURES) == set(TYPED_NAMES)


def test_core_names():
    assert len(CORE_BUILTINS) == len(set(CORE_BUILTINS)) == 150 + 21
    assert set(TYPED_SIGNATURES) <= set(CORE_BUILTINS)
    assert {m for m, _, _ in ARRAY_METHODS.values()} <= set(CORE_BUILTINS)


def test_core_names_agree_with_registry():
    """Registered CORE builtins must be named as in the reference, and once the registry
    is complete every CORE name must be registered (`None` may be a plain value)."""
    core = {name for name, b in BUILTINS.items() if b.tier == "core"}
    assert core <= set(CORE_BUILTINS), sorted(core - set(CORE_BUILTINS))
    expected = set(CORE_BUILTINS) - {"None"}
    if len(core) >= len(expected):
        assert expected <= core, sorted(expected - core)


def test_registered_names_resolve():
    assert set(BUILTINS) <= known_builtins()
    assert set(CORE_BUILTINS) <= known_builtins()


def test_builtin_symbols_are_shared():
    assert builtin_symbol("map") is builtin_symbol("map")
    assert builtin_symbol("map").ty.display() == "(?[], (?) -> ?) -> ?[]"
    assert builtin_symbol("forEach").ty.display() == "(?[], (?) -> void) -> null"
    assert builtin_symbol("unwrap").ty.display() == "?"
