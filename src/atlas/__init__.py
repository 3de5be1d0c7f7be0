"""Atlas: a statically typed scripting language with a bytecode VM and an LLVM JIT.

The public names are loaded on first use, so that importing one stage (for example
`atlas.syntax.parser`) does not import the whole pipeline.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "Runtime": "atlas.api",
    "AtlasFunction": "atlas.api",
    "AtlasError": "atlas.diagnostics",
    "Diagnostic": "atlas.diagnostics",
    "Some": "atlas.vm.values",
    "Ok": "atlas.vm.values",
    "Err": "atlas.vm.values",
    "NONE": "atlas.vm.values",
}

__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'atlas' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
