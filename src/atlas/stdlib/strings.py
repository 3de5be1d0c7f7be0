"""String builtins (reference 7.3).

Atlas strings are sequences of Unicode scalar values, like Python's `str`, so positions
counted in code points are plain indices. `indexOf`, `lastIndexOf` and `substring` work
in UTF-8 byte offsets instead, as the original does.
"""

from __future__ import annotations

from ..limits import MAX_REPEAT_COUNT
from ..vm.errors import invalid_numeric, out_of_bounds, type_error
from ._args import array_arg, is_integral, non_negative_index, number_arg, string_arg
from .registry import builtin

# The Unicode White_Space property (what `trim` removes). Python's str.strip() would
# also remove U+001C..U+001F, which are not White_Space.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def trim_white_space(s: str) -> str:
    """`s` without leading and trailing Unicode White_Space."""
    return s.strip(WHITE_SPACE)


def _integer_arg(x: float, message: str) -> int:
    """An integral number (negatives saturate to 0), else AT0001 `Type error: <message>`."""
    if not is_integral(x):
        raise type_error(message)
    return non_negative_index(x)


# ------------------------------------------------------------------ splitting


@builtin("split", 2)
def split(s: object, sep: object) -> list[str]:
    """Pieces between occurrences of `sep`, empty pieces kept; `""` splits code points."""
    s, sep = string_arg("split", s), string_arg("split", sep)
    return list(s) if sep == "" else s.split(sep)


@builtin("join", 2)
def join(parts: object, sep: object) -> str:
    parts, sep = array_arg("join", parts), string_arg("join", sep)
    if any(type(p) is not str for p in parts):
        raise type_error("join() requires array of strings")
    return sep.join(parts)


@builtin("trim", 1)
def trim(s: object) -> str:
    return trim_white_space(string_arg("trim", s))


@builtin("trimStart", 1)
def trim_start(s: object) -> str:
    return string_arg("trimStart", s).lstrip(WHITE_SPACE)


@builtin("trimEnd", 1)
def trim_end(s: object) -> str:
    return string_arg("trimEnd", s).rstrip(WHITE_SPACE)


# ------------------------------------------------------------------ searching


@builtin("indexOf", 2)
def index_of(s: object, sub: object) -> float:
    """UTF-8 byte offset of the first occurrence, -1 if none."""
    s, sub = string_arg("indexOf", s), string_arg("indexOf", sub)
    return float(s.encode().find(sub.encode()))


@builtin("lastIndexOf", 2)
def last_index_of(s: object, sub: object) -> float:
    """UTF-8 byte offset of the last occurrence, -1 if none (`""` -> byte length)."""
    s, sub = string_arg("lastIndexOf", s), string_arg("lastIndexOf", sub)
    return float(s.encode().rfind(sub.encode()))


@builtin("includes", 2)
def includes(s: object, sub: object) -> bool:
    s, sub = string_arg("includes", s), string_arg("includes", sub)
    return sub in s


@builtin("startsWith", 2)
def starts_with(s: object, prefix: object) -> bool:
    return string_arg("startsWith", s).startswith(string_arg("startsWith", prefix))


@builtin("endsWith", 2)
def ends_with(s: object, suffix: object) -> bool:
    return string_arg("endsWith", s).endswith(string_arg("endsWith", suffix))


# ----------------------------------------------------------------- transforming


@builtin("toUpperCase", 1)
def to_upper_case(s: object) -> str:
    """Full Unicode upper-case mapping (`ß` -> `SS`)."""
    return string_arg("toUpperCase", s).upper()


@builtin("toLowerCase", 1)
def to_lower_case(s: object) -> str:
    return string_arg("toLowerCase", s).lower()


@builtin("substring", 3)
def substring(s: object, start: object, end: object) -> str:
    """Bytes `[start, end)` of the UTF-8 encoding, on character boundaries."""
    s = string_arg("substring", s)
    start, end = number_arg("substring", start), number_arg("substring", end)
    if not (is_integral(start) and is_integral(end)):
        raise type_error("substring() indices must be integers")
    lo, hi = non_negative_index(start), non_negative_index(end)
    data = s.encode()
    if lo > hi or hi > len(data):
        raise out_of_bounds()
    if not (_is_char_boundary(data, lo) and _is_char_boundary(data, hi)):
        raise type_error("substring() indices must be on UTF-8 character boundaries")
    return data[lo:hi].decode()


def _is_char_boundary(data: bytes, offset: int) -> bool:
    """Whether a UTF-8 byte offset falls between characters (not on a continuation byte)."""
    return offset == len(data) or data[offset] & 0xC0 != 0x80


@builtin("charAt", 2)
def char_at(s: object, i: object) -> str:
    s = string_arg("charAt", s)
    index = _integer_arg(number_arg("charAt", i), "charAt() index must be an integer")
    if index >= len(s):
        raise out_of_bounds()
    return s[index]


@builtin("repeat", 2)
def repeat(s: object, n: object) -> str:
    s, count = string_arg("repeat", s), number_arg("repeat", n)
    if not is_integral(count):
        raise type_error("repeat() count must be an integer")
    if count < 0:
        raise type_error("repeat() count cannot be negative")
    if count > MAX_REPEAT_COUNT:
        raise invalid_numeric()
    return s * int(count)


@builtin("replace", 3)
def replace(s: object, find: object, with_: object) -> str:
    """Replaces the first occurrence only; an empty `find` leaves `s` unchanged."""
    s = string_arg("replace", s)
    find, with_ = string_arg("replace", find), string_arg("replace", with_)
    return s if find == "" else s.replace(find, with_, 1)


def _padding(name: str, s: object, n: object, fill: object) -> tuple[str, str]:
    """(`s`, the padding that brings it to `n` code points) for padStart/padEnd."""
    s = string_arg(name, s)
    target = _integer_arg(number_arg(name, n), f"{name}() length must be an integer")
    fill = string_arg(name, fill)
    missing = target - len(s)
    if missing <= 0 or fill == "":
        return s, ""
    copies = -(-missing // len(fill))
    return s, (fill * copies)[:missing]


@builtin("padStart", 3)
def pad_start(s: object, n: object, fill: object) -> str:
    text, pad = _padding("padStart", s, n, fill)
    return pad + text


@builtin("padEnd", 3)
def pad_end(s: object, n: object, fill: object) -> str:
    text, pad = _padding("padEnd", s, n, fill)
    return text + pad
