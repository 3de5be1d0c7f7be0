"""Regular expressions (reference 7.10, "Regular expressions")."""

from __future__ import annotations

import pytest
from stdlib_support import FakeContext, atlas_fn, call, fails

from atlas.stdlib.regex_lib import Regex, to_python_syntax
from atlas.vm.values import NONE, Err, HashMap, Ok, Some, display, hash_key, kind_name, values_equal


def rx(pattern: str, flags: str = "") -> Regex:
    result = call("regexNewWithFlags", pattern, flags) if flags else call("regexNew", pattern)
    assert type(result) is Ok, result
    return result.value


def fields(m: HashMap) -> dict:
    return {k: v for k, v in m.entries.values()}


# ------------------------------------------------------------------ compiling


def test_regex_values() -> None:
    r = rx(r"\d+")
    assert kind_name(r) == "regex"
    assert display(r) == r"<Regex /\d+/>"
    assert values_equal(r, rx(r"\d+"))
    assert not values_equal(r, rx(r"\d*"))
    assert not values_equal(rx("a"), rx("a", "i"))


def test_invalid_patterns_are_err() -> None:
    result = call("regexNew", "(unclosed")
    assert type(result) is Err
    assert result.value.startswith("regex parse error: ")
    bad_flag = call("regexNewWithFlags", "a", "iq")
    assert type(bad_flag) is Err
    assert "unknown regex flag 'q'" in bad_flag.value


def test_flags() -> None:
    assert call("regexIsMatch", rx("hello", "i"), "HeLLo") is True
    assert call("regexIsMatch", rx("hello"), "HeLLo") is False
    assert call("regexFindAll", rx("^b", "m"), "a\nb\nb") != []
    assert call("regexIsMatch", rx("a.b", "s"), "a\nb") is True
    assert call("regexIsMatch", rx("a.b"), "a\nb") is False
    assert call("regexIsMatch", rx("a b c  # comment", "x"), "abc") is True


def test_rust_spellings_are_translated() -> None:
    assert to_python_syntax(r"(?<year>\d{4})") == r"(?P<year>\d{4})"
    assert to_python_syntax(r"(?<=a)b(?<!c)") == r"(?<=a)b(?<!c)"
    assert to_python_syntax(r"end\z") == r"end\Z"
    assert to_python_syntax(r"[\z(?<x>]") == r"[\z(?<x>]"
    assert to_python_syntax(r"[]a](?<n>x)") == r"[]a](?P<n>x)"
    assert to_python_syntax(r"\\z") == r"\\z"
    assert call("regexIsMatch", rx(r"ab\z"), "xab") is True
    assert call("regexIsMatch", rx(r"ab\z"), "ab\n") is False


def test_ascii_classes_in_brackets() -> None:
    identifier = rx("^[[:alpha:]_][[:alnum:]_]*$")
    assert call("regexIsMatch", identifier, "snake_case9") is True
    assert call("regexIsMatch", identifier, "9lives") is False
    assert call("regexFindAll", rx("[[:punct:]]"), "a,b!") != []
    assert to_python_syntax("[[:space:][:digit:]]") == r"[\t\n\v\f\r 0-9]"
    assert to_python_syntax("[:alpha:]") == "[:alpha:]"  # outside brackets: a plain class


def test_compiling_never_prints_warnings(recwarn: pytest.WarningsRecorder) -> None:
    rx("[a-z&&[^aeiou]]")
    rx("[[a]")
    assert len(recwarn) == 0


def test_escape() -> None:
    text = r"a.b*c?(d)[e]{f}|g^h$i\j+k#l&m-n~o p"
    escaped = call("regexEscape", text)
    assert escaped == r"a\.b\*c\?\(d\)\[e\]\{f\}\|g\^h\$i\\j\+k\#l\&m\-n\~o p"
    found = call("regexFind", rx(escaped), "xx" + text + "yy")
    assert fields(found.value)["text"] == text


