"""The JIT engine: decides what to compile, compiles it, and runs it for the VM.

The VM counts calls per function and back-edges per loop and calls in here when a
count reaches its trigger (`JitConfig`). Compiling is a pipeline of named passes:

    analyze   register kinds and supported instructions (jit/analysis.py)
    closure   the function plus every callee not native yet, all of which must compile
    lower     bytecode -> LLVM IR (jit/lowering.py)
    codegen   optimise, emit the object, measure its text bytes, load it (jit/backend.py)
    install   make room in the code cache, bind native entries, fill the slot table

Anything that cannot be compiled stays in the VM and its reason is recorded (function,
construct, source line). llvmlite is imported on the first compilation only, so a
program that never gets hot never pays for it.
"""

from __future__ import annotations

import ctypes
import time
from array import array
from dataclasses import dataclass, field
from typing import Any

from ..compile.proto import FunctionProto, Image
from ..config import JitConfig
from ..vm.executor import interrupt_targets
from ..vm.interpreter import DECLINED
from .analysis import (
    GUARD_NONE,
    GUARD_OBSERVED,
    A,
    Analysis,
    B,
    F,
    GlobalArrayUse,
    LoopRegion,
    analyze,
    entry_guards,
    function_guards,
    hot_loop_region,
    kind_of_type,
    returns_nothing,
    spared_facts,
    specialised,
    within_guard,
)
from .ranges import Range
from .runtime import NativeRuntime, NotNumbers, release, to_buffer, to_list

ENTRY_PROTOTYPE = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
REGION_PROTOTYPE = ctypes.CFUNCTYPE(
    ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64
)


TIER_VM, TIER_NATIVE, TIER_FALLBACK = "vm", "native", "fallback"


