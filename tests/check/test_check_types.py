"""Types (reference 2.7, 3.1, 3.4): display, assignability, joins, written types, aliases."""

from __future__ import annotations

import pytest
from check_helpers import assert_clean, assert_ok, checked, error, errors, located, warnings

from atlas.check import typeops
from atlas.check.types import (
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
    OptionType,
    ResultType,
    StructuralType,
    TypeVar,
    union,
)

NUM_ARR = ArrayType(NUMBER)


# ----------------------------------------------------------------------- display


@pytest.mark.parametrize(
    ("t", "text"),
    [
        (NUMBER, "number"),
        (UNKNOWN, "?"),
        (ArrayType(UNKNOWN), "?[]"),
        (ArrayType(ArrayType(STRING)), "string[][]"),
        (FunctionType((NUMBER, STRING), BOOL), "(number, string) -> bool"),
        (FunctionType((), VOID), "() -> void"),
        (OptionType(NUMBER), "Option<number>"),
        (ResultType(NUMBER, STRING), "Result<number, string>"),
        (HashMapType(STRING, NUMBER), "HashMap<string, number>"),
        (HashSetType(STRING), "HashSet<string>"),
        (union([NUMBER, STRING]), "number | string"),
        (ArrayType(union([NUMBER, STRING])), "(number | string)[]"),
        (TypeVar("T"), "T"),
    ],
)
def test_display(t, text):
    assert t.display() == text


def test_union_flattens_and_dedups():
    assert union([NUMBER, union([STRING, NUMBER]), NUMBER]) == union([NUMBER, STRING])
    assert union([NUMBER, NUMBER]) == NUMBER


# ------------------------------------------------------------------ assignability


@pytest.mark.parametrize(
    ("src", "dst", "ok"),
    [
        (NUMBER, NUMBER, True),
        (UNKNOWN, STRING, True),
        (STRING, UNKNOWN, True),
        (NUMBER, STRING, False),
        (NULL, NUMBER, False),
        (VOID, NULL, False),
        (NULL, VOID, False),
        (NUMBER, union([NUMBER, NULL]), True),
        (union([NUMBER, NULL]), NUMBER, False),
        (union([NUMBER, STRING]), union([STRING, NUMBER, NULL]), True),
        (NUM_ARR, ArrayType(UNKNOWN), True),
        (ArrayType(UNKNOWN), NUM_ARR, True),
        (NUM_ARR, ArrayType(STRING), False),
        (NUM_ARR, ArrayType(union([NUMBER, STRING])), True),
        (JSON, JSON, True),
        (JSON, STRING, False),
        (STRING, JSON, False),
        (FunctionType((NUMBER,), NUMBER), FunctionType((NUMBER,), NUMBER), True),
        (FunctionType((NUMBER,), NUMBER), FunctionType((UNKNOWN,), UNKNOWN), True),
        (FunctionType((NUMBER,), NULL), FunctionType((UNKNOWN,), BOOL), False),
        (FunctionType((NUMBER, NUMBER), NUMBER), FunctionType((NUMBER,), NUMBER), False),
        (FunctionType((TypeVar("T"),), TypeVar("T")), FunctionType((STRING,), STRING), True),
        (OptionType(NUMBER), OptionType(UNKNOWN), True),
        (OptionType(NUMBER), OptionType(STRING), False),
        (ResultType(NUMBER, STRING), ResultType(NUMBER, NUMBER), False),
        (HashMapType(STRING, NUMBER), HashMapType(STRING, NUMBER), True),
        (StructuralType((("x", NUMBER),)), NUMBER, True),
    ],
)
def test_assignable(src, dst, ok):
    assert typeops.assignable(src, dst) is ok


def test_join_of_match_arms():
    assert typeops.join(UNKNOWN, NUMBER) == NUMBER
    assert typeops.join(NUMBER, UNKNOWN) == NUMBER
    assert typeops.join(NUMBER, NUMBER) == NUMBER
    assert typeops.join(NUMBER, STRING) == union([NUMBER, STRING])


def test_copy_types():
    for t in (NUMBER, STRING, BOOL, NULL, VOID, JSON, NUM_ARR, FunctionType((), NUMBER)):
        assert typeops.is_copy(t)
    for t in (OptionType(NUMBER), ResultType(NUMBER, STRING), union([NUMBER, NULL])):
        assert not typeops.is_copy(t)


def test_substitute_and_type_vars():
    t = TypeVar("T", owner=1)
    sig = FunctionType((ArrayType(t),), OptionType(t), (t,))
    assert list(typeops.type_vars(sig)) == [t, t]
    assert typeops.substitute(sig, {t: NUMBER}) == FunctionType((NUM_ARR,), OptionType(NUMBER))


# ----------------------------------------------------------------- written types


