"""Token kinds. Their names are the `<TokenKind>` words used in parser messages."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..source import Span


class TokenKind(Enum):
    Number = "number"
    String = "string"
    True_ = "true"
    False_ = "false"
    Null = "null"
    Identifier = "identifier"
    # keywords
    Let = "let"
    Var = "var"
    Fn = "fn"
    Type = "type"
    If = "if"
    Else = "else"
    While = "while"
    For = "for"
    In = "in"
    Return = "return"
    Break = "break"
    Continue = "continue"
    Import = "import"
    Export = "export"
    From = "from"
    Extern = "extern"
    Match = "match"
    As = "as"
    Extends = "extends"
    Is = "is"
    Own = "own"
    Borrow = "borrow"
    Shared = "shared"
    Trait = "trait"
    Impl = "impl"
    # operators and punctuation
    Plus = "+"
    Minus = "-"
    Star = "*"
    Slash = "/"
    Percent = "%"
    Bang = "!"
    EqualEqual = "=="
    BangEqual = "!="
    Less = "<"
    LessEqual = "<="
    Greater = ">"
    GreaterEqual = ">="
    AmpAmp = "&&"
    PipePipe = "||"
    Ampersand = "&"
    Pipe = "|"
    PlusEqual = "+="
    MinusEqual = "-="
    StarEqual = "*="
    SlashEqual = "/="
    PercentEqual = "%="
    PlusPlus = "++"
    MinusMinus = "--"
    Equal = "="
    LeftParen = "("
    RightParen = ")"
    LeftBrace = "{"
    RightBrace = "}"
    LeftBracket = "["
    RightBracket = "]"
    Semicolon = ";"
    Comma = ","
    Dot = "."
    Colon = ":"
    Arrow = "->"
    FatArrow = "=>"
    Underscore = "_"
    Question = "?"
    Eof = "end of file"

    @property
    def display_name(self) -> str:
        """The kind's name as parser messages spell it (`True`, not `True_`)."""
        return self.name.rstrip("_")


KEYWORDS: dict[str, TokenKind] = {
    kind.value: kind
    for kind in TokenKind
    if kind.value.isalpha() and kind not in (TokenKind.Number, TokenKind.String, TokenKind.Identifier)
}
assert len(KEYWORDS) == 28, len(KEYWORDS)

# Operators, longest first so that the lexer's longest match is a simple scan.
OPERATORS: list[tuple[str, TokenKind]] = sorted(
    (
        (kind.value, kind)
        for kind in TokenKind
        if not kind.value[0].isalnum() and kind is not TokenKind.Eof and kind.value != "_"
    ),
    key=lambda pair: -len(pair[0]),
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # the source text (for strings: the decoded value)
    span: Span
    value: float | str | None = None  # decoded literal value
