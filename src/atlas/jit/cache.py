"""The native code cache: real machine-code bytes, a limit that holds, LRU eviction.

A *unit* is one compiled LLVM module loaded as one ORC library: a set of native
functions (a hot function and the callees compiled with it) or one loop region. Its
size is the text-section bytes of the object file that was loaded (jit/backend.py).

Adding a unit that would take the cache past `cache_limit_bytes` first evicts the least
recently used units. Evicting closes the unit's ORC resource tracker, which frees its
machine code; its functions go back to the VM with their counters restarted, so they
can tier up again. Units that call into an evicted unit through the function-slot table
are evicted with it, so no native code ever calls freed code. Eviction is always safe
to do when the cache runs: native code never calls back into Python, so while Python
runs (the compiler, the VM) no native frame is live.
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
    depends_on: set[Unit] = field(default_factory=set)  # units it calls through slots
    dependents: set[Unit] = field(default_factory=set)  # units calling into it
    called_slots: set[int] = field(default_factory=set)  # global slots of the functions it calls
    last_used: int = 0
    evicted: bool = False

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
        self.clock = itertools.count(1)
        self.on_evict = on_evict

    def touch(self, unit: Unit) -> None:
        """Mark a unit (and the units it calls into) as just used."""
        now = next(self.clock)
        unit.last_used = now
        for dep in unit.depends_on:
            dep.last_used = now

    def fits(self, code_bytes: int) -> bool:
        return code_bytes <= self.limit_bytes

    def make_room(self, code_bytes: int, keep: set[Unit] = frozenset()) -> None:  # type: ignore[assignment]
        """Evict least recently used units until `code_bytes` more fit under the limit."""
        while self.units and self.bytes_held + code_bytes > self.limit_bytes:
            candidates = [u for u in self.units if u not in keep]
            if not candidates:
                break
            self.evict(min(candidates, key=lambda u: u.last_used))

    def add(self, unit: Unit) -> None:
        for dep in unit.depends_on:
            dep.dependents.add(unit)
        self.units.append(unit)
        self.bytes_held += unit.code_bytes
        self.peak_bytes = max(self.peak_bytes, self.bytes_held)
        self.touch(unit)

    def evict(self, unit: Unit) -> None:
        """Free a unit and, first, every unit that calls into it."""
        if unit.evicted:
            return
        unit.evicted = True
        for dependent in list(unit.dependents):
            self.evict(dependent)
        for dep in unit.depends_on:
            dep.dependents.discard(unit)
        self.units.remove(unit)
        self.bytes_held -= unit.code_bytes
        self.evictions += 1
        self.on_evict(unit)
        unit.loaded.close()

    def clear(self) -> None:
        for unit in list(self.units):
            self.evict(unit)
