"""Parser (reference section 2): shapes of the tree, precedence, and every error form."""

from __future__ import annotations

import pytest

from atlas.limits import MAX_NESTING_DEPTH
from atlas.source import SourceFile
from atlas.syntax import ast
from atlas.syntax.parser import parse


def program(text: str) -> ast.Program:
    prog, diags = parse(SourceFile("t", text))
    assert not diags, [d.message for d in diags]
    assert prog is not None
    return prog


def expr(text: str) -> ast.Expr:
    stmt = program(text + ";").items[0]
    assert isinstance(stmt, ast.ExprStmt)
    return stmt.expr


def errors(text: str) -> list[tuple[str, str]]:
    _, diags = parse(SourceFile("t", text))
    return [(d.code, d.message) for d in diags]


def shape(e: ast.Expr) -> str:
    if isinstance(e, ast.Binary):
        return f"({shape(e.left)} {e.op} {shape(e.right)})"
    if isinstance(e, ast.Unary):
        return f"({e.op}{shape(e.operand)})"
    if isinstance(e, ast.NumberLit):
        return f"{e.value:g}"
    if isinstance(e, ast.Ident):
        return e.name
    if isinstance(e, ast.Index):
        return f"{shape(e.target)}[{shape(e.index)}]"
    if isinstance(e, ast.Call):
        return f"{shape(e.callee)}({', '.join(shape(a) for a in e.args)})"
    return type(e).__name__


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("a < b == c < d", "((a < b) == (c < d))"),
        ("a || b && c", "(a || (b && c))"),
        ("-a[0]", "(-a[0])"),
        ("!f(x)", "(!f(x))"),
        ("-(1 + 2) * 3", "((-(1 + 2)) * 3)"),
        ("a < b < c", "((a < b) < c)"),
        ("x % 2 == 0 && y", "(((x % 2) == 0) && y)"),
    ],
)
def test_precedence(text: str, tree: str) -> None:
    assert shape(expr(text)) == tree


def test_postfix_forms() -> None:
    e = expr("a.b(1)[2]?")
    assert isinstance(e, ast.Try)
    assert isinstance(e.operand, ast.Index)
    method = e.operand.target
    assert isinstance(method, ast.MethodCall) and method.name == "b" and len(method.args) == 1
    bare = expr("xs.len")
    assert isinstance(bare, ast.MethodCall) and bare.args == []


def test_statements() -> None:
    items = program(
        "let a = 1; var b: number = 2; b += 3; b++; ++b; a; "
        "if (a < b) { b = 1; } else { b = 2; } while (b > 0) { b--; } "
        "for (var i = 0; i < 3; i++) { continue; } for x in [1, 2] { break; } { let c = 1; }"
    ).items
    assert [type(i).__name__ for i in items] == [
        "VarDecl", "VarDecl", "CompoundAssign", "IncDec", "IncDec", "ExprStmt", "If",
        "While", "For", "ForIn", "Block",
    ]  # fmt: skip
    assert items[1].mutable and not items[0].mutable


def test_declarations() -> None:
    items = program(
        "fn f<T extends number: Display>(own a: T, b: string[],) -> Option<T> { return None; }\n"
        "type Pair<T> = (T, T) -> bool;\n"
        "trait Shape { fn area(self: Shape) -> number; }\n"
        "impl Shape for number { fn area(self: number) -> number { return self; } }\n"
        "export fn g() -> void { }\n"
        'import { a, b, } from "./m";\n'
        'extern "libm" fn cos_c as "cos"(x: CDouble) -> CDouble;\n'
        "fn isStr(x: number | string) -> bool is x: string { return true; }\n"
    ).items
    f = items[0]
    assert isinstance(f, ast.FnDecl)
    assert f.type_params[0].name == "T" and f.type_params[0].traits == ["Display"]
    assert [p.name for p in f.params] == ["a", "b"] and f.params[0].ownership == "own"
    assert isinstance(items[1], ast.TypeAlias) and isinstance(items[1].type_ann, ast.FunctionTypeExpr)
    assert isinstance(items[2], ast.TraitDecl) and items[2].methods[0].name == "area"
    assert isinstance(items[3], ast.ImplBlock) and items[3].type_name == "number"
    assert items[4].exported
    assert [n.name for n in items[5].names] == ["a", "b"] and items[5].path == "./m"
    assert isinstance(items[6], ast.ExternDecl) and items[6].symbol_name == "cos"
    assert items[7].predicate.param == "x"


