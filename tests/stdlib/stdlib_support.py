"""Calling builtins the way the VM does, without a VM.

`call(name, *args)` checks the argument count with the builtin's own arity error and
passes a `FakeContext` to builtins that need one. `atlas_fn(py)` wraps a Python function
as an Atlas function value (a `Function` whose prototype runs Python code); the fake
context calls it, a `Builtin` (through its impl) or a plain Python callable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pytest

import atlas.stdlib  # noqa: F401  (registers the builtins)
from atlas.permissions import ALLOW_ALL, DENY_ALL, Permissions
from atlas.stdlib.registry import BUILTINS, Builtin
from atlas.vm.errors import AtlasRuntimeError
from atlas.vm.values import Function, values_equal


@dataclass
class FakeProto:
    """Stands in for a compiled FunctionProto: a name and a Python body."""

    name: str
    body: Any
    arity: int = 0


@dataclass
class FakeContext:
    """A CallContext that records output and every callback call (nothing permitted
    unless the test grants it)."""

    stdout: list[str] = field(default_factory=list)
    calls: list[tuple[str, list]] = field(default_factory=list)
    permissions: Permissions = DENY_ALL

    def call(self, fn: Any, args: list) -> Any:
        if type(fn) is Builtin:
            self.calls.append((fn.name, list(args)))
            fn.check_arity(len(args))
            return fn.impl(self, *args) if fn.needs_ctx else fn.impl(*args)
        if type(fn) is Function:
            self.calls.append((fn.name, list(args)))
            return fn.proto.body(*args)
        return fn(*args)

    def write_stdout(self, text: str) -> None:
        self.stdout.append(text)


def atlas_fn(body: Any, name: str | None = None) -> Function:
    """An Atlas function value that runs the Python callable `body`."""
    return Function(FakeProto(name or body.__name__, body))


def builtin_value(name: str) -> Builtin:
    return BUILTINS[name]


def call(name: str, *args: Any, ctx: FakeContext | None = None) -> Any:
    """Call builtin `name` like the VM: count check first, then the implementation."""
    b = BUILTINS[name]
    b.check_arity(len(args))
    if b.needs_ctx:
        return b.impl(ctx if ctx is not None else FakeContext(), *args)
    return b.impl(*args)


def fails(name: str, *args: Any, ctx: FakeContext | None = None) -> tuple[str, str]:
    """(code, message) of the runtime error that `call(name, *args)` raises."""
    with pytest.raises(AtlasRuntimeError) as info:
        call(name, *args, ctx=ctx)
    return info.value.code, info.value.message


def same(a: Any, b: Any) -> bool:
    """Exact equality for tests: numbers must be floats, NaN equals NaN, and the sign
    of zero matters; lists compare element-wise, everything else with Atlas `==`."""
    if type(a) is float or type(b) is float:
        if type(a) is not float or type(b) is not float:
            return False
        if a != a or b != b:
            return a != a and b != b
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if type(a) is list and type(b) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and values_equal(a, b)


def nums(*xs: float) -> list[float]:
    """An Atlas array of numbers."""
    return [float(x) for x in xs]


def allowed() -> FakeContext:
    """A fake context with every permission granted."""
    return FakeContext(permissions=ALLOW_ALL)
