"""Narrowing facts from conditions (reference 3.14).

A fact set is a pair of maps Symbol -> Type: what a condition proves about variables
when it is true and when it is false. The checker computes one per condition node after
typing it (so the right operand of `&&` is already checked under the left's facts) and
applies them to `if`/`while` bodies and to the right operands of `&&`/`||`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..syntax import ast
from .prelude import ANY_ARRAY
from .symbols import Symbol, SymbolKind
from .typeops import assignable, is_dynamic, members
from .types import (
    BOOL,
    JSON,
    NULL,
    NUMBER,
    STRING,
    UNKNOWN,
    ArrayType,
    FunctionType,
    HashMapType,
    HashSetType,
    OptionType,
    ResultType,
    Type,
    union,
)

Facts = tuple[dict[Symbol, Type], dict[Symbol, Type]]
NO_FACTS: Facts = ({}, {})
TypeOf = Callable[[Symbol], Type]

NARROWABLE = frozenset(
    {SymbolKind.GLOBAL_VAR, SymbolKind.LOCAL, SymbolKind.PARAM, SymbolKind.LOOP_VAR,
     SymbolKind.MATCH_BINDING, SymbolKind.IMPORT}
)  # fmt: skip


class Test:
    """A run-time kind test: which static members it accepts, and what it proves."""

    def __init__(self, accepts: Callable[[Type], bool], fallback: Type | None, exact: bool):
        self.accepts = accepts  # does a value of this member type pass the test?
        self.fallback = fallback  # the type to assume when nothing is known
        self.exact = exact  # a failing test rules the accepted members out

    def when_true(self, t: Type) -> Type:
        if is_dynamic(t):
            return self.fallback if self.fallback is not None else t
        kept = [m for m in members(t) if self.accepts(m) or is_dynamic(m)]
        if not kept:
            return self.fallback if self.fallback is not None else t
        return union(kept)

    def when_false(self, t: Type) -> Type | None:
        if not self.exact or is_dynamic(t):
            return None
        kept = [m for m in members(t) if not self.accepts(m)]
        return union(kept) if kept and len(kept) < len(members(t)) else None


def _is(cls: type) -> Callable[[Type], bool]:
    return lambda t: isinstance(t, cls)


def _eq(target: Type) -> Callable[[Type], bool]:
    return lambda t: t == target


def _json_or_map(t: Type) -> bool:
    return t == JSON or isinstance(t, HashMapType)


# typeof names (5.4) -> the test they perform.
TYPEOF_TESTS: dict[str, Test] = {
    "number": Test(_eq(NUMBER), NUMBER, True),
    "string": Test(_eq(STRING), STRING, True),
    "bool": Test(_eq(BOOL), BOOL, True),
    "null": Test(_eq(NULL), NULL, True),
    "array": Test(_is(ArrayType), ANY_ARRAY, True),
    "function": Test(_is(FunctionType), None, False),  # a builtin's typeof is "builtin"
    "builtin": Test(_is(FunctionType), None, False),
    "json": Test(_eq(JSON), JSON, True),
    "object": Test(_eq(JSON), JSON, False),
    "option": Test(_is(OptionType), OptionType(UNKNOWN), True),
    "result": Test(_is(ResultType), ResultType(UNKNOWN, UNKNOWN), True),
    "hashmap": Test(_is(HashMapType), None, True),
    "hashset": Test(_is(HashSetType), None, True),
}

PREDICATE_TESTS: dict[str, Test] = {
    "isString": TYPEOF_TESTS["string"],
    "isNumber": TYPEOF_TESTS["number"],
    "isBool": TYPEOF_TESTS["bool"],
    "isNull": TYPEOF_TESTS["null"],
    "isArray": TYPEOF_TESTS["array"],
    "isFunction": Test(_is(FunctionType), None, True),
    "isObject": TYPEOF_TESTS["object"],
    "hasField": Test(_json_or_map, None, False),
    "hasMethod": Test(_json_or_map, None, False),
    "hasTag": Test(_json_or_map, None, False),
}


def narrowable(expr: ast.Expr) -> Symbol | None:
    if isinstance(expr, ast.Ident) and expr.symbol is not None:
        if expr.symbol.kind in NARROWABLE:
            return expr.symbol
    return None


def apply_test(sym: Symbol, test: Test, type_of: TypeOf) -> Facts:
    t = type_of(sym)
    when_false = test.when_false(t)
    return {sym: test.when_true(t)}, ({sym: when_false} if when_false is not None else {})


def builtin_name(callee: ast.Expr) -> str | None:
    if isinstance(callee, ast.Ident) and callee.symbol is not None:
        if callee.symbol.kind is SymbolKind.BUILTIN:
            return callee.name
    return None


def call_facts(call: ast.Call, type_of: TypeOf) -> Facts:
    name = builtin_name(call.callee)
    if name is not None:
        if not call.args or (sym := narrowable(call.args[0])) is None:
            return NO_FACTS
        if name == "isType" and len(call.args) == 2 and isinstance(call.args[1], ast.StringLit):
            test = TYPEOF_TESTS.get(call.args[1].value)
        else:
            test = PREDICATE_TESTS.get(name)
        return apply_test(sym, test, type_of) if test is not None else NO_FACTS
    fn_type = call.callee.ty  # a user type guard `-> bool is p: T`
    if isinstance(fn_type, FunctionType) and fn_type.predicate is not None:
        index, guarded = fn_type.predicate
        if index < len(call.args) and (sym := narrowable(call.args[index])) is not None:
            accepts = (lambda t: assignable(t, guarded)) if not is_dynamic(guarded) else None
            if accepts is None:
                return NO_FACTS
            return apply_test(sym, Test(accepts, guarded, True), type_of)
    return NO_FACTS


LITERAL_TYPES = {ast.NumberLit: NUMBER, ast.StringLit: STRING, ast.BoolLit: BOOL, ast.NullLit: NULL}


def equality_facts(node: ast.Binary, type_of: TypeOf) -> Facts:
    facts = _equality(node.left, node.right, type_of) or _equality(node.right, node.left, type_of)
    if facts is None:
        return NO_FACTS
    return facts if node.op == "==" else (facts[1], facts[0])


def _equality(a: ast.Expr, b: ast.Expr, type_of: TypeOf) -> Facts | None:
    """Facts of `a == b` for `typeof(x) == "name"` and `x == literal`."""
    if (
        isinstance(a, ast.Call)
        and builtin_name(a.callee) == "typeof"
        and len(a.args) == 1
        and isinstance(b, ast.StringLit)
    ):
        sym = narrowable(a.args[0])
        test = TYPEOF_TESTS.get(b.value)
        return apply_test(sym, test, type_of) if sym and test else None
    sym = narrowable(a)
    lit_type = LITERAL_TYPES.get(type(b))
    if sym is None or lit_type is None:
        return None
    # Only `null` is a single value, so only `x != null` rules a member out.
    test = Test(_eq(lit_type), lit_type, lit_type == NULL)
    return apply_test(sym, test, type_of)


def _join_common(a: dict[Symbol, Type], b: dict[Symbol, Type]) -> dict[Symbol, Type]:
    return {s: union([t, b[s]]) for s, t in a.items() if s in b}


def and_facts(left: Facts, right: Facts) -> Facts:
    """`l && r`: true when both are; false when either is (right's facts hold under l)."""
    return {**left[0], **right[0]}, _join_common(left[1], right[1])


def or_facts(left: Facts, right: Facts) -> Facts:
    return _join_common(left[0], right[0]), {**left[1], **right[1]}


def not_facts(facts: Facts) -> Facts:
    return facts[1], facts[0]
