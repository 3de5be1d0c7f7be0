"""Runtime values (reference 4.10, 4.11, 4.13 and 5).

Representation (one Python type per Atlas kind, so `type(v) is X` dispatches):

| Atlas            | Python                                   |
|------------------|------------------------------------------|
| number           | `float` (never `int`)                    |
| bool             | `bool`                                   |
| null             | `None`                                   |
| string           | `str`                                    |
| array            | `list`                                   |
| Some(v) / None   | `Some` / the singleton `NONE`            |
| Ok(v) / Err(e)   | `Ok` / `Err`                             |
| HashMap, HashSet | `HashMap`, `HashSet`                     |
| Queue, Stack     | `Queue`, `Stack`                         |
| json             | `Json` (wraps parsed Python data)        |
| function         | `Function` (a compiled function + captures) |
| builtin          | `atlas.stdlib.registry.Builtin`          |

Value semantics with copy-on-write: containers are shared freely between names and
copied only when mutated while shared. "Shared" is decided from CPython's reference
count (`take_unique`), the way Swift's `isKnownUniquelyReferenced` or NumPy's temporary
elision decide it: a container referenced only by the slot being mutated is mutated in
place; anything else is copied first, so a mutation is never visible through another
name, however the alias was made (binding, argument, element of another container,
capture, iteration snapshot).
"""

from __future__ import annotations

import math
import sys
from typing import Any

from .errors import AtlasRuntimeError

Value = Any


# --------------------------------------------------------------- Option and Result


class Some:
    __slots__ = ("value",)

    def __init__(self, value: Value) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Some({self.value!r})"


class NoneValue:
    """The `None` option. There is one instance, `NONE`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "None"


NONE = NoneValue()


class Ok:
    __slots__ = ("value",)

    def __init__(self, value: Value) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Ok({self.value!r})"


class Err:
    __slots__ = ("value",)

    def __init__(self, value: Value) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Err({self.value!r})"


# -------------------------------------------------------------------- collections

_NAN_KEY = object()
_TRUE_KEY = object()
_FALSE_KEY = object()


def hash_key(v: Value) -> Any:
    """Normalised dictionary key for a map key / set element (reference 7.6).

    `0` and `-0` are one key, every NaN is one key, and `true` never collides with `1`.
    """
    t = type(v)
    if t is float:
        return _NAN_KEY if v != v else v
    if t is str or v is None:
        return v
    if t is bool:
        return _TRUE_KEY if v else _FALSE_KEY
    raise AtlasRuntimeError(
        "AT0140", f"Cannot hash type {kind_name(v)} - only number, string, bool, null are hashable"
    )


class HashMap:
    """Insertion-ordered map; `entries` maps hash_key(k) -> (k, v)."""

    __slots__ = ("entries",)

    def __init__(self, entries: dict | None = None) -> None:
        self.entries: dict[Any, tuple[Value, Value]] = entries if entries is not None else {}

    def copy(self) -> HashMap:
        return HashMap(self.entries.copy())

    def __len__(self) -> int:
        return len(self.entries)


class HashSet:
    """Insertion-ordered set; `items` maps hash_key(x) -> x."""

    __slots__ = ("items",)

    def __init__(self, items: dict | None = None) -> None:
        self.items: dict[Any, Value] = items if items is not None else {}

    def copy(self) -> HashSet:
        return HashSet(self.items.copy())

    def __len__(self) -> int:
        return len(self.items)


class Queue:
    """FIFO; front at index `head` of `items` (amortised O(1) dequeue)."""

    __slots__ = ("head", "items")

    def __init__(self, items: list | None = None) -> None:
        self.items: list[Value] = items if items is not None else []
        self.head = 0

    def elements(self) -> list[Value]:
        return self.items[self.head :]

    def copy(self) -> Queue:
        return Queue(self.elements())

    def __len__(self) -> int:
        return len(self.items) - self.head


class Stack:
    """LIFO; top is the end of `items`."""

    __slots__ = ("items",)

    def __init__(self, items: list | None = None) -> None:
        self.items: list[Value] = items if items is not None else []

    def copy(self) -> Stack:
        return Stack(self.items.copy())

    def __len__(self) -> int:
        return len(self.items)


class Json:
    """An immutable JSON document: `data` is None/bool/float/str/list/dict (str keys)."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data

    def __repr__(self) -> str:
        return f"Json({self.data!r})"


# ---------------------------------------------------------------------- functions


class Function:
    """A user function value: its compiled prototype plus captured values (by value)
    and captured cells (sibling nested functions, looked up when called)."""

    __slots__ = ("captures", "proto")

    def __init__(self, proto: Any, captures: list | tuple = ()) -> None:
        self.proto = proto
        self.captures = captures

    @property
    def name(self) -> str:
        return self.proto.name

    def __repr__(self) -> str:
        return f"<fn {self.proto.name}>"


