"""Array builtins and the write-back array methods (reference 4.10 and 7.4).

The pure functions return new lists and never change their arguments. The write-back
builtins (`pop shift unshift reverse flatten`) and the methods of `METHOD_WRITEBACK`
(`push pop shift unshift reverse`) mutate a list the VM guarantees they own.
"""

from __future__ import annotations

import math
from functools import cmp_to_key
from typing import Any

from ..vm.errors import type_error
from ..vm.values import display, kind_name, values_equal
from ._args import array_arg, number_arg
from .registry import WriteBack, array_method_writeback, builtin

# -------------------------------------------------------------- in-place helpers


def _pop_last(name: str, a: object) -> Any:
    items = array_arg(name, a)
    if not items:
        raise type_error("Cannot pop from empty array")
    return items.pop()


def _pop_first(name: str, a: object) -> Any:
    items = array_arg(name, a)
    if not items:
        raise type_error("Cannot shift from empty array")
    return items.pop(0)


def _prepend(name: str, a: object, x: Any) -> list:
    items = array_arg(name, a)
    items.insert(0, x)
    return items


def _reverse(name: str, a: object) -> list:
    items = array_arg(name, a)
    items.reverse()
    return items


# ------------------------------------------------------------- pure functions


@builtin("arrayPush", 2)
def array_push(a: object, x: Any) -> list:
    """New array with `x` appended."""
    return [*array_arg("arrayPush", a), x]


@builtin("arrayPop", 1)
def array_pop(a: object) -> list:
    """The pair `[last, rest]`."""
    rest = list(array_arg("arrayPop", a))
    return [_pop_last("arrayPop", rest), rest]


@builtin("arrayShift", 1)
def array_shift(a: object) -> list:
    """The pair `[first, rest]`."""
    rest = list(array_arg("arrayShift", a))
    return [_pop_first("arrayShift", rest), rest]


@builtin("arrayUnshift", 2)
def array_unshift(a: object, x: Any) -> list:
    """New array with `x` first."""
    return [x, *array_arg("arrayUnshift", a)]


@builtin("arrayReverse", 1)
def array_reverse(a: object) -> list:
    return array_arg("arrayReverse", a)[::-1]


def _debug_text(v: Any) -> str:
    """Stand-in for the original's debug rendering, which orders mixed-kind sorts."""
    if v is None:
        return "Null"
    variant = {float: "Number", str: "String", bool: "Bool", list: "Array"}.get(type(v))
    return f"{variant or kind_name(v)}({display(v)})"


def compare_primitives(a: Any, b: Any) -> int | None:
    """-1, 0 or 1 for two numbers (NaN equal to everything) or two strings (by code
    point); None for any other pair."""
    if (type(a) is float and type(b) is float) or (type(a) is str and type(b) is str):
        return -1 if a < b else 1 if a > b else 0
    return None


def is_totally_ordered(values: list) -> bool:
    """All strings, or all NaN-free numbers: any stable sort then gives one result."""
    return all(type(x) is str for x in values) or all(type(x) is float and x == x for x in values)


def _natural_order(a: Any, b: Any) -> int:
    """arraySort's comparison; pairs of mixed kinds by debug rendering."""
    order = compare_primitives(a, b)
    if order is None:
        x, y = _debug_text(a), _debug_text(b)
        order = -1 if x < y else 1 if x > y else 0
    return order


@builtin("arraySort", 1)
def array_sort(a: object) -> list:
    """Stable sorted copy in natural order."""
    items = array_arg("arraySort", a)
    if is_totally_ordered(items):
        return sorted(items)
    return sorted(items, key=cmp_to_key(_natural_order))


@builtin("concat", 2)
def concat(a: object, b: object) -> list:
    return array_arg("concat", a) + array_arg("concat", b)


@builtin("arrayIndexOf", 2)
def array_index_of(a: object, x: Any) -> float:
    """First index whose element `== x` (structural), -1 if none."""
    for i, item in enumerate(array_arg("arrayIndexOf", a)):
        if values_equal(item, x):
            return float(i)
    return -1.0


@builtin("arrayLastIndexOf", 2)
def array_last_index_of(a: object, x: Any) -> float:
    items = array_arg("arrayLastIndexOf", a)
    for i in range(len(items) - 1, -1, -1):
        if values_equal(items[i], x):
            return float(i)
    return -1.0


@builtin("arrayIncludes", 2)
def array_includes(a: object, x: Any) -> bool:
    return any(values_equal(item, x) for item in array_arg("arrayIncludes", a))


def _clamped_index(x: float, length: int) -> int:
    """Truncate toward zero (NaN -> 0, infinities saturate) and clamp to [0, length]."""
    if x != x:
        return 0
    if math.isinf(x):
        return length if x > 0 else 0
    return min(max(int(x), 0), length)


@builtin("slice", 3)
def slice_(a: object, start: object, end: object) -> list:
    """Elements `[start, end)`; negative bounds mean 0, not "from the end"."""
    items = array_arg("slice", a)
    lo = _clamped_index(number_arg("slice", start), len(items))
    hi = _clamped_index(number_arg("slice", end), len(items))
    if lo > hi:
        raise type_error(f"Invalid slice range: start {lo} > end {hi}")
    return items[lo:hi]


# ---------------------------------------------------------- write-back builtins


@builtin("pop", 1, writeback=WriteBack.RETURNS_EXTRACTED)
def pop(a: object) -> Any:
    """Removes and yields the last element of the owned array."""
    return _pop_last("pop", a)


@builtin("shift", 1, writeback=WriteBack.RETURNS_EXTRACTED)
def shift(a: object) -> Any:
    """Removes and yields the first element of the owned array."""
    return _pop_first("shift", a)


@builtin("unshift", 2, writeback=WriteBack.RETURNS_COLLECTION)
def unshift(a: object, x: Any) -> list:
    """Puts `x` first in the owned array."""
    return _prepend("unshift", a, x)


@builtin("reverse", 1, writeback=WriteBack.RETURNS_COLLECTION)
def reverse(a: object) -> list:
    """Reverses the owned array."""
    return _reverse("reverse", a)


@builtin("flatten", 1, writeback=WriteBack.RETURNS_COLLECTION)
def flatten(a: object) -> list:
    """Flattens the owned array one level (non-array elements are kept)."""
    items = array_arg("flatten", a)
    flat: list = []
    for item in items:
        if type(item) is list:
            flat.extend(item)
        else:
            flat.append(item)
    items[:] = flat
    return items


# ------------------------------------------------------------ write-back methods


@array_method_writeback("push")
def method_push(a: object, x: Any) -> list:
    items = array_arg("arrayPush", a)
    items.append(x)
    return items


@array_method_writeback("pop")
def method_pop(a: object) -> Any:
    return _pop_last("arrayPop", a)


@array_method_writeback("shift")
def method_shift(a: object) -> Any:
    return _pop_first("arrayShift", a)


@array_method_writeback("unshift")
def method_unshift(a: object, x: Any) -> list:
    return _prepend("arrayUnshift", a, x)


@array_method_writeback("reverse")
def method_reverse(a: object) -> list:
    return _reverse("arrayReverse", a)
