"""Reflection (reference 7.10, "Reflection"): questions about values at run time."""

from __future__ import annotations

from typing import Any

from ..vm.errors import type_error
from ..vm.values import Function, display, kind_name, values_equal
from ._args import expected
from ._extended import extended
from .registry import Builtin

_PRIMITIVES = (float, str, bool, type(None))


@extended("reflect_typeof", 1)
def reflect_typeof(v: Any) -> str:
    """The kind name used in error messages: `number`, `Option`, `hashmap`, ..."""
    return kind_name(v)


@extended("reflect_is_callable", 1)
def reflect_is_callable(v: Any) -> bool:
    """True for functions declared in Atlas (false for builtins)."""
    return type(v) is Function


@extended("reflect_is_primitive", 1)
def reflect_is_primitive(v: Any) -> bool:
    """True for number, string, bool and null."""
    return type(v) in _PRIMITIVES


@extended("reflect_same_type", 2)
def reflect_same_type(a: Any, b: Any) -> bool:
    """Whether both values are of the same kind (`Some(1)` and `None` are: Option)."""
    return kind_name(a) == kind_name(b)


def _sized(name: str, v: Any) -> str | list:
    if type(v) is not str and type(v) is not list:
        raise type_error(f"{name}: expected array or string, got {kind_name(v)}")
    return v


@extended("reflect_get_length", 1)
def reflect_get_length(v: Any) -> float:
    """Elements of an array, code points of a string."""
    return float(len(_sized("reflect_get_length", v)))


@extended("reflect_is_empty", 1)
def reflect_is_empty(v: Any) -> bool:
    return len(_sized("reflect_is_empty", v)) == 0


_DESCRIPTIONS = {
    "null": "null type",
    "json": "dynamic JSON value type",
    "Option": "Option type",
    "Result": "Result type",
    "hashmap": "HashMap type",
    "hashset": "HashSet type",
    "queue": "Queue type",
    "stack": "Stack type",
    "builtin": "builtin function type",
    "regex": "Regex type",
    "datetime": "DateTime type",
}


@extended("reflect_type_describe", 1)
def reflect_type_describe(v: Any) -> str:
    """A phrase for the value's type: `primitive number type`, `array of number`
    (by the kinds of the elements: `empty array`, `array of mixed types`),
    `function f`, `dynamic JSON value type`, ..."""
    kind = kind_name(v)
    if kind in ("number", "string", "bool"):
        return f"primitive {kind} type"
    if type(v) is list:
        kinds = {kind_name(x) for x in v}
        if not kinds:
            return "empty array"
        return f"array of {kinds.pop()}" if len(kinds) == 1 else "array of mixed types"
    if type(v) is Function:
        return f"function {v.name}"
    return _DESCRIPTIONS.get(kind, f"{kind} type")


@extended("reflect_clone", 1)
def reflect_clone(v: Any) -> Any:
    """The value itself: values already behave as independent copies (reference 4.10)."""
    return v


@extended("reflect_value_to_string", 1)
def reflect_value_to_string(v: Any) -> str:
    """The display form of any value (reference 5.1)."""
    return display(v)


@extended("reflect_deep_equals", 2)
def reflect_deep_equals(a: Any, b: Any) -> bool:
    """Structural equality, as `==`: primitives, arrays, collections, json, Option,
    Result, functions by name."""
    return values_equal(a, b)


def _function(name: str, f: Any) -> Function | Builtin:
    if type(f) is not Function and type(f) is not Builtin:
        raise expected(name, "function", f)
    return f


@extended("reflect_get_function_name", 1)
def reflect_get_function_name(f: Any) -> str:
    return _function("reflect_get_function_name", f).name


@extended("reflect_get_function_arity", 1)
def reflect_get_function_arity(f: Any) -> float:
    """The parameter count (a builtin: the fewest arguments it accepts)."""
    fn = _function("reflect_get_function_arity", f)
    return float(fn.proto.nparams if type(fn) is Function else fn.min_args)
