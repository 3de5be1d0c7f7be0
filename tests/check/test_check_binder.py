"""Name resolution (reference 3.16): scopes, redeclaration, hoisting, prelude protection."""

from __future__ import annotations

from check_helpers import assert_clean, assert_ok, error, errors, located

# ------------------------------------------------------------------ unknown names


def test_unknown_variable_read():
    assert located("let a = b;") == [("AT0002", "Unknown symbol 'b'", "1:9")]


def test_unknown_function_call():
    assert error("nothing_here(1);") == ("AT0002", "Unknown symbol 'nothing_here'")


def test_unknown_assignment_target():
    assert located("var a = 1;\nzz = 2;") == [("AT0002", "Unknown symbol 'zz'", "2:1")]


def test_unknown_compound_target_and_index_base():
    assert errors("qq += 1;\nww[0] = 1;") == [
        ("AT0002", "Unknown symbol 'qq'"),
        ("AT0002", "Unknown symbol 'ww'"),
    ]


def test_unknown_symbol_category_is_bind():
    from check_helpers import check

    (diag,) = check("print(nope);").diagnostics
    assert diag.category == "bind" and diag.kind == "type"


def test_every_unknown_name_reported_once_each():
    assert errors("let x = a + b + a;") == [
        ("AT0002", "Unknown symbol 'a'"),
        ("AT0002", "Unknown symbol 'b'"),
        ("AT0002", "Unknown symbol 'a'"),
    ]


def test_unknown_name_gives_no_cascade():
    assert errors("let x: number = missing + 1;\nlet y: string = x;") == [
        ("AT0002", "Unknown symbol 'missing'"),
        ("AT3001", "Type mismatch: expected string, found number"),
    ]


# ----------------------------------------------------------------- redeclaration


def test_duplicate_top_level_variable():
    assert located("let x = 1;\nvar x = 2;") == [
        ("AT2003", "Symbol 'x' is already defined in this scope", "2:5")
    ]


def test_duplicate_local_variable():
    src = "fn f() -> number {\n  let a = 1;\n  let a = 2;\n  return a;\n}"
    assert error(src) == ("AT2003", "Symbol 'a' is already defined in this scope")


def test_duplicate_parameter():
    src = "fn f(a: number, a: number) -> number { return a; }"
    assert error(src) == ("AT2003", "Symbol 'a' is already defined in this scope")


def test_duplicate_top_level_function():
    src = "fn f() {}\nfn f() {}"
    assert located(src) == [("AT2003", "Function 'f' is already defined", "2:4")]


def test_duplicate_nested_function():
    src = "fn outer() {\n  fn g() {}\n  fn g() {}\n}"
    assert error(src) == ("AT2003", "Symbol 'g' is already defined in this scope")


def test_nested_function_and_variable_clash():
    src = "fn outer() {\n  fn g() {}\n  let g = 1;\n  print(g);\n}"
    assert error(src) == ("AT2003", "Symbol 'g' is already defined in this scope")


def test_shadowing_outer_scope_is_allowed():
    assert_ok(
        """
        let x = 1;
        fn f(x: string) -> string {
            let x = 5;
            if (x > 1) { let x = true; print(x); }
            return str(x);
        }
        { let x = "inner"; print(x); }
        print(f("a"));
        """
    )


def test_body_let_may_shadow_parameter():
    assert_ok("fn f(p: number) -> number { let p = 2; return p; }")


def test_top_level_fn_and_var_tables_are_split():
    assert_clean(
        """
        fn limit() -> number { return 10; }
        let limit = limit() + 1;
        let check: number = limit;
        print(str(check));
        """
    )


def test_var_of_fn_name_is_a_number_afterwards():
    src = "fn limit() -> number { return 10; }\nlet limit = limit() + 1;\nlimit();"
    assert error(src) == ("AT3006", "Cannot call non-function type number")


def test_math_constants_occupy_top_scope():
    assert error("let PI = 3;") == ("AT2003", "Symbol 'PI' is already defined in this scope")
    assert error("fn E() {}") == ("AT2003", "Symbol 'E' is already defined in this scope")
    assert_ok("fn f() -> number { let PI = 3; return PI; }")


def test_math_constants_are_immutable_numbers():
    assert_clean("let x: number = PI + E + SQRT2 + LN2 + LN10;\nprint(str(x));")
    assert error("PI = 3;") == ("AT3003", "Cannot assign to immutable variable 'PI'")


# ----------------------------------------------------------------------- prelude


def test_typed_builtin_cannot_be_redeclared_at_top_level():
    assert located("fn print(_x: number) {}\nlet len = 3;\nvar map = 1;") == [
        ("AT1012", "Cannot shadow prelude builtin 'print' in global scope", "1:4"),
        ("AT1012", "Cannot shadow prelude builtin 'len' in global scope", "2:5"),
        ("AT1012", "Cannot shadow prelude builtin 'map' in global scope", "3:5"),
    ]


