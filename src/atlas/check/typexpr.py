"""Written types -> `Type` (reference 2.7, 3.1): names, generics, type parameters, aliases.

Type aliases are collected before checking starts (so they may be used before their
declaration) and resolved lazily, which is where circular aliases are found. Unknown
plain type names are silently unknown (2.7 [Orig], kept).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source import Span
from ..syntax import ast
from .prelude import BUILTIN_TYPE_ALIASES, GENERIC_ARITY, PRIMITIVE_TYPE_NAMES
from .report import Reporter
from .symbols import Symbol, SymbolKind
from .typeops import substitute
from .types import (
    UNKNOWN,
    ArrayType,
    FunctionType,
    HashMapType,
    HashSetType,
    IntersectionType,
    OptionType,
    ResultType,
    StructuralType,
    Type,
    TypeVar,
    union,
)

UNRESOLVED, RESOLVING, RESOLVED = 0, 1, 2


@dataclass(eq=False)
class Alias:
    name: str
    params: tuple[TypeVar, ...]
    decl: ast.TypeAlias | None
    body: Type = UNKNOWN
    state: int = UNRESOLVED
    deprecated: bool = False
    symbol: Symbol | None = None  # for exported or imported aliases


@dataclass
class OpenAlias:
    """A generic alias written without arguments where they may be inferred (let/var)."""

    alias: Alias
    span: Span


class TypeResolver:
    def __init__(self, report: Reporter) -> None:
        self.report = report
        self.aliases: dict[str, Alias] = {}
        self.type_scopes: list[dict[str, TypeVar]] = []
        self.resolving: list[Alias] = []
        self.open: list[OpenAlias] | None = None

    # ------------------------------------------------------------- type params

    def type_params(self, params: list[ast.TypeParam], owner: int) -> dict[str, TypeVar]:
        """TypeVars of a declaration (bounds may mention earlier parameters)."""
        scope: dict[str, TypeVar] = {}
        self.type_scopes.append(scope)
        try:
            for p in params:
                if p.name in scope:
                    self.report.error(
                        "AT2003", f"Duplicate type parameter '{p.name}'", p.span, "bind"
                    )
                    continue
                bound = self.resolve(p.bound) if p.bound is not None else None
                scope[p.name] = TypeVar(p.name, bound, tuple(p.traits), owner)
        finally:
            self.type_scopes.pop()
        return scope

    def push(self, scope: dict[str, TypeVar]) -> None:
        self.type_scopes.append(scope)

    def pop(self) -> None:
        self.type_scopes.pop()

    # ------------------------------------------------------------------ aliases

    def declare_alias(self, decl: ast.TypeAlias) -> None:
        if decl.name in self.aliases:
            self.report.error(
                "AT2003", f"Type alias '{decl.name}' already defined", decl.name_span, "bind"
            )
            return
        params = tuple(self.type_params(decl.type_params, id(decl)).values())
        deprecated = bool(decl.doc and "@deprecated" in decl.doc)
        self.aliases[decl.name] = Alias(decl.name, params, decl, deprecated=deprecated)

    def import_alias(self, name: str, symbol: Symbol, span: Span) -> None:
        if name in self.aliases:
            self.report.error("AT2003", f"Type alias '{name}' already defined", span, "bind")
            return
        decl = symbol.decl if isinstance(symbol.decl, ast.TypeAlias) else None
        deprecated = bool(decl and decl.doc and "@deprecated" in decl.doc)
        self.aliases[name] = Alias(
            name, tuple(symbol.type_params), None, symbol.ty, RESOLVED, deprecated, symbol
        )

    def alias_body(self, alias: Alias) -> Type:
        if alias.state == RESOLVED:
            return alias.body
        if alias.state == RESOLVING:
            self.report_cycle(alias)
            return UNKNOWN
        assert alias.decl is not None
        alias.state = RESOLVING
        self.resolving.append(alias)
        self.type_scopes.append({v.name: v for v in alias.params})
        saved_open, self.open = self.open, None
        try:
            alias.body = self.resolve(alias.decl.type_ann)
        finally:
            self.open = saved_open
            self.type_scopes.pop()
            self.resolving.pop()
        alias.state = RESOLVED
        return alias.body

    def report_cycle(self, alias: Alias) -> None:
        chain = self.resolving[self.resolving.index(alias) :]
        assert alias.decl is not None
        span = alias.decl.name_span
        if len(chain) == 1:
            self.report.error(
                "AT3001", f"Circular type alias detected for '{alias.name}'", span, "bind"
            )
        else:
            path = " -> ".join(a.name for a in [*chain, alias])
            self.report.error("AT3001", f"Circular type alias detected: {path}", span)

    def resolve_all_aliases(self) -> None:
        for alias in list(self.aliases.values()):
            self.alias_body(alias)

    def alias_type(self, alias: Alias, node: ast.NamedTypeExpr) -> Type:
        if alias.deprecated:
            self.report.warning("AT2009", f"Type alias '{alias.name}' is deprecated", node.span)
        body = self.alias_body(alias)
        n, m = len(alias.params), len(node.args)
        if n == m:
            if not n:
                return body
            args = [self.resolve(a) for a in node.args]
            return substitute(body, dict(zip(alias.params, args, strict=True)))
        if m == 0 and self.open is not None:
            self.open.append(OpenAlias(alias, node.span))
            return body
        msg = f"Type alias '{alias.name}' expects {n} type argument(s)"
        self.report.error("AT3001", msg if m == 0 else f"{msg}, found {m}", node.span)
        return UNKNOWN

    # ------------------------------------------------------------------ resolve

    def resolve(self, node: ast.TypeExpr | None) -> Type:
        if node is None:
            return UNKNOWN
        if isinstance(node, ast.NamedTypeExpr):
            return self.named(node)
        if isinstance(node, ast.ArrayTypeExpr):
            return ArrayType(self.resolve(node.element))
        if isinstance(node, ast.FunctionTypeExpr):
            return FunctionType(tuple(self.resolve(p) for p in node.params), self.resolve(node.ret))
        if isinstance(node, ast.UnionTypeExpr):
            return union([self.resolve(m) for m in node.members])
        if isinstance(node, ast.IntersectionTypeExpr):
            return IntersectionType(tuple(self.resolve(m) for m in node.members))
        if isinstance(node, ast.StructuralTypeExpr):
            return StructuralType(tuple((n, self.resolve(t)) for n, t in node.members))
        return UNKNOWN

    def resolve_open(self, node: ast.TypeExpr) -> tuple[Type, list[OpenAlias]]:
        """Resolve a let/var annotation, allowing generic aliases without arguments."""
        saved, self.open = self.open, []
        try:
            return self.resolve(node), self.open
        finally:
            self.open = saved

    def lookup_type_param(self, name: str) -> TypeVar | None:
        for scope in reversed(self.type_scopes):
            var = scope.get(name)
            if var is not None:
                return var
        return None

    def named(self, node: ast.NamedTypeExpr) -> Type:
        name, args = node.name, node.args
        if not args:
            var = self.lookup_type_param(name)
            if var is not None:
                return var
            prim = PRIMITIVE_TYPE_NAMES.get(name)
            if prim is not None:
                return prim
        alias = self.aliases.get(name)
        if alias is not None and name not in PRIMITIVE_TYPE_NAMES:
            return self.alias_type(alias, node)
        if not args:
            return BUILTIN_TYPE_ALIASES.get(name, UNKNOWN)  # bare generics are unknown too
        arity = GENERIC_ARITY.get(name)
        if arity is None:
            self.report.error("AT9999", f"Unknown generic type '{name}'", node.span)
            return UNKNOWN
        if arity != len(args):
            self.report.error(
                "AT9999",
                f"Generic type '{name}' expects {arity} type argument(s), found {len(args)}",
                node.span,
            )
            return UNKNOWN
        ts = [self.resolve(a) for a in args]
        if name == "Option":
            return OptionType(ts[0])
        if name == "Result":
            return ResultType(ts[0], ts[1])
        if name == "HashMap":
            return HashMapType(ts[0], ts[1])
        if name == "HashSet":
            return HashSetType(ts[0])
        return ArrayType(ts[0])  # Array<T> is T[] (2.7, ours)


def alias_symbol(alias: Alias, decl: ast.TypeAlias, source: object, module: object) -> Symbol:
    """The export record of a type alias: its resolved body and parameters."""
    return Symbol(
        alias.name,
        SymbolKind.TYPE_ALIAS,
        alias.body,
        span=decl.name_span,
        source=source,  # type: ignore[arg-type]
        module=module,
        decl=decl,
        exported=True,
        type_params=alias.params,
    )
