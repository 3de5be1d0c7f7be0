"""The driver: a program goes through named passes, each handing the next its result.

    load      read and parse the entry file and every module it imports (modules.py)
    check     bind and type-check each module in dependency order (check/)
    compile   lower each checked module to bytecode in the shared image (compile/)
    execute   run each module's top-level code in dependency order (vm/)

A `Session` keeps the image, the globals and the symbols of everything it has run, so
the embedding API and the REPL can feed it one chunk after another.
"""

from __future__ import annotations

import os
from typing import Any

from . import stdlib  # noqa: F401  (registers the builtins)
from .check.checker import check_module
from .compile.compiler import compile_module
from .compile.proto import Image
from .config import JitConfig
from .diagnostics import AtlasError, Diagnostic
from .modules import Module, ModuleLoader
from .permissions import DENY_ALL, Permissions
from .source import SourceFile
from .vm.errors import AtlasInterrupt, AtlasRuntimeError
from .vm.interpreter import VM


def runtime_diagnostic(error: AtlasRuntimeError) -> Diagnostic:
    return Diagnostic("error", error.code, error.message, "runtime", error.source, error.span)


class Session:
    """One Atlas program being loaded and run (a CLI run, a Runtime, a REPL)."""

    def __init__(
        self,
        *,
        jit: JitConfig | None = None,
        write_stdout: Any = None,
        root: str | None = None,
        permissions: Permissions = DENY_ALL,
    ) -> None:
        self.image = Image()
        self.jit_config = jit if jit is not None else JitConfig(enabled=False)
        self.jit = None
        if jit is not None and jit.enabled:
            from .jit.engine import JitEngine

            self.jit = JitEngine(self.image, jit)
            self.image.rebind_listeners.append(self.jit.invalidate_slot)
        self.vm = VM(self.image, write_stdout, self.jit, permissions)
        self.loader = ModuleLoader(root or os.getcwd())
        self.prior_globals: dict[str, Any] = {}
        self.warnings: list[Diagnostic] = []
        self.chunks = 0

    # -- passes

    def load_file(self, path: str) -> list[Module]:
        self.loader.root = os.path.dirname(os.path.realpath(path))
        entry = self.loader.load_file(path, shown_as=path)
        return self._loaded(entry)

    def load_text(self, text: str, name: str) -> list[Module]:
        entry = self.loader.load(Module(SourceFile(name, text), None))
        return self._loaded(entry)

    def _loaded(self, entry: Module | None) -> list[Module]:
        loader = self.loader
        if entry is None or loader.diagnostics:
            errors, loader.diagnostics = loader.diagnostics, []
            loader.order.clear()
            raise AtlasError(errors)
        modules = [m for m in loader.order if m.check is None]
        loader.order.clear()
        return modules

    def check(self, modules: list[Module]) -> None:
        for module in modules:
            imports = {spec: target.check.exports for spec, target in module.imports.items()}
            prior = self.prior_globals if module.path is None else None
            result = check_module(module.program, imports=imports, prior_globals=prior, module=module)
            if not result.ok:
                # The error carries this module's warnings too (each is reported once:
                # take_warnings() has those of the modules checked before it).
                raise AtlasError(result.diagnostics)
            self.warnings.extend(d for d in result.diagnostics if d.level == "warning")
            module.check = result
            if module.path is None:
                for sym in result.globals:
                    self.prior_globals[sym.name] = sym

    def compile(self, modules: list[Module]) -> None:
        for module in modules:
            module.main = compile_module(module.program, module.check, self.image)

    def execute(self, modules: list[Module]) -> Any:
        if self.jit is not None:
            self.jit.clear_interrupt()
        result = None
        for module in modules:
            try:
                result = self.vm.run_main(module.main)
            except AtlasRuntimeError as error:
                raise AtlasError([runtime_diagnostic(error)]) from None
            except KeyboardInterrupt:
                raise AtlasInterrupt("Interrupted") from None
        return result

    # -- whole programs

    def prepare_file(self, path: str) -> list[Module]:
        modules = self.load_file(path)
        self.check(modules)
        self.compile(modules)
        return modules

    def prepare_text(self, text: str, name: str | None = None) -> list[Module]:
        self.chunks += 1
        modules = self.load_text(text, name or f"<chunk {self.chunks}>")
        self.check(modules)
        self.compile(modules)
        return modules

    def take_warnings(self) -> list[Diagnostic]:
        warnings, self.warnings = self.warnings, []
        return warnings
