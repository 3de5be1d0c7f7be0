"""JSON builtins (reference 4.13 and 7.7).

Parsing is strict RFC 8259 (Python's `json` plus hooks that reject `NaN`/`Infinity`,
numbers out of the double range and unpaired surrogate escapes). `parseJSON` makes
every number a double; `prettifyJSON`/`minifyJSON` instead keep each number's kind, as
the original's serde_json does: integer literals stay integers, others print in serde's
(ryu's) float format, so `1.0` stays `1.0`. Object keys are always written sorted.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from ..vm.errors import type_error
from ..vm.values import (
    I64_MIN,
    Err,
    Function,
    HashMap,
    HashSet,
    Json,
    NoneValue,
    Ok,
    Queue,
    Some,
    Stack,
    kind_name,
)
from ._args import is_integral
from ._numbers import to_string_number
from .registry import Builtin, builtin

U64_MAX = 2**64 - 1


class InvalidJson(Exception):
    """Why a text is not JSON (becomes AT0001 `Invalid JSON: <reason>`)."""


# ------------------------------------------------------------------- parsing


def _finite(x: float) -> float:
    if not math.isfinite(x):
        raise InvalidJson("number out of range")
    return x


def _reject_constant(name: str) -> Any:
    raise InvalidJson(f"{name} is not a JSON value")


def _exact_int(text: str) -> int | float:
    """serde_json's reading of an integer literal: i64/u64 when it fits, else a double
    (and `-0` is the double -0.0)."""
    if len(text) <= 21:  # longer literals cannot fit in 64 bits
        value = int(text)
        if text.startswith("-"):
            if value != 0 and value >= I64_MIN:
                return value
        elif value <= U64_MAX:
            return value
    return _finite(float(text))


def _check_strings(data: Any) -> None:
    """Reject strings holding unpaired surrogates (from `\\ud800`-style escapes)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            texts: list[str] = [node]
        elif isinstance(node, list):
            stack.extend(node)
            continue
        elif isinstance(node, dict):
            stack.extend(node.values())
            texts = list(node)
        else:
            continue
        for text in texts:
            if any("\ud800" <= c <= "\udfff" for c in text):
                raise InvalidJson("lone surrogate in string escape")


