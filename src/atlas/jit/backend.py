"""The llvmlite backend: optimise a module, emit machine code, load it, free it.

Each compiled unit is one LLVM module. It is optimised with the new pass manager at the
configured level, emitted as an object file whose text sections are measured (the real
machine-code size), and exactly those bytes are loaded into the ORC LLJIT as a library
of its own. Closing the unit's resource tracker frees its code.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import llvmlite.binding as llvm
from llvmlite import ir

_initialized = False


def initialize() -> None:
    global _initialized
    if not _initialized:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        _initialized = True


@dataclass
class LoadedUnit:
    name: str
    tracker: llvm.ResourceTracker
    addresses: dict[str, int]
    code_bytes: int  # text-section bytes of the object that was loaded
    object_bytes: int
    compile_ms: float
    ir_text: str
    asm_text: str | None = None
    section_sizes: dict[str, int] | None = None  # symbol -> bytes of its `.text.<symbol>`

    def close(self) -> None:
        if not self.tracker.closed:
            self.tracker.close()


class Backend:
    def __init__(self, opt_level: int = 2) -> None:
        initialize()
        self.opt_level = opt_level
        target = llvm.Target.from_default_triple()
        self.target_machine = target.create_target_machine(
            opt=opt_level, codemodel="jitdefault", jit=True
        )
        self.triple = llvm.get_process_triple()
        self.data_layout = str(self.target_machine.target_data)
        self.lljit = llvm.create_lljit_compiler(self.target_machine)
        self.names = itertools.count()
        self.keep_asm = False

    def prepare(self, module: ir.Module) -> None:
        module.triple = self.triple
        module.data_layout = self.data_layout

    def optimize(self, mod: llvm.ModuleRef) -> None:
        pto = llvm.create_pipeline_tuning_options(speed_level=self.opt_level)
        pass_builder = llvm.create_pass_builder(self.target_machine, pto)
        pass_builder.getModulePassManager().run(mod, pass_builder)

    def load(self, module: ir.Module, exports: list[str]) -> LoadedUnit:
        """Compile `module` and load it; `exports` are the symbols Python needs."""
        start = time.perf_counter()
        self.prepare(module)
        ir_text = str(module)
        mod = llvm.parse_assembly(ir_text)
        mod.verify()
        if self.opt_level > 0:
            self.optimize(mod)
        obj = self.target_machine.emit_object(mod)
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
        asm = self.target_machine.emit_assembly(mod) if self.keep_asm else None
        name = f"atlas_unit{next(self.names)}"
        builder = llvm.JITLibraryBuilder().add_object_img(obj).add_current_process()
        for symbol in exports:
            builder.export_symbol(symbol)
        tracker = builder.link(self.lljit, name)
        addresses = {symbol: tracker[symbol] for symbol in exports}
        elapsed = (time.perf_counter() - start) * 1000
        return LoadedUnit(
            name, tracker, addresses, code_bytes, len(obj), elapsed, ir_text, asm, section_sizes
        )
