"""Collects the diagnostics of one module's binding and checking."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..limits import MAX_DIAGNOSTICS, TOO_MANY_DIAGNOSTICS_NOTE
from ..source import SourceFile, Span


class Reporter:
    def __init__(self, source: SourceFile | None) -> None:
        self.source = source
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, code: str, message: str, span: Span | None, category: str = "type") -> None:
        keep(self.errors, Diagnostic("error", code, message, category, self.source, span))

    def warning(self, code: str, message: str, span: Span | None) -> None:
        keep(self.warnings, Diagnostic("warning", code, message, "warning", self.source, span))

    def diagnostics(self) -> list[Diagnostic]:
        """Errors in the order found, then warnings in source order."""
        warnings = sorted(self.warnings, key=lambda d: d.span.start if d.span else 0)
        return [*self.errors, *warnings]


def keep(found: list[Diagnostic], diagnostic: Diagnostic) -> None:
    """Record `diagnostic` unless MAX_DIAGNOSTICS of its kind are recorded already."""
    if len(found) < MAX_DIAGNOSTICS:
        found.append(diagnostic)
        if len(found) == MAX_DIAGNOSTICS:
            diagnostic.notes.append(TOO_MANY_DIAGNOSTICS_NOTE)
