"""String builtins (reference 7.3)."""

from __future__ import annotations

import pytest
from stdlib_support import call, fails

from atlas.limits import MAX_REPEAT_COUNT

OOB = ("AT0006", "Array index out of bounds")


# ------------------------------------------------------------------ split / join


@pytest.mark.parametrize(
    ("s", "sep", "parts"),
    [
        ("a,b,c", ",", ["a", "b", "c"]),
        ("a,,b", ",", ["a", "", "b"]),
        ("", ",", [""]),
        (",a,", ",", ["", "a", ""]),
        ("abc", "", ["a", "b", "c"]),
        ("日本🌍", "", ["日", "本", "🌍"]),
        ("", "", []),
        ("a--b--c", "--", ["a", "b", "c"]),
        ("abc", "x", ["abc"]),
        ("a b\tc", " ", ["a", "b\tc"]),
    ],
)
def test_split(s: str, sep: str, parts: list[str]) -> None:
    assert call("split", s, sep) == parts


def test_join() -> None:
    assert call("join", ["a", "b", "c"], ",") == "a,b,c"
    assert call("join", [], ",") == ""
    assert call("join", ["solo"], ", ") == "solo"
    assert call("join", ["", ""], "-") == "-"
    assert call("join", ["日", "本"], "") == "日本"


def test_join_errors() -> None:
    assert fails("join", ["a", 1.0], ",") == (
        "AT0001",
        "Type error: join() requires array of strings",
    )
    assert fails("join", "abc", ",") == ("AT0102", "join(): expected array, got string")
    assert fails("join", ["a"], 1.0) == ("AT0102", "join(): expected string, got number")


# ------------------------------------------------------------------------ trim


def test_trim_family() -> None:
    assert call("trim", "  hello  ") == "hello"
    assert call("trimStart", "  hello  ") == "hello  "
    assert call("trimEnd", "  hello  ") == "  hello"
    assert call("trim", "\t\n\r\x0b\x0c x \u00a0\u2003\u3000\u2028") == "x"
    assert call("trim", "\u0085a\u1680") == "a"
    assert call("trim", "") == ""
    assert call("trim", "   ") == ""
    assert call("trim", "a b") == "a b"


def test_trim_keeps_characters_that_are_not_white_space() -> None:
    # U+001C..U+001F are whitespace to Python's str.strip but not Unicode White_Space;
    # U+200B (zero width space) and U+FEFF are not White_Space either.
    assert call("trim", "\x1cx\x1f") == "\x1cx\x1f"
    assert call("trim", "\u200bx\ufeff") == "\u200bx\ufeff"


# -------------------------------------------------------------- searching


def test_index_of_uses_utf8_byte_offsets() -> None:
    assert call("indexOf", "Hello, World!", "o") == 4.0
    assert call("indexOf", "hello", "ll") == 2.0
    assert call("indexOf", "hello", "x") == -1.0
    assert call("indexOf", "hello", "") == 0.0
    assert call("indexOf", "", "") == 0.0
    assert call("indexOf", "héllo", "l") == 3.0
    assert call("indexOf", "日本語", "語") == 6.0
    assert call("indexOf", "🌍x", "x") == 4.0


def test_last_index_of() -> None:
    assert call("lastIndexOf", "hello", "l") == 3.0
    assert call("lastIndexOf", "hello", "x") == -1.0
    assert call("lastIndexOf", "hello", "") == 5.0
    assert call("lastIndexOf", "héllo", "") == 6.0
    assert call("lastIndexOf", "aéaé", "é") == 4.0
    assert call("lastIndexOf", "abab", "ab") == 2.0


def test_includes_starts_ends() -> None:
    assert call("includes", "Hello, World!", "World") is True
    assert call("includes", "hello", "x") is False
    assert call("includes", "hello", "") is True
    assert call("includes", "", "") is True
    assert call("startsWith", "Hello", "He") is True
    assert call("startsWith", "Hello", "he") is False
    assert call("startsWith", "Hello", "") is True
    assert call("endsWith", "Hello, World!", "World!") is True
    assert call("endsWith", "Hello", "x") is False
    assert call("endsWith", "日本語", "語") is True


