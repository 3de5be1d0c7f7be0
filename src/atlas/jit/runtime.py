"""The native runtime contract: what compiled code and the VM agree on.

One context struct is shared by all native code. Errors never cross the boundary as
exceptions: native code stores a status and the site (prototype index and pc of the
failing instruction) in the context and gets back to the entry Python called, either by
returning with a failure flag that every native caller checks, or (in a unit that holds
no arrays, so no frame has anything to release) by one jump to the entry through the
jump buffer `unwind` points to. The VM turns (status, site) into exactly the error the
interpreter would have raised at that instruction, with the same source span.

Layout (all fields 8 bytes):

    0  status      0 = ok, else one of the STATUS_* codes
    8  site        (proto index << 32) | pc of the instruction that failed
   16  depth       current call depth (VM frames + native frames)
   24  max_depth   limits.MAX_CALL_DEPTH
   32  interrupt   set to 1 by Ctrl-C or a time limit; checked at loop back-edges
   40  globals     double* to Globals.numbers (number and bool globals)
   48  arrays      i64* number[] globals by value slot, while native code runs
   56  unwind      the jump buffer of the running entry (units that unwind; see lowering)

number[] values cross the boundary as heap buffers `{i64 refcount, i64 length, double
data[]}` (see jit/lowering.py). The VM keeps arrays as Python lists, so a list is copied
into a fresh buffer when native code receives it and copied back into a list when native
code hands an array back; `to_buffer`, `to_list` and `release` are that boundary.
"""

from __future__ import annotations

import ctypes
from array import array
from typing import Any

from ..compile.opcodes import Op
from ..compile.proto import Image
from ..limits import MAX_CALL_DEPTH
from ..vm.errors import (
    AtlasRuntimeError,
    divide_by_zero,
    invalid_index,
    invalid_numeric,
    out_of_bounds,
    unknown_symbol,
)
from ..vm.interpreter import stack_overflow
from ..vm.values import UNDEFINED

STATUS_OK = 0
STATUS_DIVIDE_BY_ZERO = 1  # AT0005
STATUS_INVALID_NUMERIC = 2  # AT0007
STATUS_STACK_OVERFLOW = 3  # AT0008
STATUS_INTERRUPTED = 4  # Ctrl-C / time limit
STATUS_UNDEFINED_GLOBAL = 5  # AT0002
STATUS_INVALID_INDEX = 6  # AT0103
STATUS_OUT_OF_BOUNDS = 7  # AT0006
STATUS_UNREACHABLE = 8  # reached code the checker proved unreachable (a bug)

# Field indices in the LLVM struct type (see jit.lowering.CTX_TYPE).
(CTX_STATUS, CTX_SITE, CTX_DEPTH, CTX_MAX_DEPTH, CTX_INTERRUPT, CTX_GLOBALS,
 CTX_ARRAY_GLOBALS, CTX_UNWIND) = range(8)


class Context(ctypes.Structure):
    _fields_ = [
        ("status", ctypes.c_int64),
        ("site", ctypes.c_int64),
        ("depth", ctypes.c_int64),
        ("max_depth", ctypes.c_int64),
        ("interrupt", ctypes.c_int64),
        ("globals", ctypes.c_void_p),
        ("arrays", ctypes.c_void_p),
        ("unwind", ctypes.c_void_p),
    ]


_libc = ctypes.CDLL(None)
_malloc = _libc.malloc
_malloc.restype = ctypes.c_void_p
_malloc.argtypes = [ctypes.c_size_t]
_free = _libc.free
_free.restype = None
_free.argtypes = [ctypes.c_void_p]

ARRAY_HEADER_BYTES = 16  # refcount, length


class NotNumbers(Exception):
    """A list handed to native code as a number[] holds something that is not a number
    (gradual typing let it through): that code runs in the VM instead."""


def to_buffer(values: Any) -> int:
    """A new number[] buffer (one reference) holding the numbers of the list `values`."""
    if values is None:  # a register not assigned yet
        return 0
    if type(values) is not list:
        raise NotNumbers
    for x in values:
        if type(x) is not float:
            raise NotNumbers
    n = len(values)
    address = _malloc(ARRAY_HEADER_BYTES + 8 * max(n, 1))  # native code may read [0]
    if not address:
        raise MemoryError("out of memory for a number[] buffer")
    header = (ctypes.c_int64 * 2).from_address(address)
    header[0] = 1
    header[1] = n
    if n:
        data = array("d", values)
        ctypes.memmove(address + ARRAY_HEADER_BYTES, data.buffer_info()[0], 8 * n)
    return address


