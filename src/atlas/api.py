"""The embedding API: `atlas.Runtime`.

    rt = atlas.Runtime()
    rt.eval("fn sq(x: number) -> number { return x * x; }")
    rt.call("sq", 7)            # 49.0
    rt.eval("sq(3) + 1;")       # 10.0

Successive `eval` calls share one program: later code sees earlier functions and
globals. Values cross the boundary converted: number <-> float, string <-> str,
bool <-> bool, null <-> None, array <-> list, HashMap -> dict, HashSet -> set,
Queue/Stack -> list, json -> its Python data; Option/Result stay `Some`/`NONE`/`Ok`/`Err`
objects (with converted payloads); functions come back as Python callables.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from typing import IO, Any

from .check.types import BOOL, NUMBER, STRING, ArrayType, Type
from .compile.proto import FunctionProto
from .config import JitConfig, resolve
from .diagnostics import AtlasError, Diagnostic
from .permissions import Permissions
from .pipeline import Session, runtime_diagnostic
from .vm.errors import AtlasRuntimeError
from .vm.executor import run_on_big_stack
from .vm.values import (
    NONE,
    UNDEFINED,
    Err,
    Function,
    HashMap,
    HashSet,
    Json,
    NoneValue,
    Ok,
    Queue,
    Some,
    Stack,
    hash_key,
    kind_name,
)


class Runtime:
    """An Atlas program you can feed source to and call into."""

    def __init__(
        self,
        jit: bool | JitConfig = True,
        *,
        stdout: IO[str] | Callable[[str], Any] | None = None,
        allow_io: bool = False,
        allow_process: bool = False,
    ) -> None:
        """`jit`: True for the JIT as configured by the environment (ATLAS_JIT_*), False
        for the VM alone, or a JitConfig. `allow_io` lets programs use the file system and
        environment variables, `allow_process` lets them run other programs (both denied
        by default; see atlas.permissions)."""
        config = jit if isinstance(jit, JitConfig) else resolve().config
        if jit is False:
            config = dataclasses.replace(config, enabled=False)
        self.jit_config = config
        self.jit_enabled = config.enabled
        if stdout is None:
            write = lambda text: sys.stdout.write(text)  # noqa: E731 - follows sys.stdout swaps
        elif callable(stdout):
            write = stdout
        else:
            write = stdout.write
        permissions = Permissions(allow_io=allow_io, allow_process=allow_process)
        self._session = Session(jit=config, write_stdout=write, permissions=permissions)
        self.warnings: list[Diagnostic] = []

    def eval(self, source: str, name: str = "<eval>") -> Any:
        """Run `source`; return the value of its last expression statement (else None).

        Raises `atlas.AtlasError` for syntax, type and runtime errors."""
        session = self._session
        try:
            modules = session.prepare_text(source, name)
        finally:
            self.warnings = session.take_warnings()
        return to_python(run_on_big_stack(session.execute, modules), self)

    def jit_stats(self) -> dict[str, Any]:
        """What the JIT has compiled so far: the data `atlas run --jit-stats-json` writes."""
        from .jit.stats import collect

        return collect(self._session.image, self._session.jit, self.jit_config)

    def call(self, name: str, *args: Any) -> Any:
        """Call the Atlas function `name` (defined by an earlier `eval`) with Python args."""
        symbol = self._session.prior_globals.get(name)
        if symbol is None:
            raise AtlasError([Diagnostic("error", "AT0002", f"Unknown symbol: {name}", "runtime")])
        space, index = self._session.image.slot(symbol)
        if space != "v":
            raise AtlasError([Diagnostic("error", "AT0001", f"Type error: '{name}' is not a function", "runtime")])
        fn = self._session.image.globals.values[index]
        if fn is UNDEFINED:
            raise AtlasError([Diagnostic("error", "AT0002", f"Unknown symbol: {name}", "runtime")])
        return self._call_value(fn, [from_python(a) for a in args])

    def _call_value(self, fn: Any, args: list) -> Any:
        if type(fn) is Function:
            check_arguments(fn.proto, args)

        def invoke() -> Any:
            try:
                return self._session.vm.call_value(fn, args)
            except AtlasRuntimeError as error:
                raise AtlasError([runtime_diagnostic(error)]) from None

        return to_python(run_on_big_stack(invoke), self)


# Python kinds a statically typed parameter accepts. Compiled code trusts the checker,
# so values from Python are checked here, where no checker has seen them.
_PARAM_KINDS: dict[Type, type] = {NUMBER: float, STRING: str, BOOL: bool}


def check_arguments(proto: FunctionProto, args: list) -> None:
    """AtlasError unless `args` fit the arity and primitive parameter types of `proto`."""
    if len(args) != proto.nparams:
        plural = "" if proto.nparams == 1 else "s"
        raise AtlasError([Diagnostic(
            "error", "AT0001",
            f"Type error: Function {proto.name} expects {proto.nparams} argument{plural}, got {len(args)}",
            "runtime",
        )])  # fmt: skip
    for i, (ty, value) in enumerate(zip(proto.param_types, args, strict=True), start=1):
        wanted = _PARAM_KINDS.get(ty) or (list if isinstance(ty, ArrayType) else None)
        if wanted is not None and type(value) is not wanted:
            raise AtlasError([Diagnostic(
                "error", "AT0001",
                f"Type error: Argument {i} type mismatch: expected {ty}, found {kind_name(value)}",
                "runtime",
            )])  # fmt: skip


class AtlasFunction:
    """An Atlas function value handed to Python: calling it runs it in its Runtime."""

    def __init__(self, runtime: Runtime, fn: Function) -> None:
        self._runtime = runtime
        self._fn = fn
        self.__name__ = fn.name

    def __call__(self, *args: Any) -> Any:
        return self._runtime._call_value(self._fn, [from_python(a) for a in args])

    def __repr__(self) -> str:
        return f"<atlas fn {self._fn.name}>"


def to_python(value: Any, runtime: Runtime | None = None) -> Any:
    t = type(value)
    if t is list:
        return [to_python(x, runtime) for x in value]
    if t is HashMap:
        return {to_python(k, runtime): to_python(v, runtime) for k, v in value.entries.values()}
    if t is HashSet:
        return {to_python(x, runtime) for x in value.items.values()}
    if t is Queue:
        return [to_python(x, runtime) for x in value.elements()]
    if t is Stack:
        return [to_python(x, runtime) for x in value.items]
    if t is Json:
        return value.data
    if t in (Some, Ok, Err):
        return t(to_python(value.value, runtime))
    if t is Function and runtime is not None:
        return AtlasFunction(runtime, value)
    return value


def from_python(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, list | tuple):
        return [from_python(x) for x in value]
    if isinstance(value, dict):
        entries = {}
        for k, v in value.items():
            key = from_python(k)
            entries[hash_key(key)] = (key, from_python(v))
        return HashMap(entries)
    if isinstance(value, set | frozenset):
        items = {}
        for x in value:
            item = from_python(x)
            items[hash_key(item)] = item
        return HashSet(items)
    if isinstance(value, Some | Ok | Err):
        return type(value)(from_python(value.value))
    if isinstance(value, NoneValue):
        return NONE
    if isinstance(value, AtlasFunction):
        return value._fn
    raise TypeError(f"cannot pass {type(value).__name__} to Atlas")
