"""Match (reference 3.9): pattern typing, bindings, guards, arm types, exhaustiveness."""

from __future__ import annotations

import pytest
from check_helpers import assert_clean, assert_ok, checked, error, errors, find, located

from atlas.syntax import ast


def binding_types(src: str) -> dict[str, str]:
    program, _ = checked(src)
    return {b.name: b.symbol.ty.display() for b in find(program, ast.BindingPattern)}


def match_type(src: str) -> str:
    program, _ = checked(src)
    return find(program, ast.Match)[-1].ty.display()


OPT = "let o: Option<number> = Some(1);\n"
RES = "let r: Result<number, string> = Ok(1);\n"


def test_bindings_get_component_types():
    assert binding_types(OPT + "let v = match o { Some(x) => x, None => 0 };") == {"x": "number"}
    assert binding_types(RES + "let v = match r { Ok(a) => 1, Err(e) => 2 };") == {
        "a": "number",
        "e": "string",
    }
    assert binding_types("let v = match [[1]] { [a, b] => 1, whole => 2 };") == {
        "a": "number[]",
        "b": "number[]",
        "whole": "number[][]",
    }


def test_nested_patterns():
    src = "let o: Option<Option<number>> = None;\nlet v = match o { Some(Some(n)) => n, Some(None) => 0, None => -1 };"
    assert binding_types(src) == {"n": "number"}


def test_or_pattern_binding_joins_types():
    src = 'let v: number | string = 1;\nlet w = match v { 1 | "a" => 0, other => 1 };'
    assert binding_types(src) == {"other": "number | string"}


def test_arm_types_join():
    assert match_type("let v = match 1 { 1 => 1, _ => 2 };") == "number"
    assert match_type('let v = match 1 { 1 => 1, _ => "two" };') == "number | string"
    assert match_type('let v = match 1 { 1 => unwrap(None), _ => "two" };') == "string"


def test_match_on_unknown_is_unchecked():
    assert_clean(
        "let v = unwrap(None);\nlet w = match v { Some(x) => x, 1 => 2, [a] => a };\nprint(w);"
    )


# ------------------------------------------------------------------ pattern errors


@pytest.mark.parametrize(
    ("src", "diag"),
    [
        (
            'let v = match 1 { "a" => 0, _ => 1 };',
            ("AT3022", "Pattern type mismatch: expected number, found string"),
        ),
        (
            "let v = match true { null => 0, _ => 1 };",
            ("AT3022", "Pattern type mismatch: expected bool, found null"),
        ),
        (
            OPT + "let v = match o { Some(1, 2) => 0, _ => 1 };",
            ("AT3023", "Some expects 1 argument, found 2"),
        ),
        (
            OPT + "let v = match o { None(1) => 0, _ => 1 };",
            ("AT3023", "None expects 0 arguments, found 1"),
        ),
        (
            RES + "let v = match r { Ok() => 0, _ => 1 };",
            ("AT3023", "Ok expects 1 argument, found 0"),
        ),
        (
            RES + "let v = match r { Err(a, b) => 0, _ => 1 };",
            ("AT3023", "Err expects 1 argument, found 2"),
        ),
        (
            OPT + "let v = match o { Ok(x) => 0, _ => 1 };",
            ("AT3024", "Unknown Option constructor: Ok"),
        ),
        (
            RES + "let v = match r { Some(x) => 0, _ => 1 };",
            ("AT3024", "Unknown Result constructor: Some"),
        ),
        (
            OPT + "let v = match o { Foo(x) => 0, _ => 1 };",
            ("AT3024", "Unknown Option constructor: Foo"),
        ),
        (
            "let v = match 1 { Some(x) => 0, _ => 1 };",
            ("AT3025", "Constructor patterns not supported for type number"),
        ),
        (
            "let v = match 1 { [a] => 0, _ => 1 };",
            ("AT3026", "Array pattern used on non-array type: number"),
        ),
        (
            'let v = match [1] { ["s"] => 0, _ => 1 };',
            ("AT3022", "Pattern type mismatch: expected number, found string"),
        ),
    ],
)
def test_pattern_errors(src, diag):
    assert errors(src) == [diag]


