"""Regular expressions (reference 7.10, "Regular expressions").

Patterns are compiled by Python's `re`. We accept its syntax, a superset of the Rust
`regex` crate the original used (backreferences and look-around work here too), and
translate the Rust spellings Python lacks: named groups `(?<name>...)`, the end-of-text
anchor `\\z` and ASCII classes in brackets (`[[:alpha:]_]`). Python's warnings about
syntax it may read differently one day are silenced. Python's `re` backtracks, so a
pathological pattern can be slow where the original's engine was linear.

Match offsets are UTF-8 byte offsets, as in the original. Replacement templates use the
Rust syntax: `$1`, `${1}`, `$name`, `${name}`, and `$$` for a dollar sign; a group that
does not exist or did not take part in the match is replaced by nothing.

A `Regex` displays as `<Regex /pattern/>`; two are equal when their pattern text and
flags are.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

from ..vm.errors import type_error
from ..vm.values import NONE, Err, HashMap, Ok, Some, register_kind
from ._args import expected, is_function_value, is_integral, number_arg, string_arg
from ._extended import extended, hashmap_of
from .registry import CallContext

FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class Regex:
    """A compiled pattern: the runtime kind `regex`."""

    __slots__ = ("compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: str, compiled: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.flags = flags
        self.compiled = compiled

    def __eq__(self, other: object) -> bool:
        return type(other) is Regex and (other.pattern, other.flags) == (self.pattern, self.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r}, {self.flags!r})"

    def atlas_display(self) -> str:
        return f"<Regex /{self.pattern}/>"


register_kind(Regex, "regex")


# The ASCII classes the original accepted inside brackets (`[[:alpha:]_]`), as ranges.
POSIX_CLASSES = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7F",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1F\\x7F",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}


def to_python_syntax(pattern: str) -> str:
    """Rewrite `(?<name>` as `(?P<name>` and `\\z` as `\\Z` outside character classes,
    and `[:alpha:]`-style classes inside them."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            out.append("\\Z" if nxt == "z" and not in_class else c + nxt)
            i += 2
            continue
        if in_class:
            end = pattern.find(":]", i + 2) if pattern.startswith("[:", i) else -1
            if end > 0 and pattern[i + 2 : end] in POSIX_CLASSES:
                out.append(POSIX_CLASSES[pattern[i + 2 : end]])
                i = end + 2
                continue
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if pattern.startswith("^]", i + 1) or pattern.startswith("]", i + 1):
                # a `]` first in a class is a literal: copy it with the opening bracket
                width = 3 if pattern[i + 1] == "^" else 2
                out.append(pattern[i : i + width])
                i += width
                continue
        elif pattern.startswith("(?<", i) and i + 3 < n and pattern[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        out.append(c)
        i += 1
    return "".join(out)


def compile_regex(pattern: str, flags: str = "") -> Regex:
    """Compile (re.error on a bad pattern, ValueError on an unknown flag)."""
    bits = 0
    for flag in flags:
        if flag not in FLAGS:
            raise ValueError(f"unknown regex flag '{flag}' (expected i, m, s or x)")
        bits |= FLAGS[flag]
    with warnings.catch_warnings():  # `re` warns about syntax it may read differently later
        warnings.simplefilter("ignore")
        compiled = re.compile(to_python_syntax(pattern), bits)
    return Regex(pattern, flags, compiled)


def _compiled(pattern: str, flags: str = "") -> Any:
    try:
        return Ok(compile_regex(pattern, flags))
    except (re.error, ValueError, OverflowError, RecursionError) as exc:  # absurd sizes, nesting
        return Err(f"regex parse error: {exc}")


@extended("regexNew", 1)
def regex_new(pattern: Any) -> Any:
    """`Ok(Regex)`, or `Err(message)` for an invalid pattern."""
    return _compiled(string_arg("regexNew", pattern))


@extended("regexNewWithFlags", 2)
def regex_new_with_flags(pattern: Any, flags: Any) -> Any:
    """Like regexNew with flags `i` (ignore case), `m` (multi-line), `s` (dot matches
    newline), `x` (verbose); an unknown flag is an `Err`."""
    return _compiled(
        string_arg("regexNewWithFlags", pattern), string_arg("regexNewWithFlags", flags)
    )


# The characters the original's escape function protected.
_META = frozenset("\\.+*?()|[]{}^$#&-~")


@extended("regexEscape", 1)
def regex_escape(text: Any) -> str:
    """`text` with every metacharacter escaped, so it matches itself literally."""
    return "".join("\\" + c if c in _META else c for c in string_arg("regexEscape", text))


# -------------------------------------------------------------------- matching


def _regex(name: str, value: Any) -> re.Pattern[str]:
    if type(value) is not Regex:
        raise expected(name, "regex", value)
    return value.compiled


class ByteOffsets:
    """Character offsets of one text to UTF-8 byte offsets, for increasing positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        self.char = 0
        self.byte = 0

    def __call__(self, index: int) -> float:
        if self.ascii:
            return float(index)
        if index < self.char:  # rare: an earlier position; start over
            self.char = self.byte = 0
        self.byte += len(self.text[self.char : index].encode("utf-8", "surrogatepass"))
        self.char = index
        return float(self.byte)


def _match_map(m: re.Match[str], offsets: ByteOffsets) -> HashMap:
    return hashmap_of({"text": m.group(0), "start": offsets(m.start()), "end": offsets(m.end())})


def _matches(name: str, regex: Any, text: Any) -> tuple[Iterator[re.Match[str]], ByteOffsets]:
    compiled = _regex(name, regex)
    subject = string_arg(name, text)
    return compiled.finditer(subject), ByteOffsets(subject)


@extended("regexIsMatch", 2)
def regex_is_match(regex: Any, text: Any) -> bool:
    """Whether the pattern matches anywhere in `text`."""
    compiled = _regex("regexIsMatch", regex)
    return compiled.search(string_arg("regexIsMatch", text)) is not None


@extended("regexTest", 2)
def regex_test(pattern: Any, text: Any) -> bool:
    """Compile `pattern` and test it; false when the pattern is invalid."""
    result = _compiled(string_arg("regexTest", pattern))
    subject = string_arg("regexTest", text)
    return type(result) is Ok and result.value.compiled.search(subject) is not None


@extended("regexFind", 2)
def regex_find(regex: Any, text: Any) -> Any:
    """`Some({text, start, end})` for the first match, else None."""
    matches, offsets = _matches("regexFind", regex, text)
    first = next(matches, None)
    return NONE if first is None else Some(_match_map(first, offsets))


@extended("regexFindAll", 2)
def regex_find_all(regex: Any, text: Any) -> list[HashMap]:
    """`{text, start, end}` for every match, left to right."""
    matches, offsets = _matches("regexFindAll", regex, text)
    return [_match_map(m, offsets) for m in matches]


def _group_texts(m: re.Match[str]) -> list[str | None]:
    """The whole match, then each group's text (null when it did not take part)."""
    return [m.group(0), *m.groups()]


@extended("regexCaptures", 2)
def regex_captures(regex: Any, text: Any) -> Any:
    """`Some([whole, group1, ...])` for the first match, else None."""
    compiled = _regex("regexCaptures", regex)
    m = compiled.search(string_arg("regexCaptures", text))
    return NONE if m is None else Some(_group_texts(m))


@extended("regexCapturesNamed", 2)
def regex_captures_named(regex: Any, text: Any) -> Any:
    """`Some(HashMap name -> text)` of the named groups of the first match (null for a
    group that did not take part), else None."""
    compiled = _regex("regexCapturesNamed", regex)
    m = compiled.search(string_arg("regexCapturesNamed", text))
    if m is None:
        return NONE
    names = sorted(compiled.groupindex, key=compiled.groupindex.__getitem__)
    return Some(hashmap_of({name: m.group(name) for name in names}))


@extended("regexMatchIndices", 2)
def regex_match_indices(regex: Any, text: Any) -> list[list[float]]:
    """`[start, end]` (byte offsets) of every match."""
    matches, offsets = _matches("regexMatchIndices", regex, text)
    return [[offsets(m.start()), offsets(m.end())] for m in matches]


# ----------------------------------------------------------------- replacing

_REFERENCE = re.compile(r"\$(?:\$|\{([^}]*)\}|([A-Za-z0-9_]+))")


def expand_template(template: str, m: re.Match[str]) -> str:
    """`template` with its `$` references replaced by the groups of `m`."""

    def group(ref: re.Match[str]) -> str:
        name = ref.group(1) if ref.group(1) is not None else ref.group(2)
        if name is None:
            return "$"
        key: int | str = int(name) if name.isdigit() else name
        try:
            return m.group(key) or ""
        except IndexError:  # no such group
            return ""

    return _REFERENCE.sub(group, template)


def _replace(name: str, regex: Any, text: Any, rep: Any, count: int) -> str:
    compiled = _regex(name, regex)
    subject = string_arg(name, text)
    template = string_arg(name, rep)
    return compiled.sub(lambda m: expand_template(template, m), subject, count=count)


@extended("regexReplace", 3)
def regex_replace(regex: Any, text: Any, rep: Any) -> str:
    """The first match replaced by the template `rep`."""
    return _replace("regexReplace", regex, text, rep, 1)


@extended("regexReplaceAll", 3)
def regex_replace_all(regex: Any, text: Any, rep: Any) -> str:
    """Every match replaced by the template `rep`."""
    return _replace("regexReplaceAll", regex, text, rep, 0)


def _replace_with(ctx: CallContext, name: str, regex: Any, text: Any, f: Any, count: int) -> str:
    compiled = _regex(name, regex)
    subject = string_arg(name, text)
    if not is_function_value(f):
        raise expected(name, "function", f)
    offsets = ByteOffsets(subject)

    def replacement(m: re.Match[str]) -> str:
        info = hashmap_of(
            {
                "text": m.group(0),
                "start": offsets(m.start()),
                "end": offsets(m.end()),
                "groups": _group_texts(m),
            }
        )
        result = ctx.call(f, [info])
        if type(result) is not str:
            raise type_error(f"{name}() callback must return string")
        return result

    return compiled.sub(replacement, subject, count=count)


@extended("regexReplaceWith", 3, needs_ctx=True)
def regex_replace_with(ctx: CallContext, regex: Any, text: Any, f: Any) -> str:
    """The first match replaced by `f({text, start, end, groups})`, which must return a
    string (`groups` is regexCaptures' array: the whole match first)."""
    return _replace_with(ctx, "regexReplaceWith", regex, text, f, 1)


@extended("regexReplaceAllWith", 3, needs_ctx=True)
def regex_replace_all_with(ctx: CallContext, regex: Any, text: Any, f: Any) -> str:
    """Every match replaced by what `f` returns for it."""
    return _replace_with(ctx, "regexReplaceAllWith", regex, text, f, 0)


# ------------------------------------------------------------------- splitting


def _split(compiled: re.Pattern[str], text: str, limit: int) -> list[str]:
    """`text` cut at each match (empty pieces kept), into at most `limit` pieces
    (0: no limit); the last piece holds the rest of the text."""
    pieces: list[str] = []
    last = 0
    for m in compiled.finditer(text):
        if limit and len(pieces) == limit - 1:
            break
        pieces.append(text[last : m.start()])
        last = m.end()
    pieces.append(text[last:])
    return pieces


@extended("regexSplit", 2)
def regex_split(regex: Any, text: Any) -> list[str]:
    compiled = _regex("regexSplit", regex)
    return _split(compiled, string_arg("regexSplit", text), 0)


@extended("regexSplitN", 3)
def regex_split_n(regex: Any, text: Any, limit: Any) -> list[str]:
    compiled = _regex("regexSplitN", regex)
    subject = string_arg("regexSplitN", text)
    n = number_arg("regexSplitN", limit)
    if not is_integral(n) or n < 0:
        raise type_error("regexSplitN: limit must be a non-negative whole number")
    return _split(compiled, subject, int(n))
