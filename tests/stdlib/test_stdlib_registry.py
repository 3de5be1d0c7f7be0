"""The registry's CORE tier is exactly that of reference 7.12 (the EXTENDED tier is
checked in test_stdlib_extended_registry.py)."""

from __future__ import annotations

import pytest
from stdlib_support import call, fails

from atlas.stdlib import BUILTINS, METHOD_WRITEBACK
from atlas.stdlib.registry import WriteBack

INTRINSICS = {
    "map", "filter", "reduce", "forEach", "find", "findIndex", "flatMap", "some", "every",
    "sort", "sortBy",
    "result_map", "result_map_err", "result_and_then", "result_or_else",
    "hashMapForEach", "hashMapMap", "hashMapFilter",
    "hashSetForEach", "hashSetMap", "hashSetFilter",
}  # fmt: skip

NAMED = {
    "prelude": "print len str",
    "strings": "split join trim trimStart trimEnd indexOf lastIndexOf includes startsWith "
    "endsWith toUpperCase toLowerCase substring charAt repeat replace padStart padEnd",
    "arrays": "arrayPush arrayPop arrayShift arrayUnshift arrayReverse arraySort pop shift "
    "unshift reverse concat flatten arrayIndexOf arrayLastIndexOf arrayIncludes slice",
    "math": "abs floor ceil round min max sqrt pow log sin cos tan asin acos atan clamp sign "
    "random",
    "json": "parseJSON toJSON isValidJSON prettifyJSON minifyJSON jsonAsString jsonAsNumber "
    "jsonAsBool jsonIsNull",
    "type checks": "typeof isString isNumber isBool isNull isArray isFunction isObject isType "
    "hasField hasMethod hasTag",
    "conversions": "toString toNumber toBool parseInt parseFloat",
    # 13 in reference 7.12, counting `None`, which the compiler handles (not registered).
    "option/result": "Some is_some is_none Ok Err is_ok is_err unwrap unwrap_or expect "
    "result_ok result_err",
    "hashmap": "hashMapNew hashMapFromEntries hashMapPut hashMapGet hashMapRemove hashMapHas "
    "hashMapSize hashMapIsEmpty hashMapClear hashMapKeys hashMapValues hashMapEntries",
    "hashset": "hashSetNew hashSetFromArray hashSetAdd hashSetRemove hashSetHas hashSetSize "
    "hashSetIsEmpty hashSetClear hashSetUnion hashSetIntersection hashSetDifference "
    "hashSetSymmetricDifference hashSetIsSubset hashSetIsSuperset hashSetToArray",
    "queue": "queueNew queueEnqueue queueDequeue queuePeek queueSize queueIsEmpty queueClear "
    "queueToArray",
    "stack": "stackNew stackPush stackPop stackPeek stackSize stackIsEmpty stackClear stackToArray",
    "assertions": "assert assertFalse assertEqual assertNotEqual assertOk assertErr assertSome "
    "assertNone assertContains assertEmpty assertLength assertThrows assertNoThrow",
}
COUNTS = {
    "prelude": 3, "strings": 18, "arrays": 16, "math": 18, "json": 9, "type checks": 12,
    "conversions": 5, "option/result": 12, "hashmap": 12, "hashset": 15, "queue": 8,
    "stack": 8, "assertions": 13,
}  # fmt: skip

RETURNS_COLLECTION = {
    "hashMapPut", "hashMapClear", "hashSetAdd", "hashSetClear", "queueEnqueue", "queueClear",
    "stackPush", "stackClear", "unshift", "reverse", "flatten",
}  # fmt: skip
RETURNS_EXTRACTED = {"hashMapRemove", "hashSetRemove", "queueDequeue", "stackPop", "pop", "shift"}


def named_builtins() -> set[str]:
    return {name for group in NAMED.values() for name in group.split()}


def test_group_sizes_match_reference_counts() -> None:
    assert {group: len(names.split()) for group, names in NAMED.items()} == COUNTS
    # 150 named CORE builtins in 7.12 minus `None`, plus the 21 intrinsics.
    assert sum(COUNTS.values()) == 149
    assert len(INTRINSICS) == 21


CORE = {name: b for name, b in BUILTINS.items() if b.tier == "core"}


def test_core_tier_is_exactly_the_reference_list() -> None:
    assert set(CORE) == named_builtins() | INTRINSICS
    assert len(CORE) == 170


def test_none_is_not_a_builtin() -> None:
    assert "None" not in BUILTINS


def test_every_builtin_has_a_known_tier() -> None:
    assert {b.tier for b in BUILTINS.values()} == {"core", "extended"}


def test_intrinsics_take_a_context() -> None:
    with_ctx = {name for name, b in CORE.items() if b.needs_ctx}
    assert with_ctx == INTRINSICS | {"print", "assertThrows", "assertNoThrow"}


def test_write_back_builtins() -> None:
    by_kind = {
        kind: {name for name, b in BUILTINS.items() if b.writeback is kind} for kind in WriteBack
    }
    assert by_kind[WriteBack.RETURNS_COLLECTION] == RETURNS_COLLECTION
    assert by_kind[WriteBack.RETURNS_EXTRACTED] == RETURNS_EXTRACTED


def test_write_back_methods() -> None:
    assert set(METHOD_WRITEBACK) == {"push", "pop", "shift", "unshift", "reverse"}


def test_names_match_registry_keys() -> None:
    assert all(b.name == name for name, b in BUILTINS.items())


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("len", 1, "len(): expected 1 argument(s), got 0"),
        ("split", 2, "split(): expected 2 argument(s), got 0"),
        ("substring", 3, "substring(): expected 3 argument(s), got 0"),
        ("Some", 1, "Some(): expected 1 argument(s), got 0"),
        ("parseJSON", 1, "parseJSON(): expected 1 argument(s), got 0"),
        ("isString", 1, "isString(): expected 1 argument(s), got 0"),
        ("toString", 1, "toString(): expected 1 argument(s), got 0"),
        ("parseInt", 2, "parseInt(): expected 2 argument(s), got 0"),
    ],
)
def test_default_arity_errors(name: str, args: int, expected: str) -> None:
    assert fails(name) == ("AT0102", expected)
    assert BUILTINS[name].min_args == BUILTINS[name].max_args == args


def test_too_many_arguments_use_the_same_message() -> None:
    assert fails("len", "a", "b") == ("AT0102", "len(): expected 1 argument(s), got 2")
    assert call("len", "ab") == 2.0
