"""Traits and impls (reference 3.12, 3.13): declarations, conformance, static dispatch."""

from __future__ import annotations

from check_helpers import assert_clean, checked, error, errors, find, located, parse_ok

from atlas.check.checker import check_module
from atlas.check.symbols import SymbolKind
from atlas.syntax import ast

SHAPE = "trait Shape {\n  fn area(self: Shape) -> number;\n  fn label(self: Shape, p: string) -> string;\n}\n"
NUMBER_SHAPE = (
    "impl Shape for number {\n"
    "  fn area(self: number) -> number { return self * self; }\n"
    "  fn label(self: number, p: string) -> string { return p + str(self); }\n"
    "}\n"
)


def test_impl_methods_dispatch_statically():
    src = (
        SHAPE
        + NUMBER_SHAPE
        + 'let a: number = (3).area();\nlet l: string = (2).label("x");\nprint(l);'
    )
    program, result = checked(src)
    assert result.ok and not result.diagnostics
    calls = find(program, ast.MethodCall)
    kind, sym = calls[-1].resolved
    assert kind == "impl" and sym.kind is SymbolKind.IMPL_METHOD and sym.name == "number.label"
    assert calls[-1].ty.display() == "string"


def test_impl_method_argument_checks():
    src = SHAPE + NUMBER_SHAPE + "let a = (3).label(1);\nlet b = (3).area(2);"
    assert errors(src) == [
        ("AT3001", "Argument 1 has wrong type: expected string, found number"),
        ("AT3005", "Method 'area' expects 0 arguments, found 1"),
    ]


def test_impl_must_precede_call():
    src = SHAPE + "let early = (3).area();\n" + NUMBER_SHAPE
    assert error(src) == (
        "AT3035",
        "Type 'number' does not implement trait 'Shape' required for method 'area'",
    )


def test_method_of_trait_not_implemented_for_type():
    src = SHAPE + NUMBER_SHAPE + 'let s = "x".area();'
    assert error(src) == (
        "AT3035",
        "Type 'string' does not implement trait 'Shape' required for method 'area'",
    )


def test_builtin_trait_methods():
    assert error("let s = (1).display();") == (
        "AT3035",
        "Type 'number' does not implement trait 'Display' required for method 'display'",
    )
    src = 'impl Display for bool { fn display(self: bool) -> string { return "b"; } }\n'
    assert_clean(src + "let s: string = true.display();\nprint(s);")


def test_redefining_traits():
    assert located("trait Display { fn x(self: number) -> number; }") == [
        ("AT3030", "Cannot redefine built-in trait 'Display'", "1:7")
    ]
    for name in ("Copy", "Move", "Drop", "Debug"):
        assert error(f"trait {name} {{ }}")[0] == "AT3030"
    assert error("trait T { }\ntrait T { }") == ("AT3031", "Trait 'T' is already defined")


def test_impl_of_undefined_trait():
    src = "impl Missing for number { fn f(self: number) -> number { return self; } }"
    assert located(src) == [("AT3032", "Trait 'Missing' is not defined", "1:6")]


def test_trait_must_be_declared_before_impl():
    src = NUMBER_SHAPE + SHAPE
    assert error(src) == ("AT3032", "Trait 'Shape' is not defined")


def test_duplicate_impl():
    src = SHAPE + NUMBER_SHAPE + NUMBER_SHAPE
    assert error(src) == ("AT3029", "'number' already implements 'Shape'")


def test_missing_method():
    src = SHAPE + "impl Shape for bool {\n  fn area(self: bool) -> number { return 1; }\n}"
    assert error(src) == ("AT3033", "Impl of 'Shape' for 'bool' is missing required method 'label'")


def test_wrong_signatures():
    src = SHAPE + (
        "impl Shape for string {\n"
        "  fn area(self: string) -> string { return self; }\n"
        "  fn label(self: string, p: number) -> string { return self + str(p); }\n"
        "}"
    )
    assert located(src) == [
        ("AT3034", "Method 'area' in impl of 'Shape' for 'string' has wrong return type", "6:6"),
        (
            "AT3034",
            "Method 'label' in impl of 'Shape' for 'string' has wrong parameter types",
            "7:6",
        ),
    ]


def test_extra_methods_allowed_and_self_ignored_in_comparison():
    src = SHAPE + (
        "impl Shape for bool {\n"
        "  fn area(self: bool) -> number { return 1; }\n"
        "  fn label(self: bool, p: string) -> string { return p; }\n"
        "  fn extra(self: bool) -> bool { return !self; }\n"
        "}\n"
        "let e: bool = true.extra();\n"
    )
    assert errors(src) == []


def test_generic_trait_methods_compare_by_parameter_names():
    src = (
        "trait Keep { fn keep<T>(self: Keep, x: T) -> T; }\n"
        "impl Keep for number { fn keep<T>(self: number, x: T) -> T { return x; } }\n"
        'let k = (1).keep("s");'
    )
    assert errors(src) == []


CONV = (
    "trait Conv<T> { fn conv(self: Conv) -> T; }\n"
    "impl Conv<string> for number { fn conv(self: number) -> string { return str(self); } }\n"
    "impl Conv<string> for bool { fn conv(self: bool) -> number { return 1; } }\n"
)
CONV_ERRORS = [("AT3034", "Method 'conv' in impl of 'Conv' for 'bool' has wrong return type")]


def test_trait_with_type_arguments():
    # Built by hand: the parser currently loses a trait's type parameters (see below).
    program = parse_ok(CONV)
    trait = program.items[0]
    trait.type_params = [ast.TypeParam(trait.name_span, "T")]
    result = check_module(program)
    assert [(d.code, d.message) for d in result.diagnostics] == CONV_ERRORS


def test_trait_with_type_arguments_end_to_end():
    assert errors(CONV) == CONV_ERRORS


def test_impl_for_named_type_checks_bodies():
    src = (
        "trait Named { fn name(self: Named) -> string; }\n"
        "impl Named for Robot { fn name(self: Robot) -> string { return 5; } }"
    )
    assert error(src) == ("AT3001", "Return type mismatch: expected string, found number")


def test_impl_methods_are_global_symbols():
    _, result = checked(SHAPE + NUMBER_SHAPE)
    names = [s.name for s in result.globals if s.kind is SymbolKind.IMPL_METHOD]
    assert names == ["number.area", "number.label"]
    assert [f.name for f in result.functions] == ["<main>", "number.area", "number.label"]
