"""A pygments lexer for Atlas, built from the project's own lexer tables.

Keywords, operators, escapes and whitespace come from `atlas.syntax.tokens` and
`atlas.syntax.lexer`, and the names of types and builtins from the checker's prelude, so
the highlighter cannot drift from the language. Number, identifier and comment patterns
restate the rules of `Lexer.number`, `Lexer.word` and `Lexer.skip_trivia`; the tests check
that both lexers split generated programs alike.

Installed, it is registered with pygments under the name `atlas` (pyproject.toml), so
`pygmentize -l atlas file.atl` and `get_lexer_by_name("atlas")` find it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pygments.lexer import RegexLexer, bygroups
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
    _TokenType,
)

from .check.prelude import (
    BUILTIN_TYPE_ALIASES,
    GENERIC_ARITY,
    PRIMITIVE_TYPE_NAMES,
    known_builtins,
    math_constants,
)
from .syntax.lexer import ESCAPES, WHITESPACE
from .syntax.tokens import KEYWORDS, OPERATORS, TokenKind

K = TokenKind

# Refinements of the plain `Keyword` type; every other keyword is a `Keyword`.
KEYWORD_SUBTYPES: dict[TokenKind, _TokenType] = {
    K.True_: Keyword.Constant,
    K.False_: Keyword.Constant,
    K.Null: Keyword.Constant,
    K.Let: Keyword.Declaration,
    K.Var: Keyword.Declaration,
    K.Fn: Keyword.Declaration,
    K.Type: Keyword.Declaration,
    K.Trait: Keyword.Declaration,
    K.Impl: Keyword.Declaration,
    K.Extern: Keyword.Declaration,
    K.Import: Keyword.Namespace,
    K.Export: Keyword.Namespace,
    K.From: Keyword.Namespace,
}

# Bracketing and separating tokens; every other operator-table entry is an `Operator`.
PUNCTUATION: frozenset[TokenKind] = frozenset({
    K.LeftParen, K.RightParen, K.LeftBrace, K.RightBrace, K.LeftBracket, K.RightBracket,
    K.Semicolon, K.Comma, K.Dot, K.Colon, K.Arrow, K.FatArrow,
})  # fmt: skip


def keyword_token(kind: TokenKind) -> _TokenType:
    return KEYWORD_SUBTYPES.get(kind, Keyword)


def operator_token(kind: TokenKind) -> _TokenType:
    return Punctuation if kind in PUNCTUATION else Operator


def word_tokens() -> dict[str, _TokenType]:
    """The token type of every word that is not a plain identifier."""
    words: dict[str, _TokenType] = {}
    words.update(dict.fromkeys(known_builtins(), Name.Builtin))
    words.update(dict.fromkeys(math_constants(), Name.Constant))
    type_names = [*PRIMITIVE_TYPE_NAMES, *GENERIC_ARITY, *BUILTIN_TYPE_ALIASES]
    words.update(dict.fromkeys(type_names, Keyword.Type))
    words["_"] = Keyword.Pseudo  # the wildcard pattern (its own token kind)
    words.update({text: keyword_token(kind) for text, kind in KEYWORDS.items()})
    return words


OPERATOR_TOKENS: dict[str, _TokenType] = {text: operator_token(kind) for text, kind in OPERATORS}
# OPERATORS is sorted longest first, so this alternation takes the longest match, as the
# project's lexer does.
OPERATOR_PATTERN = "|".join(re.escape(text) for text, _ in OPERATORS)
ESCAPE_PATTERN = r"\\[" + re.escape("".join(ESCAPES)) + "]"
WHITESPACE_PATTERN = "[" + re.escape(WHITESPACE) + "]+"
IDENTIFIER_PATTERN = r"[^\W\d]\w*"  # Lexer.word: a letter or `_`, then letters, digits, `_`
DIGITS = "[0-9]+"  # ASCII digits only, like Lexer.digits
NUMBER_PATTERN = rf"{DIGITS}(?:\.{DIGITS})?(?:[eE][+-]?{DIGITS})?"
# An exponent without digits (AT1001 in the project's lexer).
BAD_EXPONENT_PATTERN = rf"{DIGITS}(?:\.{DIGITS})?[eE][+-]?(?![0-9+-])"
# `fn name`: the name is a function's, unless it is a keyword (`fn true` is two keywords
# to the project's lexer; the parser reports the error).
KEYWORD_AHEAD = "(?!(?:" + "|".join(re.escape(k) for k in sorted(KEYWORDS, key=len, reverse=True)) + r")(?!\w))"
FUNCTION_NAME_PATTERN = rf"(fn)({WHITESPACE_PATTERN}){KEYWORD_AHEAD}({IDENTIFIER_PATTERN})"


class AtlasLexer(RegexLexer):
    """Atlas source code (.atl)."""

    name = "Atlas"
    aliases = ["atlas"]  # noqa: RUF012 - pygments reads these class attributes
    filenames = ["*.atl"]  # noqa: RUF012
    mimetypes = ["text/x-atlas"]  # noqa: RUF012

    _words = word_tokens()

    def word(self, match: re.Match[str]) -> Iterator[tuple[int, _TokenType, str]]:
        text = match.group()
        yield match.start(), self._words.get(text, Name), text

    def operator(self, match: re.Match[str]) -> Iterator[tuple[int, _TokenType, str]]:
        text = match.group()
        yield match.start(), OPERATOR_TOKENS[text], text

    tokens = {  # noqa: RUF012
        "root": [
            (WHITESPACE_PATTERN, Whitespace),
            # `///` starts a doc comment, `////` an ordinary one (Lexer.skip_trivia).
            (r"///(?!/)[^\n]*", Comment.Special),
            (r"//[^\n]*", Comment.Single),
            (r"/\*[\s\S]*?\*/", Comment.Multiline),
            (r"/\*[\s\S]*", Error),  # unterminated (AT1004)
            ('"', String.Delimiter, "string"),
            (BAD_EXPONENT_PATTERN, Error),
            (NUMBER_PATTERN, Number.Float),  # every Atlas number is a double
            (FUNCTION_NAME_PATTERN, bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (IDENTIFIER_PATTERN, word),
            (OPERATOR_PATTERN, operator),
            (r"[\s\S]", Error),  # AT1001: a character the lexer does not accept
        ],
        "string": [
            ('"', String.Delimiter, "#pop"),
            (ESCAPE_PATTERN, String.Escape),
            (r"\\[\s\S]?", Error),  # AT1003 (or a backslash at the very end)
            (r'[^"\\]+', String.Double),
        ],
    }
