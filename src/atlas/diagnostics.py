"""Diagnostics: the one record every phase reports, and how it is shown.

Each error or warning, from the lexer to the VM and the JIT, becomes a `Diagnostic`
(reference section 6.1). `AtlasError` is the exception the embedding API raises; it
carries the first error's fields plus every diagnostic of the failed run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from .source import SourceFile, Span

# Phase categories (reference 6.4) and the coarse kind each maps to.
CATEGORY_KIND = {
    "lex": "syntax",
    "syntax": "syntax",
    "bind": "type",
    "type": "type",
    "module": "type",
    "runtime": "runtime",
}


@dataclass(slots=True)
class Diagnostic:
    """One error or warning with its code, message and source position."""

    level: str  # "error" | "warning"
    code: str
    message: str
    category: str  # lex | syntax | bind | type | module | runtime | warning
    source: SourceFile | None = None
    span: Span | None = None
    label: str = ""
    notes: list[str] = field(default_factory=list)
    help: str | None = None

    @property
    def kind(self) -> str | None:
        """`syntax`, `type` or `runtime` for errors; None for warnings."""
        return CATEGORY_KIND.get(self.category)

    @property
    def file(self) -> str:
        return self.source.name if self.source else "<unknown>"

    @property
    def line_column(self) -> tuple[int, int]:
        if self.source is None or self.span is None:
            return 1, 1
        return self.source.position(self.span.start)

    @property
    def line(self) -> int:
        return self.line_column[0]

    @property
    def column(self) -> int:
        return self.line_column[1]

    @property
    def length(self) -> int:
        return self.span.length if self.span else 0

    @property
    def snippet(self) -> str:
        return self.source.line_text(self.line) if self.source and self.span else ""

    def sort_key(self) -> tuple:
        return (self.level != "error", self.file, self.line, self.column)

    def to_record(self) -> dict:
        """The JSON record of reference 6.1, fields in their documented order."""
        line, column = self.line_column
        record: dict = {
            "diag_version": 1,
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": line,
            "column": column,
            "length": self.length,
            "snippet": self.snippet,
            "label": self.label,
        }
        if self.notes:
            record["notes"] = list(self.notes)
        if self.help:
            record["help"] = self.help
        return record

    def to_json(self) -> str:
        return json.dumps(self.to_record(), ensure_ascii=False)

    def render_lines(self) -> list[tuple[str, str]]:
        """Human-readable form (reference 6.2) as (text, style) lines."""
        line, column = self.line_column
        head_style = "bold red" if self.level == "error" else "bold yellow"
        out = [(f"{self.level}[{self.code}]: {shown_text(self.message)}", head_style)]
        out.append((f"  --> {shown_text(self.file)}:{line}:{column}", "blue"))
        if self.source is not None and self.span is not None:
            snippet, offset = shown_part(self.snippet, column - 1)
            snippet = shown_source(snippet)
            width = max(2, len(str(line)))
            gutter = " " * (width + 1) + "|"
            snippet_width = max(0, len(snippet) - offset)
            carets = "^" * max(1, min(self.length, snippet_width) if snippet_width else 1)
            label = f" {shown_text(self.label)}" if self.label else ""
            out.append((gutter, "blue"))
            out.append((f"{line:>{width}} | {snippet}", ""))
            out.append((f"{gutter} {' ' * offset}{carets}{label}", head_style))
        out.extend((f"   = note: {shown_text(note)}", "") for note in self.notes)
        if self.help:
            out.append((f"   = help: {shown_text(self.help)}", ""))
        return out

    def render(self) -> str:
        return "\n".join(text for text, _ in self.render_lines())


# The human form shows a source line longer than this as a window around the span (a
# minified megabyte-long line would otherwise be printed, with as many spaces before the
# carets, once per diagnostic). The JSON record always carries the full line (6.1).
SNIPPET_MAX_CHARS = 240
SNIPPET_CONTEXT_BEFORE = 80


def shown_part(snippet: str, start: int) -> tuple[str, int]:
    """The part of `snippet` the human form prints, and where character `start` is in it."""
    if len(snippet) <= SNIPPET_MAX_CHARS:
        return snippet, start
    begin = max(0, min(start - SNIPPET_CONTEXT_BEFORE, len(snippet) - SNIPPET_MAX_CHARS))
    end = begin + SNIPPET_MAX_CHARS
    before = "..." if begin > 0 else ""
    after = "..." if end < len(snippet) else ""
    return before + snippet[begin:end] + after, start - begin + len(before)


# The human form goes to a terminal, so the source text it quotes never carries control
# characters (escape sequences in a hostile file would otherwise drive the terminal),
# invisible format characters (bidirectional overrides reorder what is shown) or lone
# surrogates (which a UTF-8 stream cannot even encode). The JSON record keeps the text
# exactly; JSON escapes what it must.


def shown_text(text: str) -> str:
    """A message, label or name for the human form: unprintable characters as `\\u{..}`
    (line breaks and tabs stay: messages such as an assertion's span several lines)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in "\n\t" else f"\\u{{{ord(c):x}}}" for c in text)


def shown_source(line: str) -> str:
    """A source line for the human form, one character for each character (so that the
    carets stay under the span): spaces for whitespace, U+FFFD for other unprintables."""
    if line.isprintable():
        return line
    return "".join(c if c.isprintable() else " " if c.isspace() else "\ufffd" for c in line)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Errors before warnings; within a level by file, line, column (stable)."""
    return sorted(diags, key=Diagnostic.sort_key)


def print_diagnostics(
    diags: Iterable[Diagnostic], stream: IO[str], *, as_json: bool = False, color: bool | None = None
) -> None:
    """Write diagnostics to `stream`: JSON lines, or the human form (rich colour on a tty)."""
    diags = sort_diagnostics(diags)
    if as_json:
        for d in diags:
            stream.write(d.to_json() + "\n")
        stream.flush()
        return
    if color is None:
        color = hasattr(stream, "isatty") and stream.isatty()
    if not color:
        stream.write("\n\n".join(d.render() for d in diags) + ("\n" if diags else ""))
        stream.flush()
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, highlight=False, soft_wrap=True)
    for i, d in enumerate(diags):
        if i:
            console.print()
        for text, style in d.render_lines():
            console.print(Text(text, style=style))


class AtlasError(Exception):
    """A failed Atlas program: syntax, type or runtime error.

    `code`, `kind`, `message`, `line`, `column` describe the first error;
    `diagnostics` holds everything that was reported (errors and warnings).
    """

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.level == "error"]
        first = sort_diagnostics(errors)[0] if errors else diagnostics[0]
        self.diagnostics = diagnostics
        self.code: str = first.code
        self.kind: str = first.kind or "runtime"
        self.message: str = first.message
        self.line: int = first.line
        self.column: int = first.column
        self.file: str = first.file
        super().__init__(f"{self.code}: {self.message} ({self.file}:{self.line}:{self.column})")
