"""Type checks and conversions (reference 5.4 and 7.8)."""

from __future__ import annotations

import math

import pytest
from stdlib_support import atlas_fn, builtin_value, call, fails, nums, same

from atlas.vm.values import NONE, Err, HashMap, HashSet, Json, Ok, Queue, Some, Stack

NAN, INF = math.nan, math.inf
FN = atlas_fn(lambda: None, "helper")
LEN = builtin_value("len")

KINDS = [
    (1.0, "number"),
    ("s", "string"),
    (True, "bool"),
    (None, "null"),
    (nums(1), "array"),
    (FN, "function"),
    (LEN, "builtin"),
    (Json({}), "json"),
    (Json(None), "json"),
    (Some(1.0), "option"),
    (NONE, "option"),
    (Ok(1.0), "result"),
    (Err(1.0), "result"),
    (HashMap(), "hashmap"),
    (HashSet(), "hashset"),
    (Queue(), "queue"),
    (Stack(), "stack"),
]


@pytest.mark.parametrize(("value", "name"), KINDS)
def test_typeof(value: object, name: str) -> None:
    assert call("typeof", value) == name


def test_typeof_arity_is_named_type_of() -> None:
    assert fails("typeof") == ("AT0102", "typeOf(): expected 1 argument(s), got 0")
    assert fails("typeof", 1.0, 2.0) == ("AT0102", "typeOf(): expected 1 argument(s), got 2")


@pytest.mark.parametrize(
    ("name", "true_for"),
    [
        ("isString", {"string"}),
        ("isNumber", {"number"}),
        ("isBool", {"bool"}),
        ("isNull", {"null"}),
        ("isArray", {"array"}),
        ("isFunction", {"function", "builtin"}),
    ],
)
def test_kind_predicates(name: str, true_for: set[str]) -> None:
    for value, kind in KINDS:
        assert call(name, value) is (kind in true_for), (name, kind)
    assert fails(name) == ("AT0102", f"{name}(): expected 1 argument(s), got 0")


def test_is_number_includes_nan_and_is_null_excludes_json_null() -> None:
    assert call("isNumber", NAN) is True
    assert call("isNull", Json(None)) is False


def test_is_object() -> None:
    assert call("isObject", Json({"a": 1.0})) is True
    assert call("isObject", Json({})) is True
    assert call("isObject", Json([])) is False
    assert call("isObject", HashMap()) is False
    assert call("isObject", None) is False


def test_is_type() -> None:
    for value, kind in KINDS:
        assert call("isType", value, kind) is True
        assert call("isType", value, "other") is False
    assert call("isType", Json({}), "object") is True
    assert call("isType", Json([]), "object") is False
    assert call("isType", Some(1.0), "Option") is False
    assert fails("isType", 1.0, 1.0) == (
        "AT0001",
        "Type error: isType() requires type name string as second argument",
    )


def test_has_field_and_has_method() -> None:
    doc = Json({"name": "x", "tag": "user"})
    m = call("hashMapFromEntries", [["name", 1.0], [1.0, 2.0]])
    for name in ["hasField", "hasMethod"]:
        assert call(name, doc, "name") is True
        assert call(name, doc, "missing") is False
        assert call(name, m, "name") is True
        assert call(name, m, "1") is False
        assert call(name, Json([1.0]), "0") is False
        assert call(name, nums(1), "length") is False
        assert call(name, "name", "name") is False
    assert fails("hasField", doc, 1.0) == (
        "AT0001",
        "Type error: hasField() requires field name string as second argument",
    )
    assert fails("hasMethod", doc, None) == (
        "AT0001",
        "Type error: hasMethod() requires method name string as second argument",
    )