def test_typed_builtin_may_be_shadowed_in_nested_scopes():
    assert_ok(
        """
        fn f(len: number) -> number {
            let str = 2;
            fn abs(x: number) -> number { return x; }
            return len + str + abs(1);
        }
        if (true) { let print = 1; }
        """
    )


def test_untyped_builtins_may_be_shadowed_anywhere():
    assert_ok(
        "fn unwrap(x: number) -> number { return x; }\nlet hashMapNew = 1;\n"
        "let y: number = unwrap(2);"
    )


def test_builtins_resolve_without_declaration():
    assert_clean(
        """
        let m = hashMapNew();
        hashMapPut(m, "k", 1);
        let o = None;
        let o2 = None();
        let s = Some(1);
        print(typeof(s));
        """
    )


# ---------------------------------------------------------------------- hoisting


def test_top_level_functions_are_hoisted():
    assert_clean(
        """
        print(str(later(2)));
        fn later(x: number) -> number { return even(x); }
        fn even(x: number) -> number { return x * 2; }
        """
    )


def test_mutual_recursion():
    assert_ok(
        """
        fn isEven(n: number) -> bool { if (n == 0) { return true; } return isOdd(n - 1); }
        fn isOdd(n: number) -> bool { if (n == 0) { return false; } return isEven(n - 1); }
        """
    )


def test_nested_functions_are_hoisted_within_their_block():
    assert_ok(
        """
        fn outer() -> number {
            fn a() -> number { return b(); }
            fn b() -> number { return 1; }
            return a();
        }
        """
    )


def test_nested_function_not_visible_outside_its_block():
    src = "fn outer() {\n  if (true) { fn inner() {} }\n  inner();\n}"
    assert error(src) == ("AT0002", "Unknown symbol 'inner'")


def test_variables_are_not_hoisted():
    assert error("print(str(v));\nlet v = 1;") == ("AT0002", "Unknown symbol 'v'")


def test_function_sees_only_earlier_top_level_variables():
    src = """
    let before = 1;
    fn f() -> number { return before + after; }
    let after = 2;
    """
    assert error(src) == ("AT0002", "Unknown symbol 'after'")


def test_nested_function_sees_only_earlier_locals():
    src = """
    fn outer() -> number {
        let early = 1;
        fn g() -> number { return early + late; }
        let late = 2;
        return g() + late;
    }
    """
    assert error(src) == ("AT0002", "Unknown symbol 'late'")


def test_initializer_sees_the_outer_binding():
    assert_ok("let x = 1;\nfn f() -> number { let x = x + 1; return x; }")


def test_let_in_own_initializer_is_unknown():
    assert error("let self_ref = self_ref + 1;") == ("AT0002", "Unknown symbol 'self_ref'")


# ------------------------------------------------------------------------ scopes


def test_bare_block_is_a_scope():
    assert error("{ let inner = 1; }\nprint(str(inner));") == (
        "AT0002",
        "Unknown symbol 'inner'",
    )


def test_if_and_loop_bodies_are_scopes():
    src = """
    if (true) { let a = 1; } else { let b = 2; }
    while (false) { let c = 3; }
    print(str(a + b + c));
    """
    assert [c for c, _ in errors(src)] == ["AT0002", "AT0002", "AT0002"]


def test_for_init_variable_scoped_to_loop():
    assert error("for (var i = 0; i < 3; i++) {}\nprint(str(i));") == (
        "AT0002",
        "Unknown symbol 'i'",
    )


def test_for_in_variable_scoped_to_loop_and_shadowable_in_body():
    assert_ok("for x in [1, 2] { let x = 5; print(str(x)); }")
    assert error("for x in [1] {}\nprint(str(x));") == ("AT0002", "Unknown symbol 'x'")


def test_match_bindings_scoped_to_arm():
    src = "let v = match 1 { n => n };\nlet w = match 2 { _ => n };"
    assert error(src) == ("AT0002", "Unknown symbol 'n'")


def test_binding_twice_in_one_pattern():
    src = "let v = match [1, 2] { [a, a] => a, _ => 0 };"
    assert error(src) == ("AT2003", "Symbol 'a' is already defined in this scope")


def test_or_pattern_alternatives_share_bindings():
    assert_ok("let v = match [1] { [x] | [x] => x, _ => 0 };")


def test_parameters_scope_of_nested_function_only():
    src = "fn f() {\n  fn g(p: number) -> number { return p; }\n  print(str(p));\n}"
    assert error(src) == ("AT0002", "Unknown symbol 'p'")
