"""The abstract syntax tree (reference section 2).

Every node has a `span`. Fields after the `# -- set by the checker` marker start empty
and are filled in by `atlas.check`: the static type of every expression (`ty`), the
symbol every name refers to (`symbol`), and for functions the captured symbols. The
compiler reads only annotated trees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..source import Span

# ---------------------------------------------------------------------------- types


@dataclass(slots=True, eq=False)
class TypeExpr:
    span: Span


@dataclass(slots=True, eq=False)
class NamedTypeExpr(TypeExpr):
    """`number`, `Foo`, `Option<T>`, `HashMap<K, V>`, `null`."""

    name: str
    args: list[TypeExpr] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class ArrayTypeExpr(TypeExpr):
    element: TypeExpr


@dataclass(slots=True, eq=False)
class FunctionTypeExpr(TypeExpr):
    params: list[TypeExpr]
    ret: TypeExpr


@dataclass(slots=True, eq=False)
class UnionTypeExpr(TypeExpr):
    members: list[TypeExpr]


@dataclass(slots=True, eq=False)
class IntersectionTypeExpr(TypeExpr):
    members: list[TypeExpr]


@dataclass(slots=True, eq=False)
class StructuralTypeExpr(TypeExpr):
    members: list[tuple[str, TypeExpr]]


# ---------------------------------------------------------------------- expressions


@dataclass(slots=True, eq=False)
class Expr:
    span: Span


@dataclass(slots=True, eq=False)
class NumberLit(Expr):
    value: float
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class StringLit(Expr):
    value: str
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class BoolLit(Expr):
    value: bool
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class NullLit(Expr):
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class Ident(Expr):
    name: str
    # -- set by the checker
    ty: Any = None
    symbol: Any = None  # check.symbols.Symbol


@dataclass(slots=True, eq=False)
class ArrayLit(Expr):
    elements: list[Expr]
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class Unary(Expr):
    op: str  # "-" | "!"
    operand: Expr
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class Binary(Expr):
    """Arithmetic, comparison, equality and the short-circuit `&&` / `||`."""

    op: str  # + - * / % == != < <= > >= && ||
    left: Expr
    right: Expr
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class Call(Expr):
    callee: Expr
    args: list[Expr]
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class Index(Expr):
    target: Expr
    index: Expr
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class MethodCall(Expr):
    """`target.name(args)`; `target.name` without parentheses has `args == []`."""

    target: Expr
    name: str
    name_span: Span
    args: list[Expr]
    # -- set by the checker
    ty: Any = None
    # How the call resolved: ("builtin", "<builtin name>") for array/json methods,
    # ("impl", Symbol of the impl method), or ("dynamic", None) on an unknown receiver.
    resolved: Any = None


@dataclass(slots=True, eq=False)
class Try(Expr):
    """The postfix `?` operator."""

    operand: Expr
    # -- set by the checker
    ty: Any = None


@dataclass(slots=True, eq=False)
class MatchArm:
    span: Span
    pattern: Pattern
    guard: Expr | None
    body: Expr


@dataclass(slots=True, eq=False)
class Match(Expr):
    scrutinee: Expr
    arms: list[MatchArm]
    # -- set by the checker
    ty: Any = None


# ------------------------------------------------------------------------- patterns


@dataclass(slots=True, eq=False)
class Pattern:
    span: Span


@dataclass(slots=True, eq=False)
class LiteralPattern(Pattern):
    value: float | str | bool | None  # None is the `null` literal


@dataclass(slots=True, eq=False)
class WildcardPattern(Pattern):
    pass


@dataclass(slots=True, eq=False)
class BindingPattern(Pattern):
    name: str
    # -- set by the checker
    symbol: Any = None


@dataclass(slots=True, eq=False)
class ConstructorPattern(Pattern):
    """`Some(p)`, `None`, `Ok(p)`, `Err(p)` (and unknown names, rejected by the checker)."""

    name: str
    args: list[Pattern]


@dataclass(slots=True, eq=False)
class ArrayPattern(Pattern):
    elements: list[Pattern]


@dataclass(slots=True, eq=False)
class OrPattern(Pattern):
    alternatives: list[Pattern]


# ----------------------------------------------------------------------- statements


@dataclass(slots=True, eq=False)
class Stmt:
    span: Span


@dataclass(slots=True, eq=False)
class Block(Stmt):
    stmts: list[Stmt]


@dataclass(slots=True, eq=False)
class VarDecl(Stmt):
    mutable: bool  # var / let
    name: str
    name_span: Span
    type_ann: TypeExpr | None
    init: Expr
    exported: bool = False
    # -- set by the checker
    symbol: Any = None


@dataclass(slots=True, eq=False)
class Param:
    span: Span
    name: str
    name_span: Span
    type_ann: TypeExpr
    ownership: str | None = None  # own | borrow | shared
    # -- set by the checker
    symbol: Any = None


@dataclass(slots=True, eq=False)
class TypeParam:
    span: Span
    name: str
    bound: TypeExpr | None = None  # `T extends X`
    traits: list[str] = field(default_factory=list)  # `T: A + B`


@dataclass(slots=True, eq=False)
class Predicate:
    """`is param: Type` after a return type: a user type guard (reference 3.14)."""

    span: Span
    param: str
    type_ann: TypeExpr


@dataclass(slots=True, eq=False)
class FnDecl(Stmt):
    name: str
    name_span: Span
    type_params: list[TypeParam]
    params: list[Param]
    ret: TypeExpr | None
    body: Block
    ret_ownership: str | None = None
    predicate: Predicate | None = None
    exported: bool = False
    # -- set by the checker
    symbol: Any = None  # the Symbol the name binds
    fn_type: Any = None  # check.types.FunctionType
    captures: list = field(default_factory=list)  # Symbols of enclosing functions it uses
    scope: Any = None  # check.symbols.FunctionInfo


@dataclass(slots=True, eq=False)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(slots=True, eq=False)
class Assign(Stmt):
    target: Expr  # Ident or Index
    value: Expr


@dataclass(slots=True, eq=False)
class CompoundAssign(Stmt):
    target: Expr  # Ident or Index
    op: str  # + - * / %
    value: Expr


@dataclass(slots=True, eq=False)
class IncDec(Stmt):
    target: Expr  # Ident or Index
    op: str  # ++ | --


@dataclass(slots=True, eq=False)
class If(Stmt):
    cond: Expr
    then: Block
    else_: Block | None


@dataclass(slots=True, eq=False)
class While(Stmt):
    cond: Expr
    body: Block


@dataclass(slots=True, eq=False)
class For(Stmt):
    """C-style `for (init; cond; step) body`; each part may be missing."""

    init: Stmt | None  # VarDecl or ExprStmt
    cond: Expr | None
    step: Stmt | None  # Assign, CompoundAssign, IncDec or ExprStmt
    body: Block


@dataclass(slots=True, eq=False)
class ForIn(Stmt):
    var: str
    var_span: Span
    iterable: Expr
    body: Block
    # -- set by the checker
    symbol: Any = None


@dataclass(slots=True, eq=False)
class Return(Stmt):
    value: Expr | None


@dataclass(slots=True, eq=False)
class Break(Stmt):
    pass


@dataclass(slots=True, eq=False)
class Continue(Stmt):
    pass


# ----------------------------------------------------------------- top-level items


@dataclass(slots=True, eq=False)
class ImportName:
    span: Span
    name: str
    # -- set by the checker
    symbol: Any = None


@dataclass(slots=True, eq=False)
class Import(Stmt):
    names: list[ImportName]
    path: str
    path_span: Span
    namespace: str | None = None  # `import * as ns` (parsed, rejected: AT5007)


@dataclass(slots=True, eq=False)
class TypeAlias(Stmt):
    name: str
    name_span: Span
    type_params: list[TypeParam]
    type_ann: TypeExpr
    doc: str | None = None  # the `///` doc comment before it, if any
    exported: bool = False


@dataclass(slots=True, eq=False)
class TraitMethod:
    span: Span
    name: str
    type_params: list[TypeParam]
    params: list[Param]
    ret: TypeExpr


@dataclass(slots=True, eq=False)
class TraitDecl(Stmt):
    name: str
    name_span: Span
    type_params: list[TypeParam]
    methods: list[TraitMethod]


@dataclass(slots=True, eq=False)
class ImplBlock(Stmt):
    trait_name: str
    trait_span: Span
    trait_args: list[TypeExpr]
    type_name: str
    type_span: Span
    methods: list[FnDecl]


@dataclass(slots=True, eq=False)
class ExternParam:
    span: Span
    name: str
    ctype: str


@dataclass(slots=True, eq=False)
class ExternDecl(Stmt):
    library: str
    name: str
    name_span: Span
    symbol_name: str | None
    params: list[ExternParam]
    ret: str
    # -- set by the checker
    symbol: Any = None


@dataclass(slots=True, eq=False)
class Program:
    """One parsed source file."""

    items: list[Stmt]
    source: Any  # SourceFile