def test_has_tag() -> None:
    assert call("hasTag", Json({"tag": "user"}), "user") is True
    assert call("hasTag", Json({"tag": "user"}), "admin") is False
    assert call("hasTag", Json({"tag": 1.0}), "1") is False
    assert call("hasTag", Json({"kind": "user"}), "user") is False
    m = call("hashMapFromEntries", [["tag", "user"]])
    assert call("hasTag", m, "user") is True
    assert call("hasTag", call("hashMapFromEntries", [["tag", nums(1)]]), "user") is False
    assert call("hasTag", Some("user"), "user") is False
    assert fails("hasTag", m, True) == (
        "AT0001",
        "Type error: hasTag() requires tag value string as second argument",
    )


# ------------------------------------------------------------------- toString


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        ("", ""),
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (42.0, "42"),
        (-5.0, "-5"),
        (-0.0, "-0"),
        (2.5, "2.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-7, "0.0000001"),
        (999999999999999.0, "999999999999999"),
        (1e15, "1000000000000000"),
        (1e23, "100000000000000000000000"),
        (-1e21, "-1000000000000000000000"),
        (NAN, "NaN"),
        (INF, "Infinity"),
        (-INF, "-Infinity"),
        (nums(1, 2), "[Array]"),
        (FN, "[Function]"),
        (LEN, "[Builtin len]"),
        (Json({"a": 1.0}), "[JSON]"),
        (HashMap(), "[HashMap]"),
        (HashSet(), "[HashSet]"),
        (Queue(), "[Queue]"),
        (Stack(), "[Stack]"),
        (NONE, "None"),
        (Some("x"), 'Some("x")'),
        (Some(1.0), "Some(1)"),
        (Some(-0.0), "Some(-0)"),
        (Some(1e23), "Some(100000000000000000000000)"),
        (Some(INF), "Some(inf)"),
        (Some(-INF), "Some(-inf)"),
        (Some(NAN), "Some(NaN)"),
        (Some(None), "Some(null)"),
        (Some(True), "Some(true)"),
        (Some(nums(1)), "Some([Array])"),
        (Some(Some(1.0)), "Some([Option])"),
        (Some(NONE), "Some([Option])"),
        (Ok(Err(1.0)), "Ok([Result])"),
        (Ok('a"b'), 'Ok("a"b")'),
        (Err("file missing"), 'Err("file missing")'),
        (Err(HashMap()), "Err([HashMap])"),
        (Some(LEN), "Some([Builtin len])"),
        (Some(FN), "Some([Function])"),
        (Some(Json(None)), "Some([JSON])"),
    ],
)
def test_to_string(value: object, text: str) -> None:
    assert call("toString", value) == text


# ------------------------------------------------------------------ toNumber


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (3.5, 3.5),
        (-0.0, -0.0),
        (NAN, NAN),
        (True, 1.0),
        (False, 0.0),
        ("42", 42.0),
        ("  -3.25\n", -3.25),
        ("+5", 5.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("1E-2", 0.01),
        ("1.e2", 100.0),
        ("-0", -0.0),
        ("inf", INF),
        ("-Infinity", -INF),
        ("INFINITY", INF),
        ("NaN", NAN),
        ("nan", NAN),
        ("\u3000 7 \u00a0", 7.0),
    ],
)
def test_to_number(value: object, number: float) -> None:
    assert same(call("toNumber", value), number)


@pytest.mark.parametrize(
    "text", ["abc", "1_000", "0x10", "1e", "e5", ".", "+", "1 2", "--1", "1.2.3", "١٢", "infinit"]
)
def test_to_number_rejects(text: str) -> None:
    assert fails("toNumber", text) == ("AT0001", f"Type error: Cannot convert '{text}' to number")
    assert fails("parseFloat", text) == ("AT0001", f"Type error: Cannot parse '{text}' as float")


def test_to_number_errors() -> None:
    for blank in ["", "   ", "\t\n"]:
        assert fails("toNumber", blank) == (
            "AT0001",
            "Type error: Cannot convert empty string to number",
        )
        assert fails("parseFloat", blank) == (
            "AT0001",
            "Type error: Cannot parse empty string as float",
        )
    assert fails("toNumber", " x ") == ("AT0001", "Type error: Cannot convert ' x ' to number")
    assert fails("toNumber", None) == ("AT0001", "Type error: Cannot convert null to number")
    assert fails("toNumber", nums(1)) == ("AT0001", "Type error: Cannot convert array to number")
    assert fails("toNumber", Some(1.0)) == ("AT0001", "Type error: Cannot convert option to number")
    assert fails("toNumber", Json(1.0)) == ("AT0001", "Type error: Cannot convert json to number")


