"""Relations between types: assignability (reference 3.4), joins, substitution, Copy."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

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
    HashMapType,
    HashSetType,
    IntersectionType,
    OptionType,
    ResultType,
    StructuralType,
    Type,
    TypeVar,
    UnionType,
    union,
)


def is_dynamic(t: Type) -> bool:
    """Types the checker does not look into: unknown, type parameters, and the structural
    and intersection types no value can have (2.7 allows treating them as unknown)."""
    return t == UNKNOWN or isinstance(t, TypeVar | StructuralType | IntersectionType)


def members(t: Type) -> tuple[Type, ...]:
    return t.members if isinstance(t, UnionType) else (t,)


def assignable(src: Type, dst: Type) -> bool:
    """Whether a value of static type `src` may be stored where `dst` is expected."""
    if src == dst or is_dynamic(src) or is_dynamic(dst):
        return True
    if isinstance(src, UnionType):
        return all(assignable(m, dst) for m in src.members)
    if isinstance(dst, UnionType):
        return any(assignable(src, m) for m in dst.members)
    if isinstance(src, ArrayType) and isinstance(dst, ArrayType):
        return assignable(src.element, dst.element)
    if isinstance(src, FunctionType) and isinstance(dst, FunctionType):
        return (
            len(src.params) == len(dst.params)
            and all(assignable(s, d) for s, d in zip(src.params, dst.params, strict=True))
            and assignable(src.ret, dst.ret)
        )
    if isinstance(src, OptionType) and isinstance(dst, OptionType):
        return assignable(src.inner, dst.inner)
    if isinstance(src, ResultType) and isinstance(dst, ResultType):
        return assignable(src.ok, dst.ok) and assignable(src.err, dst.err)
    if isinstance(src, HashMapType) and isinstance(dst, HashMapType):
        return assignable(src.key, dst.key) and assignable(src.value, dst.value)
    if isinstance(src, HashSetType) and isinstance(dst, HashSetType):
        return assignable(src.element, dst.element)
    return False


def overlaps(a: Type, b: Type) -> bool:
    """`==` operands must overlap: one assignable to the other (3.6)."""
    return assignable(a, b) or assignable(b, a)


def join(a: Type, b: Type) -> Type:
    """Least upper bound of match arms (3.9): equal stays, unknown yields, else a union."""
    if a == UNKNOWN:
        return b
    if b == UNKNOWN or a == b:
        return a
    return union([a, b])


def type_vars(t: Type) -> Iterator[TypeVar]:
    """Every type variable occurring in `t`."""
    if isinstance(t, TypeVar):
        yield t
    elif isinstance(t, ArrayType | HashSetType):
        yield from type_vars(t.element)
    elif isinstance(t, OptionType):
        yield from type_vars(t.inner)
    elif isinstance(t, ResultType):
        yield from type_vars(t.ok)
        yield from type_vars(t.err)
    elif isinstance(t, HashMapType):
        yield from type_vars(t.key)
        yield from type_vars(t.value)
    elif isinstance(t, FunctionType):
        for p in t.params:
            yield from type_vars(p)
        yield from type_vars(t.ret)
    elif isinstance(t, UnionType | IntersectionType):
        for m in t.members:
            yield from type_vars(m)
    elif isinstance(t, StructuralType):
        for _, m in t.members:
            yield from type_vars(m)


def substitute(t: Type, mapping: Mapping[TypeVar, Type]) -> Type:
    """`t` with its type variables replaced (unmapped ones are kept)."""
    if not mapping:
        return t
    if isinstance(t, TypeVar):
        return mapping.get(t, t)
    if isinstance(t, ArrayType):
        return ArrayType(substitute(t.element, mapping))
    if isinstance(t, HashSetType):
        return HashSetType(substitute(t.element, mapping))
    if isinstance(t, OptionType):
        return OptionType(substitute(t.inner, mapping))
    if isinstance(t, ResultType):
        return ResultType(substitute(t.ok, mapping), substitute(t.err, mapping))
    if isinstance(t, HashMapType):
        return HashMapType(substitute(t.key, mapping), substitute(t.value, mapping))
    if isinstance(t, FunctionType):
        params = tuple(substitute(p, mapping) for p in t.params)
        kept = tuple(v for v in t.type_params if v not in mapping)
        return FunctionType(params, substitute(t.ret, mapping), kept, t.predicate)
    if isinstance(t, UnionType):
        return union([substitute(m, mapping) for m in t.members])
    if isinstance(t, IntersectionType):
        return IntersectionType(tuple(substitute(m, mapping) for m in t.members))
    if isinstance(t, StructuralType):
        return StructuralType(tuple((n, substitute(m, mapping)) for n, m in t.members))
    return t


def erase(t: Type) -> Type:
    """`t` with every type variable replaced by unknown (a call's leftover parameters)."""
    found = {v: UNKNOWN for v in type_vars(t)}
    return substitute(t, found) if found else t


def same_type(a: Type, b: Type) -> bool:
    """Identity for trait signatures (3.13): type variables match by name."""
    if isinstance(a, TypeVar) and isinstance(b, TypeVar):
        return a.name == b.name
    if type(a) is not type(b):
        return False
    if isinstance(a, FunctionType):
        return (
            len(a.params) == len(b.params)  # type: ignore[attr-defined]
            and all(same_type(x, y) for x, y in zip(a.params, b.params, strict=True))  # type: ignore[attr-defined]
            and same_type(a.ret, b.ret)  # type: ignore[attr-defined]
        )
    if not any(True for _ in type_vars(a)):
        return a == b
    renamed = {v: TypeVar(v.name) for v in type_vars(a)}
    renamed_b = {v: TypeVar(v.name) for v in type_vars(b)}
    return substitute(a, renamed) == substitute(b, renamed_b)


def is_copy(t: Type) -> bool:
    """Copy types for AT2013 (3.15): primitives, void, arrays, json, functions."""
    return t in (NUMBER, STRING, BOOL, NULL, VOID, JSON) or isinstance(t, ArrayType | FunctionType)
