"""Type-parameter inference by unification (reference 3.3).

`Inference` binds the type variables of one generic signature from the argument types
of one call (or of a generic alias from an initializer). A variable met by an unknown
argument is bound to unknown: it counts as inferred, so gradual code stays silent.
"""

from __future__ import annotations

from collections.abc import Iterable

from .typeops import assignable, is_dynamic, members, type_vars
from .types import (
    UNKNOWN,
    ArrayType,
    FunctionType,
    HashMapType,
    HashSetType,
    OptionType,
    ResultType,
    Type,
    TypeVar,
    UnionType,
)


class Inference:
    def __init__(self, variables: Iterable[TypeVar]) -> None:
        self.variables = frozenset(variables)
        self.bindings: dict[TypeVar, Type] = {}
        self.conflicts: list[TypeVar] = []

    def has_vars(self, t: Type) -> bool:
        return any(v in self.variables for v in type_vars(t))

    def bind(self, var: TypeVar, t: Type) -> None:
        old = self.bindings.get(var)
        if old is None or old == UNKNOWN:
            self.bindings[var] = t
        elif is_dynamic(t) or assignable(t, old):
            pass
        elif assignable(old, t):
            self.bindings[var] = t  # widen: every earlier argument still fits
        elif var not in self.conflicts:
            self.conflicts.append(var)

    def bind_unknown(self, t: Type) -> None:
        for v in type_vars(t):
            if v in self.variables and v not in self.bindings:
                self.bindings[v] = UNKNOWN

    def unify(self, param: Type, arg: Type) -> bool:
        """Bind the variables of `param` from `arg`; False when the shapes cannot match."""
        if isinstance(param, TypeVar) and param in self.variables:
            self.bind(param, arg)
            return True
        if not self.has_vars(param):
            return True  # plain assignability is checked by the caller
        if is_dynamic(arg):
            self.bind_unknown(param)
            return True
        if isinstance(param, UnionType):
            return self.unify_union(param, arg)
        if isinstance(arg, UnionType):
            return all(self.unify(param, m) for m in arg.members)
        return self.unify_shapes(param, arg)

    def unify_union(self, param: UnionType, arg: Type) -> bool:
        concrete = [m for m in param.members if not self.has_vars(m)]
        open_members = [m for m in param.members if self.has_vars(m)]
        matched_open = False
        for m in members(arg):
            if any(assignable(m, c) for c in concrete):
                continue
            if not any(self.try_unify(o, m) for o in open_members):
                return False
            matched_open = True
        if not matched_open:  # `null` for `T | null` says nothing about T
            self.bind_unknown(param)
        return True

    def try_unify(self, param: Type, arg: Type) -> bool:
        saved = dict(self.bindings), list(self.conflicts)
        if self.unify(param, arg):
            return True
        self.bindings, self.conflicts = saved
        return False

    def unify_shapes(self, param: Type, arg: Type) -> bool:
        if isinstance(param, ArrayType) and isinstance(arg, ArrayType):
            return self.unify(param.element, arg.element)
        if isinstance(param, HashSetType) and isinstance(arg, HashSetType):
            return self.unify(param.element, arg.element)
        if isinstance(param, OptionType) and isinstance(arg, OptionType):
            return self.unify(param.inner, arg.inner)
        if isinstance(param, ResultType) and isinstance(arg, ResultType):
            return self.unify(param.ok, arg.ok) & self.unify(param.err, arg.err)
        if isinstance(param, HashMapType) and isinstance(arg, HashMapType):
            return self.unify(param.key, arg.key) & self.unify(param.value, arg.value)
        if isinstance(param, FunctionType) and isinstance(arg, FunctionType):
            if len(param.params) != len(arg.params):
                return False
            ok = all([self.unify(p, a) for p, a in zip(param.params, arg.params, strict=True)])
            return self.unify(param.ret, arg.ret) and ok
        return False

    def unbound(self, order: Iterable[TypeVar]) -> list[TypeVar]:
        return [v for v in order if v not in self.bindings]