def test_parse_float() -> None:
    assert call("parseFloat", " 3.14 ") == 3.14
    assert call("parseFloat", "-1e-3") == -0.001
    assert call("parseFloat", "Infinity") == INF
    assert fails("parseFloat", 1.0) == (
        "AT0001",
        "Type error: parseFloat() requires string argument",
    )


# ------------------------------------------------------------------ parseInt


@pytest.mark.parametrize(
    ("text", "radix", "number"),
    [
        ("42", 10.0, 42.0),
        (" -42 ", 10.0, -42.0),
        ("+7", 10.0, 7.0),
        ("ff", 16.0, 255.0),
        ("FF", 16.0, 255.0),
        ("-0", 10.0, -0.0),
        ("1010", 2.0, 10.0),
        ("zz", 36.0, 1295.0),
        ("777", 8.0, 511.0),
        ("007", 10.0, 7.0),
        ("9223372036854775807", 10.0, 9223372036854775807.0),
        ("-9223372036854775807", 10.0, -9223372036854775807.0),
    ],
)
def test_parse_int(text: str, radix: float, number: float) -> None:
    assert same(call("parseInt", text, radix), number)


@pytest.mark.parametrize(
    ("text", "radix"),
    [
        ("12", 2.0),
        ("1.5", 10.0),
        ("0x1f", 16.0),
        ("1_0", 10.0),
        ("1 2", 10.0),
        ("--5", 10.0),
        ("+-5", 10.0),
        ("g", 16.0),
        ("١", 10.0),
        ("\u212a", 36.0),  # KELVIN SIGN lower-cases to "k" but is not a digit
        ("9223372036854775808", 10.0),
        ("-9223372036854775808", 10.0),
    ],
)
def test_parse_int_rejects_bad_digits(text: str, radix: float) -> None:
    assert fails("parseInt", text, radix) == (
        "AT0001",
        f"Type error: Invalid integer '{text}' for radix {int(radix)}",
    )


def test_parse_int_errors() -> None:
    radix = ("AT0001", "Type error: parseInt() radix must be integer between 2 and 36")
    for bad in [1.0, 37.0, 10.5, NAN, INF, -10.0]:
        assert fails("parseInt", "1", bad) == radix
    assert fails("parseInt", "  ", 10.0) == (
        "AT0001",
        "Type error: Cannot parse empty string as integer",
    )
    assert fails("parseInt", " - ", 16.0) == ("AT0001", "Type error: Invalid integer for radix 16")
    assert fails("parseInt", "+", 10.0) == ("AT0001", "Type error: Invalid integer for radix 10")
    assert fails("parseInt", 1.0, 10.0) == (
        "AT0001",
        "Type error: parseInt() requires string as first argument",
    )
    assert fails("parseInt", "1", "10") == (
        "AT0001",
        "Type error: parseInt() requires number as second argument",
    )
    assert fails("parseInt", "1") == ("AT0102", "parseInt(): expected 2 argument(s), got 1")


# -------------------------------------------------------------------- toBool


@pytest.mark.parametrize(
    ("value", "result"),
    [
        (True, True),
        (False, False),
        (0.0, False),
        (-0.0, False),
        (NAN, False),
        (1.0, True),
        (-INF, True),
        ("", False),
        (" ", True),
        ("false", True),
        (None, False),
        ([], True),
        (NONE, True),
        (Err(False), True),
        (Json(None), True),
        (Json(False), True),
        (HashMap(), True),
        (FN, True),
        (LEN, True),
    ],
)
def test_to_bool(value: object, result: bool) -> None:
    assert call("toBool", value) is result
