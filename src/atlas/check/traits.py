"""Traits and impls (reference 3.13): declarations, impl conformance, method dispatch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..syntax import ast
from .prelude import BUILTIN_TRAITS, COPY_TYPES
from .report import Reporter
from .symbols import Symbol, SymbolKind
from .typeops import same_type, substitute
from .types import BOOL, NULL, NUMBER, STRING, UNKNOWN, FunctionType, Type, TypeVar
from .typexpr import TypeResolver

# Receiver types whose methods come from impls, by the name an impl block uses.
IMPL_TYPE_NAMES: dict[Type, str] = {NUMBER: "number", STRING: "string", BOOL: "bool", NULL: "null"}


@dataclass
class Trait:
    name: str
    params: tuple[TypeVar, ...] = ()
    # method -> signature without the parameters named `self`
    methods: dict[str, FunctionType] = field(default_factory=dict)
    builtin: bool = False


def _matches(actual: Type, expected: Type) -> bool:
    """Signature identity, where an unknown (unresolvable) written type matches anything."""
    return actual == UNKNOWN or expected == UNKNOWN or same_type(actual, expected)


def _without_self(params: list[ast.Param], types: tuple[Type, ...]) -> tuple[Type, ...]:
    return tuple(t for p, t in zip(params, types, strict=True) if p.name != "self")


class Traits:
    def __init__(self, report: Reporter, resolver: TypeResolver) -> None:
        self.report = report
        self.resolver = resolver
        self.traits: dict[str, Trait] = {
            name: Trait(name, (), {m: FunctionType(p, r) for m, (p, r) in ms.items()}, True)
            for name, ms in BUILTIN_TRAITS.items()
        }
        self.impls: set[tuple[str, str]] = set()  # (type name, trait name)
        self.methods: dict[str, dict[str, Symbol]] = {}  # type name -> method -> symbol

    def declare(self, node: ast.TraitDecl) -> None:
        old = self.traits.get(node.name)
        if old is not None:
            if old.builtin:
                msg = f"Cannot redefine built-in trait '{node.name}'"
                self.report.error("AT3030", msg, node.name_span)
            else:
                self.report.error(
                    "AT3031", f"Trait '{node.name}' is already defined", node.name_span
                )
            return
        params = self.resolver.type_params(node.type_params, id(node))
        trait = Trait(node.name, tuple(params.values()))
        self.resolver.push(params)
        try:
            for m in node.methods:
                own = self.resolver.type_params(m.type_params, id(m))
                self.resolver.push(own)
                types = tuple(self.resolver.resolve(p.type_ann) for p in m.params)
                sig = FunctionType(_without_self(m.params, types), self.resolver.resolve(m.ret))
                self.resolver.pop()
                trait.methods[m.name] = sig
        finally:
            self.resolver.pop()
        self.traits[node.name] = trait

    def check_impl(self, node: ast.ImplBlock) -> None:
        """Conformance checks; then the methods become callable on the type."""
        trait = self.traits.get(node.trait_name)
        type_name = node.type_name
        if trait is None:
            self.report.error(
                "AT3032", f"Trait '{node.trait_name}' is not defined", node.trait_span
            )
        elif (type_name, trait.name) in self.impls:
            msg = f"'{type_name}' already implements '{trait.name}'"
            self.report.error("AT3029", msg, node.type_span)
        else:
            self.impls.add((type_name, trait.name))
            self.check_methods(node, trait)
        table = self.methods.setdefault(type_name, {})
        for method in node.methods:
            table.setdefault(method.name, method.symbol)

    def check_methods(self, node: ast.ImplBlock, trait: Trait) -> None:
        args = [self.resolver.resolve(a) for a in node.trait_args]
        mapping = dict(zip(trait.params, args, strict=False)) if args else {}
        present = {m.name: m for m in node.methods}
        where = f"'{trait.name}' for '{node.type_name}'"
        for name, sig in trait.methods.items():
            method = present.get(name)
            if method is None:
                msg = f"Impl of {where} is missing required method '{name}'"
                self.report.error("AT3033", msg, node.trait_span)
                continue
            impl_type = method.fn_type
            if not isinstance(impl_type, FunctionType):
                continue
            expected = substitute(sig, mapping) if mapping else sig
            assert isinstance(expected, FunctionType)
            actual = _without_self(method.params, impl_type.params)
            prefix = f"Method '{name}' in impl of {where} has wrong"
            if len(actual) != len(expected.params) or not all(
                _matches(a, e) for a, e in zip(actual, expected.params, strict=False)
            ):
                self.report.error("AT3034", f"{prefix} parameter types", method.name_span)
            elif not _matches(impl_type.ret, expected.ret):
                self.report.error("AT3034", f"{prefix} return type", method.name_span)

    def adopt_methods(self, symbols: Iterable[Symbol]) -> None:
        """Make the impl methods of earlier chunks (REPL) callable: "type.method" names."""
        for sym in symbols:
            if sym.kind is SymbolKind.IMPL_METHOD and "." in sym.name:
                type_name, method = sym.name.split(".", 1)
                self.methods.setdefault(type_name, {}).setdefault(method, sym)

    def method(self, receiver: Type, name: str) -> Symbol | None:
        type_name = IMPL_TYPE_NAMES.get(receiver)
        if type_name is None or type_name == "null":
            return None
        return self.methods.get(type_name, {}).get(name)

    def trait_with_method(self, name: str) -> str | None:
        for trait in self.traits.values():
            if name in trait.methods:
                return trait.name
        return None

    def implements(self, t: Type, trait: str) -> bool:
        if trait == "Copy" and t in COPY_TYPES:
            return True
        type_name = IMPL_TYPE_NAMES.get(t)
        return type_name is not None and (type_name, trait) in self.impls
