"""JSON builtins (reference 4.13 and 7.7)."""

from __future__ import annotations

import math

import pytest
from stdlib_support import atlas_fn, builtin_value, call, fails, nums, same

from atlas.stdlib.json_lib import float_text
from atlas.vm.values import NONE, Err, HashMap, HashSet, Json, Ok, Queue, Some, Stack, display

# ---------------------------------------------------------------- parseJSON


def test_parse_json_values() -> None:
    data = call("parseJSON", '{"name":"Alice","age":30,"tags":["a",true,null],"n":-1.5e2}')
    assert type(data) is Json
    assert data.data == {"name": "Alice", "age": 30.0, "tags": ["a", True, None], "n": -150.0}
    assert type(data.data["age"]) is float
    assert same(call("parseJSON", "-0").data, -0.0)
    assert call("parseJSON", " 42 ").data == 42.0
    assert call("parseJSON", '"\\u00e9\\n\\ud83c\\udf0d"').data == "é\n🌍"
    assert call("parseJSON", "[]").data == []
    assert call("parseJSON", "null").data is None
    assert call("parseJSON", '{"a":1,"a":2}').data == {"a": 2.0}
    assert call("parseJSON", "12345678901234567890123").data == 1.2345678901234568e22


def test_parsed_json_displays_with_sorted_keys() -> None:
    data = call("parseJSON", '{"b": [1, 2.5], "a": "x"}')
    assert display(data) == '{"a": "x", "b": [1, 2.5]}'


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "NaN",
        "Infinity",
        "-Infinity",
        "[NaN]",
        "[1,]",
        '{"a":1,}',
        "// comment\n1",
        "/* c */ 1",
        "{'a': 1}",
        "{a: 1}",
        "01",
        "1.",
        ".5",
        "+1",
        "0x10",
        "1e400",
        "-1e400",
        "1" + "0" * 400,
        '"\\ud800"',
        '"\\udc00x"',
        '"tab\there"',
        "[1] x",
        "[1",
        '"abc',
        "tru",
        "\ufeff1",
        "١",
    ],
)
def test_parse_json_rejects_invalid_text(text: str) -> None:
    code, message = fails("parseJSON", text)
    assert code == "AT0001"
    assert message.startswith("Type error: Invalid JSON: ")
    assert call("isValidJSON", text) is False


def test_parse_json_argument_errors() -> None:
    assert fails("parseJSON", 1.0) == ("AT0001", "Type error: parseJSON() requires string argument")
    assert fails("isValidJSON", None) == (
        "AT0001",
        "Type error: isValidJSON() requires string argument",
    )
    assert fails("parseJSON") == ("AT0102", "parseJSON(): expected 1 argument(s), got 0")


def test_is_valid_json() -> None:
    for text in ['{"a": [1, 2, {"b": null}]}', "1", '"s"', "true", " [] "]:
        assert call("isValidJSON", text) is True


# ------------------------------------------------------------------- toJSON


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (42.0, "42"),
        (-0.0, "-0"),
        (2.5, "2.5"),
        (0.1, "0.1"),
        (1e-7, "0.0000001"),
        (123456789.123, "123456789.123"),
        (999999999999999.0, "999999999999999"),
        (1e15, "1000000000000000"),
        (1e21, "1000000000000000000000"),
        (1e23, "100000000000000000000000"),
        (-1.5e300, "-15" + "0" * 299),
        ("hi", '"hi"'),
        ('q"b\\s/', '"q\\"b\\\\s/"'),
        ("\n\t\r\b\f\x01\x1f\x7f", '"\\n\\t\\r\\b\\f\\u0001\\u001f\x7f"'),
        ("日本🌍é", '"日本🌍é"'),
        ([], "[]"),
        (nums(1, 2, 3), "[1,2,3]"),
        ([["a"], [None, True]], '[["a"],[null,true]]'),
        (Json({"b": 1.0, "a": [1.5, None, "x"]}), '{"a":[1.5,null,"x"],"b":1}'),
        (Json({"k\n": {}}), '{"k\\n":{}}'),
        (Json(None), "null"),
        ([Json([1.0]), 2.0], "[[1],2]"),
    ],
)
def test_to_json(value: object, text: str) -> None:
    assert call("toJSON", value) == text


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (atlas_fn(lambda: 0, "f"), "function"),
        (builtin_value("len"), "function"),
        (Some(1.0), "Option"),
        (NONE, "Option"),
        (Ok(1.0), "Result"),
        (Err("e"), "Result"),
        (HashMap(), "HashMap"),
        (HashSet(), "HashSet"),
        (Queue(), "Queue"),
        (Stack(), "Stack"),
        ([1.0, Some(1.0)], "Option"),
    ],
)
def test_to_json_rejects_non_data(value: object, name: str) -> None:
    assert fails("toJSON", value) == ("AT0001", f"Type error: Cannot serialize {name} to JSON")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, [1.0, math.nan]])
def test_to_json_rejects_nan_and_infinity(value: object) -> None:
    assert fails("toJSON", value) == (
        "AT0001",
        "Type error: Cannot serialize NaN or Infinity to JSON",
    )


def test_to_json_round_trips_through_parse() -> None:
    text = call("toJSON", ["a", 1.5, [True, None]])
    assert call("parseJSON", text).data == ["a", 1.5, [True, None]]


# ---------------------------------------------------------- prettify / minify