def to_list(address: int) -> list:
    """The numbers of a buffer as a new list; drops the reference handed over with it."""
    n = ctypes.c_int64.from_address(address + 8).value
    data = array("d", ctypes.string_at(address + ARRAY_HEADER_BYTES, 8 * n)).tolist()
    release(address)
    return data


def release(address: int) -> None:
    """Drop one reference to a buffer (freeing it with the last one)."""
    if not address:
        return
    refcount = ctypes.c_int64.from_address(address)
    refcount.value -= 1
    if refcount.value == 0:
        _free(address)


class NativeInterrupt(Exception):
    """Native code stopped because the interrupt flag was set."""


def make_site(proto_index: int, pc: int) -> int:
    return (proto_index << 32) | pc


class NativeRuntime:
    """The context shared by all native code of one VM, and the array boundary."""

    def __init__(self, image: Image) -> None:
        self.image = image
        self.ctx = Context()
        self.ctx.max_depth = MAX_CALL_DEPTH
        self.ctx_address = ctypes.addressof(self.ctx)
        self.array_table = (ctypes.c_int64 * 0)()
        self.interrupt_with: type[BaseException] = KeyboardInterrupt

    def lend_global_arrays(self, slots: tuple[int, ...]) -> None:
        """Copy the number[] globals `slots` into the array table for native code (an
        undefined one stays empty: native code reports it). NotNumbers if one holds
        something else."""
        values = self.image.globals.values
        if len(self.array_table) < len(values):
            self.array_table = (ctypes.c_int64 * (2 * len(values)))()
            self.ctx.arrays = ctypes.addressof(self.array_table)
        table = self.array_table
        for i, slot in enumerate(slots):
            value = values[slot]
            try:
                table[slot] = 0 if value is UNDEFINED else to_buffer(value)
            except NotNumbers:
                self.take_global_arrays(slots[:i], ())
                raise

    def take_global_arrays(self, slots: tuple[int, ...], written: frozenset[int] | tuple) -> None:
        """Take the number[] globals back from the table after native code ran: the
        ones it may have changed become new lists, the others are just released."""
        values = self.image.globals.values
        table = self.array_table
        for slot in slots:
            address = table[slot]
            table[slot] = 0
            if slot in written and address:
                values[slot] = to_list(address)
            else:
                release(address)

    def sync_globals(self) -> None:
        """Point the context at the current number-globals buffer (it moves when it grows)."""
        address, _ = self.image.globals.numbers.buffer_info()
        self.ctx.globals = address

    def error_from_status(self) -> BaseException:
        """The exception native code reported through the context (and reset it)."""
        ctx = self.ctx
        status, site = ctx.status, ctx.site
        ctx.status = STATUS_OK
        proto = self.image.protos[site >> 32]
        pc = site & 0xFFFFFFFF
        if status == STATUS_INTERRUPTED:
            ctx.interrupt = 0
            stopped = self.interrupt_with()
            if isinstance(stopped, AtlasRuntimeError):  # a limit: where native code stopped
                stopped.at(proto.spans[pc], proto.source)
            return stopped
        if status == STATUS_DIVIDE_BY_ZERO:
            error = divide_by_zero()
        elif status == STATUS_INVALID_NUMERIC:
            error = invalid_numeric()
        elif status == STATUS_STACK_OVERFLOW:
            error = stack_overflow()
        elif status == STATUS_UNDEFINED_GLOBAL:
            op, _, slot = proto.code[pc][:3]
            numeric = op in (Op.GETNG, Op.GETBG)
            names = self.image.globals.number_names if numeric else self.image.globals.value_names
            error = unknown_symbol(names[slot])
        elif status == STATUS_INVALID_INDEX:
            error = invalid_index()
        elif status == STATUS_OUT_OF_BOUNDS:
            error = out_of_bounds()
        else:
            error = AtlasRuntimeError("AT9995", "Internal error: native code reached unreachable code")
        return error.at(proto.spans[pc], proto.source)
