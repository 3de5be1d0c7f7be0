"""The llvmlite backend: optimise a module, emit machine code, load it, free it.

Each compiled unit is one LLVM module. It is optimised with the new pass manager at the
configured level, emitted as an object file whose text sections are measured (the real
machine-code size), and exactly those bytes are loaded into the ORC LLJIT as a library
of its own. Closing the unit's resource tracker frees its code.

Emitted objects are also kept, by the content of their IR, in a small byte-bounded LRU
(`OBJECT_CACHE_BYTES`). A unit evicted from the code cache and compiled again later
(same IR) is re-loaded from its object without running the optimiser again. Besides
saving the compile time, this matters for memory: each run of llvmlite's pass manager
retains about 60 KB inside LLVM that nothing can release (its instrumentation callbacks
accumulate), so the optimiser must run once per distinct function body, not once per
tier-up. (Measured by bench/soak_cache.py; see docs/jit.md.)
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import time
from collections import OrderedDict
from dataclasses import dataclass

import llvmlite.binding as llvm
from llvmlite import ir

_initialized = False

# Bytes of emitted object files kept for re-loading units that are compiled again.
OBJECT_CACHE_BYTES = 8 * 1024 * 1024


def initialize() -> None:
    global _initialized
    if not _initialized:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        # The loop vectoriser may vectorise a loop that sums doubles only if it keeps
        # the additions in program order (a sum to the bit like the interpreter's):
        # the rest of the loop runs several elements per instruction (spectral_norm's
        # divisions, four to a vdivpd) and the sum takes them one by one, in order.
        llvm.set_option("atlas", "-force-ordered-reductions")
        # Blocks reached only by a jump start on a 16-byte boundary, as gcc -O2 aligns
        # jump targets: the padding follows a jump, so it never runs, and a target at a
        # fetch block's start is fetched whole. sieve's scan loop (a branch per element
        # to the next one) 0.44-0.52 -> 0.37-0.40 s; machine code about 6% larger.
        llvm.set_option("atlas", "-align-all-nofallthru-blocks=4")
        # Blocks are laid out by Ext-TSP (from the branch weights: the checks' cold
        # paths, loops' likely back-edges) rather than by LLVM's default chain-building
        # heuristics, whose result for a loop nest with several entries (an OSR region)
        # varied with unrelated changes: sieve's scan loop was laid out top-tested, a
        # jump back per element, after a change elsewhere removed a few phis from it
        # (0.40 -> 0.47 s; with Ext-TSP, 0.39 s whatever the phis).
        llvm.set_option("atlas", "-enable-ext-tsp-block-placement")
        _initialized = True


@functools.cache
def host_has_fma() -> bool:
    """Whether this host's CPU has fused multiply-add (see FunctionLowering.fused)."""
    initialize()
    return bool(llvm.get_host_cpu_features().get("fma", False))


@dataclass
class LoadedUnit:
    name: str
    tracker: llvm.ResourceTracker
    addresses: dict[str, int]
    code_bytes: int  # text-section bytes of the object that was loaded
    object_bytes: int
    compile_ms: float
    ir_text: str
    asm_text: str | None = None  # the machine code, when the backend keeps listings
    optimized_ir: str | None = None  # the IR after optimisation, likewise
    section_sizes: dict[str, int] | None = None  # symbol -> bytes of its `.text.<symbol>`

    def close(self) -> None:
        if not self.tracker.closed:
            self.tracker.close()


