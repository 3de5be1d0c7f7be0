"""Statements (reference 3.3, 3.5, 3.6, 3.7, 3.8): declarations, assignment, control flow."""

from __future__ import annotations

from check_helpers import assert_clean, assert_ok, error, errors, located

# ---------------------------------------------------------------- declarations


def test_annotated_declaration_mismatch_spans_whole_declaration():
    assert located('let x: number = "five";') == [
        ("AT3001", "Type mismatch: expected number, found string", "1:1")
    ]


def test_declaration_takes_annotated_type():
    assert error("let x: number | null = 1;\nlet y: number = x;") == (
        "AT3001",
        "Type mismatch: expected number, found number | null",
    )


def test_inferred_declaration_type():
    assert error('var s = "a";\ns = 1;') == (
        "AT3001",
        "Type mismatch in assignment: expected string, found number",
    )


def test_null_is_not_implicitly_nullable():
    assert error("let x: number = null;") == (
        "AT3001",
        "Type mismatch: expected number, found null",
    )
    assert_clean("let x: number | null = null;\nprint(x);")


# ------------------------------------------------------------------ mutability


def test_assign_to_let():
    assert located("let x = 1;\nx = 2;") == [
        ("AT3003", "Cannot assign to immutable variable 'x'", "2:1")
    ]


def test_modify_let():
    assert errors("let x = 1;\nx += 1;\nx++;\nx--;") == [
        ("AT3003", "Cannot modify immutable variable 'x'"),
        ("AT3003", "Cannot modify immutable variable 'x'"),
        ("AT3003", "Cannot modify immutable variable 'x'"),
    ]


def test_immutable_kinds():
    src = """
    fn f(p: number) -> number { p = 2; return p; }
    for item in [1] { item = 2; }
    let m = match 1 { b => 0 };
    fn g() {}
    g = g;
    """
    assert [m for _, m in errors(src)] == [
        "Cannot assign to immutable variable 'p'",
        "Cannot assign to immutable variable 'item'",
        "Cannot assign to immutable variable 'g'",
    ]


def test_var_is_mutable_everywhere():
    assert_clean(
        """
        var total = 0;
        fn bump() -> void { total = total + 1; total += 2; total++; }
        bump();
        fn local() -> number { var n = 1; n -= 1; n *= 3; n /= 2; n %= 5; n--; return n; }
        print(str(total + local()));
        """
    )


def test_for_let_with_step_is_rejected():
    assert error("for (let i = 0; i < 3; i++) {}") == (
        "AT3003",
        "Cannot modify immutable variable 'i'",
    )


def test_index_assignment_always_allowed():
    assert_clean(
        """
        let xs = [1, 2, 3];
        xs[0] = 10;
        xs[1] += 1;
        xs[2]++;
        fn f(p: number[]) -> number { p[0] = 5; return p[0]; }
        let grid = [[1, 2], [3, 4]];
        grid[1][0] = 9;
        print(str(f(xs) + grid[1][0]));
        """
    )


def test_index_assignment_type_errors():
    src = 'let xs = [1];\nxs[0] = "a";\nxs["k"] = 1;\nlet s = "abc";\ns[0] = "z";'
    assert located(src) == [
        ("AT3001", "Type mismatch in assignment: expected number, found string", "2:1"),
        ("AT3001", "Array index must be number, found string", "3:4"),
        ("AT3001", "Cannot index into non-array type string", "5:1"),
    ]


def test_write_back_builtins_bypass_let():
    assert_clean(
        'let m = hashMapNew();\nhashMapPut(m, "a", 1);\nlet a = [1];\nreverse(a);\nprint(str(len(a)));'
    )


# ------------------------------------------------------- compound and increment


def test_compound_assignment_requires_numbers():
    assert errors('var s = "a";\ns += "b";\nvar n = 1;\nn += "x";') == [
        ("AT3001", "Compound assignment requires number type, found string"),
        ("AT3001", "Compound assignment requires number value, found string"),
    ]


def test_increment_requires_number():
    assert errors('var s = "a";\ns++;\ns--;\nvar a = ["x"];\na[0]++;') == [
        ("AT3001", "Increment requires number type, found string"),
        ("AT3001", "Decrement requires number type, found string"),
        ("AT3001", "Increment requires number type, found string"),
    ]


