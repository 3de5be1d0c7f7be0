"""Symbols and per-function scope information: what the checker hands the compiler.

The binder creates one `Symbol` per declared name and one `FunctionInfo` per function
body (the top-level code of a module is a function too, `is_main`). After checking,
every `Ident`, declaration and pattern binding in the AST points to its Symbol.

Storage classes the compiler cares about:
- GLOBAL: a slot in the program's global table (top-level let/var, top-level functions,
  impl methods, imported names, the math constants). Read live by every function.
- LOCAL: a register of the function that declares it (`Symbol.function`): parameters,
  let/var in any block (including blocks of the top-level code), for-in variables and
  match bindings.
- NESTED_FN: a nested function; stored in a cell of the declaring function so that
  siblings and itself can call it once its declaration has executed.
- BUILTIN: a standard-library function, resolved by name.

A nested function that uses a LOCAL or NESTED_FN symbol of an enclosing function lists
it in `FunctionInfo.captures` (in first-use order, transitively: if a grand-child uses
it, the child captures it too so it can pass it on). LOCALs are captured by value when
the declaration executes; NESTED_FNs are captured as cells (looked up at call time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..source import SourceFile, Span
from .types import UNKNOWN, Type


class SymbolKind(Enum):
    GLOBAL_VAR = "global variable"  # top-level let/var (also math constants)
    GLOBAL_FN = "function"  # top-level fn (hoisted)
    IMPL_METHOD = "impl method"  # method of an `impl` block (a global function)
    IMPORT = "import"  # imported name; `target` is the exporting module's symbol
    EXTERN = "extern function"  # `extern` declaration (LATER tier)
    PARAM = "parameter"
    LOCAL = "variable"  # let/var inside a function or a top-level block
    LOOP_VAR = "loop variable"  # for-in variable
    MATCH_BINDING = "match binding"
    NESTED_FN = "nested function"
    BUILTIN = "builtin"
    TYPE_ALIAS = "type alias"  # an exported `type` (no run-time value); ty = aliased type


GLOBAL_KINDS = frozenset(
    {SymbolKind.GLOBAL_VAR, SymbolKind.GLOBAL_FN, SymbolKind.IMPL_METHOD, SymbolKind.IMPORT,
     SymbolKind.EXTERN}
)  # fmt: skip
LOCAL_KINDS = frozenset(
    {SymbolKind.PARAM, SymbolKind.LOCAL, SymbolKind.LOOP_VAR, SymbolKind.MATCH_BINDING}
)


@dataclass(eq=False)
class Symbol:
    name: str
    kind: SymbolKind
    ty: Type = UNKNOWN
    mutable: bool = False
    span: Span | None = None  # the declaring name
    source: SourceFile | None = None
    function: FunctionInfo | None = None  # declaring function (None for globals/builtins)
    module: Any = None  # the declaring module (atlas.modules.Module) for globals
    target: Symbol | None = None  # IMPORT: the exported symbol it copies
    decl: Any = None  # the declaring AST node (FnDecl, VarDecl, ...), if any
    constant: float | None = None  # value of PI, E, SQRT2, LN2, LN10
    exported: bool = False
    reads: int = 0  # for AT2001 (unused) warnings
    # A top-level declaration that takes over the global binding of an older symbol of the
    # same name: a `fn` redefining a GLOBAL_FN of an earlier chunk (REPL), or a top-level
    # `let`/`var` reusing the name of a top-level `fn` of its module (reference 3.16).
    replaces: Symbol | None = None
    type_params: tuple = ()  # TYPE_ALIAS: the alias's TypeVars, in declaration order

    @property
    def is_global(self) -> bool:
        return self.kind in GLOBAL_KINDS

    @property
    def is_local(self) -> bool:
        return self.kind in LOCAL_KINDS

    def __repr__(self) -> str:
        return f"<{self.kind.name} {self.name}: {self.ty}>"


@dataclass(eq=False)
class FunctionInfo:
    """One function body (or a module's top-level code when `is_main`)."""

    name: str
    decl: Any = None  # ast.FnDecl, or None for top-level code
    parent: FunctionInfo | None = None
    is_main: bool = False
    params: list[Symbol] = field(default_factory=list)
    locals: list[Symbol] = field(default_factory=list)  # every LOCAL-kind symbol but params
    nested: list[Symbol] = field(default_factory=list)  # NESTED_FN symbols declared here
    captures: list[Symbol] = field(default_factory=list)  # from enclosing functions
    ret: Type = UNKNOWN

    def __repr__(self) -> str:
        return f"<FunctionInfo {self.name}>"
