"""The pygments lexer agrees with the project's lexer and is found by pygments."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, Punctuation, String

from atlas.highlight import AtlasLexer
from atlas.source import SourceFile
from atlas.syntax.lexer import ESCAPES, tokenize
from atlas.syntax.tokens import KEYWORDS, OPERATORS, TokenKind

REPO = Path(__file__).resolve().parents[2]
LEXER = AtlasLexer()


def tokens(text: str) -> list[tuple[object, str]]:
    """(token type, text) pairs, without the final newline pygments adds."""
    out = [(t, v) for _, t, v in LEXER.get_tokens_unprocessed(text)]
    return [(t, v) for t, v in out if v]


def significant(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in tokens(text) if not v.isspace()]


@pytest.mark.parametrize("word", sorted(KEYWORDS))
def test_every_keyword_is_a_keyword(word: str) -> None:
    [(ttype, text)] = significant(word)
    assert text == word
    assert ttype in Keyword


def test_keyword_prefixes_and_suffixes_stay_names() -> None:
    for word in KEYWORDS:
        for name in (word + "x", "x" + word, word + "_1"):
            [(ttype, text)] = significant(name)
            assert (ttype, text) == (Name, name)


@pytest.mark.parametrize("op", [text for text, _ in OPERATORS])
def test_every_operator_is_one_token(op: str) -> None:
    [(ttype, text)] = significant(op)
    assert text == op
    assert ttype in Operator or ttype in Punctuation


def test_strings_escapes_and_their_delimiters() -> None:
    escapes = "".join("\\" + c for c in ESCAPES)
    assert tokens(f'"ab{escapes}"') == [
        (String.Delimiter, '"'),
        (String.Double, "ab"),
        *[(String.Escape, "\\" + c) for c in ESCAPES],
        (String.Delimiter, '"'),
    ]


def test_bad_escape_and_unterminated_string() -> None:
    assert (Error, "\\q") in tokens('"a\\qb"')
    assert tokens('"open') == [(String.Delimiter, '"'), (String.Double, "open")]


@pytest.mark.parametrize("number", ["0", "42", "3.25", "1e9", "1.5E-3", "2e+8"])
def test_numbers(number: str) -> None:
    [(ttype, text)] = significant(number)
    assert text == number
    assert ttype in Number


def test_an_exponent_without_digits_is_an_error() -> None:
    assert significant("1e+") == [(Error, "1e+")]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("// line", Comment.Single),
        ("//// not a doc comment", Comment.Single),
        ("/// doc", Comment.Special),
        ("/* one\n two */", Comment.Multiline),
    ],
)
def test_comments(source: str, expected: object) -> None:
    assert significant(source) == [(expected, source)]


def test_names_of_functions_types_and_builtins() -> None:
    got = significant("fn area(w: number) -> Option<string> { return print(PI); }")
    assert (Name.Function, "area") in got
    assert (Keyword.Type, "number") in got and (Keyword.Type, "Option") in got
    assert (Name.Builtin, "print") in got
    assert (Name.Constant, "PI") in got


def test_pygments_finds_the_lexer_by_name_and_file_name() -> None:
    assert isinstance(get_lexer_by_name("atlas"), AtlasLexer)
    assert isinstance(get_lexer_for_filename("prog.atl"), AtlasLexer)


def test_no_error_token_in_the_example_programs() -> None:
    sources = sorted(REPO.glob("examples/**/*.atl")) + sorted(REPO.glob("tests/programs/**/*.atl"))
    checked = 0
    for path in sources:
        text = path.read_text(encoding="utf-8")
        if tokenize(SourceFile(str(path), text))[1]:
            continue  # a program about lexical errors
        errors = [v for t, v in tokens(text) if t in Error]
        assert not errors, f"{path}: {errors}"
        checked += 1
    assert checked > 10


# -- both lexers split generated text alike

# What a project token kind looks like to the highlighter.
def category(kind: TokenKind) -> object:
    if kind in KEYWORDS.values() or kind is TokenKind.Underscore:
        return Keyword
    if kind is TokenKind.Identifier:
        return Name
    if kind is TokenKind.Number:
        return Number
    if kind is TokenKind.String:
        return String
    return Operator


def highlighted_tokens(text: str) -> list[tuple[int, int, object]]:
    """(start, end, category) per token; a string's pieces joined into one."""
    out: list[tuple[int, int, object]] = []
    in_string = False
    for start, ttype, value in LEXER.get_tokens_unprocessed(text):
        end = start + len(value)
        if ttype in String:
            if in_string:
                out[-1] = (out[-1][0], end, String)
            else:
                out.append((start, end, String))
            if ttype is String.Delimiter:
                in_string = not in_string
        elif ttype in Comment or not value.strip():
            continue
        elif ttype in Keyword:
            out.append((start, end, Keyword))
        elif ttype in Name:
            out.append((start, end, Name))
        elif ttype in Number:
            out.append((start, end, Number))
        else:
            assert ttype in Operator or ttype in Punctuation, (ttype, value)
            out.append((start, end, Operator))
    return out


PIECES = st.sampled_from(
    [
        *KEYWORDS, *(text for text, _ in OPERATORS), "_", "x", "_tmp", "héllo", "n2",
        "0", "7", "3.5", "1e3", "2.5e-2", "1.", ".5", '"s"', '""', '"a\\nb"', '"\\\\"',
        " ", "\n", "\t", "// c\n", "/// d\n", "/* m */",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=12))
def test_both_lexers_split_alike(pieces: list[str]) -> None:
    text = "".join(pieces)
    project, errors = tokenize(SourceFile("<gen>", text))
    assume(not errors)
    expected = [(t.span.start, t.span.end, category(t.kind)) for t in project[:-1]]
    assert highlighted_tokens(text) == expected


@pytest.mark.parametrize("text", ["fn true", "fn fn", "fn let x", "fn return"])
def test_a_keyword_after_fn_is_a_keyword(text: str) -> None:
    """Found by the property above: `fn true` lexes as two keywords in the project."""
    project, _ = tokenize(SourceFile("<t>", text))
    expected = [(t.span.start, t.span.end, category(t.kind)) for t in project[:-1]]
    assert highlighted_tokens(text) == expected
