"""Compiled functions and the program image they live in.

`FunctionProto` is what the compiler produces for one function body (reference: the
DESIGN's FunctionProto): its bytecode, the span of each instruction, the register
layout and types, and the counters the tiering policy reads.

`Image` is the whole loaded program: every proto, the global table, and the table of
Python callables (builtins and array-method implementations) that CALLB indexes.
"""

from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass, field
from typing import Any

from ..check.types import BOOL, NUMBER, Type
from ..source import SourceFile, Span
from ..vm.values import UNDEFINED

Instr = tuple[int, int, int, int, int]

# Number/bool globals that have not been assigned yet hold this NaN bit pattern; the VM
# and native code both test for it to report AT0002 instead of reading garbage.
UNDEFINED_NUMBER_BITS = 0x7FF8_DEAD_0A71_A500
UNDEFINED_NUMBER: float = struct.unpack("<d", struct.pack("<Q", UNDEFINED_NUMBER_BITS))[0]


def is_undefined_number(x: float) -> bool:
    return x != x and struct.pack("<d", x) == struct.pack("<Q", UNDEFINED_NUMBER_BITS)


@dataclass(eq=False)
class FunctionProto:
    name: str
    source: SourceFile
    span: Span
    nparams: int
    param_types: tuple[Type, ...]
    ret_type: Type
    is_main: bool = False
    ncaptures: int = 0
    capture_from: list[int] = field(default_factory=list)  # enclosing registers copied by CLOSURE
    code: list[Instr] = field(default_factory=list)
    spans: list[Span | None] = field(default_factory=list)
    nregs: int = 0
    tail: list[Any] = field(default_factory=list)  # initial values of registers past params+captures
    reg_types: list[Type | None] = field(default_factory=list)  # fixed-type registers; None = temp/const
    reg_names: list[str | None] = field(default_factory=list)
    const_base: int = 0  # first constant register
    loop_headers: list[int] = field(default_factory=list)  # loop id -> header pc
    symbol: Any = None  # the Symbol of a top-level function
    index: int = -1  # position in Image.protos (native error sites name it)
    # -- tiering state (read and written by the VM and the JIT)
    calls: int = 0
    call_bias: int = 0  # added to `calls` by the JIT to compile a function early (not real calls)
    loop_counts: list[int] = field(default_factory=list)
    loop_regions: list[Any] = field(default_factory=list)  # per loop: a jit.NativeRegion or None
    native: Any = None  # a jit.NativeFunction once compiled
    jit: Any = None  # per-function JIT record (stats, fallback reason)

    @property
    def line(self) -> int:
        return self.source.position(self.span.start)[0]

    @property
    def qualified_name(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<proto {self.name}>"


class Globals:
    """The program's global slots.

    Generic values live in the list `values`. Globals whose static type is number or
    bool live in `numbers`, a contiguous array of doubles (bools as 0.0/1.0) that native
    code reads and writes directly, so the VM and compiled code always see one value.
    """

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.value_names: list[str] = []
        self.numbers = array("d")
        self.number_names: list[str] = []

    def add_value(self, name: str) -> int:
        self.values.append(UNDEFINED)
        self.value_names.append(name)
        return len(self.values) - 1

    def add_number(self, name: str) -> int:
        self.numbers.append(UNDEFINED_NUMBER)
        self.number_names.append(name)
        return len(self.numbers) - 1


# Storage spaces of a global slot.
SPACE_VALUE = "v"
SPACE_NUMBER = "n"
SPACE_BOOL = "b"


def space_for(ty: Type) -> str:
    if ty == NUMBER:
        return SPACE_NUMBER
    if ty == BOOL:
        return SPACE_BOOL
    return SPACE_VALUE


class Image:
    """Everything a running program needs: protos, globals, callables."""

    def __init__(self) -> None:
        self.globals = Globals()
        self.protos: list[FunctionProto] = []
        self.callables: list[Any] = []  # Builtin objects, indexed by CALLB's operand B
        self._callable_index: dict[int, int] = {}
        self.slots: dict[Any, tuple[str, int]] = {}  # Symbol -> (space, index)
        self._function_slots: dict[tuple[Any, str], tuple[str, int]] = {}
        # Generic slots some instruction assigns (SETG): a function bound there may be
        # replaced at run time, so the JIT never calls it directly.
        self.rebound_value_slots: set[int] = set()
        # Static type of each generic slot that holds a top-level variable (the JIT
        # compiles loops that use number[] globals).
        self.value_types: dict[int, Type] = {}
        # Called with a slot whose function is redefined (see bind_function).
        self.rebind_listeners: list[Any] = []

    def bind_function(self, slot: int, fn: Any) -> None:
        """Bind a top-level function to its slot. Binding over an earlier definition (a
        later chunk of the same runtime redefines it) tells the listeners, so that code
        compiled against the old one (the JIT's) is dropped."""
        old = self.globals.values[slot]
        self.globals.values[slot] = fn
        if type(old) is type(fn):
            for listener in self.rebind_listeners:
                listener(slot)

    def add_proto(self, proto: FunctionProto) -> int:
        proto.index = len(self.protos)
        self.protos.append(proto)
        return proto.index

    def callable_index(self, fn: Any) -> int:
        key = id(fn)
        idx = self._callable_index.get(key)
        if idx is None:
            idx = len(self.callables)
            self.callables.append(fn)
            self._callable_index[key] = idx
        return idx

    def slot(self, symbol: Any) -> tuple[str, int]:
        """The global slot of a global symbol, allocated on first use.

        The compiler allocates a module's functions first. A top-level variable with the
        name of a top-level function of its module shares that function's slot (reference
        3.16: executing the declaration replaces the function value), and a function that
        `replaces` one from an earlier chunk of the same runtime reuses its slot.
        """
        found = self.slots.get(symbol)
        if found is not None:
            return found
        kind = symbol.kind.name
        replaced = getattr(symbol, "replaces", None)
        same_name = self._function_slots.get((symbol.module, symbol.name))
        if replaced is not None and replaced in self.slots:
            found = self.slots[replaced]
        elif kind == "GLOBAL_VAR" and same_name is not None:
            found = same_name
        else:
            space = space_for(symbol.ty) if kind == "GLOBAL_VAR" else SPACE_VALUE
            if space == SPACE_VALUE:
                found = (space, self.globals.add_value(symbol.name))
                if kind == "GLOBAL_VAR":
                    self.value_types[found[1]] = symbol.ty
            else:
                found = (space, self.globals.add_number(symbol.name))
        if kind == "GLOBAL_FN":
            self._function_slots[(symbol.module, symbol.name)] = found
        self.slots[symbol] = found
        return found
