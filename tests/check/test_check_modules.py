"""Modules on the checker side (reference 8) and successive chunks (prior_globals)."""

from __future__ import annotations

from check_helpers import (
    assert_clean,
    check,
    checked,
    error,
    errors,
    find,
    located,
    parse_ok,
    warnings,
)

from atlas.check.checker import check_module
from atlas.check.symbols import SymbolKind
from atlas.syntax import ast

LIB = """
export fn add(a: number, b: number) -> number { return a + b; }
export let SCALE: number = 10;
export var counter = 0;
export type Pair<T> = T[];
export fn isText(v: number | string) -> bool is v: string { return isString(v); }
fn hidden() -> number { return 1; }
let private = 2;
"""


def lib_exports(module: object = "lib"):
    result = check(LIB, module=module)
    assert result.ok
    return result.exports


def test_exports():
    exports = lib_exports()
    assert list(exports) == ["add", "SCALE", "counter", "Pair", "isText"]
    assert exports["add"].kind is SymbolKind.GLOBAL_FN
    assert exports["add"].ty.display() == "(number, number) -> number"
    assert exports["SCALE"].kind is SymbolKind.GLOBAL_VAR and exports["SCALE"].exported
    assert exports["Pair"].kind is SymbolKind.TYPE_ALIAS
    assert all(s.module == "lib" for s in exports.values())


def test_import_types_and_symbols():
    exports = lib_exports()
    src = 'import { add, SCALE, Pair } from "./lib";\nlet r: number = add(SCALE, 1);\nlet p: Pair<string> = ["a"];\nprint(p[0]);'
    program, result = checked(src, imports={"./lib": exports}, module="main")
    assert result.ok and not result.diagnostics
    names = program.items[0].names
    assert names[0].symbol.kind is SymbolKind.IMPORT
    assert names[0].symbol.target is exports["add"]
    assert names[0].symbol.module == "main"
    assert names[2].symbol is exports["Pair"]  # a type: no run-time binding
    assert [s.name for s in result.globals] == ["add", "SCALE", "r", "p"]


def test_imported_types_are_checked():
    src = 'import { add } from "./lib";\nlet s: string = add(1, 2);\nadd("x", 1);'
    assert errors(src, imports={"./lib": lib_exports()}) == [
        ("AT3001", "Type mismatch: expected string, found number"),
        ("AT3001", "Argument 1 type mismatch: expected number, found string"),
    ]


def test_imports_are_immutable():
    src = 'import { counter } from "./lib";\ncounter = 1;'
    assert error(src, imports={"./lib": lib_exports()}) == (
        "AT3003",
        "Cannot assign to immutable variable 'counter'",
    )


def test_imported_predicate_narrows():
    src = 'import { isText } from "./lib";\nlet v: number | string = 1;\nif (isText(v)) { let s: string = v; }'
    assert errors(src, imports={"./lib": lib_exports()}) == []


def test_not_exported():
    src = 'import { add, hidden, private } from "./lib";\nprint(str(hidden()));'
    assert located(src, imports={"./lib": lib_exports()}) == [
        ("AT5004", "'hidden' is not exported from module", "1:15"),
        ("AT5004", "'private' is not exported from module", "1:23"),
    ]
    (diag, _) = check(src, imports={"./lib": lib_exports()}).diagnostics
    assert diag.category == "module" and diag.kind == "type"


def test_missing_module_is_skipped_silently():
    assert_clean('import { anything } from "./gone";\nlet x = anything(1) + 2;\nprint(str(x));')


def test_namespace_import_rejected():
    assert located('import * as lib from "./lib";') == [
        ("AT5007", "Namespace imports not yet supported", "1:1")
    ]


def test_import_name_clashes():
    imports = {"./lib": lib_exports()}
    assert errors(
        'import { add } from "./lib";\nimport { add } from "./lib";', imports=imports
    ) == [("AT2003", "Symbol 'add' is already defined in this scope")]
    assert errors('import { add } from "./lib";\nlet add = 1;', imports=imports) == [
        ("AT2003", "Symbol 'add' is already defined in this scope")
    ]
    assert errors('import { add } from "./lib";\nfn add() {}', imports=imports) == [
        ("AT2003", "Symbol 'add' is already defined in this scope")
    ]
    assert errors('import { Pair } from "./lib";\ntype Pair = number;', imports=imports) == [
        ("AT2003", "Type alias 'Pair' already defined")
    ]


