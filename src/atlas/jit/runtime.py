"""The native runtime contract: what compiled code and the VM agree on.

One context struct is shared by all native code. Errors never cross the boundary as
exceptions: native code stores a status and the site (prototype index and pc of the
failing instruction) in the context and returns; every native caller checks the status
after a call and returns at once. The VM turns (status, site) into exactly the error
the interpreter would have raised at that instruction, with the same source span.

Layout (all fields 8 bytes):

    0  status      0 = ok, else one of the STATUS_* codes
    8  site        (proto index << 32) | pc of the instruction that failed
   16  depth       current call depth (VM frames + native frames)
   24  max_depth   limits.MAX_CALL_DEPTH
   32  interrupt   set to 1 by Ctrl-C or a time limit; checked at loop back-edges
   40  globals     double* to Globals.numbers (number and bool globals)
   48  fn_slots    void** native entry of each native function, by native id
"""

from __future__ import annotations

import ctypes

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
CTX_STATUS, CTX_SITE, CTX_DEPTH, CTX_MAX_DEPTH, CTX_INTERRUPT, CTX_GLOBALS, CTX_FN_SLOTS = range(7)


class Context(ctypes.Structure):
    _fields_ = [
        ("status", ctypes.c_int64),
        ("site", ctypes.c_int64),
        ("depth", ctypes.c_int64),
        ("max_depth", ctypes.c_int64),
        ("interrupt", ctypes.c_int64),
        ("globals", ctypes.c_void_p),
        ("fn_slots", ctypes.c_void_p),
    ]


class NativeInterrupt(Exception):
    """Native code stopped because the interrupt flag was set."""


def make_site(proto_index: int, pc: int) -> int:
    return (proto_index << 32) | pc


class NativeRuntime:
    """The context and the function-slot table shared by all native code of one VM."""

    def __init__(self, image: Image) -> None:
        self.image = image
        self.ctx = Context()
        self.ctx.max_depth = MAX_CALL_DEPTH
        self.ctx_address = ctypes.addressof(self.ctx)
        self.slot_capacity = 256
        self.fn_slots = (ctypes.c_void_p * self.slot_capacity)()
        self.ctx.fn_slots = ctypes.addressof(self.fn_slots)
        self.free_ids: list[int] = []
        self.next_id = 0

    def sync_globals(self) -> None:
        """Point the context at the current number-globals buffer (it moves when it grows)."""
        address, _ = self.image.globals.numbers.buffer_info()
        self.ctx.globals = address

    def allocate_native_id(self) -> int:
        if self.free_ids:
            return self.free_ids.pop()
        if self.next_id == self.slot_capacity:
            bigger = (ctypes.c_void_p * (self.slot_capacity * 2))()
            ctypes.memmove(bigger, self.fn_slots, ctypes.sizeof(self.fn_slots))
            self.fn_slots = bigger
            self.slot_capacity *= 2
            self.ctx.fn_slots = ctypes.addressof(self.fn_slots)
        self.next_id += 1
        return self.next_id - 1

    def set_slot(self, native_id: int, address: int) -> None:
        self.fn_slots[native_id] = address

    def release_native_id(self, native_id: int) -> None:
        self.fn_slots[native_id] = None
        self.free_ids.append(native_id)

    def error_from_status(self) -> BaseException:
        """The exception native code reported through the context (and reset it)."""
        ctx = self.ctx
        status, site = ctx.status, ctx.site
        ctx.status = STATUS_OK
        if status == STATUS_INTERRUPTED:
            ctx.interrupt = 0
            return KeyboardInterrupt()
        proto = self.image.protos[site >> 32]
        pc = site & 0xFFFFFFFF
        if status == STATUS_DIVIDE_BY_ZERO:
            error = divide_by_zero()
        elif status == STATUS_INVALID_NUMERIC:
            error = invalid_numeric()
        elif status == STATUS_STACK_OVERFLOW:
            error = stack_overflow()
        elif status == STATUS_UNDEFINED_GLOBAL:
            instr = proto.code[pc]
            error = unknown_symbol(self.image.globals.number_names[instr[2]])
        elif status == STATUS_INVALID_INDEX:
            error = invalid_index()
        elif status == STATUS_OUT_OF_BOUNDS:
            error = out_of_bounds()
        else:
            error = AtlasRuntimeError("AT9995", "Internal error: native code reached unreachable code")
        return error.at(proto.spans[pc], proto.source)
