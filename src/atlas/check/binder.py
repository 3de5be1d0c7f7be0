"""Name resolution (reference 3.16, 4.7-4.8): scopes, symbols, hoisting and captures.

The binder walks a module once, in source order, and annotates every name with its
`Symbol`; it creates one `FunctionInfo` per function body. Types are left to the checker
(it fills in `Symbol.ty`), so the binder only reports name errors (AT0002, AT2003,
AT1012, AT5004, AT5007) and the unused-name warnings (AT2001).

Lookup order from any point: the enclosing block scopes up to the module's top-level
variable scope (which holds imports, the math constants and top-level variables declared
so far), then the module's top-level functions (hoisted), then `prior_globals` (earlier
REPL chunks), then the builtins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..syntax import ast
from .prelude import TYPED_SIGNATURES, builtin_symbol, known_builtins, math_constants
from .report import Reporter
from .symbols import FunctionInfo, Symbol, SymbolKind
from .types import NUMBER, UNKNOWN

K = SymbolKind
CAPTURABLE = frozenset({K.PARAM, K.LOCAL, K.LOOP_VAR, K.MATCH_BINDING, K.NESTED_FN})
MAIN_NAME = "<main>"


class Scope:
    __slots__ = ("names", "parent")

    def __init__(self, parent: Scope | None) -> None:
        self.names: dict[str, Symbol] = {}
        self.parent = parent


@dataclass
class BindResult:
    main: FunctionInfo
    functions: list[FunctionInfo]
    globals: list[Symbol]


class Binder:
    def __init__(
        self,
        program: ast.Program,
        reporter: Reporter,
        imports: Mapping[str, Mapping[str, Symbol]] | None,
        prior_globals: Mapping[str, Symbol] | None,
        module: Any,
    ) -> None:
        self.program = program
        self.source = program.source
        self.report = reporter
        self.imports = imports or {}
        self.prior = prior_globals or {}
        self.module = module
        self.builtins = known_builtins()
        self.main = FunctionInfo(MAIN_NAME, is_main=True)
        self.functions: list[FunctionInfo] = [self.main]
        self.top = Scope(None)
        self.top_functions: dict[str, Symbol] = {}
        self.scope = self.top
        self.fn = self.main
        self.read_names: dict[FunctionInfo, set[str]] = {self.main: set()}
        self.capture_sets: dict[FunctionInfo, set[int]] = {}

    # ---------------------------------------------------------------- entry

    def bind(self) -> BindResult:
        self.declare_constants()
        self.hoist_top_level()
        for item in self.program.items:
            self.stmt(item)
        return BindResult(self.main, self.functions, self.collect_globals())

    def declare_constants(self) -> None:
        for name, value in math_constants().items():
            sym = self.new_symbol(name, K.GLOBAL_VAR, None, ty=NUMBER)
            sym.constant = value
            self.top.names[name] = sym

    def hoist_top_level(self) -> None:
        """Imports, top-level functions, externs and impl methods exist before any code."""
        for item in self.program.items:
            if isinstance(item, ast.Import):
                self.declare_import(item)
        for item in self.program.items:
            if isinstance(item, ast.FnDecl):
                item.symbol = self.declare_top_function(
                    item.name, item.name_span, K.GLOBAL_FN, item
                )
                item.symbol.exported = item.exported
            elif isinstance(item, ast.ExternDecl):
                item.symbol = self.declare_top_function(item.name, item.name_span, K.EXTERN, item)
            elif isinstance(item, ast.ImplBlock):
                for method in item.methods:
                    name = f"{item.type_name}.{method.name}"
                    method.symbol = self.new_symbol(
                        name, K.IMPL_METHOD, method.name_span, decl=method
                    )

    def declare_import(self, item: ast.Import) -> None:
        if item.namespace is not None:
            self.report.error("AT5007", "Namespace imports not yet supported", item.span, "module")
            return
        exports = self.imports.get(item.path)
        for name in item.names:
            target = None
            if exports is not None:
                target = exports.get(name.name)
                if target is None:
                    self.report.error(
                        "AT5004", f"'{name.name}' is not exported from module", name.span, "module"
                    )
            if target is not None and target.kind is K.TYPE_ALIAS:
                name.symbol = target  # a type, not a value: the checker registers it
                continue
            ty = target.ty if target is not None else UNKNOWN
            sym = self.new_symbol(name.name, K.IMPORT, name.span, ty=ty, decl=name)
            sym.target = target
            name.symbol = sym
            self.declare_in(self.top, sym, name.span)

    def declare_top_function(self, name: str, span: Any, kind: SymbolKind, decl: Any) -> Symbol:
        sym = self.new_symbol(name, kind, span, decl=decl)
        self.check_prelude_name(name, span)
        if name in self.top_functions:
            self.report.error("AT2003", f"Function '{name}' is already defined", span, "bind")
            return sym
        if name in self.top.names:  # an import or a math constant
            self.already_defined(name, span)
        old = self.prior.get(name)
        if old is not None and old.kind is K.GLOBAL_FN:
            sym.replaces = old
        self.top_functions[name] = sym
        return sym

    def collect_globals(self) -> list[Symbol]:
        out: list[Symbol] = []
        for item in self.program.items:
            if isinstance(item, ast.Import):
                out.extend(n.symbol for n in item.names if n.symbol and n.symbol.kind is K.IMPORT)
            elif isinstance(item, ast.FnDecl | ast.VarDecl | ast.ExternDecl) and item.symbol:
                out.append(item.symbol)
            elif isinstance(item, ast.ImplBlock):
                out.extend(m.symbol for m in item.methods)
        return out

    # ------------------------------------------------------------- symbols

    def new_symbol(
        self, name: str, kind: SymbolKind, span: Any, *, ty: Any = UNKNOWN, decl: Any = None
    ) -> Symbol:
        is_global = kind in (K.GLOBAL_VAR, K.GLOBAL_FN, K.IMPL_METHOD, K.IMPORT, K.EXTERN)
        return Symbol(
            name,
            kind,
            ty,
            span=span,
            source=self.source,
            function=None if is_global else self.fn,
            module=self.module if is_global else None,
            decl=decl,
        )

    def declare_in(self, scope: Scope, sym: Symbol, span: Any) -> None:
        if sym.name in scope.names:
            self.already_defined(sym.name, span)
            return
        scope.names[sym.name] = sym

    def already_defined(self, name: str, span: Any) -> None:
        self.report.error(
            "AT2003", f"Symbol '{name}' is already defined in this scope", span, "bind"
        )

    def check_prelude_name(self, name: str, span: Any) -> None:
        if name in TYPED_SIGNATURES:
            self.report.error(
                "AT1012", f"Cannot shadow prelude builtin '{name}' in global scope", span, "bind"
            )

    def declare_local(self, name: str, span: Any, kind: SymbolKind, decl: Any) -> Symbol:
        sym = self.new_symbol(name, kind, span, decl=decl)
        if kind is K.NESTED_FN:
            self.fn.nested.append(sym)
        elif kind is not K.PARAM:
            self.fn.locals.append(sym)
        self.declare_in(self.scope, sym, span)
        return sym

    def lookup(self, name: str) -> Symbol | None:
        scope: Scope | None = self.scope
        while scope is not None:
            sym = scope.names.get(name)
            if sym is not None:
                return sym
            scope = scope.parent
        sym = self.top_functions.get(name) or self.prior.get(name)
        if sym is not None:
            return sym
        if name in self.builtins:
            return builtin_symbol(name)
        return None

    def use(self, ident: ast.Ident, *, read: bool) -> None:
        sym = self.lookup(ident.name)
        if sym is None:
            self.report.error("AT0002", f"Unknown symbol '{ident.name}'", ident.span, "bind")
            return
        ident.symbol = sym
        if read:
            self.read_names[self.fn].add(ident.name)
            if sym.kind is not K.BUILTIN:
                sym.reads += 1
        if sym.kind in CAPTURABLE and sym.function is not self.fn:
            self.capture(sym)

    def capture(self, sym: Symbol) -> None:
        """Record `sym` in the captures of every function between its owner and here."""
        fn: FunctionInfo | None = self.fn
        while fn is not None and fn is not sym.function:
            seen = self.capture_sets.setdefault(fn, set())
            if id(sym) not in seen:
                seen.add(id(sym))
                fn.captures.append(sym)
            fn = fn.parent

    # ---------------------------------------------------------- statements

    def stmt(self, node: ast.Stmt) -> None:
        method = getattr(self, "stmt_" + type(node).__name__)
        method(node)

    def block(self, block: ast.Block) -> None:
        outer = self.scope
        self.scope = Scope(outer)
        for s in block.stmts:  # nested functions are hoisted within their block
            if isinstance(s, ast.FnDecl):
                s.symbol = self.declare_local(s.name, s.name_span, K.NESTED_FN, s)
        for s in block.stmts:
            self.stmt(s)
        self.scope = outer

    stmt_Block = block

    def stmt_VarDecl(self, node: ast.VarDecl) -> None:
        self.expr(node.init)
        if self.scope is self.top:
            self.check_prelude_name(node.name, node.name_span)
            sym = self.new_symbol(node.name, K.GLOBAL_VAR, node.name_span, decl=node)
            sym.exported = node.exported
            old_fn = self.top_functions.get(node.name)
            if old_fn is not None and old_fn.decl is not None and old_fn.kind is K.GLOBAL_FN:
                sym.replaces = old_fn  # one run-time binding shared with the function
            self.declare_in(self.top, sym, node.name_span)
        else:
            sym = self.declare_local(node.name, node.name_span, K.LOCAL, node)
        sym.mutable = node.mutable
        node.symbol = sym

    def stmt_FnDecl(self, node: ast.FnDecl) -> None:
        if node.symbol is None:  # defensive: every FnDecl is hoisted first
            node.symbol = self.declare_local(node.name, node.name_span, K.NESTED_FN, node)
        nested = node.symbol.kind is K.NESTED_FN
        self.function(node, node.name, self.fn if nested else None)

    def function(self, node: ast.FnDecl, name: str, parent: FunctionInfo | None) -> None:
        info = FunctionInfo(name, node, parent)
        node.scope = info
        node.captures = info.captures
        self.functions.append(info)
        self.read_names[info] = set()
        outer_scope, outer_fn = self.scope, self.fn
        self.scope, self.fn = Scope(outer_scope if parent is not None else self.top), info
        for param in node.params:
            param.symbol = self.declare_local(param.name, param.name_span, K.PARAM, param)
            info.params.append(param.symbol)
        self.block(node.body)
        self.warn_unused(info, node.symbol is not None and node.symbol.kind is K.IMPL_METHOD)
        self.scope, self.fn = outer_scope, outer_fn

    def warn_unused(self, info: FunctionInfo, is_method: bool) -> None:
        """AT2001 (3.17): by name per function; `_` names, loop vars, bindings exempt, and
        the receiver `self` of impl methods (the language requires declaring it)."""
        read = self.read_names[info]
        for sym in info.params:
            if is_method and sym.name == "self":
                continue
            if sym.name not in read and not sym.name.startswith("_"):
                self.report.warning("AT2001", f"Unused parameter '{sym.name}'", sym.span)
        for sym in info.locals:
            if sym.kind is K.LOCAL and sym.name not in read and not sym.name.startswith("_"):
                self.report.warning("AT2001", f"Unused variable '{sym.name}'", sym.span)

    def stmt_ImplBlock(self, node: ast.ImplBlock) -> None:
        for method in node.methods:
            self.function(method, method.symbol.name, None)

    def stmt_ExprStmt(self, node: ast.ExprStmt) -> None:
        self.expr(node.expr)

    def assign_target(self, target: ast.Expr) -> None:
        if isinstance(target, ast.Ident):
            self.use(target, read=False)
        else:
            self.expr(target)

    def stmt_Assign(self, node: ast.Assign) -> None:
        self.assign_target(node.target)
        self.expr(node.value)

    def stmt_CompoundAssign(self, node: ast.CompoundAssign) -> None:
        self.assign_target(node.target)
        self.expr(node.value)

    def stmt_IncDec(self, node: ast.IncDec) -> None:
        self.assign_target(node.target)

    def stmt_If(self, node: ast.If) -> None:
        self.expr(node.cond)
        self.block(node.then)
        if node.else_ is not None:
            self.block(node.else_)

    def stmt_While(self, node: ast.While) -> None:
        self.expr(node.cond)
        self.block(node.body)

    def stmt_For(self, node: ast.For) -> None:
        outer = self.scope
        self.scope = Scope(outer)  # holds the init variable
        if node.init is not None:
            self.stmt(node.init)
        if node.cond is not None:
            self.expr(node.cond)
        if node.step is not None:
            self.stmt(node.step)
        self.block(node.body)
        self.scope = outer

    def stmt_ForIn(self, node: ast.ForIn) -> None:
        self.expr(node.iterable)
        outer = self.scope
        self.scope = Scope(outer)
        node.symbol = self.declare_local(node.var, node.var_span, K.LOOP_VAR, node)
        self.block(node.body)
        self.scope = outer

    def stmt_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.expr(node.value)

    def stmt_Break(self, node: ast.Break) -> None:
        pass

    stmt_Continue = stmt_Break
    stmt_TypeAlias = stmt_Break
    stmt_TraitDecl = stmt_Break
    stmt_Import = stmt_Break
    stmt_ExternDecl = stmt_Break

    # --------------------------------------------------------- expressions

    def expr(self, node: ast.Expr) -> None:
        cls = type(node)
        if cls is ast.Ident:
            self.use(node, read=True)  # type: ignore[arg-type]
        elif cls is ast.Binary:
            self.expr(node.left)  # type: ignore[attr-defined]
            self.expr(node.right)  # type: ignore[attr-defined]
        elif cls is ast.Call:
            self.expr(node.callee)  # type: ignore[attr-defined]
            for arg in node.args:  # type: ignore[attr-defined]
                self.expr(arg)
        elif cls is ast.MethodCall:
            self.expr(node.target)  # type: ignore[attr-defined]
            for arg in node.args:  # type: ignore[attr-defined]
                self.expr(arg)
        elif cls is ast.Index:
            self.expr(node.target)  # type: ignore[attr-defined]
            self.expr(node.index)  # type: ignore[attr-defined]
        elif cls is ast.Unary or cls is ast.Try:
            self.expr(node.operand)  # type: ignore[attr-defined]
        elif cls is ast.ArrayLit:
            for element in node.elements:  # type: ignore[attr-defined]
                self.expr(element)
        elif cls is ast.Match:
            self.match(node)  # type: ignore[arg-type]

    def match(self, node: ast.Match) -> None:
        self.expr(node.scrutinee)
        outer = self.scope
        for arm in node.arms:
            self.scope = Scope(outer)
            self.pattern(arm.pattern, set())
            if arm.guard is not None:
                self.expr(arm.guard)
            self.expr(arm.body)
            self.scope = outer

    def pattern(self, node: ast.Pattern, seen: set[str]) -> None:
        """Declare the bindings of one arm. The alternatives of an or-pattern share their
        symbols by name; one name twice in one alternative is AT2003."""
        if isinstance(node, ast.BindingPattern):
            if node.name in seen:
                self.already_defined(node.name, node.span)
            seen.add(node.name)
            sym = self.scope.names.get(node.name)
            if sym is None:
                sym = self.declare_local(node.name, node.span, K.MATCH_BINDING, node)
            node.symbol = sym
        elif isinstance(node, ast.OrPattern):
            bound: set[str] = set()
            for alt in node.alternatives:
                alt_seen = set(seen)
                self.pattern(alt, alt_seen)
                bound |= alt_seen
            seen |= bound
        elif isinstance(node, ast.ConstructorPattern):
            for arg in node.args:
                self.pattern(arg, seen)
        elif isinstance(node, ast.ArrayPattern):
            for element in node.elements:
                self.pattern(element, seen)
