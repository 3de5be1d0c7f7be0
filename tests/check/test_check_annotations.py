"""The checker -> compiler contract: symbols, function infos, captures, resolved methods."""

from __future__ import annotations

import pytest
from check_helpers import checked, find, walk

from atlas.check.prelude import TYPED_SIGNATURES
from atlas.check.symbols import SymbolKind
from atlas.check.types import UNKNOWN, Type
from atlas.stdlib import CONSTANTS
from atlas.syntax import ast

K = SymbolKind

PROGRAM = """
let g = 1;
var h = 2;
fn top(a: number, b: number) -> number {
    var x = a;
    let unusedLocal = b;
    for (var i = 0; i < 2; i++) { x = x + i; }
    for item in [1, 2] { x = x + item; }
    let m = match x { 0 => 0, n => n };
    fn helper(k: number) -> number {
        fn deepest() -> number { return x + k + sibling(); }
        return deepest();
    }
    fn sibling() -> number { return b; }
    if (x > 0) { let inner = 1; x = x + inner; }
    return helper(m) + g;
}
if (true) { let blockLocal = 3; fn blockFn() -> number { return blockLocal; } print(str(blockFn())); }
h = top(g, h);
"""


@pytest.fixture(scope="module")
def annotated():
    program, result = checked(PROGRAM)
    assert result.ok
    return program, result


def sym_of(program, cls, name):
    (node,) = find(program, cls, name)
    return node.symbol


def test_every_expression_has_a_type():
    sources = [
        PROGRAM,
        'let bad = 1 + "x"; let u = nothing(1)[2].m(); let w = match u { Some(q) => q, _ => 0 };',
        'fn f() -> number { return undefinedThing; }\nlet z = -true;\nlet y = [1, "a"];',
        "let r: Result<number, string> = Ok(1);\nfn t() -> number { let v = r?; return v; }",
    ]
    for src in sources:
        program, _ = checked(src)
        exprs = [n for n in walk(program) if isinstance(n, ast.Expr)]
        assert exprs
        assert all(isinstance(e.ty, Type) for e in exprs), src


def test_every_name_has_a_symbol(annotated):
    program, _ = annotated
    for node in walk(program):
        if isinstance(node, ast.Ident | ast.VarDecl | ast.Param | ast.ForIn | ast.BindingPattern):
            assert node.symbol is not None, node
        if isinstance(node, ast.FnDecl):
            assert node.symbol is not None and node.scope is not None and node.fn_type is not None
            assert node.captures is node.scope.captures


def test_symbol_kinds(annotated):
    program, result = annotated
    g, h = sym_of(program, ast.VarDecl, "g"), sym_of(program, ast.VarDecl, "h")
    assert (g.kind, g.mutable, h.kind, h.mutable) == (K.GLOBAL_VAR, False, K.GLOBAL_VAR, True)
    assert g.function is None
    top = sym_of(program, ast.FnDecl, "top")
    assert top.kind is K.GLOBAL_FN and top.function is None
    top_info = find(program, ast.FnDecl, "top")[0].scope
    x = sym_of(program, ast.VarDecl, "x")
    assert (x.kind, x.mutable, x.function) == (K.LOCAL, True, top_info)
    assert sym_of(program, ast.VarDecl, "i").kind is K.LOCAL
    assert sym_of(program, ast.ForIn, None).kind is K.LOOP_VAR
    assert sym_of(program, ast.BindingPattern, "n").kind is K.MATCH_BINDING
    helper = sym_of(program, ast.FnDecl, "helper")
    assert helper.kind is K.NESTED_FN and helper.function is top_info
    assert [p.symbol.kind for p in find(program, ast.FnDecl, "top")[0].params] == [K.PARAM] * 2
    block_local = sym_of(program, ast.VarDecl, "blockLocal")
    assert block_local.kind is K.LOCAL and block_local.function is result.main
    assert sym_of(program, ast.FnDecl, "blockFn").kind is K.NESTED_FN


def test_builtin_symbols_are_shared_and_typed():
    program, _ = checked('print("a");\nprint(str(len("b")));\nlet m = hashMapNew();\nlet o = None;')
    prints = [i for i in find(program, ast.Ident) if i.name == "print"]
    assert prints[0].symbol is prints[1].symbol and prints[0].symbol.kind is K.BUILTIN
    assert prints[0].symbol.ty == TYPED_SIGNATURES["print"]
    (hm,) = [i for i in find(program, ast.Ident) if i.name == "hashMapNew"]
    assert hm.symbol.kind is K.BUILTIN and hm.symbol.ty == UNKNOWN
    (none,) = [i for i in find(program, ast.Ident) if i.name == "None"]
    assert none.symbol.kind is K.BUILTIN and none.symbol.name == "None"


def test_math_constants():
    program, result = checked("let a = PI;\nlet b = PI + E;")
    pis = [i.symbol for i in find(program, ast.Ident) if i.name == "PI"]
    assert pis[0] is pis[1]
    assert pis[0].kind is K.GLOBAL_VAR and pis[0].constant == CONSTANTS["PI"]
    assert not pis[0].mutable and pis[0].ty.display() == "number"
    assert pis[0] not in result.globals


