"""Calls and method calls (reference 3.3, 3.7, 3.12, 3.15): arity, argument types,
generic inference, bounds, method resolution and the ownership checks at call sites.

`CallRules` is mixed into the `Checker`; it uses the checker's `expr`, `report`, `traits`,
`ctx` and `invalidate_globals`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..syntax import ast
from . import ownership
from .inference import Inference
from .prelude import ARRAY_METHODS, JSON_METHODS
from .symbols import Symbol, SymbolKind
from .typeops import assignable, is_dynamic, substitute, type_vars
from .types import JSON, UNKNOWN, ArrayType, FunctionType, Type, TypeVar, UnionType, union

if TYPE_CHECKING:
    from .checker import FnContext
    from .report import Reporter
    from .traits import Traits

K = SymbolKind
USER_FUNCTIONS = frozenset({K.GLOBAL_FN, K.NESTED_FN, K.IMPL_METHOD})


class CallRules:
    report: Reporter
    traits: Traits
    ctx: FnContext

    def expr(self, node: ast.Expr) -> Type:  # pragma: no cover - provided by the Checker
        raise NotImplementedError

    def invalidate_globals(self) -> None:  # pragma: no cover - provided by the Checker
        raise NotImplementedError

    def e_Call(self, node: ast.Call) -> Type:
        callee = self.expr(node.callee)
        arg_types = [self.expr(a) for a in node.args]
        result = self.call(node, callee, arg_types)
        decl = self.user_function(node.callee)
        if decl is not None and decl.fn_type is not None:
            if len(decl.params) == len(node.args):
                ownership.check_arguments(
                    decl.params, decl.fn_type.params, node.args, arg_types,
                    self.ctx.borrowed, self.report,
                )  # fmt: skip
        sym = node.callee.symbol if isinstance(node.callee, ast.Ident) else None
        if sym is None or sym.kind is not K.BUILTIN:
            self.invalidate_globals()
        return result

    @staticmethod
    def user_function(callee: ast.Expr) -> ast.FnDecl | None:
        """The declaration of a directly called user function (ownership checks)."""
        if not isinstance(callee, ast.Ident) or callee.symbol is None:
            return None
        sym = callee.symbol
        if sym.kind is K.IMPORT:
            sym = sym.target
        if sym is not None and sym.kind in USER_FUNCTIONS and isinstance(sym.decl, ast.FnDecl):
            return sym.decl
        return None

    def call(self, node: ast.Call, callee: Type, arg_types: list[Type]) -> Type:
        if is_dynamic(callee):
            return UNKNOWN
        if isinstance(callee, UnionType):
            unified = self.union_callee(node, callee)
            if unified is None:
                return UNKNOWN
            callee = unified
        if not isinstance(callee, FunctionType):
            self.report.error("AT3006", f"Cannot call non-function type {callee}", node.span)
            return UNKNOWN
        n, m = len(callee.params), len(node.args)
        if n != m:
            noun = "argument" if n == 1 else "arguments"
            msg = f"Function expects {n} {noun}, found {m}"
            self.report.error("AT3005", msg, node.span)
            return substitute(callee.ret, {v: UNKNOWN for v in callee.type_params})
        if callee.type_params:
            return self.generic_call(node, callee, arg_types)
        for i, (param, arg, t) in enumerate(zip(callee.params, node.args, arg_types, strict=True)):
            if not assignable(t, param):
                msg = f"Argument {i + 1} type mismatch: expected {param}, found {t}"
                self.report.error("AT3001", msg, arg.span)
        return callee.ret

    def union_callee(self, node: ast.Call, callee: UnionType) -> FunctionType | None:
        fns = [m for m in callee.members if isinstance(m, FunctionType)]
        if len(fns) != len(callee.members):
            self.report.error("AT3006", f"Cannot call non-function type {callee}", node.span)
            return None
        if any(f.params != fns[0].params or f.type_params for f in fns):
            msg = "Cannot call union of incompatible function signatures"
            self.report.error("AT3005", msg, node.span)
            return None
        return FunctionType(fns[0].params, union([f.ret for f in fns]))

    def generic_call(self, node: ast.Call, callee: FunctionType, arg_types: list[Type]) -> Type:
        """Infer the type parameters from the arguments, then check them (3.3)."""
        variables = callee.type_params
        inference = Inference(variables)
        shape_ok = [inference.unify(p, t) for p, t in zip(callee.params, arg_types, strict=True)]
        for param, ok in zip(callee.params, shape_ok, strict=True):
            if not ok:  # reported below as this argument's error, not as uninferrable
                inference.bind_unknown(param)
        for var in inference.conflicts:
            msg = f"Conflicting constraints for type parameter '{var.name}'"
            self.report.error("AT3001", msg, node.span)
        conflicted = set(inference.conflicts)
        bindings = {v: inference.bindings.get(v, UNKNOWN) for v in variables}
        for i, (param, arg, t) in enumerate(zip(callee.params, node.args, arg_types, strict=True)):
            if conflicted.intersection(type_vars(param)):
                continue
            if shape_ok[i] and assignable(t, substitute(param, bindings)):
                continue
            if inference.has_vars(param):
                msg = (
                    f"Type inference failed: cannot match argument {i + 1} of type {t} "
                    f"with parameter of type {param}"
                )
            else:
                msg = f"Argument {i + 1} type mismatch: expected {param}, found {t}"
            self.report.error("AT3001", msg, arg.span)
        unbound = inference.unbound(variables)
        if unbound:
            names = ", ".join(v.name for v in unbound)
            self.report.error("AT9999", f"Cannot infer type parameter(s): {names}", node.span)
        self.check_bounds(node, variables, inference.bindings)
        return substitute(callee.ret, bindings)

    def check_bounds(
        self, node: ast.Call, variables: tuple[TypeVar, ...], bindings: dict[TypeVar, Type]
    ) -> None:
        for var in variables:
            t = bindings.get(var)
            if t is None or is_dynamic(t):
                continue
            if var.bound is not None and not assignable(t, var.bound):
                msg = f"Type argument '{var.name}' must satisfy constraint {var.bound}, found {t}"
                self.report.error("AT3001", msg, node.span)
            for trait in var.traits:
                if not self.traits.implements(t, trait):
                    msg = (
                        f"Type '{t}' does not implement trait '{trait}' "
                        f"required by type parameter '{var.name}'"
                    )
                    self.report.error("AT3037", msg, node.span)

    # ------------------------------------------------------------- methods

    def e_MethodCall(self, node: ast.MethodCall) -> Type:
        receiver = self.expr(node.target)
        arg_types = [self.expr(a) for a in node.args]
        name = node.name
        node.resolved = ("dynamic", None)
        if is_dynamic(receiver):
            return UNKNOWN
        table = {}
        if isinstance(receiver, ArrayType):
            table = ARRAY_METHODS
        elif receiver == JSON:
            table = JSON_METHODS
        if name in table:
            builtin, params, ret = table[name]
            node.resolved = ("builtin", builtin)
            self.method_arguments(node, params, arg_types)
            return ret
        impl = self.traits.method(receiver, name)
        if impl is not None:
            node.resolved = ("impl", impl)
            return self.impl_call(node, impl, arg_types)
        trait = self.traits.trait_with_method(name)
        if trait is not None:
            msg = (
                f"Type '{receiver}' does not implement trait '{trait}' required for method '{name}'"
            )
            self.report.error("AT3035", msg, node.span)
        else:
            self.report.error(
                "AT3010", f"Type '{receiver}' has no method named '{name}'", node.span
            )
        return UNKNOWN

    def impl_call(self, node: ast.MethodCall, impl: Symbol, arg_types: list[Type]) -> Type:
        self.invalidate_globals()
        fn_type = impl.ty
        if not isinstance(fn_type, FunctionType) or not fn_type.params:
            return UNKNOWN
        params = fn_type.params[1:]  # the receiver is the first argument
        if self.method_arguments(node, params, arg_types) and isinstance(impl.decl, ast.FnDecl):
            ownership.check_arguments(
                impl.decl.params[1:], params, node.args, arg_types, self.ctx.borrowed, self.report
            )
        return fn_type.ret

    def method_arguments(
        self, node: ast.MethodCall, params: tuple[Type, ...], arg_types: list[Type]
    ) -> bool:
        if len(params) != len(arg_types):
            msg = f"Method '{node.name}' expects {len(params)} arguments, found {len(arg_types)}"
            self.report.error("AT3005", msg, node.span)
            return False
        for i, (param, arg, t) in enumerate(zip(params, node.args, arg_types, strict=True)):
            if not assignable(t, param):
                msg = f"Argument {i + 1} has wrong type: expected {param}, found {t}"
                self.report.error("AT3001", msg, arg.span)
        return True