# --------------------------------------------------------------- transforming


def test_case_mapping_is_full_unicode() -> None:
    assert call("toUpperCase", "Hello, World!") == "HELLO, WORLD!"
    assert call("toLowerCase", "Hello, World!") == "hello, world!"
    assert call("toUpperCase", "ß") == "SS"
    assert call("toUpperCase", "straße") == "STRASSE"
    assert call("toUpperCase", "ﬁ") == "FI"
    assert call("toLowerCase", "ÀÉÎ") == "àéî"
    assert call("toLowerCase", "ΣΑΣ") == "σας"
    assert call("toUpperCase", "") == ""


def test_substring_uses_byte_offsets() -> None:
    assert call("substring", "Hello, World!", 7.0, 12.0) == "World"
    assert call("substring", "hello", 1.0, 4.0) == "ell"
    assert call("substring", "hello", 0.0, 5.0) == "hello"
    assert call("substring", "hello", 2.0, 2.0) == ""
    assert call("substring", "hello", 5.0, 5.0) == ""
    assert call("substring", "héllo", 0.0, 3.0) == "hé"
    assert call("substring", "日本語", 3.0, 9.0) == "本語"
    assert call("substring", "hello", -3.0, 2.0) == "he"
    assert call("substring", "hello", -3.0, -1.0) == ""


def test_substring_errors() -> None:
    integers = ("AT0001", "Type error: substring() indices must be integers")
    assert fails("substring", "hello", 1.5, 3.0) == integers
    assert fails("substring", "hello", 1.0, 3.5) == integers
    assert fails("substring", "hello", float("nan"), 3.0) == integers
    assert fails("substring", "hello", 0.0, float("inf")) == integers
    assert fails("substring", "hello", 3.0, 1.0) == OOB
    assert fails("substring", "hello", 0.0, 6.0) == OOB
    assert fails("substring", "hello", 6.0, 7.0) == OOB
    boundary = ("AT0001", "Type error: substring() indices must be on UTF-8 character boundaries")
    assert fails("substring", "héllo", 0.0, 2.0) == boundary
    assert fails("substring", "héllo", 2.0, 4.0) == boundary
    assert fails("substring", "héllo", 2.0, 2.0) == boundary
    assert fails("substring", "🌍", 1.0, 4.0) == boundary
    assert fails("substring", 1.0, 0.0, 1.0) == (
        "AT0102",
        "substring(): expected string, got number",
    )
    assert fails("substring", "a", "0", 1.0) == (
        "AT0102",
        "substring(): expected number, got string",
    )


def test_char_at_counts_code_points() -> None:
    assert call("charAt", "hello", 0.0) == "h"
    assert call("charAt", "hello", 4.0) == "o"
    assert call("charAt", "日本語", 1.0) == "本"
    assert call("charAt", "a🌍b", 1.0) == "🌍"
    assert call("charAt", "hello", -3.0) == "h"
    assert call("charAt", "hello", -0.0) == "h"


def test_char_at_errors() -> None:
    assert fails("charAt", "hello", 5.0) == OOB
    assert fails("charAt", "", 0.0) == OOB
    assert fails("charAt", "", -1.0) == OOB
    assert fails("charAt", "hello", 1.5) == (
        "AT0001",
        "Type error: charAt() index must be an integer",
    )
    assert fails("charAt", "hello", float("nan"))[0] == "AT0001"
    assert fails("charAt", "hello", None) == ("AT0102", "charAt(): expected number, got null")