class Cell:
    """Holds a nested function binding; `UNDEFINED` until its declaration runs."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: Value = None) -> None:
        self.name = name
        self.value = UNDEFINED if value is None else value


class Undefined:
    """Marks a global or nested-function slot whose declaration has not run yet."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<undefined>"


UNDEFINED = Undefined()


# ----------------------------------------------------------------- copy-on-write

_getrefcount = sys.getrefcount


def _refs_of_item(container: list, key: int) -> int:
    # Must have exactly the shape of the first two lines of `take_unique`.
    v = container[key]
    return _getrefcount(v)


def _calibrate_unique_refs() -> int:
    """Reference count `take_unique` sees for a container held by one slot only.

    Measured rather than assumed, so that an interpreter that counts differently cannot
    make an aliased container look unique: if an alias does not raise the count, every
    mutation copies (always correct, just slower).
    """
    alone = [[0.0]]
    unique = _refs_of_item(alone, 0)
    aliased = [[0.0]]
    alias = aliased[0]
    shared = _refs_of_item(aliased, 0)
    del alias
    return unique if shared > unique else -1


UNIQUE_REFS = _calibrate_unique_refs()


def take_unique(container: list, key: int) -> Any:
    """Return `container[key]` (a list or collection), copied first unless this slot is
    its only holder, so that mutating the result is invisible through any other name."""
    v = container[key]
    if _getrefcount(v) > UNIQUE_REFS:
        v = v.copy()
        container[key] = v
    return v


# ------------------------------------------------------------------- kinds, equality


_KIND_NAMES: dict[type, str] = {
    float: "number",
    bool: "bool",
    str: "string",
    type(None): "null",
    list: "array",
    Some: "Option",
    NoneValue: "Option",
    Ok: "Result",
    Err: "Result",
    HashMap: "hashmap",
    HashSet: "hashset",
    Queue: "queue",
    Stack: "stack",
    Json: "json",
    Function: "function",
}

# Extra kinds (builtins, EXTENDED values) register here: type -> (kind name, typeof name).
_EXTRA_KINDS: dict[type, tuple[str, str]] = {}


def register_kind(cls: type, kind: str, typeof: str | None = None) -> None:
    """Teach `kind_name`/`typeof_name` about a value class defined elsewhere."""
    _EXTRA_KINDS[cls] = (kind, typeof or kind)


def kind_name(v: Value) -> str:
    """The kind name used in runtime error messages (`number`, `array`, `Option`, ...)."""
    name = _KIND_NAMES.get(type(v))
    if name is not None:
        return name
    extra = _EXTRA_KINDS.get(type(v))
    return extra[0] if extra else type(v).__name__


def typeof_name(v: Value) -> str:
    """The `typeof()` name (reference 5.4): like kind_name but `option`/`result`."""
    t = type(v)
    if t in (Some, NoneValue):
        return "option"
    if t in (Ok, Err):
        return "result"
    extra = _EXTRA_KINDS.get(t)
    if extra:
        return extra[1]
    return kind_name(v)


def values_equal(a: Value, b: Value) -> bool:
    """Atlas `==`: IEEE for numbers, content for strings, structural for containers,
    by name for functions; values of different kinds are never equal."""
    ta = type(a)
    if ta is not type(b):
        return False
    if ta is float or ta is str or ta is bool or a is None:
        return a == b
    # Containers: compare pairs from an explicit stack (no recursion, so values nested
    # any depth compare fine); `_shallow_equal` pushes the pairs inside a pair.
    pairs = [(a, b)]
    while pairs:
        x, y = pairs.pop()
        if not _shallow_equal(x, y, pairs):
            return False
    return True


def _shallow_equal(a: Value, b: Value, pairs: list) -> bool:
    """Whether `a` and `b` may be equal, pushing onto `pairs` what remains to compare."""
    ta = type(a)
    if ta is not type(b):
        return False
    if ta is float or ta is str or ta is bool or a is None:
        return a == b
    if ta is list:
        if len(a) != len(b):
            return False
        pairs.extend(zip(a, b, strict=True))
        return True
    if ta is Some or ta is Ok or ta is Err:
        pairs.append((a.value, b.value))
        return True
    if ta is NoneValue:
        return True
    if ta is HashMap:
        if len(a.entries) != len(b.entries):
            return False
        for key, (_, value) in a.entries.items():
            other = b.entries.get(key)
            if other is None:
                return False
            pairs.append((value, other[1]))
        return True
    if ta is HashSet:
        return a.items.keys() == b.items.keys()
    if ta is Queue:
        pairs.append((a.elements(), b.elements()))
        return True
    if ta is Stack:
        pairs.append((a.items, b.items))
        return True
    if ta is Json:
        return json_equal(a.data, b.data)
    if ta is Function:
        return a.proto.name == b.proto.name
    name_a = getattr(a, "name", None)
    if name_a is not None:  # builtins and other named callables
        return name_a == getattr(b, "name", None)
    return a is b or a == b