def test_is_match_and_test() -> None:
    assert call("regexIsMatch", rx("b+"), "abbbc") is True
    assert call("regexIsMatch", rx("^b"), "abc") is False
    assert call("regexTest", "[0-9]{3}", "ab123") is True
    assert call("regexTest", "[0-9]{3}", "ab12") is False
    assert call("regexTest", "(", "(") is False  # invalid pattern: false


# ------------------------------------------------------------------- matching


def test_find_reports_utf8_byte_offsets() -> None:
    found = call("regexFind", rx(r"\d+"), "été 42")
    assert type(found) is Some
    assert fields(found.value) == {"text": "42", "start": 6.0, "end": 8.0}
    assert call("regexFind", rx(r"\d"), "none") is NONE


def test_find_all_and_match_indices() -> None:
    matches = call("regexFindAll", rx("a+"), "caaab a ñaa")
    assert [fields(m) for m in matches] == [
        {"text": "aaa", "start": 1.0, "end": 4.0},
        {"text": "a", "start": 6.0, "end": 7.0},
        {"text": "aa", "start": 10.0, "end": 12.0},
    ]
    assert call("regexMatchIndices", rx("a+"), "caaab a ñaa") == [
        [1.0, 4.0],
        [6.0, 7.0],
        [10.0, 12.0],
    ]
    assert call("regexFindAll", rx("z"), "abc") == []
    assert call("regexMatchIndices", rx(""), "ab") == [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]


def test_captures() -> None:
    caps = call("regexCaptures", rx(r"(\w+)@(\w+)(\.com)?"), "mail: joe@example!")
    assert type(caps) is Some
    assert caps.value == ["joe@example", "joe", "example", None]
    assert call("regexCaptures", rx("x(y)"), "abc") is NONE


def test_named_captures() -> None:
    r = rx(r"(?<year>\d{4})-(?<month>\d{2})(?:-(?<day>\d{2}))?")
    named = call("regexCapturesNamed", r, "on 2024-03!")
    assert fields(named.value) == {"year": "2024", "month": "03", "day": None}
    assert list(named.value.entries) == [hash_key("year"), hash_key("month"), hash_key("day")]
    assert call("regexCapturesNamed", r, "never") is NONE
    assert fields(call("regexCapturesNamed", rx("a(b)"), "ab").value) == {}


# ------------------------------------------------------------------ replacing


@pytest.mark.parametrize(
    ("template", "first", "every"),
    [
        ("<$1>", "<2024>-01 1999-12", "<2024>-<01> <1999>-<12>"),
        ("${1}x", "2024x-01 1999-12", "2024x-01x 1999x-12x"),
        ("$1x", "-01 1999-12", "- -"),  # `$1x` names a group "1x": none, so nothing
        ("$$", "$-01 1999-12", "$-$ $-$"),
        ("[$0]", "[2024]-01 1999-12", "[2024]-[01] [1999]-[12]"),
        ("${n}", "2024-01 1999-12", "2024-01 1999-12"),
        ("$9", "-01 1999-12", "- -"),
        ("plain $", "plain $-01 1999-12", "plain $-plain $ plain $-plain $"),
    ],
)
def test_replace_templates(template: str, first: str, every: str) -> None:
    r = rx(r"(?<n>\d+)")
    text = "2024-01 1999-12"
    assert call("regexReplace", r, text, template) == first
    assert call("regexReplaceAll", r, text, template) == every


def test_replace_with_named_references() -> None:
    r = rx(r"(?<y>\d{4})-(?<m>\d{2})")
    assert call("regexReplaceAll", r, "2024-01, 1999-12", "$m/$y") == "01/2024, 12/1999"