def decl_type(src: str, name: str = "x") -> str:
    program, _ = checked(src)
    for item in program.items:
        if getattr(item, "name", None) == name:
            return item.symbol.ty.display()
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("annotation", "shown"),
    [
        ("number", "number"),
        ("array", "?[]"),
        ("Array<string>", "string[]"),
        ("number[][]", "number[][]"),
        ("Option<number>", "Option<number>"),
        ("Result<number, string>", "Result<number, string>"),
        ("HashMap<string, number>", "HashMap<string, number>"),
        ("HashSet<number>", "HashSet<number>"),
        ("Option", "?"),
        ("HashMap", "?"),
        ("Foo", "?"),
        ("Comparable", "number"),
        ("Numeric", "number"),
        ("Iterable", "?[]"),
        ("Equatable", "number | string | bool | null"),
        ("Serializable", "number | string | bool | null | json"),
        ("(number, string) -> bool", "(number, string) -> bool"),
        ("number | null", "number | null"),
        ("(number | null)[]", "(number | null)[]"),
    ],
)
def test_written_types(annotation, shown):
    assert decl_type(f"fn x(p: {annotation}) {{ print(p); }}") == f"({shown}) -> null"


def test_array_generic_is_plain_array():
    assert_clean("let a: Array<number> = [1, 2];\nlet b: number[] = a;\nprint(str(b[0]));")


def test_unknown_plain_type_names_are_unknown():
    assert_clean("let x: Whatever = 1;\nlet y: string = x;\nprint(y);")


def test_unknown_generic_type():
    assert located("let x: Foo<number> = 1;") == [("AT9999", "Unknown generic type 'Foo'", "1:8")]
    assert error("let x: array<number> = [1];") == ("AT9999", "Unknown generic type 'array'")


def test_generic_arity():
    assert error("let x: Option<number, string> = None;") == (
        "AT9999",
        "Generic type 'Option' expects 1 type argument(s), found 2",
    )
    assert error("let m: HashMap<string> = hashMapNew();") == (
        "AT9999",
        "Generic type 'HashMap' expects 2 type argument(s), found 1",
    )


def test_structural_and_intersection_types_are_lenient():
    assert_ok("fn f(p: { x: number }, q: number & string) { print(p); print(q); }\nf(1, 2);")


# ----------------------------------------------------------------------- aliases


def test_alias_resolves_to_its_type():
    assert decl_type("type Id = number;\nlet x: Id = 3;") == "number"
    assert error('type Id = number;\nlet x: Id = "s";') == (
        "AT3001",
        "Type mismatch: expected number, found string",
    )


def test_alias_may_be_used_before_declaration():
    assert decl_type("fn x(p: Later) { print(p); }\ntype Later = string;") == "(string) -> null"


def test_generic_alias():
    assert decl_type('type Pair<T> = T[];\nlet x: Pair<string> = ["a"];') == "string[]"
    assert decl_type("type Box<T> = Option<T>;\nlet x: Box<number> = Some(1);") == "Option<number>"


def test_generic_alias_arity_errors():
    assert error("type Pair<T> = T[];\nlet x: Pair<number, string> = [1];") == (
        "AT3001",
        "Type alias 'Pair' expects 1 type argument(s), found 2",
    )
    assert error("type Pair<T> = T[];\nfn f(p: Pair) { print(p); }") == (
        "AT3001",
        "Type alias 'Pair' expects 1 type argument(s)",
    )


def test_generic_alias_arguments_inferred_from_initializer():
    assert decl_type("type Pair<T> = T[];\nlet x: Pair = [1, 2];") == "number[]"
    assert error('type Pair<T> = T[];\nlet x: Pair = "no";') == (
        "AT3001",
        "Cannot infer type arguments for alias 'Pair' from string",
    )


def test_duplicate_alias():
    assert located("type A = number;\ntype A = string;") == [
        ("AT2003", "Type alias 'A' already defined", "2:6")
    ]


def test_duplicate_type_parameter():
    assert error("fn f<T, T>(x: T) -> T { return x; }") == (
        "AT2003",
        "Duplicate type parameter 'T'",
    )


def test_direct_circular_alias():
    assert located("type Loop = Loop[];") == [
        ("AT3001", "Circular type alias detected for 'Loop'", "1:6")
    ]


def test_indirect_circular_alias():
    assert errors("type A = B | number;\ntype B = C[];\ntype C = A;") == [
        ("AT3001", "Circular type alias detected: A -> B -> C -> A")
    ]


def test_deprecated_alias_warns_at_each_use():
    src = """
    /// Old name.
    /// @deprecated use Id
    type OldId = number;
    let a: OldId = 1;
    fn f(p: OldId) -> number { return p; }
    """
    assert warnings(src) == [
        ("AT2009", "Type alias 'OldId' is deprecated"),
        ("AT2009", "Type alias 'OldId' is deprecated"),
    ]


def test_alias_without_deprecated_doc_is_silent():
    assert_clean("/// just a doc\ntype Id = number;\nlet a: Id = 1;\nprint(str(a));")
