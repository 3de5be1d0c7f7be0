"""Source text and positions.

Spans are character offsets (0-based, end-exclusive) into one source file, as in the
language reference (section 1.1). Lines and columns are computed on demand, 1-based,
counting characters.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of character offsets in one source file."""

    start: int
    end: int

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other`."""
        return Span(self.start, max(self.end, other.end))

    @property
    def length(self) -> int:
        return max(0, self.end - self.start)


class SourceFile:
    """One file's text plus the line table needed to turn offsets into positions."""

    __slots__ = ("_line_starts", "name", "path", "text")

    def __init__(self, name: str, text: str, path: str | None = None) -> None:
        self.name = name  # how the file is shown in diagnostics
        self.path = path  # canonical absolute path, when it came from disk
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its terminator."""
        if line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def __repr__(self) -> str:
        return f"SourceFile({self.name!r})"