def parse_text(text: str, *, exact_numbers: bool = False) -> Any:
    """Parse JSON text into None/bool/float/str/list/dict (ints too if `exact_numbers`).

    Raises InvalidJson with the reason."""
    parse_int: Callable[[str], Any] = _exact_int if exact_numbers else (lambda t: _finite(float(t)))
    try:
        data = json.loads(
            text,
            parse_int=parse_int,
            parse_float=lambda t: _finite(float(t)),
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as e:
        reason = e.msg.removesuffix(" at")  # "Invalid control character at"
        raise InvalidJson(f"{reason} at line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise InvalidJson("recursion limit exceeded") from None
    if "\\u" in text:
        _check_strings(data)
    return data


def _parse_or_fail(text: str, *, exact_numbers: bool = False) -> Any:
    try:
        return parse_text(text, exact_numbers=exact_numbers)
    except InvalidJson as e:
        raise type_error(f"Invalid JSON: {e}") from None


# --------------------------------------------------------------- serialising


def quote(s: str) -> str:
    """A JSON string literal: `"`, `\\` and control characters escaped, the rest raw."""
    return json.dumps(s, ensure_ascii=False)


def _number_text(x: float) -> str:
    """toJSON's number text (toString's rules, but NaN and infinities are errors)."""
    if not math.isfinite(x):
        raise type_error("Cannot serialize NaN or Infinity to JSON")
    return to_string_number(x)


def _data_text(data: Any) -> str:
    """Compact JSON of parsed data (a json value), keys sorted."""
    if data is None:
        return "null"
    if data is True or data is False:
        return "true" if data else "false"
    if isinstance(data, float | int):
        return _number_text(float(data))
    if isinstance(data, str):
        return quote(data)
    if isinstance(data, list):
        return "[" + ",".join(_data_text(x) for x in data) + "]"
    return "{" + ",".join(f"{quote(k)}:{_data_text(data[k])}" for k in sorted(data)) + "}"


_UNSERIALIZABLE: dict[type, str] = {
    Function: "function",
    Builtin: "function",
    Some: "Option",
    NoneValue: "Option",
    Ok: "Result",
    Err: "Result",
    HashMap: "HashMap",
    HashSet: "HashSet",
    Queue: "Queue",
    Stack: "Stack",
}


def to_json_text(v: Any) -> str:
    """The `toJSON` text of an Atlas value."""
    t = type(v)
    if t is list:
        return "[" + ",".join(to_json_text(x) for x in v) + "]"
    if t is Json:
        return _data_text(v.data)
    if v is None or t is bool or t is float or t is str:
        return _data_text(v)
    raise type_error(f"Cannot serialize {_UNSERIALIZABLE.get(t) or kind_name(v)} to JSON")


def float_text(x: float) -> str:
    """A double as serde_json writes it (ryu): `1.0`, `0.00001`, `1e16`, `1.5e-7`."""
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    mantissa, _, exponent = repr(abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + int(exponent or 0)  # decimal point after `point` digits
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    length = len(digits)
    if length <= point <= 16:
        return f"{sign}{digits}{'0' * (point - length)}.0"
    if 0 < point <= 16:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -5 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    scientific = digits if length == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{sign}{scientific}e{point - 1}"


def format_data(data: Any, indent: str | None, level: int = 0) -> str:
    """Re-serialise exactly-parsed data: compact (`indent` None) or one item per line."""
    if data is None or data is True or data is False:
        return "null" if data is None else "true" if data else "false"
    if isinstance(data, int):
        return str(data)
    if isinstance(data, float):
        return float_text(data)
    if isinstance(data, str):
        return quote(data)
    if isinstance(data, list):
        items = [format_data(x, indent, level + 1) for x in data]
        brackets = "[]"
    else:
        colon = ":" if indent is None else ": "
        items = [
            f"{quote(k)}{colon}{format_data(data[k], indent, level + 1)}" for k in sorted(data)
        ]
        brackets = "{}"
    if not items:
        return brackets
    if indent is None:
        return brackets[0] + ",".join(items) + brackets[1]
    inner = "\n" + indent * (level + 1)
    return brackets[0] + inner + ("," + inner).join(items) + "\n" + indent * level + brackets[1]


# ------------------------------------------------------------------ builtins


def _text_arg(message: str, text: Any) -> str:
    if type(text) is not str:
        raise type_error(message)
    return text


@builtin("parseJSON", 1)
def parse_json(text: Any) -> Json:
    """Parse JSON text; every number becomes a double."""
    text = _text_arg("parseJSON() requires string argument", text)
    return Json(_parse_or_fail(text))


@builtin("toJSON", 1)
def to_json(v: Any) -> str:
    return to_json_text(v)


@builtin("isValidJSON", 1)
def is_valid_json(text: Any) -> bool:
    text = _text_arg("isValidJSON() requires string argument", text)
    try:
        parse_text(text)
    except InvalidJson:
        return False
    return True


@builtin("prettifyJSON", 2)
def prettify_json(text: Any, indent: Any) -> str:
    """`indent` spaces per level, one element per line, keys sorted."""
    text = _text_arg("prettifyJSON() requires string as first argument", text)
    if type(indent) is not float:
        raise type_error("prettifyJSON() requires number as second argument")
    if not is_integral(indent) or indent < 0:
        raise type_error("prettifyJSON() indent must be non-negative integer")
    return format_data(_parse_or_fail(text, exact_numbers=True), " " * int(indent))


@builtin("minifyJSON", 1)
def minify_json(text: Any) -> str:
    text = _text_arg("minifyJSON() requires string argument", text)
    return format_data(_parse_or_fail(text, exact_numbers=True), None)


# ----------------------------------------------------------------- extraction


def json_kind(data: Any) -> str:
    """The JSON type name used in extraction errors."""
    if data is None:
        return "null"
    if data is True or data is False:
        return "bool"
    if isinstance(data, float | int):
        return "number"
    if isinstance(data, str):
        return "string"
    return "array" if isinstance(data, list) else "object"


def _extract(method: str, kind: str, j: Any) -> Any:
    """The data of json `j` if it is of JSON kind `kind`."""
    if type(j) is not Json:
        raise type_error(f"{method}() requires json argument")
    if json_kind(j.data) != kind:
        raise type_error(f"Cannot extract {kind} from JSON value of type '{json_kind(j.data)}'")
    return j.data


@builtin("jsonAsString", 1)
def json_as_string(j: Any) -> str:
    return _extract("as_string", "string", j)


@builtin("jsonAsNumber", 1)
def json_as_number(j: Any) -> float:
    return float(_extract("as_number", "number", j))


@builtin("jsonAsBool", 1)
def json_as_bool(j: Any) -> bool:
    return _extract("as_bool", "bool", j)


@builtin("jsonIsNull", 1)
def json_is_null(j: Any) -> bool:
    if type(j) is not Json:
        raise type_error("is_null() requires json argument")
    return j.data is None