def test_prettify() -> None:
    text = '{"b":[1,2.0,{}],"a":{"y":true,"x":null},"e":[]}'
    assert call("prettifyJSON", text, 2.0) == (
        "{\n"
        '  "a": {\n'
        '    "x": null,\n'
        '    "y": true\n'
        "  },\n"
        '  "b": [\n'
        "    1,\n"
        "    2.0,\n"
        "    {}\n"
        "  ],\n"
        '  "e": []\n'
        "}"
    )


def test_prettify_indent_widths() -> None:
    assert call("prettifyJSON", "[1,[2]]", 4.0) == "[\n    1,\n    [\n        2\n    ]\n]"
    assert call("prettifyJSON", '{"a":1}', 0.0) == '{\n"a": 1\n}'
    assert call("prettifyJSON", "3", 2.0) == "3"
    assert call("prettifyJSON", "{}", 2.0) == "{}"
    assert call("prettifyJSON", '"é"', 2.0) == '"é"'


def test_minify() -> None:
    assert call("minifyJSON", ' { "b" : [1, 2.50, true, null], "a": "x" } ') == (
        '{"a":"x","b":[1,2.5,true,null]}'
    )
    assert call("minifyJSON", "[1.0, 10, -0, 0.0]") == "[1.0,10,-0.0,0.0]"
    assert call("minifyJSON", '"a\\u0041\\n"') == '"aA\\n"'
    assert call("minifyJSON", "[]") == "[]"


@pytest.mark.parametrize(
    ("literal", "text"),
    [
        ("1", "1"),
        ("-7", "-7"),
        ("1.0", "1.0"),
        ("1e2", "100.0"),
        ("1E2", "100.0"),
        ("1.5", "1.5"),
        ("123456.789", "123456.789"),
        ("1e15", "1000000000000000.0"),
        ("1e16", "1e16"),
        ("1.5e20", "1.5e20"),
        ("0.0001", "0.0001"),
        ("0.00001", "0.00001"),
        ("0.000001", "1e-6"),
        ("1.5e-7", "1.5e-7"),
        ("-2.5e-10", "-2.5e-10"),
        ("18446744073709551615", "18446744073709551615"),
        ("18446744073709551616", "1.8446744073709552e19"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("-9223372036854775809", "-9.223372036854776e18"),
        ("1" + "0" * 30, "1e30"),
    ],
)
def test_number_kinds_survive_reformatting(literal: str, text: str) -> None:
    assert call("minifyJSON", literal) == text


def test_float_text_matches_serde() -> None:
    assert float_text(0.1 + 0.2) == "0.30000000000000004"
    assert float_text(1e-5) == "0.00001"
    assert float_text(-1e300) == "-1e300"
    assert float_text(5e-324) == "5e-324"
    assert float_text(1.7976931348623157e308) == "1.7976931348623157e308"


def test_prettify_and_minify_errors() -> None:
    assert fails("prettifyJSON", "[1,]", 2.0)[1].startswith("Type error: Invalid JSON: ")
    assert fails("minifyJSON", "{")[1].startswith("Type error: Invalid JSON: ")
    indent = ("AT0001", "Type error: prettifyJSON() indent must be non-negative integer")
    assert fails("prettifyJSON", "[]", -1.0) == indent
    assert fails("prettifyJSON", "[]", 1.5) == indent
    assert fails("prettifyJSON", "[]", math.nan) == indent
    assert fails("prettifyJSON", "[]", math.inf) == indent
    assert fails("prettifyJSON", 1.0, 2.0) == (
        "AT0001",
        "Type error: prettifyJSON() requires string as first argument",
    )
    assert fails("prettifyJSON", "[]", "2") == (
        "AT0001",
        "Type error: prettifyJSON() requires number as second argument",
    )
    assert fails("minifyJSON", []) == (
        "AT0001",
        "Type error: minifyJSON() requires string argument",
    )


# --------------------------------------------------------------- extraction


def test_extraction() -> None:
    doc = call("parseJSON", '{"s":"x","n":2.5,"b":false,"z":null,"a":[],"o":{}}').data
    assert call("jsonAsString", Json(doc["s"])) == "x"
    assert call("jsonAsNumber", Json(doc["n"])) == 2.5
    assert call("jsonAsBool", Json(doc["b"])) is False
    assert call("jsonIsNull", Json(doc["z"])) is True
    assert call("jsonIsNull", Json(doc["b"])) is False
    assert call("jsonIsNull", Json(doc)) is False


@pytest.mark.parametrize(
    ("name", "wanted", "data", "actual"),
    [
        ("jsonAsString", "string", 1.0, "number"),
        ("jsonAsString", "string", None, "null"),
        ("jsonAsNumber", "number", "1", "string"),
        ("jsonAsNumber", "number", True, "bool"),
        ("jsonAsBool", "bool", [], "array"),
        ("jsonAsBool", "bool", {}, "object"),
    ],
)
def test_extraction_kind_errors(name: str, wanted: str, data: object, actual: str) -> None:
    assert fails(name, Json(data)) == (
        "AT0001",
        f"Type error: Cannot extract {wanted} from JSON value of type '{actual}'",
    )


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("jsonAsString", "as_string"),
        ("jsonAsNumber", "as_number"),
        ("jsonAsBool", "as_bool"),
        ("jsonIsNull", "is_null"),
    ],
)
def test_extraction_requires_json(name: str, method: str) -> None:
    assert fails(name, "x") == ("AT0001", f"Type error: {method}() requires json argument")
    assert fails(name, None) == ("AT0001", f"Type error: {method}() requires json argument")
