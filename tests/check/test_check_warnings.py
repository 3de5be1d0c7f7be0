"""Warnings (reference 3.15, 3.17) and the ownership checks."""

from __future__ import annotations

from check_helpers import assert_clean, check, error, errors, located, warnings

# ------------------------------------------------------------------------ AT2001


def test_unused_variable_and_parameter():
    src = "fn f(a: number, b: number) -> number {\n  let unused = 1;\n  return a;\n}"
    assert located(src) == [
        ("AT2001", "Unused parameter 'b'", "1:17"),
        ("AT2001", "Unused variable 'unused'", "2:7"),
    ]


def test_writes_are_not_reads():
    src = "fn f() {\n  var w = 1;\n  w = 2;\n  w += 1;\n  w++;\n}"
    assert warnings(src) == [("AT2001", "Unused variable 'w'")]


def test_underscore_names_exempt():
    assert_clean("fn f(_a: number) { let _b = 1; }\nf(1);")


def test_top_level_and_loop_and_match_names_exempt():
    assert_clean(
        """
        let unusedGlobal = 1;
        if (true) { let unusedInTopBlock = 2; }
        fn f() { for x in [1] { } let m = match 1 { n => 0 }; print(str(m)); }
        f();
        """
    )


def test_for_init_variable_counts():
    assert warnings("fn f() { for (var i = 0; i < 1; ) { break; } }") == []
    assert warnings("fn f() { for (var i = 0; ; ) { break; } }") == [
        ("AT2001", "Unused variable 'i'")
    ]


def test_tracking_is_by_name_per_function():
    # a read in a nested function does not count for the enclosing one...
    src = "fn outer(p: number) -> number {\n  fn inner() -> number { return p; }\n  return inner();\n}"
    assert warnings(src) == [("AT2001", "Unused parameter 'p'")]
    # ...and any read of the name counts for every declaration of it
    assert warnings("fn f(x: number) -> number { let x = 2; return x; }") == []


def test_index_assignment_reads_the_array():
    assert warnings("fn f() { let a = [1]; a[0] = 2; }") == []


def test_impl_receiver_self_is_exempt():
    src = (
        "trait T { fn m(self: T) -> number; }\n"
        "impl T for number { fn m(self: number) -> number { return 1; } }"
    )
    assert warnings(src) == []


def test_unused_warnings_inside_nested_functions():
    src = "fn a() {\n  fn b(q: number) { let z = 1; }\n  b(1);\n}"
    assert warnings(src) == [("AT2001", "Unused parameter 'q'"), ("AT2001", "Unused variable 'z'")]


# ------------------------------------------------------------------------ AT2002


def test_each_statement_after_return_is_unreachable():
    src = 'fn f() -> number {\n  return 1;\n  print("a");\n  print("b");\n}'
    assert located(src) == [
        ("AT2002", "Unreachable code", "3:3"),
        ("AT2002", "Unreachable code", "4:3"),
    ]


def test_only_return_makes_code_unreachable():
    assert_clean(
        """
        fn f(x: number) -> number {
            while (true) { break; print("after break"); }
            for y in [1] { continue; print("after continue"); }
            if (x > 0) { return 1; } else { return 2; }
            print("after if");
            return 3;
        }
        print(str(f(1)));
        """
    )


def test_unreachable_in_nested_blocks():
    assert warnings('fn f() { if (true) { return; print("x"); } }') == [
        ("AT2002", "Unreachable code")
    ]


# ------------------------------------------------------------------ ownership


def test_own_on_primitive_parameter():
    src = "fn f(own n: number, own s: string, own a: number[]) -> number { return n + len(s) + len(a); }"
    assert located(src) == [
        (
            "AT2010",
            "`own` annotation on parameter `n` has no effect: primitive types are always copied",
            "1:6",
        ),
        (
            "AT2010",
            "`own` annotation on parameter `s` has no effect: primitive types are always copied",
            "1:21",
        ),
    ]


def test_passing_borrowed_parameter_to_own_parameter():
    src = (
        "fn take(own xs: number[]) -> number { return len(xs); }\n"
        "fn lend(borrow xs: number[]) -> number { return take(xs); }"
    )
    assert located(src) == [
        (
            "AT2012",
            "passing borrowed parameter `xs` to `own` parameter — ownership cannot transfer",
            "2:54",
        )
    ]


def test_shared_parameter_needs_shared_value():
    src = "fn s(shared v: number[]) -> number { return len(v); }\ns([1]);\ns(unwrap(None));"
    assert located(src) == [
        (
            "AT3028",
            "expected `shared<number[]>` value for `shared` parameter, found `number[]`",
            "2:3",
        )
    ]


def test_non_copy_argument_to_unannotated_parameter():
    src = (
        "fn f(o: Option<number>) -> number { return 1; }\n"
        "fn g(own o: Option<number>) -> number { return 1; }\n"
        "let v: Option<number> = Some(1);\n"
        "f(v);\ng(v);\nf(Some(2));"
    )
    assert located(src)[-1:] == [
        (
            "AT2013",
            "Type 'Option<number>' is not Copy — consider annotating with 'own' or 'borrow' "
            "to clarify ownership intent",
            "4:3",
        )
    ]


def test_copy_arguments_do_not_warn():
    assert_clean(
        "fn f(a: number, b: string[], _c: json, d: (number) -> number) -> number { return a + len(b) + d(1); }\n"
        'print(str(f(1, ["x"], parseJSON("1"), abs)));'
    )


def test_union_argument_is_not_copy():
    src = "fn f(v: number | null) -> bool { return v == null; }\nlet n: number | null = 1;\nf(n);"
    assert [c for c, _ in warnings(src)] == ["AT2013"]


def test_builtins_never_get_ownership_warnings():
    assert_clean("let o: Option<number> = Some(1);\nprint(str(unwrap(o)));")


# ---------------------------------------------------------------------- order


def test_warnings_in_source_order_after_errors():
    src = (
        "fn late(p: number) -> number {\n"
        "  return 1;\n"
        '  print("dead");\n'
        "}\n"
        "fn early(q: number) -> number { let z = 2; return 1; }\n"
        'let bad: number = "s";'
    )
    diags = check(src).diagnostics
    assert [(d.level, d.code, d.line) for d in diags] == [
        ("error", "AT3001", 6),
        ("warning", "AT2001", 1),
        ("warning", "AT2002", 3),
        ("warning", "AT2001", 5),
        ("warning", "AT2001", 5),
    ]
    assert all(d.category == "warning" for d in diags if d.level == "warning")


def test_warnings_do_not_make_result_fail():
    result = check("fn f(p: number) { }\nf(1);")
    assert result.ok and len(result.diagnostics) == 1


def test_errors_and_warnings_together():
    src = "fn f() {\n  let x = 1;\n  x = 2;\n}"
    assert errors(src) == [("AT3003", "Cannot assign to immutable variable 'x'")]
    assert warnings(src) == [("AT2001", "Unused variable 'x'")]
    assert error("fn g() -> number { return 1; }\ng(1);")[0] == "AT3005"