def test_function_infos(annotated):
    _program, result = annotated
    assert [f.name for f in result.functions] == [
        "<main>", "top", "helper", "deepest", "sibling", "blockFn"
    ]  # fmt: skip
    main = result.main
    assert main.is_main and result.functions[0] is main
    assert [s.name for s in main.locals] == ["blockLocal"]
    assert [s.name for s in main.nested] == ["blockFn"]
    top = result.functions[1]
    assert top.parent is None and top.captures == []
    assert [s.name for s in top.params] == ["a", "b"]
    assert [s.name for s in top.locals] == ["x", "unusedLocal", "i", "item", "n", "m", "inner"]
    assert [s.name for s in top.nested] == ["helper", "sibling"]
    assert top.ret.display() == "number"


def test_captures_are_transitive_in_first_use_order(annotated):
    _program, result = annotated
    infos = {f.name: f for f in result.functions}
    assert [s.name for s in infos["deepest"].captures] == ["x", "k", "sibling"]
    assert [s.name for s in infos["helper"].captures] == ["x", "sibling"]
    assert [s.name for s in infos["sibling"].captures] == ["b"]
    assert [s.name for s in infos["blockFn"].captures] == ["blockLocal"]
    assert infos["helper"].parent is infos["top"] and infos["deepest"].parent is infos["helper"]
    assert infos["blockFn"].parent is result.main


def test_recursive_nested_function_captures_itself():
    program, _ = checked(
        "fn f() -> number {\n  fn g(n: number) -> number { if (n == 0) { return 0; } return g(n - 1); }\n"
        "  return g(3);\n}"
    )
    g = find(program, ast.FnDecl, "g")[0]
    assert g.captures == [g.symbol]


def test_globals_and_builtins_never_captured():
    program, _ = checked(
        "let top = 1;\nfn f() -> number { fn g() -> number { return top + abs(1) + f(); } return g(); }"
    )
    assert find(program, ast.FnDecl, "g")[0].captures == []


def test_function_without_return_type_has_null_ret():
    program, _ = checked("fn f() { }")
    assert program.items[0].scope.ret.display() == "null"
    assert program.items[0].fn_type.display() == "() -> null"


def test_reads_are_counted(annotated):
    program, _ = annotated
    assert sym_of(program, ast.VarDecl, "g").reads == 2
    assert sym_of(program, ast.VarDecl, "unusedLocal").reads == 0
    x = sym_of(program, ast.VarDecl, "x")
    assert x.reads == 6  # assignments are not reads


@pytest.mark.parametrize(
    ("method", "builtin"),
    [
        ("push(1)", "arrayPush"),
        ("pop()", "arrayPop"),
        ("shift()", "arrayShift"),
        ("unshift(1)", "arrayUnshift"),
        ("reverse()", "arrayReverse"),
        ("sort()", "arraySort"),
        ("len()", "len"),
        ("len", "len"),
        ("includes(1)", "arrayIncludes"),
        ("indexOf(1)", "arrayIndexOf"),
        ("lastIndexOf(1)", "arrayLastIndexOf"),
        ("slice(0, 1)", "slice"),
        ("concat([2])", "concat"),
        ("flatten()", "flatten"),
        ('join(",")', "join"),
    ],
)
def test_array_methods_resolve_to_builtins(method, builtin):
    program, result = checked(f"let a = [1];\nlet r = a.{method};")
    assert result.ok
    assert find(program, ast.MethodCall)[0].resolved == ("builtin", builtin)


def test_json_and_dynamic_methods_resolve():
    program, _ = checked(
        'let j = parseJSON("1");\nlet a = j.as_string();\nlet b = j.as_number();\n'
        "let c = j.as_bool();\nlet d = j.is_null();\nlet u = unwrap(None);\nlet e = u.whatever();"
    )
    assert [m.resolved for m in find(program, ast.MethodCall)] == [
        ("builtin", "jsonAsString"),
        ("builtin", "jsonAsNumber"),
        ("builtin", "jsonAsBool"),
        ("builtin", "jsonIsNull"),
        ("dynamic", None),
    ]


def test_impl_method_symbols():
    program, _result = checked(
        "trait Twice { fn twice(self: Twice) -> number; }\n"
        "impl Twice for number { fn twice(self: number) -> number { return self * 2; } }\n"
        "let t = (4).twice();"
    )
    impl = program.items[1].methods[0]
    assert impl.symbol.kind is K.IMPL_METHOD and impl.symbol.name == "number.twice"
    assert impl.scope.name == "number.twice" and impl.scope.parent is None
    assert find(program, ast.MethodCall)[0].resolved == ("impl", impl.symbol)


def test_narrowed_ident_types_and_assignment_targets():
    program, _ = checked(
        "var v: number | null = 1;\nif (v != null) { let w = v + 1; v = null; print(str(w)); }"
    )
    idents = [i for i in find(program, ast.Ident) if i.name == "v"]
    assert [i.ty.display() for i in idents] == ["number | null", "number", "number | null"]
    assert idents[0].symbol.ty.display() == "number | null"


def test_var_decl_types(annotated):
    program, _ = annotated
    assert sym_of(program, ast.VarDecl, "m").ty.display() == "number"
    assert sym_of(program, ast.ForIn, None).ty.display() == "number"