def test_duplicate_export():
    src = "export let twice = 1;\nexport fn twice() -> number { return 2; }"
    assert located(src) == [
        ("AT5008", "Duplicate export: 'twice' is exported more than once", "2:11")
    ]


DEPRECATED_LIB = "/// @deprecated\nexport type Old = number;"
OLD_USE = 'import { Old } from "./lib";\nlet x: Old = 1;'
OLD_WARNING = [("AT2009", "Type alias 'Old' is deprecated")]


def test_deprecated_imported_alias():
    program = parse_ok(DEPRECATED_LIB)
    exports = check_module(program).exports
    assert warnings(OLD_USE, imports={"./lib": exports}) == OLD_WARNING


def test_deprecated_exported_alias_end_to_end():
    exports = check(DEPRECATED_LIB).exports
    assert warnings(OLD_USE, imports={"./lib": exports}) == OLD_WARNING


def test_module_stored_on_globals_only():
    program, result = checked(
        "let g = 1;\nfn f(p: number) -> number { let l = p; return l; }", module="M"
    )
    assert all(s.module == "M" for s in result.globals)
    fn = program.items[1]
    assert fn.params[0].symbol.module is None


# ---------------------------------------------------------------- prior globals


def chunk(src: str, prior=None):
    return check(src, prior_globals=prior or {})


def test_prior_globals_are_an_outer_scope():
    first = chunk("var count = 1;\nlet fixed = 2;\nfn twice(n: number) -> number { return n * 2; }")
    prior = {s.name: s for s in first.globals}
    second = chunk("count = twice(count) + fixed;\nfn more() -> number { return count; }", prior)
    assert second.ok and not second.diagnostics
    assert errors("fixed = 3;", prior_globals=prior) == [
        ("AT3003", "Cannot assign to immutable variable 'fixed'")
    ]
    assert errors("let z: string = count;", prior_globals=prior) == [
        ("AT3001", "Type mismatch: expected string, found number")
    ]


def test_redeclaring_prior_globals():
    first = chunk("let x = 1;\nfn f() -> number { return 1; }")
    prior = {s.name: s for s in first.globals}
    second = chunk('let x = "now a string";\nfn f() -> string { return x; }', prior)
    assert second.ok
    new_x, new_f = second.globals
    assert new_x is not prior["x"] and new_x.ty.display() == "string"
    assert new_f.replaces is prior["f"]
    assert new_x.replaces is None


def test_impl_methods_of_earlier_chunks_are_callable():
    first = chunk(
        "trait Twice { fn twice(self: Twice) -> number; }\n"
        "impl Twice for number { fn twice(self: number) -> number { return self * 2; } }"
    )
    prior = {s.name: s for s in first.globals}
    program, result = checked("let t: number = (3).twice();", prior_globals=prior)
    assert result.ok
    assert find(program, ast.MethodCall)[0].resolved == ("impl", prior["number.twice"])


def test_var_reusing_function_name_shares_its_binding():
    program, _ = checked("fn limit() -> number { return 1; }\nlet limit = limit();")
    fn_sym, var_sym = program.items[0].symbol, program.items[1].symbol
    assert var_sym.replaces is fn_sym
    assert program.items[1].init.callee.symbol is fn_sym


def test_math_constants_not_in_globals():
    result = check("let x = PI;")
    assert [s.name for s in result.globals] == ["x"]


def test_globals_in_declaration_order():
    src = (
        'import { add } from "./lib";\n'
        "let a = 1;\n"
        "fn f() {}\n"
        'extern "libm" fn cos2(x: CDouble) -> CDouble;\n'
        "trait T { fn m(self: T) -> number; }\n"
        "impl T for number { fn m(self: number) -> number { return 1; } }\n"
        "var b = 2;\n"
        "if (true) { let notGlobal = 1; }\n"
    )
    result = check(src, imports={"./lib": lib_exports()})
    assert [(s.name, s.kind.name) for s in result.globals] == [
        ("add", "IMPORT"),
        ("a", "GLOBAL_VAR"),
        ("f", "GLOBAL_FN"),
        ("cos2", "EXTERN"),
        ("number.m", "IMPL_METHOD"),
        ("b", "GLOBAL_VAR"),
    ]


def test_extern_functions_are_unchecked_callables():
    src = 'extern "libm" fn cbrt(x: CDouble) -> CDouble;\nlet r = cbrt(8, "anything");\nprint(r);'
    program, result = checked(src)
    assert result.ok
    assert program.items[0].symbol.kind is SymbolKind.EXTERN
    assert isinstance(program.items[1].init, ast.Call)
