"""Type checks and conversions (reference 5.4 and 7.8)."""

from __future__ import annotations

import re
from typing import Any

from ..vm.errors import type_error
from ..vm.values import (
    I64_MAX,
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
    display,
    typeof_name,
)
from ._args import display_name_arity, is_function_value
from ._numbers import payload_number, to_string_number
from .registry import Builtin, builtin
from .strings import trim_white_space

# ----------------------------------------------------------------- type checks


@builtin("typeof", 1, arity_error=display_name_arity("typeOf"))
def typeof(v: Any) -> str:
    """`number`, `string`, `option`, `hashmap`, ... (reference 5.4)."""
    return typeof_name(v)


@builtin("isString", 1)
def is_string(v: Any) -> bool:
    return type(v) is str


@builtin("isNumber", 1)
def is_number(v: Any) -> bool:
    return type(v) is float


@builtin("isBool", 1)
def is_bool(v: Any) -> bool:
    return type(v) is bool


@builtin("isNull", 1)
def is_null(v: Any) -> bool:
    """True only for Atlas `null` (a JSON null is a json value)."""
    return v is None


@builtin("isArray", 1)
def is_array(v: Any) -> bool:
    return type(v) is list


@builtin("isFunction", 1)
def is_function(v: Any) -> bool:
    return is_function_value(v)


@builtin("isObject", 1)
def is_object(v: Any) -> bool:
    """True only for a json object."""
    return type(v) is Json and isinstance(v.data, dict)


def _name_arg(fn: str, what: str, name: Any) -> str:
    if type(name) is not str:
        raise type_error(f"{fn}() requires {what} string as second argument")
    return name


@builtin("isType", 2)
def is_type(v: Any, name: Any) -> bool:
    """`typeof(v) == name`, where `"object"` means a json object."""
    name = _name_arg("isType", "type name", name)
    return is_object(v) if name == "object" else typeof_name(v) == name


def _field(v: Any, key: str) -> tuple[bool, Any]:
    """(present, value) of a json object key or a HashMap string key."""
    if type(v) is Json and isinstance(v.data, dict) and key in v.data:
        return True, v.data[key]
    if type(v) is HashMap and key in v.entries:
        return True, v.entries[key][1]
    return False, None


@builtin("hasField", 2)
def has_field(v: Any, name: Any) -> bool:
    return _field(v, _name_arg("hasField", "field name", name))[0]


@builtin("hasMethod", 2)
def has_method(v: Any, name: Any) -> bool:
    """Identical to hasField, as in the original."""
    return _field(v, _name_arg("hasMethod", "method name", name))[0]


@builtin("hasTag", 2)
def has_tag(v: Any, tag: Any) -> bool:
    """Whether the `"tag"` field is the string `tag`."""
    tag = _name_arg("hasTag", "tag value", tag)
    present, value = _field(v, "tag")
    return present and type(value) is str and value == tag


# ------------------------------------------------------------------- toString

_BRACKET_NAMES: dict[type, str] = {
    list: "Array",
    Function: "Function",
    Json: "JSON",
    Some: "Option",
    NoneValue: "Option",
    Ok: "Result",
    Err: "Result",
    HashMap: "HashMap",
    HashSet: "HashSet",
    Queue: "Queue",
    Stack: "Stack",
}


def _bracketed(v: Any) -> str:
    """`[Array]`, `[Builtin len]`, ... for a non-primitive value."""
    if type(v) is Builtin:
        return f"[Builtin {v.name}]"
    name = _BRACKET_NAMES.get(type(v))
    return f"[{name}]" if name else display(v)


def _payload_text(v: Any) -> str:
    """A payload of Some/Ok/Err: strings quoted, containers bracketed."""
    t = type(v)
    if t is str:
        return f'"{v}"'
    if t is float:
        return payload_number(v)
    if t is bool or v is None:
        return display(v)
    return _bracketed(v)


def to_string_text(v: Any) -> str:
    """The `toString` rendering of reference 5.4 (it differs from display)."""
    t = type(v)
    if t is str:
        return v
    if t is float:
        return to_string_number(v)
    if t is bool or v is None or t is NoneValue:
        return display(v)
    if t is Some or t is Ok or t is Err:
        return f"{t.__name__}({_payload_text(v.value)})"
    return _bracketed(v)


@builtin("toString", 1)
def to_string(v: Any) -> str:
    return to_string_text(v)


# ----------------------------------------------------------------- to numbers

# What the original's float parser accepts (after trimming): decimal with optional sign,
# `.5` and `5.`, an exponent, and inf/infinity/nan in any case. No `_`, no hex.
_FLOAT_SYNTAX = re.compile(
    r"[+-]?(?:inf|infinity|nan|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?)",
    re.IGNORECASE,
)


def parse_decimal(text: str) -> float | None:
    """`text` (already trimmed) as a float, or None when it is not one."""
    return float(text) if _FLOAT_SYNTAX.fullmatch(text) else None


def _parse_string(s: str, empty_message: str, bad_message: str) -> float:
    trimmed = trim_white_space(s)
    if not trimmed:
        raise type_error(empty_message)
    value = parse_decimal(trimmed)
    if value is None:
        raise type_error(bad_message)
    return value


@builtin("toNumber", 1)
def to_number(v: Any) -> float:
    if type(v) is float:
        return v
    if type(v) is bool:
        return 1.0 if v else 0.0
    if type(v) is str:
        return _parse_string(
            v, "Cannot convert empty string to number", f"Cannot convert '{v}' to number"
        )
    raise type_error(f"Cannot convert {typeof_name(v)} to number")


@builtin("parseFloat", 1)
def parse_float(s: Any) -> float:
    if type(s) is not str:
        raise type_error("parseFloat() requires string argument")
    return _parse_string(s, "Cannot parse empty string as float", f"Cannot parse '{s}' as float")


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@builtin("parseInt", 2)
def parse_int(s: Any, radix: Any) -> float:
    """An integer in base `radix` (2-36) with an optional sign, within 64 bits."""
    if type(s) is not str:
        raise type_error("parseInt() requires string as first argument")
    if type(radix) is not float:
        raise type_error("parseInt() requires number as second argument")
    if not (radix.is_integer() and 2 <= radix <= 36):
        raise type_error("parseInt() radix must be integer between 2 and 36")
    base = int(radix)
    trimmed = trim_white_space(s)
    if not trimmed:
        raise type_error("Cannot parse empty string as integer")
    sign = -1.0 if trimmed[0] == "-" else 1.0
    digits = trimmed[1:] if trimmed[0] in "+-" else trimmed
    if not digits:
        raise type_error(f"Invalid integer for radix {base}")
    valid = _DIGITS[:base]
    if not all(c.isascii() and c.lower() in valid for c in digits):
        raise type_error(f"Invalid integer '{s}' for radix {base}")
    value = int(digits, base)
    if value > I64_MAX:
        raise type_error(f"Invalid integer '{s}' for radix {base}")
    return sign * float(value)


@builtin("toBool", 1)
def to_bool(v: Any) -> bool:
    """false for false, 0, -0, NaN, "" and null; true for everything else."""
    t = type(v)
    if t is bool:
        return v
    if t is float:
        return not (v == 0 or v != v)
    if t is str:
        return v != ""
    return v is not None
