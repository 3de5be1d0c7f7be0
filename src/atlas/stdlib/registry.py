"""The builtin registry: how a standard-library function is declared and called.

A builtin is a Python function registered under its Atlas name with `@builtin(...)`.
The VM calls it as `impl(*args)` (or `impl(ctx, *args)` for `needs_ctx=True`) after
checking the argument count against `min_args..max_args` and raising the builtin's own
arity error otherwise. Implementations raise `AtlasRuntimeError` for bad arguments; the
VM adds the call's source span.

Write-back builtins (reference 4.10) have an in-place implementation: it receives a
first argument that it owns exclusively (the VM has already made it unique, copying if
it was shared) and mutates it, returning the call's value. When the first argument is
not a plain variable, the VM passes a fresh copy, so the caller's value never changes.

Numbers are always `float`: a builtin must never return a Python `int`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from ..permissions import Permissions
from ..vm.errors import AtlasRuntimeError, arg_error, type_error
from ..vm.values import register_kind


class CallContext(Protocol):
    """What a `needs_ctx` builtin (an intrinsic, or one that writes output or needs a
    permission) gets as `ctx`."""

    permissions: Permissions  # what the program may do outside itself (atlas.permissions)

    def call(self, fn: Any, args: list) -> Any:
        """Call an Atlas function value or builtin; its runtime errors propagate."""
        ...

    def write_stdout(self, text: str) -> None:
        """Write program output (print)."""
        ...


class WriteBack(Enum):
    """How a write-back builtin's call value relates to the updated collection."""

    RETURNS_COLLECTION = "collection"  # hashMapPut, unshift, reverse, ...: value is the collection
    RETURNS_EXTRACTED = "extracted"  # pop, shift, hashMapRemove, ...: value is the removed part


ArityError = Callable[[str, int, int, int], AtlasRuntimeError]


def default_arity_error(name: str, lo: int, hi: int, got: int) -> AtlasRuntimeError:
    """AT0102 `name(): expected N argument(s), got M` (reference 7.0)."""
    expected = str(lo) if lo == hi else f"{lo} to {hi}" if hi >= 0 else f"at least {lo}"
    return arg_error(f"{name}(): expected {expected} argument(s), got {got}")


def math_arity_error(name: str, lo: int, hi: int, got: int) -> AtlasRuntimeError:
    """AT0001 `f() expects 1 argument` / `random() expects no arguments` (reference 7.2)."""
    if lo == 0:
        return type_error(f"{name}() expects no arguments")
    return type_error(f"{name}() expects {lo} argument{'s' if lo != 1 else ''}")


@dataclass(slots=True, eq=False)
class Builtin:
    """A standard-library function; also the runtime value of a builtin's name."""

    name: str
    impl: Callable[..., Any]
    min_args: int
    max_args: int  # -1: no upper bound
    arity_error: ArityError = default_arity_error
    needs_ctx: bool = False
    writeback: WriteBack | None = None
    tier: str = "core"  # core | extended | later

    def accepts(self, got: int) -> bool:
        return self.min_args <= got and (self.max_args < 0 or got <= self.max_args)

    def check_arity(self, got: int) -> None:
        if not self.accepts(got):
            raise self.arity_error(self.name, self.min_args, self.max_args, got)

    def __repr__(self) -> str:
        return f"<builtin {self.name}>"

    def atlas_display(self) -> str:
        return f"<builtin {self.name}>"


register_kind(Builtin, "builtin")

BUILTINS: dict[str, Builtin] = {}


def builtin(
    name: str,
    args: int | tuple[int, int],
    *,
    arity_error: ArityError = default_arity_error,
    needs_ctx: bool = False,
    writeback: WriteBack | None = None,
    tier: str = "core",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn` as the builtin `name`. `args` is a count or (min, max); max -1 = any.

    For a write-back builtin, `fn` is the in-place implementation described above.
    """
    lo, hi = (args, args) if isinstance(args, int) else args

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in BUILTINS:
            raise ValueError(f"builtin {name!r} registered twice")
        BUILTINS[name] = Builtin(name, fn, lo, hi, arity_error, needs_ctx, writeback, tier)
        return fn

    return register


# Array methods (reference 3.12) that write back to a plain-variable receiver, with their
# in-place implementations: method name -> (fn(owned_list, *args) -> call value).
METHOD_WRITEBACK: dict[str, Callable[..., Any]] = {}


def array_method_writeback(method: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        METHOD_WRITEBACK[method] = fn
        return fn

    return register


# Extra arguments each write-back array method takes after the receiver.
METHOD_EXTRA_ARGS = {"push": 1, "unshift": 1, "pop": 0, "shift": 0, "reverse": 0}
_METHOD_BUILTINS: dict[str, Builtin] = {}


def method_as_builtin(method: str) -> Builtin:
    """A write-back array method's in-place implementation as a callable Builtin
    (receiver first; arity errors name the method)."""
    b = _METHOD_BUILTINS.get(method)
    if b is None:
        n = METHOD_EXTRA_ARGS[method] + 1
        b = Builtin(method, METHOD_WRITEBACK[method], n, n)
        _METHOD_BUILTINS[method] = b
    return b
