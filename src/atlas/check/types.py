"""Static types (reference 3.1). Immutable, compared structurally, shown as in messages."""

from __future__ import annotations

from dataclasses import dataclass, field


class Type:
    __slots__ = ()

    def display(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def __str__(self) -> str:
        return self.display()


@dataclass(frozen=True, slots=True)
class PrimType(Type):
    """number, string, bool, null, void, json, and `?` (unknown)."""

    name: str

    def display(self) -> str:
        return "?" if self.name == "unknown" else self.name


NUMBER = PrimType("number")
STRING = PrimType("string")
BOOL = PrimType("bool")
NULL = PrimType("null")
VOID = PrimType("void")
JSON = PrimType("json")
UNKNOWN = PrimType("unknown")


def _wrapped(t: Type) -> str:
    """Display of `t` where it is followed by `[]`."""
    text = t.display()
    return f"({text})" if isinstance(t, UnionType | FunctionType | IntersectionType) else text


@dataclass(frozen=True, slots=True)
class ArrayType(Type):
    element: Type

    def display(self) -> str:
        return f"{_wrapped(self.element)}[]"


@dataclass(frozen=True, slots=True)
class TypeVar(Type):
    """A generic function's type parameter. Inside the body it behaves as unknown."""

    name: str
    bound: Type | None = None
    traits: tuple[str, ...] = ()
    owner: int = 0  # id of the declaring function, so two `T`s never unify by accident

    def display(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class FunctionType(Type):
    params: tuple[Type, ...]
    ret: Type
    type_params: tuple[TypeVar, ...] = ()
    # A user type guard `-> bool is p: T` (reference 3.14): (index of p, T). Not part of
    # the type's identity.
    predicate: tuple[int, Type] | None = field(default=None, compare=False)

    def display(self) -> str:
        return f"({', '.join(p.display() for p in self.params)}) -> {self.ret.display()}"


@dataclass(frozen=True, slots=True)
class OptionType(Type):
    inner: Type

    def display(self) -> str:
        return f"Option<{self.inner.display()}>"


@dataclass(frozen=True, slots=True)
class ResultType(Type):
    ok: Type
    err: Type

    def display(self) -> str:
        return f"Result<{self.ok.display()}, {self.err.display()}>"


@dataclass(frozen=True, slots=True)
class HashMapType(Type):
    key: Type
    value: Type

    def display(self) -> str:
        return f"HashMap<{self.key.display()}, {self.value.display()}>"


@dataclass(frozen=True, slots=True)
class HashSetType(Type):
    element: Type

    def display(self) -> str:
        return f"HashSet<{self.element.display()}>"


@dataclass(frozen=True, slots=True)
class UnionType(Type):
    """`A | B`; build with `union()`, which flattens and de-duplicates."""

    members: tuple[Type, ...]

    def display(self) -> str:
        return " | ".join(m.display() for m in self.members)


@dataclass(frozen=True, slots=True)
class IntersectionType(Type):
    members: tuple[Type, ...]

    def display(self) -> str:
        return " & ".join(m.display() for m in self.members)


@dataclass(frozen=True, slots=True)
class StructuralType(Type):
    members: tuple[tuple[str, Type], ...]

    def display(self) -> str:
        return "{ " + ", ".join(f"{n}: {t.display()}" for n, t in self.members) + " }"


def union(types: list[Type] | tuple[Type, ...]) -> Type:
    """The union of `types`: nested unions flattened, duplicates removed, order kept."""
    flat: list[Type] = []
    for t in types:
        for m in t.members if isinstance(t, UnionType) else (t,):
            if m not in flat:
                flat.append(m)
    if len(flat) == 1:
        return flat[0]
    return UnionType(tuple(flat))


def is_unknown(t: Type) -> bool:
    return t is UNKNOWN or t == UNKNOWN or isinstance(t, TypeVar)


def is_number_array(t: Type) -> bool:
    return isinstance(t, ArrayType) and t.element == NUMBER
