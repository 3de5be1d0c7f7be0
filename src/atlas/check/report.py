"""Collects the diagnostics of one module's binding and checking."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..source import SourceFile, Span


class Reporter:
    def __init__(self, source: SourceFile | None) -> None:
        self.source = source
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, code: str, message: str, span: Span | None, category: str = "type") -> None:
        self.errors.append(Diagnostic("error", code, message, category, self.source, span))

    def warning(self, code: str, message: str, span: Span | None) -> None:
        self.warnings.append(Diagnostic("warning", code, message, "warning", self.source, span))

    def diagnostics(self) -> list[Diagnostic]:
        """Errors in the order found, then warnings in source order."""
        warnings = sorted(self.warnings, key=lambda d: d.span.start if d.span else 0)
        return [*self.errors, *warnings]
