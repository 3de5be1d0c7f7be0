"""Static checking of one module (reference section 3): the public entry point.

`check_module` runs the binder (names, scopes, captures) and then the type checker,
which walks the module in source order and annotates every expression with its type.
Type errors never stop the walk: an expression whose type cannot be determined gets
*unknown*, which checks silently, so one mistake gives one diagnostic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic
from ..limits import ensure_recursion_headroom
from ..syntax import ast
from . import ownership
from .binder import Binder, BindResult
from .calls import CallRules
from .flow import LoopEffects, block_returns, loop_effects
from .inference import Inference
from .narrowing import (
    NO_FACTS,
    Facts,
    and_facts,
    call_facts,
    equality_facts,
    not_facts,
    or_facts,
)
from .patterns import check_pattern, exhaustiveness_errors
from .report import Reporter
from .symbols import FunctionInfo, Symbol, SymbolKind
from .traits import Traits
from .typeops import assignable, is_dynamic, join, members, overlaps, substitute
from .types import (
    BOOL,
    JSON,
    NULL,
    NUMBER,
    STRING,
    UNKNOWN,
    VOID,
    ArrayType,
    FunctionType,
    ResultType,
    Type,
    union,
)
from .typexpr import OpenAlias, TypeResolver, alias_symbol

K = SymbolKind
ARITHMETIC = frozenset({"-", "*", "/", "%"})
COMPARISON = frozenset({"<", "<=", ">", ">="})


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic]  # errors and warnings, warnings in source order
    main: FunctionInfo  # the module's top-level code (is_main=True)
    functions: list[FunctionInfo]  # every function body incl. main, in source order
    globals: list[Symbol]  # top-level symbols in declaration order (no math constants)
    exports: dict[str, Symbol]  # exported name -> symbol

    @property
    def ok(self) -> bool:
        return not any(d.level == "error" for d in self.diagnostics)


def check_module(
    program: ast.Program,
    *,
    imports: Mapping[str, Mapping[str, Symbol]] | None = None,
    prior_globals: Mapping[str, Symbol] | None = None,
    module: object = None,
) -> CheckResult:
    """Bind and type-check one parsed module, annotating its AST in place."""
    ensure_recursion_headroom()
    report = Reporter(program.source)
    bound = Binder(program, report, imports, prior_globals, module).bind()
    checker = Checker(program, report, bound, module)
    checker.traits.adopt_methods((prior_globals or {}).values())
    exports = checker.check()
    return CheckResult(report.diagnostics(), bound.main, bound.functions, bound.globals, exports)


@dataclass
class FnContext:
    info: FunctionInfo
    ret: Type | None  # None for the top-level code
    borrowed: frozenset[Symbol]  # the function's own `borrow` parameters (AT2012)
    loops: int = 0


class Checker(CallRules):
    def __init__(self, program: ast.Program, report: Reporter, bound: BindResult, module: Any):
        self.program = program
        self.report = report
        self.module = module
        self.resolver = TypeResolver(report)
        self.traits = Traits(report, self.resolver)
        self.ctx = FnContext(bound.main, None, frozenset())
        # Narrowing (3.14): symbol -> narrowed type, and per narrowed region the symbols
        # assigned inside it (their narrowing ends with the assignment).
        self.env: dict[Symbol, Type] = {}
        self.frames: list[set[Symbol]] = []
        self.facts: dict[int, Facts] = {}
        self.loop_effects: dict[int, LoopEffects] = {}  # the memo of flow.loop_effects
        self.fn_type_params: dict[ast.FnDecl, dict] = {}
        self.stmt_handlers: dict[type, Callable[[Any], None]] = {
            cls: getattr(self, "s_" + cls.__name__)
            for cls in (ast.VarDecl, ast.FnDecl, ast.ExprStmt, ast.Assign, ast.CompoundAssign,
                        ast.IncDec, ast.If, ast.While, ast.For, ast.ForIn, ast.Return, ast.Break,
                        ast.Continue, ast.Block, ast.Import, ast.TypeAlias, ast.TraitDecl,
                        ast.ImplBlock, ast.ExternDecl)
        }  # fmt: skip
        self.expr_handlers: dict[type, Callable[[Any], Type]] = {
            cls: getattr(self, "e_" + cls.__name__)
            for cls in (ast.NumberLit, ast.StringLit, ast.BoolLit, ast.NullLit, ast.Ident,
                        ast.ArrayLit, ast.Unary, ast.Binary, ast.Call, ast.Index,
                        ast.MethodCall, ast.Try, ast.Match)
        }  # fmt: skip

    # ------------------------------------------------------------------ module

    def check(self) -> dict[str, Symbol]:
        items = self.program.items
        for item in items:
            if isinstance(item, ast.TypeAlias):
                self.resolver.declare_alias(item)
            elif isinstance(item, ast.Import):
                for name in item.names:
                    if name.symbol is not None and name.symbol.kind is K.TYPE_ALIAS:
                        self.resolver.import_alias(name.name, name.symbol, name.span)
        self.resolver.resolve_all_aliases()
        for item in items:  # top-level functions are hoisted
            if isinstance(item, ast.FnDecl):
                self.signature(item)
        for item in items:
            self.stmt(item)
        return self.exports()

    def exports(self) -> dict[str, Symbol]:
        out: dict[str, Symbol] = {}
        for item in self.program.items:
            if not getattr(item, "exported", False):
                continue
            sym: Symbol | None
            if isinstance(item, ast.TypeAlias):
                alias = self.resolver.aliases.get(item.name)
                if alias is None or alias.decl is not item:
                    continue
                sym = alias_symbol(alias, item, self.program.source, self.module)
            else:
                sym = item.symbol  # type: ignore[attr-defined]
            name, span = item.name, item.name_span  # type: ignore[attr-defined]
            if name in out:
                msg = f"Duplicate export: '{name}' is exported more than once"
                self.report.error("AT5008", msg, span, "module")
            elif sym is not None:
                out[name] = sym
        return out

    # --------------------------------------------------------------- functions

    def signature(self, decl: ast.FnDecl) -> FunctionType:
        """Resolve a function's declared types; set fn_type and its symbols' types."""
        tparams = self.resolver.type_params(decl.type_params, id(decl))
        self.fn_type_params[decl] = tparams
        self.resolver.push(tparams)
        try:
            params = tuple(self.resolver.resolve(p.type_ann) for p in decl.params)
            ret = self.resolver.resolve(decl.ret) if decl.ret is not None else NULL
            predicate = self.predicate(decl, params, ret)
        finally:
            self.resolver.pop()
        fn_type = FunctionType(params, ret, tuple(tparams.values()), predicate)
        decl.fn_type = fn_type
        if decl.symbol is not None:
            decl.symbol.ty = fn_type
        if decl.scope is not None:
            decl.scope.ret = ret
        for param, t in zip(decl.params, params, strict=True):
            if param.symbol is not None:
                param.symbol.ty = t
        ownership.check_params(decl, params, self.report)
        return fn_type

    def predicate(
        self, decl: ast.FnDecl, params: tuple[Type, ...], ret: Type
    ) -> tuple[int, Type] | None:
        pred = decl.predicate
        if pred is None:
            return None
        ok = True
        if ret != BOOL:
            ok = False
            msg = f"Type predicate requires bool return type, found {ret}"
            self.report.error("AT3001", msg, pred.span)
        names = [p.name for p in decl.params]
        if pred.param not in names:
            msg = f"Type predicate refers to unknown parameter '{pred.param}'"
            self.report.error("AT3001", msg, pred.span)
            return None
        index = names.index(pred.param)
        guarded = self.resolver.resolve(pred.type_ann)
        if not assignable(guarded, params[index]):
            msg = f"Predicate type {guarded} is not assignable to parameter type {params[index]}"
            self.report.error("AT3001", msg, pred.span)
            ok = False
        return (index, guarded) if ok else None

    def function_body(self, decl: ast.FnDecl) -> None:
        fn_type = decl.fn_type if decl.fn_type is not None else self.signature(decl)
        saved = self.ctx, self.env, self.frames
        borrowed = frozenset(p.symbol for p in decl.params if p.ownership == "borrow")
        self.ctx = FnContext(decl.scope, fn_type.ret, borrowed)
        self.env, self.frames = {}, []  # narrowing never crosses into a function
        self.resolver.push(self.fn_type_params.get(decl, {}))
        try:
            self.block(decl.body)
            if fn_type.ret not in (VOID, NULL) and not block_returns(decl.body):
                self.report.error("AT3004", "Not all code paths return a value", decl.name_span)
        finally:
            self.resolver.pop()
            self.ctx, self.env, self.frames = saved

    # -------------------------------------------------------------- narrowing

    def type_of(self, sym: Symbol) -> Type:
        return self.env.get(sym, sym.ty)

    def invalidate(self, sym: Symbol) -> None:
        """`sym` may have changed: its narrowing ends here and in enclosing regions."""
        self.env.pop(sym, None)
        if self.frames:
            self.frames[-1].add(sym)

    def invalidate_globals(self) -> None:
        """A call may assign any mutable global."""
        for sym in [s for s in self.env if s.kind is K.GLOBAL_VAR and s.mutable]:
            self.invalidate(sym)

    def enter(self, narrowed: dict[Symbol, Type]) -> dict[Symbol, Type]:
        saved = self.env
        self.env = {**saved, **narrowed}
        self.frames.append(set())
        return saved

    def leave(self, saved: dict[Symbol, Type]) -> None:
        assigned = self.frames.pop()
        self.env = saved
        for sym in assigned:
            saved.pop(sym, None)
        if self.frames:
            self.frames[-1] |= assigned

    def facts_of(self, node: ast.Expr) -> Facts:
        if isinstance(node, ast.Call):
            return call_facts(node, self.type_of)
        if isinstance(node, ast.Binary) and node.op in ("==", "!="):
            return equality_facts(node, self.type_of)
        return self.facts.get(id(node), NO_FACTS)

    def before_loop(self, node: ast.Stmt) -> None:
        assigned, calls = loop_effects(node, self.loop_effects)
        for sym in assigned:
            self.invalidate(sym)
        if calls:
            self.invalidate_globals()

    # -------------------------------------------------------------- statements

    def stmt(self, node: ast.Stmt) -> None:
        self.stmt_handlers[type(node)](node)

    def block(self, block: ast.Block) -> None:
        for s in block.stmts:  # nested functions are hoisted within their block
            if isinstance(s, ast.FnDecl):
                self.signature(s)
        after_return = False
        for s in block.stmts:
            if after_return:
                self.report.warning("AT2002", "Unreachable code", s.span)
            self.stmt(s)
            if isinstance(s, ast.Return):
                after_return = True

    def s_Block(self, node: ast.Block) -> None:
        self.block(node)

    def s_FnDecl(self, node: ast.FnDecl) -> None:
        self.function_body(node)

    def s_ImplBlock(self, node: ast.ImplBlock) -> None:
        for method in node.methods:
            self.signature(method)
        self.traits.check_impl(node)
        for method in node.methods:
            self.function_body(method)

    def s_TraitDecl(self, node: ast.TraitDecl) -> None:
        self.traits.declare(node)

    def s_Import(self, node: ast.Stmt) -> None:
        pass  # bound by the binder; aliases registered up front

    s_TypeAlias = s_Import
    s_ExternDecl = s_Import

    def s_VarDecl(self, node: ast.VarDecl) -> None:
        found = self.expr(node.init)
        declared = found
        if node.type_ann is not None:
            declared, open_aliases = self.resolver.resolve_open(node.type_ann)
            if open_aliases:
                declared = self.infer_alias(node, declared, open_aliases, found)
            elif not assignable(found, declared):
                msg = f"Type mismatch: expected {declared}, found {found}"
                self.report.error("AT3001", msg, node.span)
        if node.symbol is not None:
            node.symbol.ty = declared
            self.invalidate(node.symbol)

    def infer_alias(
        self, node: ast.VarDecl, declared: Type, open_aliases: list[OpenAlias], found: Type
    ) -> Type:
        """`let p: Pair = ...` with a generic alias: take its arguments from the value."""
        variables = [v for o in open_aliases for v in o.alias.params]
        inference = Inference(variables)
        ok = inference.unify(declared, found) and not inference.conflicts
        bindings = {v: inference.bindings.get(v, UNKNOWN) for v in variables}
        result = substitute(declared, bindings)
        if not ok or inference.unbound(variables) or not assignable(found, result):
            name = open_aliases[0].alias.name
            msg = f"Cannot infer type arguments for alias '{name}' from {found}"
            self.report.error("AT3001", msg, node.span)
        return result

    def s_ExprStmt(self, node: ast.ExprStmt) -> None:
        self.expr(node.expr)

    def target_type(self, target: ast.Expr, verb: str) -> Type:
        """Type of an assignment target; reports immutability (3.5)."""
        if isinstance(target, ast.Index):
            return self.index_target(target)
        assert isinstance(target, ast.Ident)
        sym = target.symbol
        if sym is None:
            target.ty = UNKNOWN
            return UNKNOWN
        if not sym.mutable:
            msg = f"Cannot {verb} immutable variable '{sym.name}'"
            self.report.error("AT3003", msg, target.span)
        target.ty = self.type_of(sym)
        return target.ty

    def index_target(self, target: ast.Index) -> Type:
        """`a[i] = v`: always allowed; `a` must be an array and `i` a number."""
        base = self.expr(target.target)
        index = self.expr(target.index)
        element = UNKNOWN
        if isinstance(base, ArrayType):
            element = base.element
            if not assignable(index, NUMBER):
                msg = f"Array index must be number, found {index}"
                self.report.error("AT3001", msg, target.index.span)
        elif not is_dynamic(base):
            self.report.error("AT3001", f"Cannot index into non-array type {base}", target.span)
        target.ty = element
        return element

    def assigned(self, target: ast.Expr) -> None:
        if isinstance(target, ast.Ident) and target.symbol is not None:
            self.invalidate(target.symbol)

    def s_Assign(self, node: ast.Assign) -> None:
        target = self.target_type(node.target, "assign to")
        if isinstance(node.target, ast.Ident) and node.target.symbol is not None:
            target = node.target.symbol.ty  # the declared type, not a narrowed one
            node.target.ty = target
        value = self.expr(node.value)
        if not assignable(value, target):
            msg = f"Type mismatch in assignment: expected {target}, found {value}"
            self.report.error("AT3001", msg, node.span)
        self.assigned(node.target)

    def s_CompoundAssign(self, node: ast.CompoundAssign) -> None:
        target = self.target_type(node.target, "modify")
        value = self.expr(node.value)
        if not assignable(target, NUMBER):
            msg = f"Compound assignment requires number type, found {target}"
            self.report.error("AT3001", msg, node.span)
        elif not assignable(value, NUMBER):
            msg = f"Compound assignment requires number value, found {value}"
            self.report.error("AT3001", msg, node.span)
        self.assigned(node.target)

    def s_IncDec(self, node: ast.IncDec) -> None:
        target = self.target_type(node.target, "modify")
        if not assignable(target, NUMBER):
            what = "Increment" if node.op == "++" else "Decrement"
            self.report.error("AT3001", f"{what} requires number type, found {target}", node.span)
        self.assigned(node.target)

    def condition(self, cond: ast.Expr) -> Facts:
        t = self.expr(cond)
        if not assignable(t, BOOL):
            self.report.error("AT3001", f"Condition must be bool, found {t}", cond.span)
        return self.facts_of(cond)

    def s_If(self, node: ast.If) -> None:
        when_true, when_false = self.condition(node.cond)
        saved = self.enter(when_true)
        self.block(node.then)
        self.leave(saved)
        if node.else_ is not None:
            saved = self.enter(when_false)
            self.block(node.else_)
            self.leave(saved)

    def loop_body(self, body: ast.Block, narrowed: dict[Symbol, Type]) -> None:
        saved = self.enter(narrowed)
        self.ctx.loops += 1
        self.block(body)
        self.ctx.loops -= 1
        self.leave(saved)

    def s_While(self, node: ast.While) -> None:
        self.before_loop(node)
        when_true, _ = self.condition(node.cond)
        self.loop_body(node.body, when_true)

    def s_For(self, node: ast.For) -> None:
        self.before_loop(node)
        if node.init is not None:
            self.stmt(node.init)
        if node.cond is not None:
            self.condition(node.cond)
        self.loop_body(node.body, {})
        if node.step is not None:
            self.stmt(node.step)

    def s_ForIn(self, node: ast.ForIn) -> None:
        iterable = self.expr(node.iterable)
        element = UNKNOWN
        if isinstance(iterable, ArrayType):
            element = iterable.element
        elif not is_dynamic(iterable):
            msg = f"for-in requires an array, found {iterable}"
            self.report.error("AT3001", msg, node.iterable.span)
        if node.symbol is not None:
            node.symbol.ty = element
        self.before_loop(node)
        self.loop_body(node.body, {})

    def s_Return(self, node: ast.Return) -> None:
        found = self.expr(node.value) if node.value is not None else VOID
        expected = self.ctx.ret
        if expected is None:
            self.report.error("AT3011", "Return statement outside function", node.span)
        elif not assignable(found, expected):
            msg = f"Return type mismatch: expected {expected}, found {found}"
            self.report.error("AT3001", msg, node.span)

    def s_Break(self, node: ast.Break) -> None:
        if not self.ctx.loops:
            self.report.error("AT3010", "Break statement outside loop", node.span)

    def s_Continue(self, node: ast.Continue) -> None:
        if not self.ctx.loops:
            self.report.error("AT3010", "Continue statement outside loop", node.span)

    # ------------------------------------------------------------- expressions

    def expr(self, node: ast.Expr) -> Type:
        t = self.expr_handlers[type(node)](node)
        node.ty = t  # type: ignore[attr-defined]
        return t

    def e_NumberLit(self, node: ast.NumberLit) -> Type:
        return NUMBER

    def e_StringLit(self, node: ast.StringLit) -> Type:
        return STRING

    def e_BoolLit(self, node: ast.BoolLit) -> Type:
        return BOOL

    def e_NullLit(self, node: ast.NullLit) -> Type:
        return NULL

    def e_Ident(self, node: ast.Ident) -> Type:
        sym = node.symbol
        return UNKNOWN if sym is None else self.env.get(sym, sym.ty)

    def e_ArrayLit(self, node: ast.ArrayLit) -> Type:
        if not node.elements:
            return ArrayType(UNKNOWN)
        element = self.expr(node.elements[0])
        for i, e in enumerate(node.elements[1:], 1):
            t = self.expr(e)
            if not assignable(t, element):
                msg = f"Array element {i} has wrong type: expected {element}, found {t}"
                self.report.error("AT3001", msg, e.span)
        return ArrayType(element)

    def e_Unary(self, node: ast.Unary) -> Type:
        t = self.expr(node.operand)
        if node.op == "!":
            self.facts[id(node)] = not_facts(self.facts_of(node.operand))
            expected, result = BOOL, BOOL
        else:
            expected, result = NUMBER, NUMBER
        if all(is_dynamic(m) or m == expected for m in members(t)):
            # An unknown operand is unchecked; `-` then yields unknown (3.2), `!` a bool.
            return UNKNOWN if node.op == "-" and is_dynamic(t) else result
        msg = f"Unary '{node.op}' requires {expected} operand, found {t}"
        self.report.error("AT3002", msg, node.span)
        return UNKNOWN

    def e_Binary(self, node: ast.Binary) -> Type:
        op = node.op
        if op in ("&&", "||"):
            return self.logical(node)
        left = self.expr(node.left)
        right = self.expr(node.right)
        if op == "+":
            return self.plus(node, left, right)
        if op in ("==", "!="):
            if overlaps(left, right):
                return BOOL
            msg = f"Equality comparison requires same types, found {left} and {right}"
            self.report.error("AT3002", msg, node.span)
            return UNKNOWN
        numeric = all(is_dynamic(m) or m == NUMBER for m in (*members(left), *members(right)))
        if op in ARITHMETIC:
            dynamic = is_dynamic(left) or is_dynamic(right)
            result, what = UNKNOWN if dynamic else NUMBER, "Arithmetic operator requires"
        else:
            result, what = BOOL, "Comparison requires"  # only ever a bool at run time
        if numeric:
            return result
        msg = f"{what} number operands, found {left} and {right}"
        self.report.error("AT3002", msg, node.span)
        return UNKNOWN

    def logical(self, node: ast.Binary) -> Type:
        left = self.expr(node.left)
        left_facts = self.facts_of(node.left)
        saved = self.enter(left_facts[0] if node.op == "&&" else left_facts[1])
        right = self.expr(node.right)
        right_facts = self.facts_of(node.right)
        self.leave(saved)
        combine = and_facts if node.op == "&&" else or_facts
        self.facts[id(node)] = combine(left_facts, right_facts)
        if all(is_dynamic(m) or m == BOOL for m in (*members(left), *members(right))):
            return BOOL
        msg = f"Logical operators require bool operands, found {left} and {right}"
        self.report.error("AT3002", msg, node.span)
        return UNKNOWN

    def plus(self, node: ast.Binary, left: Type, right: Type) -> Type:
        results: list[Type] = []
        for a in members(left):
            for b in members(right):
                if is_dynamic(a) or is_dynamic(b):
                    results.append(UNKNOWN)  # unchecked (3.2)
                elif a == b and a in (NUMBER, STRING):
                    results.append(a)
                else:
                    msg = f"'+' requires matching types, found {left} and {right}"
                    self.report.error("AT3002", msg, node.span)
                    return UNKNOWN
        return UNKNOWN if UNKNOWN in results else union(results)

    def e_Index(self, node: ast.Index) -> Type:
        base = self.expr(node.target)
        index = self.expr(node.index)
        if is_dynamic(base):
            return UNKNOWN
        if isinstance(base, ArrayType):
            if not assignable(index, NUMBER):
                msg = f"Array index must be number, found {index}"
                self.report.error("AT3001", msg, node.index.span)
            return base.element
        if base == JSON:
            if not assignable(index, union([STRING, NUMBER])):
                msg = f"JSON index must be string or number, found {index}"
                self.report.error("AT3001", msg, node.index.span)
            return JSON
        self.report.error("AT3001", f"Cannot index into type {base}", node.span)
        return UNKNOWN

    def e_Try(self, node: ast.Try) -> Type:
        t = self.expr(node.operand)
        if is_dynamic(t):
            return UNKNOWN
        if not isinstance(t, ResultType):
            msg = f"? operator requires Result<T, E> type, found {t}"
            self.report.error("AT3027", msg, node.span)
            return UNKNOWN
        ret = self.ctx.ret
        if ret is None:
            self.report.error("AT3028", "? operator can only be used inside functions", node.span)
        elif is_dynamic(ret):
            pass
        elif not isinstance(ret, ResultType):
            msg = f"? operator requires function to return Result<T, E>, found {ret}"
            self.report.error("AT3030", msg, node.span)
        elif not assignable(t.err, ret.err):
            msg = (
                f"? operator error type mismatch: expression has error type {t.err}, "
                f"but function returns {ret.err}"
            )
            self.report.error("AT3029", msg, node.span)
        return t.ok

    def e_Match(self, node: ast.Match) -> Type:
        scrutinee = self.expr(node.scrutinee)
        result: Type = UNKNOWN
        for arm in node.arms:
            check_pattern(arm.pattern, scrutinee, self.report)
            if arm.guard is not None:
                guard = self.expr(arm.guard)
                if not assignable(guard, BOOL):
                    msg = f"Guard expression must be bool, found {guard}"
                    self.report.error("AT3029", msg, arm.guard.span)
            result = join(result, self.expr(arm.body))
        for message in exhaustiveness_errors(node.arms, scrutinee):
            self.report.error("AT3027", message, node.span)
        return result