def test_union_pattern_must_fit_some_member():
    base = "let u: number | string = 1;\n"
    assert_ok(base + 'let v = match u { 1 => 0, "s" => 1, _ => 2 };')
    assert error(base + "let v = match u { true => 0, _ => 1 };") == (
        "AT3022",
        "Pattern type mismatch: expected number | string, found bool",
    )
    assert error(base + "let v = match u { Some(x) => 0, _ => 1 };") == (
        "AT3022",
        "Pattern type mismatch: expected number | string, found constructor Some",
    )
    assert error(base + "let v = match u { [x] => 0, _ => 1 };") == (
        "AT3022",
        "Pattern type mismatch: expected number | string, found array pattern",
    )


def test_union_with_option_member():
    src = (
        "let u: Option<number> | null = None;\nlet v = match u { Some(n) => n, None => 0, _ => 1 };"
    )
    assert binding_types(src) == {"n": "number"}


def test_pattern_error_span():
    assert located('let v = match 1 {\n  "a" => 0,\n  _ => 1\n};') == [
        ("AT3022", "Pattern type mismatch: expected number, found string", "2:3")
    ]


def test_guard_must_be_bool():
    assert located("let v = match 1 { n if n => 0, _ => 1 };") == [
        ("AT3029", "Guard expression must be bool, found number", "1:24")
    ]
    assert_clean("let v = match 1 { n if n > 0 => 0, _ => 1 };\nprint(str(v));")


# ---------------------------------------------------------------- exhaustiveness


@pytest.mark.parametrize(
    ("src", "message"),
    [
        (OPT + "let v = match o { Some(x) => x };", "Non-exhaustive match on Option: missing None"),
        (OPT + "let v = match o { None => 0 };", "Non-exhaustive match on Option: missing Some(_)"),
        (
            OPT + "let v = match o { Some(x) if x > 1 => x };",
            "Non-exhaustive match on Option: missing Some(_), None",
        ),
        (RES + "let v = match r { Ok(x) => x };", "Non-exhaustive match on Result: missing Err(_)"),
        (RES + "let v = match r { Err(e) => 0 };", "Non-exhaustive match on Result: missing Ok(_)"),
        ("let v = match true { true => 0 };", "Non-exhaustive match on bool: missing false"),
        (
            "let v = match true { n if n => 0 };",
            "Non-exhaustive match on bool: missing true, false",
        ),
        (
            "let v = match 1 { 1 => 0, 2 => 1 };",
            "Non-exhaustive match on number: patterns must cover all possible values",
        ),
        (
            'let v = match "a" { "a" => 0 };',
            "Non-exhaustive match on string: patterns must cover all possible values",
        ),
        (
            "let v = match [1] { [a] => 0 };",
            "Non-exhaustive match on number[]: patterns must cover all possible values",
        ),
        (
            "let v = match null { null => 0 };",
            "Non-exhaustive match on null: patterns must cover all possible values",
        ),
    ],
)
def test_non_exhaustive(src, message):
    assert errors(src) == [("AT3027", message)]


def test_non_exhaustive_span_is_the_match():
    assert located("let v =\n  match true { true => 0 };") == [
        ("AT3027", "Non-exhaustive match on bool: missing false", "2:3")
    ]


def test_exhaustive_forms():
    assert_ok(
        OPT
        + RES
        + """
        let a = match o { Some(0) => 1, None => 2 };
        let b = match r { Err(_) | Ok(_) => 1 };
        let c = match true { true | false => 1 };
        let d = match 1 { 1 => 0, n => n };
        let e = match "s" { "a" | other => 1 };
        let f = match o { _ => 1 };
        let g = match [1] { [] => 0, [x] => x, rest => 2 };
        """
    )


def test_unions_checked_per_member():
    src = "let u: bool | Option<number> = true;\nlet v = match u { true => 0, Some(n) => n, None => 2 };"
    assert error(src) == ("AT3027", "Non-exhaustive match on bool: missing false")


def test_unchecked_types():
    assert_ok('let j = parseJSON("1");\nlet v = match j { _ if true => 0 };')


def test_match_statement_needs_no_value():
    assert_clean(OPT + 'match o { Some(x) => print(str(x)), None => print("none") };')