class Fallback(Exception):
    """This code stays in the VM, for `reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class FunctionRecord:
    proto: FunctionProto
    tier: str = TIER_VM
    compile_ms: float = 0.0
    code_bytes: int = 0
    fallback_reason: str | None = None
    native_entries: int = 0
    compilations: int = 0
    evictions: int = 0
    earlier_vm_calls: int = 0  # VM calls counted before its counter last restarted
    guard_level: int = GUARD_OBSERVED  # what it is compiled for, called from the VM (function_guards)


@dataclass
class LoopRecord:
    proto: FunctionProto
    loop_id: int
    tier: str = TIER_VM
    compile_ms: float = 0.0
    code_bytes: int = 0
    fallback_reason: str | None = None
    entries: int = 0
    compilations: int = 0
    evictions: int = 0
    region_line: int | None = None  # the outermost loop of the native region it is part of
    declined: bool = False  # its region met a value of another kind: it stays in the VM
    guard_level: int = GUARD_OBSERVED  # what a region from this loop assumes (entry_guards)
    earlier_back_edges: int = 0  # VM back-edges counted before its counter last restarted

    @property
    def line(self) -> int:
        header = self.proto.loop_headers[self.loop_id]
        span = self.proto.spans[header] or self.proto.span
        return self.proto.source.position(span.start)[0]


class NativeFunction:
    """A compiled function as the VM sees it: call it with Atlas values."""

    __slots__ = (
        "engine", "entry", "global_arrays", "guards", "has_arrays", "kinds", "lengths", "proto", "record",
        "result_kind", "unit", "written_globals",
    )  # fmt: skip

    def __init__(
        self, engine: JitEngine, proto: FunctionProto, address: int, unit: Any, uses: GlobalArrayUse,
        guards: dict[int, Range] | None = None, lengths: dict[int, int] | None = None,
    ) -> None:  # fmt: skip
        self.engine = engine
        # What the code assumes of the arguments (see function_guards); checked per call.
        self.guards = tuple((reg, r.lo, r.hi) for reg, r in sorted((guards or {}).items()))
        self.lengths = tuple(sorted((lengths or {}).items()))
        self.proto = proto
        self.entry = ENTRY_PROTOTYPE(address)
        self.kinds = [kind_of_type(t) for t in proto.param_types]
        self.has_arrays = A in self.kinds
        ret = proto.ret_type
        self.result_kind = None if returns_nothing(ret) else kind_of_type(ret)
        self.unit = unit
        self.record = engine.function_record(proto)
        self.global_arrays = tuple(sorted(uses.slots))
        self.written_globals = frozenset(uses.written)

    def call(self, vm: Any, args: list) -> Any:
        broken = broken_guard(args, self.guards, self.lengths)
        if broken is not None:
            return self.recompile_with_fewer_guards(vm, args, broken)
        if self.has_arrays:
            buffer = self.marshal_with_arrays(args)
            if buffer is None:
                return DECLINED
        else:
            for value, kind in zip(args, self.kinds, strict=True):
                if type(value) is not (float if kind == F else bool):
                    return DECLINED  # gradual typing let a value of another kind through
            buffer = array("d", args)
        engine = self.engine
        runtime = engine.runtime
        runtime.sync_globals()
        runtime.ctx.depth = vm.depth + 1
        if self.global_arrays:
            try:
                runtime.lend_global_arrays(self.global_arrays)
            except NotNumbers:
                self.release_arguments(buffer)
                return DECLINED
        engine.cache.touch(self.unit)
        self.record.native_entries += 1
        engine.native_calls += 1
        status = self.entry(runtime.ctx_address, buffer.buffer_info()[0], engine.result_address)
        if self.global_arrays:
            runtime.take_global_arrays(self.global_arrays, self.written_globals)
        if status:
            raise runtime.error_from_status()
        kind = self.result_kind
        if kind == F:
            return engine.result.value
        if kind == B:
            return engine.result.value != 0.0
        if kind == A:
            return to_list(engine.result_bits.value)
        return None

    def recompile_with_fewer_guards(self, vm: Any, args: list, reg: int) -> Any:
        """Argument `reg` broke what this code assumed: compile the function again a
        guard level down (for these arguments), and call that."""
        proto = self.proto
        engine = self.engine
        proto.native = None
        self.unit.functions.remove(proto)  # the unit keeps the code until it is evicted
        self.record.guard_level = max(GUARD_NONE, self.record.guard_level - 1)
        engine.emit_log(f"function {proto.name}: argument {reg + 1} = {described(args[reg])} is outside "
                        "what it was compiled for; compiling it again")  # fmt: skip
        engine.on_hot_function(proto, args)
        native = proto.native
        return DECLINED if native is None else native.call(vm, args)

    def release_arguments(self, buffer: array) -> None:
        words = memoryview(buffer).cast("B").cast("q")
        for i, kind in enumerate(self.kinds):
            if kind == A:
                release(words[i])
        words.release()

    def marshal_with_arrays(self, args: list) -> array | None:
        """The argument slots, each array copied into a buffer the callee owns (None:
        a value of the wrong kind, so the VM runs the call)."""
        buffer = array("d", bytes(8 * len(args)))
        words = memoryview(buffer).cast("B").cast("q")
        owned: list[int] = []
        try:
            for i, (value, kind) in enumerate(zip(args, self.kinds, strict=True)):
                if kind == A:
                    address = to_buffer(value) if value is not None else -1
                    if address <= 0:
                        raise NotNumbers
                    owned.append(address)
                    words[i] = address
                elif type(value) is (float if kind == F else bool):
                    buffer[i] = value
                else:
                    raise NotNumbers
        except NotNumbers:
            for address in owned:
                release(address)
            return None
        finally:
            words.release()
        return buffer


def slot_value(value: Any, kind: str, live: bool) -> float:
    """A number/bool register's value for a region slot. A live register must hold its
    kind (NotNumbers if gradual typing put something else there); a register that is
    not live where the region is entered is assigned before it is read, so any value
    will do."""
    if type(value) is float and kind == F:
        return value
    if type(value) is bool and kind == B:
        return 1.0 if value else 0.0
    if live:
        raise NotNumbers
    return 0.0


def broken_guard(values: list, guards: tuple, lengths: tuple) -> int | None:
    """The first parameter whose value breaks what native code was compiled for (its
    range, see within_guard, or its least length), or None."""
    for reg, lo, hi in guards:
        if not within_guard(values[reg], lo, hi):
            return reg
    for reg, length in lengths:
        value = values[reg]
        if type(value) is not list or len(value) < length:
            return reg
    return None


def described(value: Any) -> str:
    """A parameter's value for --jit-log."""
    return f"a number[] of {len(value)}" if type(value) is list else repr(value)