def test_repeat() -> None:
    assert call("repeat", "ha", 3.0) == "hahaha"
    assert call("repeat", "ha", 0.0) == ""
    assert call("repeat", "ha", -0.0) == ""
    assert call("repeat", "", 5.0) == ""
    assert call("repeat", "日", 2.0) == "日日"
    assert len(call("repeat", "x", float(MAX_REPEAT_COUNT))) == MAX_REPEAT_COUNT


def test_repeat_errors() -> None:
    assert fails("repeat", "a", 1.5) == ("AT0001", "Type error: repeat() count must be an integer")
    assert fails("repeat", "a", -0.5) == ("AT0001", "Type error: repeat() count must be an integer")
    assert fails("repeat", "a", -1.0) == ("AT0001", "Type error: repeat() count cannot be negative")
    assert fails("repeat", "a", float(MAX_REPEAT_COUNT + 1)) == (
        "AT0007",
        "Invalid numeric result (NaN or Infinity)",
    )
    assert fails("repeat", "a", float("inf"))[0] == "AT0001"


def test_replace_first_occurrence_only() -> None:
    assert call("replace", "Hello, World!", "World", "Atlas") == "Hello, Atlas!"
    assert call("replace", "hello", "l", "L") == "heLlo"
    assert call("replace", "hello", "x", "y") == "hello"
    assert call("replace", "hello", "", "y") == "hello"
    assert call("replace", "aaa", "a", "") == "aa"
    assert call("replace", "日本日本", "日", "月") == "月本日本"


@pytest.mark.parametrize(
    ("name", "s", "n", "fill", "expected"),
    [
        ("padStart", "5", 3.0, "0", "005"),
        ("padEnd", "5", 3.0, "0", "500"),
        ("padStart", "abc", 8.0, "12", "12121abc"),
        ("padEnd", "abc", 8.0, "12", "abc12121"),
        ("padStart", "abc", 3.0, "x", "abc"),
        ("padStart", "abc", 2.0, "x", "abc"),
        ("padStart", "abc", -5.0, "x", "abc"),
        ("padStart", "abc", 6.0, "", "abc"),
        ("padEnd", "abc", 6.0, "", "abc"),
        ("padStart", "日", 3.0, "本", "本本日"),
        ("padEnd", "🌍", 3.0, "ab", "🌍ab"),
        ("padStart", "", 2.0, "xyz", "xy"),
    ],
)
def test_padding(name: str, s: str, n: float, fill: str, expected: str) -> None:
    assert call(name, s, n, fill) == expected


@pytest.mark.parametrize("name", ["padStart", "padEnd"])
def test_padding_errors(name: str) -> None:
    assert fails(name, "a", 2.5, "x") == (
        "AT0001",
        f"Type error: {name}() length must be an integer",
    )
    assert fails(name, "a", 2.0, 1.0) == ("AT0102", f"{name}(): expected string, got number")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("split", (1.0, ",")),
        ("trim", (None,)),
        ("trimStart", (True,)),
        ("trimEnd", ([],)),
        ("indexOf", (1.0, "a")),
        ("lastIndexOf", ("a", 1.0)),
        ("includes", ([], "a")),
        ("startsWith", ("a", None)),
        ("endsWith", (None, "a")),
        ("toUpperCase", (1.0,)),
        ("toLowerCase", (1.0,)),
        ("repeat", (1.0, 2.0)),
        ("replace", ("a", "b", 1.0)),
    ],
)
def test_string_arguments_are_checked(name: str, args: tuple) -> None:
    code, message = fails(name, *args)
    assert code == "AT0102"
    assert message.startswith(f"{name}(): expected ")


def test_string_argument_message_names_both_kinds() -> None:
    assert fails("split", "a", None) == ("AT0102", "split(): expected string, got null")
    assert fails("trim", ["a"]) == ("AT0102", "trim(): expected string, got array")
    assert fails("split", "a") == ("AT0102", "split(): expected 2 argument(s), got 1")
    assert fails("replace", "a", "b") == ("AT0102", "replace(): expected 3 argument(s), got 2")
