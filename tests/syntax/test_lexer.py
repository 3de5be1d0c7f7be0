"""Lexer (reference section 1): tokens, literals, comments and lexical errors."""

from __future__ import annotations

import pytest

from atlas.source import SourceFile
from atlas.syntax.lexer import tokenize, tokenize_with_docs
from atlas.syntax.tokens import KEYWORDS, TokenKind


def kinds(text: str) -> list[str]:
    tokens, errors = tokenize(SourceFile("t", text))
    assert not errors, [e.message for e in errors]
    return [t.kind.name for t in tokens[:-1]]


def errors(text: str) -> list[tuple[str, str, int]]:
    _, diags = tokenize(SourceFile("t", text))
    return [(d.code, d.message, d.column) for d in diags]


def test_all_28_keywords_are_reserved() -> None:
    assert len(KEYWORDS) == 28
    for word in KEYWORDS:
        assert kinds(word) != ["Identifier"]


def test_longest_match_operators() -> None:
    assert kinds("+= ++ -> => == != <= >= && || - = !") == [
        "PlusEqual", "PlusPlus", "Arrow", "FatArrow", "EqualEqual", "BangEqual",
        "LessEqual", "GreaterEqual", "AmpAmp", "PipePipe", "Minus", "Equal", "Bang",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0.0), ("007", 7.0), ("3.25", 3.25), ("1e3", 1000.0), ("2E-2", 0.02), ("5e+1", 50.0)],
)
def test_number_literals(text: str, value: float) -> None:
    tokens, _ = tokenize(SourceFile("t", text))
    assert tokens[0].kind is TokenKind.Number and tokens[0].value == value


def test_number_edges() -> None:
    assert kinds("1.") == ["Number", "Dot"]
    assert kinds(".5") == ["Dot", "Number"]
    assert kinds("1_000") == ["Number", "Identifier"]
    assert errors("2e") == [("AT1001", "Invalid number: exponent requires digits", 1)]
    assert errors("2e+x")[0][1] == "Invalid number: exponent requires digits"


def test_string_escapes_and_multiline() -> None:
    tokens, _ = tokenize(SourceFile("t", '"a\\n\\t\\"\\\\b" "x\ny"'))
    assert tokens[0].value == 'a\n\t"\\b'
    assert tokens[1].value == "x\ny"


def test_string_errors() -> None:
    assert errors('"\\q"') == [("AT1003", "Invalid escape sequence '\\q'", 2)]
    assert errors('"\\0 \\x"') == [("AT1003", "Invalid escape sequence '\\0'", 2)]  # first only
    assert errors('let s = "abc') == [("AT1002", "Unterminated string literal", 9)]
    assert errors('"abc\\') == [("AT1002", "Unterminated string literal", 1)]


def test_comments() -> None:
    assert kinds("a // b\n c /* d */ e") == ["Identifier", "Identifier", "Identifier"]
    assert kinds("/* a /* b */ c") == ["Identifier"]  # block comments do not nest
    assert errors("x /* never closed") == [("AT1004", "Unterminated multi-line comment", 3)]


def test_doc_comments_are_collected() -> None:
    _, _, docs = tokenize_with_docs(SourceFile("t", "/// one\n//// not\n/// two\nx"))
    assert [d[2] for d in docs] == [" one", " two"]


def test_identifiers_and_wildcard() -> None:
    assert kinds("_ _x __ x_1 héllo") == [
        "Underscore", "Identifier", "Identifier", "Identifier", "Identifier",
    ]  # fmt: skip


def test_unexpected_characters_all_reported() -> None:
    assert [e[:2] for e in errors("@ # $")] == [
        ("AT1001", "Unexpected character '@'"),
        ("AT1001", "Unexpected character '#'"),
        ("AT1001", "Unexpected character '$'"),
    ]


def test_positions_count_characters() -> None:
    _, diags = tokenize(SourceFile("t", 'let s = "🌍";\n  @'))
    assert (diags[0].line, diags[0].column) == (2, 3)


def test_crlf_is_whitespace() -> None:
    assert kinds("let\r\nx") == ["Let", "Identifier"]


def test_an_operator_at_the_very_end_spans_one_character() -> None:
    from atlas.source import SourceFile
    from atlas.syntax.lexer import tokenize

    tokens, errors = tokenize(SourceFile("<end>", "x +"))
    assert not errors
    assert (tokens[1].span.start, tokens[1].span.end) == (2, 3)
