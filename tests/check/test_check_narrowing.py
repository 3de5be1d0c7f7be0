"""Union types and narrowing (reference 3.14)."""

from __future__ import annotations

import pytest
from check_helpers import assert_ok, checked, error, errors

from atlas.syntax import ast


def ident_types(src: str, name: str) -> list[str]:
    """Types of every read of `name`, in source order (assignment targets excluded)."""
    program, result = checked(src)
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    out: list[str] = []

    def visit(node: object, is_target: bool = False) -> None:
        if isinstance(node, ast.Ident):
            if node.name == name and not is_target:
                out.append(node.ty.display())
            return
        if isinstance(node, ast.Assign | ast.CompoundAssign | ast.IncDec):
            visit(node.target, is_target=isinstance(node.target, ast.Ident))
            if not isinstance(node, ast.IncDec):
                visit(node.value)
            return
        for value in getattr(node, "__dataclass_fields__", {}):
            if value in ("span", "ty", "symbol", "scope", "resolved", "captures", "fn_type"):
                continue
            child = getattr(node, value)
            for c in child if isinstance(child, list) else [child]:
                if hasattr(c, "__dataclass_fields__"):
                    visit(c)

    visit(program)
    return out


X = "var x: number | string = 1;\n"


@pytest.mark.parametrize(
    ("cond", "inside", "outside"),
    [
        ("isNumber(x)", "number", "string"),
        ("isString(x)", "string", "number"),
        ('typeof(x) == "number"', "number", "string"),
        ('"string" == typeof(x)', "string", "number"),
        ('typeof(x) != "number"', "string", "number"),
        ("!isNumber(x)", "string", "number"),
        ("!!isNumber(x)", "number", "string"),
        ('isType(x, "string")', "string", "number"),
        ("x == 5", "number", "number | string"),
        ('x == "a"', "string", "number | string"),
    ],
)
def test_if_else_narrowing(cond, inside, outside):
    src = X + f"if ({cond}) {{ print(x); }} else {{ print(x); }}\nprint(x);"
    assert ident_types(src, "x")[-3:] == [inside, outside, "number | string"]


def test_null_checks():
    src = "fn f(a: number | null) -> number {\n  if (a != null) { return a; }\n  if (a == null) { return 0; } else { return a; }\n}"
    assert ident_types(src, "a") == ["number | null", "number", "number | null", "number"]


def test_is_null_and_is_bool():
    src = "let v: bool | null = null;\nif (isNull(v)) { print(v); } else { print(v); }\nif (isBool(v)) { print(v); }"
    assert ident_types(src, "v") == ["bool | null", "null", "bool", "bool | null", "bool"]


def test_is_array_and_is_function():
    src = (
        "fn inc(n: number) -> number { return n + 1; }\n"
        "let v: number[] | ((number) -> number) = inc;\n"
        "if (isArray(v)) { print(v); } else { print(v); }\n"
        "if (isFunction(v)) { print(v); }"
    )
    union = "number[] | (number) -> number"
    fn = "(number) -> number"
    assert ident_types(src, "v") == [union, "number[]", fn, union, fn]


def test_is_object_and_field_tests_narrow_only_when_true():
    src = 'let v: json | number = 1;\nif (isObject(v)) { print(v); } else { print(v); }\nif (hasField(v, "k")) { print(v); }'
    assert ident_types(src, "v") == [
        "json | number",
        "json",
        "json | number",
        "json | number",
        "json",
    ]


def test_logical_and_narrows_right_operand_and_body():
    src = X + "if (isNumber(x) && x > 1) { let y: number = x; }"
    assert ident_types(src, "x")[-3:] == ["number | string", "number", "number"]


def test_logical_or_narrows_right_operand_by_complement():
    src = X + "if (isString(x) || x > 1) { print(x); } else { let n: number = x; }"
    assert ident_types(src, "x")[-3:] == ["number", "number | string", "number"]


def test_or_of_two_tests_joins_in_true_branch():
    src = "let v: number | string | null = 1;\nif (isNumber(v) || isString(v)) { print(v); } else { print(v); }"
    assert ident_types(src, "v")[-2:] == ["number | string", "null"]


def test_while_narrowing():
    src = "var n: number | null = 3;\nwhile (n != null) { let m: number = n; n = null; }"
    assert_ok(src)


def test_arithmetic_on_union_requires_narrowing():
    assert error(X + "let y = x + 1;") == (
        "AT3002",
        "'+' requires matching types, found number | string and number",
    )
    assert_ok(X + "if (isNumber(x)) { let y: number = x + 1; }")


def test_narrowing_is_limited_to_the_block():
    assert error(X + "if (isNumber(x)) { }\nlet y: number = x;") == (
        "AT3001",
        "Type mismatch: expected number, found number | string",
    )


def test_unknown_variables_narrow_to_the_tested_type():
    src = "let v = unwrap(None);\nif (isNumber(v)) { print(v); }"
    assert ident_types(src, "v")[-1] == "number"


def test_user_type_predicates():
    src = (
        "fn isText(v: number | string) -> bool is v: string { return isString(v); }\n"
        + X
        + "if (isText(x)) { print(x); } else { print(x); }"
    )
    assert ident_types(src, "x")[-2:] == ["string", "number"]


def test_predicate_declaration_errors():
    assert error("fn p(v: number | string) -> number is v: string { return 1; }") == (
        "AT3001",
        "Type predicate requires bool return type, found number",
    )
    assert error("fn p(v: number | string) -> bool is w: string { return true; }") == (
        "AT3001",
        "Type predicate refers to unknown parameter 'w'",
    )
    assert error("fn p(v: number) -> bool is v: string { return true; }") == (
        "AT3001",
        "Predicate type string is not assignable to parameter type number",
    )


# --------------------------------------------------------------- soundness


def test_assignment_ends_narrowing():
    assert error(X + 'if (isNumber(x)) { x = "s"; let y: number = x; }') == (
        "AT3001",
        "Type mismatch: expected number, found number | string",
    )


def test_assignment_in_nested_block_ends_narrowing_after_it():
    src = X + 'if (isNumber(x)) { if (true) { x = "s"; } let y: number = x; }'
    assert [c for c, _ in errors(src)] == ["AT3001"]


def test_loop_assignment_ends_outer_narrowing_for_whole_loop():
    src = X + 'if (isNumber(x)) { while (true) { let y: number = x; x = "s"; } }'
    assert [c for c, _ in errors(src)] == ["AT3001"]


def test_calls_end_narrowing_of_mutable_globals():
    src = (
        "var g: number | string = 1;\n"
        'fn reset() -> void { g = "s"; }\n'
        "if (isNumber(g)) { reset(); let y: number = g; }"
    )
    assert [c for c, _ in errors(src)] == ["AT3001"]
    assert_ok(
        "let k: number | string = 1;\nfn f() -> void { }\nif (isNumber(k)) { f(); let y: number = k; }"
    )


def test_narrowing_does_not_enter_nested_functions():
    src = (
        "fn outer(v: number | string) -> number {\n"
        "  if (isNumber(v)) {\n"
        "    fn inner() -> number { return v; }\n"
        "    return inner();\n"
        "  }\n"
        "  return 0;\n"
        "}"
    )
    assert error(src) == ("AT3001", "Return type mismatch: expected number, found number | string")


def test_declared_type_kept_on_symbol():
    program, _ = checked(X + "if (isNumber(x)) { print(x); }")
    decl = program.items[0]
    assert decl.symbol.ty.display() == "number | string"
