"""Runtime errors (reference 4.14 and 6.5).

Builtins and the VM raise `AtlasRuntimeError` with a code and message; the VM attaches
the source span of the instruction that failed (when the error does not carry one yet)
and the pipeline turns it into a `Diagnostic`.
"""

from __future__ import annotations

from ..limits import MEMORY_LIMIT_CODE, MEMORY_LIMIT_MESSAGE, TIME_LIMIT_CODE, TIME_LIMIT_MESSAGE
from ..source import SourceFile, Span


class AtlasRuntimeError(Exception):
    """An Atlas runtime error. `span`/`source` are filled in by the VM if missing."""

    def __init__(
        self, code: str, message: str, span: Span | None = None, source: SourceFile | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span
        self.source = source

    def at(self, span: Span | None, source: SourceFile | None) -> AtlasRuntimeError:
        """Attach a position unless one is already known; returns self."""
        if self.span is None:
            self.span = span
            self.source = source
        return self

    def __repr__(self) -> str:
        return f"AtlasRuntimeError({self.code!r}, {self.message!r})"


class TimeLimitExceeded(AtlasRuntimeError):
    """Raised asynchronously in the program's thread (so it takes no arguments); the VM
    gives it the position of the instruction it stopped."""

    def __init__(self) -> None:
        super().__init__(TIME_LIMIT_CODE, TIME_LIMIT_MESSAGE)


class MemoryLimitExceeded(AtlasRuntimeError):
    """Like TimeLimitExceeded, for the memory limit (and for MemoryError)."""

    def __init__(self) -> None:
        super().__init__(MEMORY_LIMIT_CODE, MEMORY_LIMIT_MESSAGE)


def type_error(detail: str) -> AtlasRuntimeError:
    """AT0001 `Type error: <detail>`."""
    return AtlasRuntimeError("AT0001", f"Type error: {detail}")


def arg_error(message: str) -> AtlasRuntimeError:
    """AT0102 with a builtin's own argument message."""
    return AtlasRuntimeError("AT0102", message)


def divide_by_zero() -> AtlasRuntimeError:
    return AtlasRuntimeError("AT0005", "Divide by zero")


def invalid_numeric() -> AtlasRuntimeError:
    return AtlasRuntimeError("AT0007", "Invalid numeric result (NaN or Infinity)")


def out_of_bounds() -> AtlasRuntimeError:
    return AtlasRuntimeError("AT0006", "Array index out of bounds")


def invalid_index() -> AtlasRuntimeError:
    return AtlasRuntimeError("AT0103", "Invalid index: array indices must be whole numbers")


def unknown_symbol(name: str) -> AtlasRuntimeError:
    return AtlasRuntimeError("AT0002", f"Unknown symbol: {name}")


class AtlasInterrupt(Exception):
    """Ctrl-C or a time limit stopped the program (raised from VM and native loops alike)."""

    def __init__(self, message: str = "Interrupted") -> None:
        super().__init__(message)
        self.message = message