def test_replace_with_callbacks() -> None:
    seen: list[dict] = []

    def shout(match: HashMap) -> str:
        info = fields(match)
        seen.append(info)
        return info["text"].upper()

    ctx = FakeContext()
    r = rx(r"(é)?(\w)\w*")
    assert call("regexReplaceWith", r, "ab cd", atlas_fn(shout), ctx=ctx) == "AB cd"
    assert seen == [{"text": "ab", "start": 0.0, "end": 2.0, "groups": ["ab", None, "a"]}]
    seen.clear()
    assert call("regexReplaceAllWith", r, "ab éd", atlas_fn(shout), ctx=ctx) == "AB ÉD"
    assert [s["start"] for s in seen] == [0.0, 3.0]
    assert seen[1]["end"] == 6.0


def test_replace_callback_must_return_a_string() -> None:
    def number(_match: HashMap) -> float:
        return 1.0

    assert fails("regexReplaceWith", rx("a"), "a", atlas_fn(number)) == (
        "AT0001",
        "Type error: regexReplaceWith() callback must return string",
    )
    assert fails("regexReplaceAllWith", rx("a"), "a", atlas_fn(number)) == (
        "AT0001",
        "Type error: regexReplaceAllWith() callback must return string",
    )
    assert fails("regexReplaceWith", rx("a"), "a", "f") == (
        "AT0102",
        "regexReplaceWith(): expected function, got string",
    )


# ------------------------------------------------------------------ splitting


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (",", "a,b,,c", ["a", "b", "", "c"]),
        (r"\s+", " a  b ", ["", "a", "b", ""]),
        ("(,)", "a,b", ["a", "b"]),  # groups are not spliced in
        ("x", "abc", ["abc"]),
        ("", "ab", ["", "a", "b", ""]),
        (",", "", [""]),
    ],
)
def test_split(pattern: str, text: str, expected: list[str]) -> None:
    assert call("regexSplit", rx(pattern), text) == expected


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (0.0, ["a", "b", "c", "d"]),
        (1.0, ["a,b,c,d"]),
        (2.0, ["a", "b,c,d"]),
        (4.0, ["a", "b", "c", "d"]),
        (10.0, ["a", "b", "c", "d"]),
    ],
)
def test_split_n(limit: float, expected: list[str]) -> None:
    assert call("regexSplitN", rx(","), "a,b,c,d", limit) == expected


def test_split_n_limit_must_be_a_whole_number() -> None:
    message = ("AT0001", "Type error: regexSplitN: limit must be a non-negative whole number")
    assert fails("regexSplitN", rx(","), "a", -1.0) == message
    assert fails("regexSplitN", rx(","), "a", 1.5) == message
    assert fails("regexSplitN", rx(","), "a", "2") == (
        "AT0102",
        "regexSplitN(): expected number, got string",
    )


# ------------------------------------------------------------ argument errors


@pytest.mark.parametrize(
    "name",
    [
        "regexIsMatch", "regexFind", "regexFindAll", "regexCaptures", "regexCapturesNamed",
        "regexSplit", "regexMatchIndices",
    ],
)  # fmt: skip
def test_regex_and_text_arguments(name: str) -> None:
    assert fails(name, "a+", "aaa") == ("AT0102", f"{name}(): expected regex, got string")
    assert fails(name, rx("a"), 1.0) == ("AT0102", f"{name}(): expected string, got number")
    assert fails(name, rx("a")) == ("AT0102", f"{name}(): expected 2 argument(s), got 1")


def test_other_argument_errors() -> None:
    assert fails("regexNew", 1.0) == ("AT0102", "regexNew(): expected string, got number")
    assert fails("regexNewWithFlags", "a", None) == (
        "AT0102",
        "regexNewWithFlags(): expected string, got null",
    )
    assert fails("regexEscape", []) == ("AT0102", "regexEscape(): expected string, got array")
    assert fails("regexTest", "a", 1.0) == ("AT0102", "regexTest(): expected string, got number")
    assert fails("regexReplace", rx("a"), "b", 1.0) == (
        "AT0102",
        "regexReplace(): expected string, got number",
    )
    assert fails("regexReplaceAll", "a", "b", "c") == (
        "AT0102",
        "regexReplaceAll(): expected regex, got string",
    )