class NativeRegion:
    """A compiled loop nest as the VM sees it: run it from the header of any of its loops."""

    __slots__ = (
        "arrays", "engine", "fn", "global_arrays", "guards", "lengths", "live", "numbers", "records", "region",
        "unit", "writeback", "written_globals",
    )  # fmt: skip

    def __init__(
        self, engine: JitEngine, region: LoopRegion, analysis: Analysis, address: int, unit: Any,
        uses: GlobalArrayUse,
    ) -> None:  # fmt: skip
        kinds = region.kinds
        self.engine = engine
        self.region = region
        self.fn = REGION_PROTOTYPE(address)
        self.unit = unit
        self.numbers = [(i, reg, kinds[reg]) for i, reg in enumerate(region.registers) if kinds[reg] != A]
        self.arrays = [(i, reg, reg in region.written) for i, reg in enumerate(region.registers) if kinds[reg] == A]
        self.writeback = [(reg, i, kind == B) for i, reg, kind in self.numbers if reg in region.written]
        self.guards = tuple((reg, r.lo, r.hi) for reg, r in sorted(region.guards.items()))
        self.lengths = tuple(sorted(region.lengths.items()))
        self.global_arrays = tuple(sorted(uses.slots))
        self.written_globals = frozenset(uses.written)
        # Per entry header: the registers live there (they must hold their kind).
        self.live = {
            header: {r for r, k in (analysis.kinds[header] or {}).items() if k in (F, B, A)} & analysis.live[header]
            for header in region.entries
        }
        self.records = {
            header: engine.loop_record(region.proto, loop_id) for header, loop_id in region.entries.items()
        }

    def run(self, vm: Any, regs: list, header: int) -> int:
        """Run the loop nest natively from `header`; returns the pc where the VM resumes."""
        engine = self.engine
        broken = broken_guard(regs, self.guards, self.lengths)
        if broken is not None:
            return self.recompile_with_fewer_guards(vm, regs, header, broken)
        runtime = engine.runtime
        live = self.live[header]
        size = max(1, len(self.region.registers))
        numbers = array("d", bytes(8 * size))
        arrays = array("q", bytes(8 * size))
        try:
            for i, reg, kind in self.numbers:
                numbers[i] = slot_value(regs[reg], kind, reg in live)
            for i, reg, _ in self.arrays:
                value = regs[reg]
                if reg in live or type(value) is list:
                    arrays[i] = to_buffer(value)
            if self.global_arrays:
                runtime.lend_global_arrays(self.global_arrays)
        except NotNumbers:
            for address in arrays:
                release(address)
            return self.decline(header)
        runtime.sync_globals()
        runtime.ctx.depth = vm.depth
        engine.cache.touch(self.unit)
        self.records[header].entries += 1
        engine.native_calls += 1
        if engine.log is not None:
            record = self.records[header]
            engine.emit_log(f"osr: entering native code at the loop at {self.region.proto.name}:{record.line}")
        resume = self.fn(runtime.ctx_address, numbers.buffer_info()[0], arrays.buffer_info()[0], header)
        # Global arrays are taken back even after an error: the program's state must be
        # what the VM would have left (an embedding Runtime keeps running).
        if self.global_arrays:
            runtime.take_global_arrays(self.global_arrays, self.written_globals)
        if resume < 0:
            for i, _, _ in self.arrays:
                release(arrays[i])
            raise runtime.error_from_status()
        for i, reg, written in self.arrays:
            if written:
                regs[reg] = to_list(arrays[i]) if arrays[i] else None
            else:
                release(arrays[i])
        for reg, i, is_bool in self.writeback:
            regs[reg] = numbers[i] != 0.0 if is_bool else numbers[i]
        return resume

    def recompile_with_fewer_guards(self, vm: Any, regs: list, header: int, reg: int) -> int:
        """Parameter `reg` broke what this code assumed: compile the region again a
        guard level down (for the values held now), and run that."""
        region = self.region
        proto = region.proto
        self.detach()
        record = self.engine.loop_record(proto, region.loop_id)
        record.guard_level = max(GUARD_NONE, record.guard_level - 1)
        self.engine.emit_log(f"loop nest at {proto.name}:{self.records[region.header].line}: r{reg} = "
                             f"{described(regs[reg])} is outside what it was compiled for; compiling it again")
        self.engine.on_hot_loop(proto, region.loop_id, regs)
        native = proto.loop_regions[region.entries[header]]
        return header if native is None else native.run(vm, regs, header)

    def detach(self) -> None:
        """Send the region's loops back to the VM, counting again; the unit keeps the code."""
        region = self.region
        proto = region.proto
        for loop_id in region.entries.values():
            proto.loop_regions[loop_id] = None
            self.engine.restart_loop_count(proto, loop_id).region_line = None
        self.unit.regions = [(p, i) for p, i in self.unit.regions if p is not proto or i not in region.entries.values()]

    def decline(self, header: int) -> int:
        """A register live at `header` holds a value native code cannot take (gradual
        typing let it through): the region's outer loop stays in the VM from now on.
        The loops nested in it start counting again, so each can still get hot and be
        compiled as a smaller region of its own."""
        region = self.region
        self.detach()
        record = self.engine.loop_record(region.proto, region.loop_id)
        record.tier = TIER_FALLBACK
        record.declined = True
        record.fallback_reason = "a number[] or number value of another kind (through unknown)"
        return header