def json_equal(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return a == b


# ------------------------------------------------------------------------ display


def format_number(x: float) -> str:
    """Number display (reference 5.2): integers exactly, others shortest round-trip,
    never with an exponent; `NaN`, `inf`, `-inf`, and `-0` for negative zero."""
    if x != x:
        return "NaN"
    if x == math.inf:
        return "inf"
    if x == -math.inf:
        return "-inf"
    if x == int(x):
        if x == 0:
            return "-0" if math.copysign(1.0, x) < 0 else "0"
        return str(int(x))
    return positional(repr(x))


def positional(text: str) -> str:
    """Rewrite Python's shortest repr (`1.5e-10`) in positional form (`0.00000000015`)."""
    if "e" not in text:
        return text
    mantissa, exp_text = text.split("e")
    exponent = int(exp_text)
    sign = ""
    if mantissa.startswith("-"):
        sign, mantissa = "-", mantissa[1:]
    if "." in mantissa:
        whole, frac = mantissa.split(".")
    else:
        whole, frac = mantissa, ""
    digits = (whole + frac).lstrip("0") or "0"
    point = len(whole) + exponent  # position of the decimal point within `whole + frac`
    lead_zeros = len(whole + frac) - len((whole + frac).lstrip("0"))
    point -= lead_zeros
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def display(v: Value) -> str:
    """The canonical text of a value (reference 5.1): what print and str show."""
    t = type(v)
    if t is str:
        return v
    if t is float:
        return format_number(v)
    if t is bool:
        return "true" if v else "false"
    if v is None:
        return "null"
    if t is list or t in _WRAPPERS:
        return _render(v, _display_step)
    if t is NoneValue:
        return "None"
    if t is Json:
        return json_display(v.data)
    if t is Function:
        return f"<fn {v.proto.name}>"
    if t is HashMap:
        return f"<HashMap size={len(v)}>"
    if t is HashSet:
        return f"<HashSet size={len(v)}>"
    if t is Queue:
        return f"<Queue size={len(v)}>"
    if t is Stack:
        return f"<Stack size={len(v)}>"
    custom = getattr(v, "atlas_display", None)
    if custom is not None:
        return custom()
    return repr(v)


# Nested values (arrays, Some/Ok/Err, json documents) are rendered with an explicit
# stack rather than recursion: a value nested 100,000 deep (a list built as `[x, rest]`
# pairs) displays like any other, on any thread.


class _Text(str):
    """Punctuation on the rendering stack (its type tells it apart from a string value)."""

    __slots__ = ()


_WRAPPERS: dict[type, _Text] = {Some: _Text("Some("), Ok: _Text("Ok("), Err: _Text("Err(")}
_COMMA, _CLOSE_PAREN = _Text(", "), _Text(")")
_CLOSE_BRACKET, _CLOSE_BRACE = _Text("]"), _Text("}")


def _render(root: Any, step: Any) -> str:
    """Text of `root`: `step(item, out, stack)` appends an item's text to `out` or
    pushes its parts onto `stack`, last part first."""
    out: list[str] = []
    stack = [root]
    while stack:
        item = stack.pop()
        if type(item) is _Text:
            out.append(item)
        else:
            step(item, out, stack)
    return "".join(out)


def _push_items(stack: list, items: list, close: _Text) -> None:
    """Push `items` separated by commas, then `close`, so that they pop in order."""
    stack.append(close)
    for i in range(len(items) - 1, -1, -1):
        stack.append(items[i])
        if i:
            stack.append(_COMMA)


def _display_step(v: Value, out: list[str], stack: list) -> None:
    t = type(v)
    if t is list:
        out.append("[")
        _push_items(stack, v, _CLOSE_BRACKET)
    elif t in _WRAPPERS:
        out.append(_WRAPPERS[t])
        stack.append(_CLOSE_PAREN)
        stack.append(v.value)
    else:
        out.append(display(v))


I64_MAX = 2**63 - 1
I64_MIN = -(2**63)


def json_display(data: Any) -> str:
    """Display of a json value: numbers integral -> i64 (saturating), strings quoted
    without escaping, object keys sorted (reference 5.1)."""
    return _render(data, _json_step)


def _json_step(data: Any, out: list[str], stack: list) -> None:
    if data is None:
        out.append("null")
    elif data is True or data is False:
        out.append("true" if data else "false")
    elif isinstance(data, float | int):
        x = float(data)
        if x == x and x not in (math.inf, -math.inf) and x == int(x):
            out.append(str(max(I64_MIN, min(I64_MAX, int(x)))))
        else:
            out.append(format_number(x))
    elif isinstance(data, str):
        out.append(f'"{data}"')
    elif isinstance(data, list):
        out.append("[")
        _push_items(stack, data, _CLOSE_BRACKET)
    elif isinstance(data, dict):
        out.append("{")
        keys = sorted(data)
        stack.append(_CLOSE_BRACE)
        for i in range(len(keys) - 1, -1, -1):
            stack.append(data[keys[i]])
            stack.append(_Text(f'"{keys[i]}": '))
            if i:
                stack.append(_COMMA)
    else:
        out.append(str(data))
