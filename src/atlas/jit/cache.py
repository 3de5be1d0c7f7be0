"""The native code cache: real machine-code bytes, a limit that holds, LRU eviction.

A *unit* is one compiled LLVM module loaded as one ORC library: a hot function or a
loop nest, with every function they call compiled into the same unit. Units never call
each other, so each can be evicted on its own. Its size is the text-section bytes of
the object file that was loaded (jit/backend.py).

Adding a unit that would take the cache past `cache_limit_bytes` first evicts the least
recently used units. Evicting closes the unit's ORC resource tracker, which frees its
machine code; its functions go back to the VM with their counters restarted, so they
can tier up again. Eviction is always safe when the cache runs: native code never calls
back into Python, so while Python runs (the compiler, the VM) no native frame is live,
and no other unit holds the address of code in this one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .backend import LoadedUnit


@dataclass(eq=False)
class Unit:
    loaded: LoadedUnit
    functions: list[Any] = field(default_factory=list)  # FunctionProtos made native by it
    regions: list[Any] = field(default_factory=list)  # (proto, loop_id) regions it holds
    includes: set[Any] = field(default_factory=set)  # every FunctionProto compiled into it
    called_slots: set[int] = field(default_factory=set)  # global slots of the functions it calls
    last_used: int = 0
    evicted: bool = False
    invalidated: bool = False

    @property
    def code_bytes(self) -> int:
        return self.loaded.code_bytes

    @property
    def name(self) -> str:
        return self.loaded.name


class CodeCache:
    def __init__(self, limit_bytes: int, on_evict: Callable[[Unit], None]) -> None:
        self.limit_bytes = limit_bytes
        self.units: list[Unit] = []
        self.bytes_held = 0
        self.peak_bytes = 0
        self.evictions = 0
        self.invalidations = 0
        self.clock = itertools.count(1)
        self.on_evict = on_evict

    def touch(self, unit: Unit) -> None:
        """Mark a unit as just used."""
        unit.last_used = next(self.clock)

    def fits(self, code_bytes: int) -> bool:
        return code_bytes <= self.limit_bytes

    def make_room(self, code_bytes: int) -> None:
        """Evict least recently used units until `code_bytes` more fit under the limit."""
        while self.units and self.bytes_held + code_bytes > self.limit_bytes:
            self.evict(min(self.units, key=lambda u: u.last_used))

    def add(self, unit: Unit) -> None:
        self.units.append(unit)
        self.bytes_held += unit.code_bytes
        self.peak_bytes = max(self.peak_bytes, self.bytes_held)
        self.touch(unit)

    def evict(self, unit: Unit, *, invalidated: bool = False) -> None:
        """Free a unit's machine code; its functions and loops go back to the VM.
        (`invalidated`: dropped because code it was compiled against changed, not to
        make room.)"""
        if unit.evicted:
            return
        unit.evicted = True
        unit.invalidated = invalidated
        self.units.remove(unit)
        self.bytes_held -= unit.code_bytes
        if invalidated:
            self.invalidations += 1
        else:
            self.evictions += 1
        self.on_evict(unit)
        unit.loaded.close()

    def clear(self) -> None:
        for unit in list(self.units):
            self.evict(unit)
