"""Lexer: characters -> tokens (reference section 1).

Lexical errors are collected rather than raised: every one in the file is reported,
and the pipeline stops after lexing when there is any (reference 1.6).
"""

from __future__ import annotations

import contextlib
import re

from ..diagnostics import Diagnostic
from ..limits import MAX_DIAGNOSTICS, TOO_MANY_DIAGNOSTICS_NOTE
from ..source import SourceFile, Span
from .tokens import KEYWORDS, OPERATORS, Token, TokenKind

ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"'}
WHITESPACE = " \t\r\n"

# Runs scanned with one regular-expression match each rather than a character at a
# time (a megabyte of source is a few hundred thousand tokens). `\w` is exactly
# "str.isalnum() or _", the rule for the characters after an identifier's first.
WHITESPACE_RUN = re.compile(r"[ \t\r\n]+")
IDENTIFIER_REST = re.compile(r"\w*")
DIGIT_RUN = re.compile(r"[0-9]*")
# Operators by their text: the scan tries two characters, then one (longest match).
OPERATOR_KINDS = dict(OPERATORS)
assert max(map(len, OPERATOR_KINDS)) == 2


def _is_ident_start(c: str) -> bool:
    return c.isalpha() or c == "_"


class TooManyErrors(Exception):
    """Raised to stop lexing at the diagnostics limit."""


class Lexer:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.text = source.text
        self.pos = 0
        self.tokens: list[Token] = []
        self.diagnostics: list[Diagnostic] = []
        # `///` doc comments as (start, end, text): type aliases read `@deprecated` there.
        self.doc_comments: list[tuple[int, int, str]] = []

    def error(self, code: str, message: str, start: int, length: int = 1) -> None:
        diagnostic = Diagnostic(
            "error", code, message, "lex", self.source, Span(start, start + length)
        )
        self.diagnostics.append(diagnostic)
        if len(self.diagnostics) >= MAX_DIAGNOSTICS:
            diagnostic.notes.append(TOO_MANY_DIAGNOSTICS_NOTE)
            raise TooManyErrors

    def add(self, kind: TokenKind, start: int, value: float | str | None = None) -> None:
        text = self.text[start : self.pos]
        self.tokens.append(Token(kind, text, Span(start, self.pos), value))

    def run(self) -> list[Token]:
        with contextlib.suppress(TooManyErrors):  # the tokens are not used then:
            self.scan()  # lexical errors stop the pipeline
        n = len(self.text)
        self.tokens.append(Token(TokenKind.Eof, "", Span(n, n)))
        return self.tokens

    def scan(self) -> None:
        text = self.text
        n = len(text)
        while True:
            self.skip_trivia()
            if self.pos >= n:
                break
            start = self.pos
            c = text[start]
            if "0" <= c <= "9":
                self.number()
            elif _is_ident_start(c):
                self.word()
            elif c == '"':
                self.string()
            else:
                pair = text[start : start + 2]
                kind = OPERATOR_KINDS.get(pair) if len(pair) == 2 else None
                if kind is not None:
                    self.pos += 2
                    self.add(kind, start)
                elif (kind := OPERATOR_KINDS.get(c)) is not None:
                    self.pos += 1
                    self.add(kind, start)
                else:
                    self.pos += 1
                    self.error("AT1001", f"Unexpected character '{c}'", start)

    def skip_trivia(self) -> None:
        text = self.text
        n = len(text)
        while self.pos < n:
            c = text[self.pos]
            if c in WHITESPACE:
                self.pos = WHITESPACE_RUN.match(text, self.pos).end()
            elif text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                end = n if end < 0 else end
                if text.startswith("///", self.pos) and not text.startswith("////", self.pos):
                    self.doc_comments.append((self.pos, end, text[self.pos + 3 : end]))
                self.pos = end
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    self.error("AT1004", "Unterminated multi-line comment", self.pos, 2)
                    self.pos = n
                else:
                    self.pos = end + 2
            else:
                return

    def digits(self) -> None:
        self.pos = DIGIT_RUN.match(self.text, self.pos).end()

    def number(self) -> None:
        text = self.text
        start = self.pos
        self.digits()
        if text.startswith(".", self.pos) and "0" <= text[self.pos + 1 : self.pos + 2] <= "9":
            self.pos += 1
            self.digits()
        if self.pos < len(text) and text[self.pos] in "eE":
            p = self.pos + 1
            if p < len(text) and text[p] in "+-":
                p += 1
            if "0" <= text[p : p + 1] <= "9" and p < len(text):
                self.pos = p
                self.digits()
            else:
                self.pos = p
                self.error("AT1001", "Invalid number: exponent requires digits", start, p - start)
                return
        literal = text[start : self.pos]
        self.add(TokenKind.Number, start, float(literal))

    def word(self) -> None:
        text = self.text
        start = self.pos
        self.pos = IDENTIFIER_REST.match(text, start + 1).end()
        word = text[start : self.pos]
        if word == "_":
            self.add(TokenKind.Underscore, start)
        else:
            self.add(KEYWORDS.get(word, TokenKind.Identifier), start, word)

    def string(self) -> None:
        text = self.text
        n = len(text)
        start = self.pos
        self.pos += 1
        parts: list[str] = []
        bad_escape = False
        while True:
            if self.pos >= n:
                self.error("AT1002", "Unterminated string literal", start)
                return
            c = text[self.pos]
            if c == '"':
                self.pos += 1
                break
            if c == "\\":
                if self.pos + 1 >= n:
                    self.pos = n
                    continue  # reported as unterminated on the next turn
                esc = text[self.pos + 1]
                if esc in ESCAPES:
                    parts.append(ESCAPES[esc])
                elif not bad_escape:
                    bad_escape = True
                    self.error("AT1003", f"Invalid escape sequence '\\{esc}'", self.pos, 2)
                self.pos += 2
                continue
            # copy a run of ordinary characters at once
            end = self.pos + 1
            while end < n and text[end] not in '"\\':
                end += 1
            parts.append(text[self.pos : end])
            self.pos = end
        if not bad_escape:
            self.add(TokenKind.String, start, "".join(parts))


def tokenize(source: SourceFile) -> tuple[list[Token], list[Diagnostic]]:
    """All tokens of a file (ending with Eof) and the lexical errors found."""
    lexer = Lexer(source)
    tokens = lexer.run()
    return tokens, lexer.diagnostics


def tokenize_with_docs(
    source: SourceFile,
) -> tuple[list[Token], list[Diagnostic], list[tuple[int, int, str]]]:
    """Like `tokenize`, plus the `///` doc comments."""
    lexer = Lexer(source)
    tokens = lexer.run()
    return tokens, lexer.diagnostics, lexer.doc_comments