def describe_unit(plan: Plan, region: Any) -> str:
    if region is not None:
        loop = region[0]
        line = loop.proto.source.position((loop.proto.spans[loop.header] or loop.proto.span).start)[0]
        head = f"loop nest at {loop.proto.name}:{line}"
    else:
        head = f"function {plan.functions[0].name} (line {plan.functions[0].line})"
    others = [p.name for p in plan.functions if region is not None or p is not plan.functions[0]]
    return head + (f" with {', '.join(others)}" if others else "")


def unit_names(unit: Any) -> list[str]:
    names = [p.name for p in unit.functions]
    names += [f"loop at {proto.name}" for proto, _ in unit.regions[:1]]
    return names


@dataclass
class Plan:
    """What one compilation will produce."""

    functions: list[FunctionProto] = field(default_factory=list)  # all compiled into the unit
    installs: list[FunctionProto] = field(default_factory=list)  # those it makes native
    analyses: dict[FunctionProto, Analysis] = field(default_factory=dict)
    called_slots: set[int] = field(default_factory=set)
    # What the root function is compiled for, called from the VM (function_guards).
    guards: dict[int, Range] = field(default_factory=dict)
    lengths: dict[int, int] = field(default_factory=dict)


class JitEngine:
    """Owned by a VM: tiering policy, compilation, the code cache, statistics."""

    def __init__(self, image: Image, config: JitConfig) -> None:
        self.image = image
        self.config = config
        self.call_trigger = config.call_trigger
        self.loop_trigger = config.loop_trigger
        self.runtime = NativeRuntime(image)
        self.result = ctypes.c_double()
        self.result_address = ctypes.addressof(self.result)
        self.result_bits = ctypes.c_int64.from_address(self.result_address)
        self.functions: dict[FunctionProto, FunctionRecord] = {}
        self.loops: dict[tuple[FunctionProto, int], LoopRecord] = {}
        self.native_calls = 0
        self.compilations = 0
        self.log: Any = None  # a callable taking one line per JIT event (--jit-log)
        self._backend: Any = None
        self._cache: Any = None
        # number[] globals each compiled function uses, its callees' included
        self.array_uses: dict[FunctionProto, GlobalArrayUse] = {}
        interrupt_targets.add(self)

    # -- lazily created parts that need llvmlite

    @property
    def backend(self) -> Any:
        if self._backend is None:
            from .backend import Backend
            from .lowering import UNWIND_RESULT_TYPES, runtime_module, unwind_symbol

            self._backend = Backend(self.config.opt_level)
            self._backend.load_runtime(runtime_module(), [unwind_symbol(t) for t in UNWIND_RESULT_TYPES])
        return self._backend

    @property
    def runtime_code_bytes(self) -> int:
        """Machine code of the runtime unit (loaded with the backend, never evicted)."""
        runtime = self._backend.runtime if self._backend is not None else None
        return runtime.code_bytes if runtime is not None else 0

    @property
    def cache(self) -> Any:
        if self._cache is None:
            from .cache import CodeCache

            self._cache = CodeCache(self.config.cache_limit_bytes, self.forget_unit)
        return self._cache

    def interrupt(self, exc_type: type[BaseException]) -> None:
        """Ask running native code to stop at its next back-edge or call (Ctrl-C, or a
        time limit: `exc_type` is what the VM raises in its place)."""
        self.runtime.interrupt_with = exc_type
        self.runtime.ctx.interrupt = 1

    def clear_interrupt(self) -> None:
        """A new run starts: an interrupt that arrived while no native code ran was
        delivered to the VM already."""
        self.runtime.ctx.interrupt = 0

    # -- records

    def function_record(self, proto: FunctionProto) -> FunctionRecord:
        record = self.functions.get(proto)
        if record is None:
            record = self.functions[proto] = FunctionRecord(proto)
        return record

    def loop_record(self, proto: FunctionProto, loop_id: int) -> LoopRecord:
        key = (proto, loop_id)
        record = self.loops.get(key)
        if record is None:
            record = self.loops[key] = LoopRecord(proto, loop_id)
        return record

    # -- the VM's hooks

    def on_hot_function(self, proto: FunctionProto, args: list | None = None) -> None:
        """Compile a hot function; `args` (the call's, as it got hot) lets it assume
        ranges and lengths for parameters it never changes."""
        record = self.function_record(proto)
        try:
            plan = self.plan([proto])
            if args is not None:
                self.guard_root(plan, proto, args, record.guard_level)
            self.compile(plan, region=None)
        except Fallback as fallback:
            record.tier = TIER_FALLBACK
            record.fallback_reason = fallback.reason
            self.emit_log(f"fallback: function {proto.name} (line {proto.line}) stays in the VM: {fallback.reason}")

    def on_hot_loop(self, proto: FunctionProto, loop_id: int, registers: list | None = None) -> None:
        """Compile the region around a hot loop; `registers` (the VM's, as it got hot)
        lets it assume ranges for parameters the function never changes."""
        record = self.loop_record(proto, loop_id)
        if record.declined:
            return
        try:
            analysis = analyze(self.image, proto)
            declined = frozenset(i for i in range(len(proto.loop_headers)) if self.loop_record(proto, i).declined)
            region, reason = hot_loop_region(analysis, loop_id, declined)
            if region is None:
                raise Fallback(reason or "unsupported")
            callees = [c for pc, c in analysis.callees.items() if region.contains(pc)]
            plan = self.plan(callees)
            level = self.loop_record(proto, region.loop_id).guard_level if registers is not None else GUARD_NONE
            entry_guards(analysis, region, registers or [], level)
            if region.guards:
                analysis = specialised(analysis, region.guards)
            self.compile(plan, region=(region, analysis))
            self.promote_caller(proto)
        except Fallback as fallback:
            record.tier = TIER_FALLBACK
            record.fallback_reason = fallback.reason
            self.emit_log(f"fallback: loop at {proto.name}:{record.line} stays in the VM: {fallback.reason}")

    @staticmethod
    def guard_root(plan: Plan, proto: FunctionProto, args: list, level: int) -> None:
        """Compile `proto` for the guards of `level` (entered from the VM only, which
        checks them), if they spare checks in it. Not if the unit calls it: a call from
        native code would not check them."""
        if any(proto in analysis.callees.values() for analysis in plan.analyses.values()):
            return
        generic = plan.analyses[proto]
        guards, lengths = function_guards(generic, args, level)
        if not guards:
            return
        guarded = specialised(generic, guards)
        if spared_facts(guarded) != spared_facts(generic):
            plan.analyses[proto], plan.guards, plan.lengths = guarded, guards, lengths

    def promote_caller(self, proto: FunctionProto) -> None:
        """A function with a hot loop is compiled as a whole on its next call, if it is
        called again: then its calls go to native code instead of entering the loop
        through the VM each time. (A function called once is not compiled twice.)"""
        if not proto.is_main and proto.native is None and proto.calls < self.call_trigger - 1:
            proto.call_bias += self.call_trigger - 1 - proto.calls
            proto.calls = self.call_trigger - 1

    # -- observing and inspecting

    def emit_log(self, message: str) -> None:
        if self.log is not None:
            self.log(f"jit: {message}")

    def inspect(self, proto: FunctionProto) -> list[tuple[str, Any]]:
        """Compile `proto` as the JIT would (the whole function, or each of its loop
        nests) keeping the IR and assembly listings: [(title, LoadedUnit or reason)]."""
        self.backend.keep_asm = True
        found: list[tuple[str, Any]] = []
        if not proto.is_main:
            self.on_hot_function(proto)
            record = self.function_record(proto)
            title = f"function {proto.name} (line {proto.line})"
            if record.tier == TIER_NATIVE:
                unit = next(u for u in self.cache.units if proto in u.functions)
                return [(title, unit.loaded)]
            found.append((title, record.fallback_reason))
        for loop_id in range(len(proto.loop_headers)):
            if proto.loop_regions[loop_id] is not None:
                continue  # part of a nest compiled already
            self.on_hot_loop(proto, loop_id)
            record = self.loop_record(proto, loop_id)
            title = f"loop nest at {proto.name}:{record.line}"
            if record.tier == TIER_NATIVE:
                unit = next(u for u in self.cache.units if (proto, loop_id) in u.regions)
                found.append((title, unit.loaded))
            else:
                found.append((title, record.fallback_reason))
        return found

    # -- passes

    def plan(self, roots: list[FunctionProto]) -> Plan:
        """`roots` and every function they call, directly or not: a unit holds its own
        copy of each callee, so calls stay inside it (LLVM can inline them) and no unit
        depends on another. The callees not native yet become native with it."""
        plan = Plan()
        seen: set[FunctionProto] = set()
        stack = list(roots)
        while stack:
            proto = stack.pop()
            if proto in seen:
                continue
            seen.add(proto)
            analysis = analyze(self.image, proto)
            reason = self.refusal(analysis)
            if reason is not None:
                if proto in roots:
                    raise Fallback(reason)
                raise Fallback(f"calls '{proto.name}', which stays in the VM ({reason})")
            plan.functions.append(proto)
            if proto.native is None:
                plan.installs.append(proto)
            plan.analyses[proto] = analysis
            for callee in analysis.callees.values():
                stack.append(callee)
        for analysis in plan.analyses.values():
            for pc in analysis.callees:
                plan.called_slots.add(analysis.proto.code[pc][2])
        return plan

    @staticmethod
    def refusal(analysis: Analysis) -> str | None:
        if analysis.signature_problem is not None:
            return analysis.signature_problem
        problems = [u for pc, u in sorted(analysis.unsupported.items()) if analysis.reachable(pc)]
        return problems[0].reason(analysis.proto) if problems else None

    def compile(self, plan: Plan, region: tuple[LoopRegion, Analysis] | None) -> None:
        started = time.perf_counter()
        self.compilations += 1
        try:
            return self.build(plan, region, started)
        except Fallback:
            raise
        except Exception as exc:  # a bug of the JIT must cost speed, never correctness
            raise Fallback(f"internal JIT error while compiling: {type(exc).__name__}: {exc}") from None

    def build(self, plan: Plan, region: tuple[LoopRegion, Analysis] | None, started: float) -> None:
        from .backend import host_has_fma
        from .cache import Unit
        from .lowering import UnitBuilder, entry_symbol, symbol_of

        # (one name for every unit: equal IR hits the object cache)
        builder = UnitBuilder("atlas", plan.analyses, region[1] if region else None, fma=host_has_fma())
        for proto in plan.functions:
            builder.declare(proto)
        exports: list[str] = []
        root = plan.functions[0] if region is None else None  # the function guard_root may guard
        for proto in plan.functions:
            builder.lower_function(proto, plan.analyses[proto], plan.lengths if proto is root else None)
        for proto in plan.installs:
            exports.append(builder.lower_entry(proto))
        region_symbol = None
        if region is not None:
            region_symbol = builder.lower_region(*region)
            exports.append(region_symbol)
        builder.lower_specialisations()
        section_of = {}
        for fn in builder.module.functions:
            if not fn.is_declaration:
                fn.section = f".text.{fn.name}"
                section_of[fn.name] = fn.section
        try:
            loaded = self.backend.load(builder.module, exports)
        except Exception as exc:  # an LLVM failure must never take the program down
            raise Fallback(f"native compilation failed: {exc}") from None
        elapsed = (time.perf_counter() - started) * 1000
        cache = self.cache
        if not cache.fits(loaded.code_bytes):
            loaded.close()
            raise Fallback(
                f"{loaded.code_bytes} bytes of machine code exceed the cache limit of "
                f"{cache.limit_bytes} bytes"
            )
        unit = Unit(loaded, includes=set(plan.functions), called_slots=plan.called_slots)
        cache.make_room(loaded.code_bytes)
        cache.add(unit)
        sizes = loaded.section_sizes
        self.collect_array_uses(plan)
        for proto in plan.installs:
            address = loaded.addresses[entry_symbol(proto)]
            guards, lengths = (plan.guards, plan.lengths) if proto is root else (None, None)
            proto.native = NativeFunction(self, proto, address, unit, self.array_uses[proto], guards, lengths)
            unit.functions.append(proto)
            record = self.function_record(proto)
            record.tier = TIER_NATIVE
            record.fallback_reason = None
            record.compilations += 1
            record.compile_ms = elapsed / max(1, len(plan.installs) + (region is not None))
            record.code_bytes = sizes.get(symbol_of(proto), 0) + sizes.get(entry_symbol(proto), 0)
        if region is not None:
            loop, analysis = region
            uses = analysis.global_array_use(range(loop.header, loop.end + 1))
            for pc, callee in analysis.callees.items():
                if loop.contains(pc):
                    uses.add(self.array_uses[callee])
            native = NativeRegion(self, loop, analysis, loaded.addresses[region_symbol], unit, uses)
            for loop_id in loop.entries.values():  # the loop and the loops nested in it
                loop.proto.loop_regions[loop_id] = native
                unit.regions.append((loop.proto, loop_id))
                record = self.loop_record(loop.proto, loop_id)
                record.tier = TIER_NATIVE
                record.fallback_reason = None
                record.region_line = self.loop_record(loop.proto, loop.loop_id).line
            record = self.loop_record(loop.proto, loop.loop_id)
            record.compilations += 1
            record.compile_ms = elapsed / max(1, len(plan.installs) + 1)
            record.code_bytes = sizes.get(region_symbol, 0)
        self.attribute_bytes(plan, region, unit)
        if self.log is not None:
            self.emit_log(f"compiled {describe_unit(plan, region)}: {unit.code_bytes} bytes in {elapsed:.1f} ms")

    def attribute_bytes(self, plan: Plan, region: Any, unit: Any) -> None:
        """Give the bytes no record names (private copies of callees, array helpers)
        to the unit's root, so that the records of a unit add up to its real size."""
        if region is not None:
            root = self.loop_record(region[0].proto, region[0].loop_id)
            others = [self.function_record(p) for p in plan.installs]
        else:
            root = self.function_record(plan.functions[0])
            others = [self.function_record(p) for p in plan.installs if p is not plan.functions[0]]
        root.code_bytes = unit.code_bytes - sum(r.code_bytes for r in others)

    def collect_array_uses(self, plan: Plan) -> None:
        """The number[] globals each function of `plan` uses, through its callees too."""
        for proto in plan.functions:
            self.array_uses[proto] = plan.analyses[proto].global_array_use()
        changed = True
        while changed:  # callees may be (mutually) recursive
            changed = False
            for proto in plan.functions:
                for callee in plan.analyses[proto].callees.values():
                    changed |= self.array_uses[proto].add(self.array_uses[callee])

    def forget_unit(self, unit: Any) -> None:
        """Called by the cache when it evicts `unit`: everything goes back to the VM."""
        if self.log is not None:
            why = "invalidated (a function it was compiled against was redefined)" if unit.invalidated else "evicted"
            self.emit_log(f"{why}: {unit.code_bytes} bytes of {', '.join(unit_names(unit))}")
        for proto in unit.functions:
            proto.native = None
            record = self.function_record(proto)
            record.earlier_vm_calls += proto.calls - proto.call_bias
            proto.calls = proto.call_bias = 0  # it can tier up again when it gets hot again
            record.tier = TIER_VM
            record.evictions += 1
        for proto, loop_id in unit.regions:
            proto.loop_regions[loop_id] = None
            self.restart_loop_count(proto, loop_id).evictions += 1

    def restart_loop_count(self, proto: FunctionProto, loop_id: int) -> LoopRecord:
        """Send a loop back to the VM with its hotness counter restarted, so it can tier
        up again (the back-edges counted so far stay in its record)."""
        record = self.loop_record(proto, loop_id)
        record.earlier_back_edges += proto.loop_counts[loop_id]
        proto.loop_counts[loop_id] = 0
        record.tier = TIER_VM
        record.fallback_reason = None
        return record

    def invalidate_slot(self, slot: int) -> None:
        """A global function was redefined: drop native code compiled against it."""
        if self._cache is None:
            return
        for unit in list(self.cache.units):
            if slot in unit.called_slots or any(
                self.image.slots.get(p.symbol) == ("v", slot) for p in unit.includes
            ):
                self.cache.evict(unit, invalidated=True)
