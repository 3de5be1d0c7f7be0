"""Modules: finding, parsing and ordering the files of a program (reference section 8).

Starting at the entry file, every module reachable through `import` is parsed once
(depth first, in import order). A module reached again while it is still loading closes
a cycle (AT5003). The result lists modules in dependency order: each after everything
it imports, the entry last.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic
from .source import SourceFile
from .syntax import ast
from .syntax.parser import parse


@dataclass(eq=False)
class Module:
    source: SourceFile
    path: str | None  # canonical absolute path; None for source given as text
    program: ast.Program | None = None
    # import path as written -> the module it names
    imports: dict[str, Module] = field(default_factory=dict)
    check: Any = None  # check.checker.CheckResult
    main: Any = None  # compile.proto.FunctionProto of its top-level code

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path) if self.path else os.getcwd()

    def __repr__(self) -> str:
        return f"<module {self.source.name}>"


def display_name(path: str, root: str) -> str:
    """How a module file is named in diagnostics: relative to the current directory when
    inside it, else relative to the project root (never an absolute machine path)."""
    rel = os.path.relpath(path)
    if not rel.startswith(".."):
        return rel
    return os.path.relpath(path, root)


def read_failure(exc: OSError | UnicodeDecodeError) -> str:
    """Why a file could not be read, without the machine path an OSError's text names."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid UTF-8 text (byte offset {exc.start})"
    return exc.strerror or type(exc).__name__


class ModuleLoader:
    def __init__(self, root: str) -> None:
        self.root = root  # the entry file's directory (the "/" of module paths)
        self.by_path: dict[str, Module] = {}
        self.loading: set[str] = set()
        self.order: list[Module] = []
        self.diagnostics: list[Diagnostic] = []

    def load_file(self, path: str, shown_as: str | None = None) -> Module | None:
        canonical = os.path.realpath(path)
        name = shown_as or display_name(canonical, self.root)
        try:
            # newline="": the text exactly as written. Only \n ends a line; \r is
            # whitespace, and kept inside string literals (reference 1.1).
            with open(canonical, encoding="utf-8", newline="") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            # Reported against the file itself, by the name it is shown as (never the
            # absolute path an OSError's text carries).
            message = f"Failed to read module file: {read_failure(exc)}"
            where = SourceFile(name, "", canonical)
            self.diagnostics.append(Diagnostic("error", "AT5002", message, "module", where))
            return None
        source = SourceFile(name, text, canonical)
        return self.load(Module(source, canonical))

    def load(self, module: Module) -> Module | None:
        """Parse `module` and, recursively, everything it imports."""
        if module.path:
            self.by_path[module.path] = module
            self.loading.add(module.path)
        program, errors = parse(module.source)
        if errors:
            self.diagnostics.extend(errors)
            return None
        module.program = program
        ok = True
        for item in program.items:
            if isinstance(item, ast.Import) and not self.resolve(module, item):
                ok = False
        if module.path:
            self.loading.discard(module.path)
        self.order.append(module)
        return module if ok else None

    def resolve(self, importer: Module, item: ast.Import) -> bool:
        spec = item.path
        if item.path in importer.imports:
            return True

        def fail(code: str, message: str) -> bool:
            self.diagnostics.append(
                Diagnostic("error", code, message, "module", importer.source, item.span)
            )
            return False

        if spec.startswith("/"):
            base = os.path.join(self.root, spec.lstrip("/"))
        elif spec.startswith(("./", "../")):
            base = os.path.join(importer.directory, spec)
        else:
            return fail(
                "AT5001",
                f"Invalid module path: '{spec}'. Paths must start with './', '../', or '/'",
            )
        target = base if base.endswith(".atl") else base + ".atl"
        if not os.path.isfile(target):
            return fail("AT5002", f"Module not found: '{spec}'")
        canonical = os.path.realpath(target)
        if canonical in self.loading:
            return fail("AT5003", "Circular dependency detected")
        existing = self.by_path.get(canonical)
        if existing is None:
            existing = self.load_file(canonical)
            if existing is None:
                return False
        importer.imports[spec] = existing
        return True