class Backend:
    def __init__(self, opt_level: int = 2) -> None:
        initialize()
        self.opt_level = opt_level
        target = llvm.Target.from_default_triple()
        # The host's own CPU and features (SSE4.1's roundsd for floor, ...): the code
        # runs only here. FP results do not change: no fast-math, no FMA contraction
        # (the lowering asks for a fused multiply-add only where it rounds exactly as
        # the two operations do: see FunctionLowering.fused).
        # The small code model with PIC: constants and calls inside a unit are
        # PC-relative; calls out of it (libm, malloc) go through stubs the linker makes.
        self.target_machine = target.create_target_machine(
            cpu=llvm.get_host_cpu_name(),
            features=llvm.get_host_cpu_features().flatten(),
            opt=opt_level,
            reloc="pic",
            codemodel="small",
            jit=True,
        )
        self.triple = llvm.get_process_triple()
        self.data_layout = str(self.target_machine.target_data)
        self.lljit = llvm.create_lljit_compiler(self.target_machine)
        self.names = itertools.count()
        self.keep_asm = False  # keep IR and assembly listings (atlas disasm --ir/--asm)
        self.objects: OrderedDict[str, bytes] = OrderedDict()
        self.object_bytes = 0
        self.object_hits = 0
        # The runtime unit (see load_runtime): loaded once, never evicted.
        self.runtime: LoadedUnit | None = None
        self.runtime_symbols: dict[str, int] = {}

    def prepare(self, module: ir.Module) -> None:
        module.triple = self.triple
        module.data_layout = self.data_layout

    def optimize(self, mod: llvm.ModuleRef) -> None:
        pto = llvm.create_pipeline_tuning_options(speed_level=self.opt_level)
        pass_builder = llvm.create_pass_builder(self.target_machine, pto)
        pass_builder.getModulePassManager().run(mod, pass_builder)

    def emit(self, ir_text: str) -> tuple[bytes, tuple[str, str] | None]:
        """Optimise and emit an object for `ir_text` (reusing a cached object); with
        `keep_asm`, also the optimised IR and the assembly listing."""
        key = hashlib.sha256(ir_text.encode()).hexdigest()
        cached = self.objects.get(key)
        if cached is not None and not self.keep_asm:
            self.objects.move_to_end(key)
            self.object_hits += 1
            return cached, None
        mod = llvm.parse_assembly(ir_text)
        mod.verify()
        if self.opt_level > 0:
            self.optimize(mod)
        obj = self.target_machine.emit_object(mod)
        asm = (str(mod), self.target_machine.emit_assembly(mod)) if self.keep_asm else None
        self.objects[key] = obj
        self.object_bytes += len(obj)
        while self.objects and self.object_bytes > OBJECT_CACHE_BYTES:
            _, old = self.objects.popitem(last=False)
            self.object_bytes -= len(old)
        return obj, asm

    def load_runtime(self, module: ir.Module, exports: list[str]) -> None:
        """Load the unit of functions every later unit may call (by name; each is linked
        to their addresses here). It stays loaded as long as the backend."""
        self.runtime = self.load(module, exports)
        self.runtime_symbols = dict(self.runtime.addresses)

    def load(self, module: ir.Module, exports: list[str]) -> LoadedUnit:
        """Compile `module` and load it; `exports` are the symbols Python needs."""
        start = time.perf_counter()
        self.prepare(module)
        ir_text = str(module)
        obj, listings = self.emit(ir_text)
        text_sections = [
            (s.name() or b"", s.size())
            for s in llvm.ObjectFileRef.from_data(obj).sections()
            if s.is_text()
        ]
        code_bytes = sum(size for _, size in text_sections)
        section_sizes = {
            name.decode()[len(".text.") :]: size
            for name, size in text_sections
            if name.startswith(b".text.")
        }
        name = f"atlas_unit{next(self.names)}"
        builder = llvm.JITLibraryBuilder().add_object_img(obj).add_current_process()
        for symbol, address in self.runtime_symbols.items():
            builder.import_symbol(symbol, address)
        for symbol in exports:
            builder.export_symbol(symbol)
        tracker = builder.link(self.lljit, name)
        addresses = {symbol: tracker[symbol] for symbol in exports}
        elapsed = (time.perf_counter() - start) * 1000
        optimized, asm = listings or (None, None)
        return LoadedUnit(
            name, tracker, addresses, code_bytes, len(obj), elapsed, ir_text, asm, optimized, section_sizes
        )