def test_types() -> None:
    decl = program("let x: (number | string)[][] = [];").items[0]
    t = decl.type_ann
    assert isinstance(t, ast.ArrayTypeExpr) and isinstance(t.element, ast.ArrayTypeExpr)
    assert isinstance(t.element.element, ast.UnionTypeExpr)
    decl = program("let y: Result<Option<number>, string> = Ok(None);").items[0]
    assert decl.type_ann.name == "Result" and decl.type_ann.args[0].name == "Option"
    decl = program("let z: { a: number, b: string } = 1;").items[0]
    assert isinstance(decl.type_ann, ast.StructuralTypeExpr)


def test_match_and_patterns() -> None:
    m = expr('match v { Some(0) | None => "z", [a, _] if a > 1 => "p", "s" => "t", x => "u", }')
    assert isinstance(m, ast.Match) and len(m.arms) == 4
    assert isinstance(m.arms[0].pattern, ast.OrPattern)
    first = m.arms[0].pattern.alternatives
    assert isinstance(first[0], ast.ConstructorPattern) and first[1].name == "None"
    assert isinstance(m.arms[1].pattern, ast.ArrayPattern) and m.arms[1].guard is not None
    assert isinstance(m.arms[3].pattern, ast.BindingPattern)


def test_doc_comment_attaches_to_type_alias() -> None:
    alias = program("/// Old.\n/// @deprecated use B\ntype A = number;").items[0]
    assert "@deprecated" in alias.doc


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("let x: number =", "Expected expression"),
        ("fn f() -> number {\n return 1;\n", "Expected '}'"),
        ("let = 1;", "Expected a variable name but found Equal"),
        ("let if = 1;", "Cannot use reserved keyword 'if' as a variable name"),
        ("let match = 1;", "Cannot use reserved keyword 'match' as a variable name. This keyword is reserved for future use"),
        ("fn (a: number) {}", "Expected a function name but found LeftParen"),
        ("x = y = 1;", "Expected ';' after assignment"),
        ("f() = 1;", "Invalid assignment target"),
        ("1 + 2", "Expected ';' after expression"),
        ("let a = 1", "Expected ';' after variable declaration"),
        ("if x { }", "Expected '(' after 'if'"),
        ("if (x { }", "Expected ')' after if condition"),
        ("while (x) y = 1;", "Expected '{'"),
        ("if (x) { } else if (y) { }", "Expected '{'"),
        ("match x { };", "Match expression must have at least one arm"),
        ("match x { 1 2 };", "Expected '=>' after pattern"),
        ("match x { -1 => 2 };", "Expected pattern"),
        ("fn f() -> shared number {}", "`shared` is not valid as a return ownership annotation; callers receive a `shared<T>` typed value instead"),
        ("export if (x) {}", "Expected 'fn', 'let', 'var', or 'type' after 'export'"),
        ("fn f() { import { a } from \"./b\"; }", "Import statements are not supported in Atlas v0.1"),
        ("let x = 1e400;", "Invalid number literal: '1e400'"),
        ("let x: Foo<> = 1;", "Generic type requires at least one type argument"),
        ("let x: (number, string) = 1;", "Expected '->' after function type parameters"),
        ("let x: () = 1;", "Unexpected empty type group"),
        ('extern "m" fn f(x: CFloat) -> CInt;', "Unknown extern type 'CFloat'. Valid types: CInt, CLong, CDouble, CCharPtr, CVoid, CBool"),
        ("fn f(own 1: number) {}", "Expected parameter name after ownership annotation 'own'"),
        ("while (true) { };", "Expected expression"),
        ("for (var i = 0; i < 3 i++) {}", "Expected ';' after for condition"),
        ("for x [1] {}", "Expected 'in' after variable name"),
    ],
)
def test_error_messages(text: str, message: str) -> None:
    found = errors(text)
    assert found and found[0] == ("AT1000", message)


def test_lexical_errors_stop_before_parsing() -> None:
    assert errors("let x = @; let = ;") == [("AT1001", "Unexpected character '@'")]


def test_recovery_reports_every_statement_error() -> None:
    found = errors("let = 1;\nlet y = 2;\nlet = 3;\nfn f() { let = 4; }")
    assert len(found) == 3


def test_error_position_at_end_of_file() -> None:
    _, diags = parse(SourceFile("t", "let x: number =\n"))
    assert (diags[0].line, diags[0].column) == (2, 1)


@pytest.mark.parametrize("depth", [MAX_NESTING_DEPTH + 1, 10_000])
def test_deep_nesting_is_a_diagnostic(depth: int) -> None:
    for text in ("(" * depth + "1" + ")" * depth, "- " * depth + "1", "1" + "+1" * depth, "[" * depth + "]" * depth):
        found = errors(f"let a = {text};")
        assert found and "Too deeply nested" in found[0][1]


def test_reasonable_nesting_parses() -> None:
    program("let a = " + "(" * 200 + "1" + ")" * 200 + ";")
    program("let a = " + "1 + " * 500 + "1;")