def test_prefix_increment_statement():
    assert_clean("var i = 0;\n++i;\n--i;\nprint(str(i));")


# ------------------------------------------------------------------ conditions


def test_conditions_must_be_bool():
    src = 'if (1) {}\nwhile ("s") {}\nfor (var i = 0; i; i++) {}'
    assert located(src) == [
        ("AT3001", "Condition must be bool, found number", "1:5"),
        ("AT3001", "Condition must be bool, found string", "2:8"),
        ("AT3001", "Condition must be bool, found number", "3:17"),
    ]


def test_unknown_condition_is_accepted():
    assert_clean('let v = unwrap(Some(true));\nif (v) { print("y"); }\nwhile (v) { }')


def test_empty_for_clauses():
    assert_clean("var n = 0;\nfor (;;) { n++; if (n > 3) { break; } }\nprint(str(n));")


def test_for_in():
    assert_clean('for w in split("a b", " ") { let u: string = w; print(u); }')
    assert located("for c in 5 {}") == [
        ("AT3001", "for-in requires an array, found number", "1:10")
    ]
    assert error('for c in "abc" {}') == ("AT3001", "for-in requires an array, found string")


def test_for_in_over_unknown():
    assert_clean("let keys = hashMapKeys(hashMapNew());\nfor k in keys { print(k); }")


# ------------------------------------------------------------------- returns


def test_return_mismatch_spans_the_return():
    src = 'fn f() -> number {\n  return "s";\n}'
    assert located(src) == [
        ("AT3001", "Return type mismatch: expected number, found string", "2:3")
    ]


def test_bare_return_in_function_without_return_type():
    assert error("fn f() { return; }") == (
        "AT3001",
        "Return type mismatch: expected null, found void",
    )
    assert_clean("fn f() { return null; }\nfn g() -> void { return; }\nf();\ng();")


def test_return_value_in_void_function():
    assert error("fn f() -> void { return 1; }") == (
        "AT3001",
        "Return type mismatch: expected void, found number",
    )


def test_return_outside_function():
    assert located("return 1;") == [("AT3011", "Return statement outside function", "1:1")]
    assert error("if (true) { return; }") == ("AT3011", "Return statement outside function")


def test_not_all_paths_return():
    assert located("fn f(x: number) -> number {\n  if (x > 0) { return 1; }\n}") == [
        ("AT3004", "Not all code paths return a value", "1:4")
    ]


def test_all_paths_rule_is_syntactic():
    assert_ok(
        """
        fn a(x: number) -> number { if (x > 0) { return 1; } else { return 2; } }
        fn b(x: number) -> number {
            if (x > 0) { if (x > 1) { return 3; } else { return 4; } } else { return 2; }
        }
        fn c() -> number { print("x"); return 1; print("dead"); }
        """
    )
    loops = [
        "fn f() -> number { while (true) { return 1; } }",
        "fn f() -> number { for (;;) { return 1; } }",
        "fn f() -> number { for x in [1] { return x; } }",
        "fn f(x: number) -> number { if (x > 0) { return 1; } }",
        "fn f() -> number { { return 1; } }",
    ]
    for src in loops:
        assert error(src) == ("AT3004", "Not all code paths return a value"), src


def test_void_null_and_unannotated_functions_need_no_return():
    assert_clean("fn a() -> void { }\nfn b() -> null { }\nfn c() { }\na();\nb();\nc();")


# --------------------------------------------------------------- break/continue


def test_break_and_continue_outside_loop():
    assert located("break;\ncontinue;") == [
        ("AT3010", "Break statement outside loop", "1:1"),
        ("AT3010", "Continue statement outside loop", "2:1"),
    ]


def test_break_inside_loops_is_fine():
    assert_clean(
        "for x in [1] { if (x > 0) { break; } continue; }\n"
        "while (true) { { break; } }\nfor (;;) { break; }"
    )


def test_break_in_function_nested_in_loop_is_rejected():
    src = "while (true) {\n  fn f() { break; }\n  f();\n  break;\n}"
    assert located(src) == [("AT3010", "Break statement outside loop", "2:12")]
