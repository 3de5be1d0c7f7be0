"""Expressions (reference 3.3, 3.6, 3.7, 3.10-3.12): operators, calls, indexing, methods."""

from __future__ import annotations

import pytest
from check_helpers import assert_clean, assert_ok, checked, error, errors, located

from atlas.syntax import ast


def type_of_init(src: str, name: str = "x") -> str:
    program, _ = checked(src)
    for item in program.items:
        if isinstance(item, ast.VarDecl) and item.name == name:
            return item.init.ty.display()
    raise AssertionError(name)


# --------------------------------------------------------------------- literals


@pytest.mark.parametrize(
    ("expr", "shown"),
    [
        ("1", "number"),
        ('"s"', "string"),
        ("true", "bool"),
        ("null", "null"),
        ("[]", "?[]"),
        ("[1, 2]", "number[]"),
        ('[["a"]]', "string[][]"),
        ('parseJSON("1")', "json"),
        ("None", "?"),
        ("Some(1)", "?"),
        ("abs", "(number) -> number"),
        ("-1", "number"),
        ("!true", "bool"),
        ("1 < 2", "bool"),
        ("1 == 2", "bool"),
        ('"a" + "b"', "string"),
        ("1 % 2", "number"),
        ("true && false || true", "bool"),
    ],
)
def test_expression_types(expr, shown):
    assert type_of_init(f"let x = {expr};") == shown


def test_array_element_mismatch():
    assert located('let a = [1, 2, "three", true];') == [
        ("AT3001", "Array element 2 has wrong type: expected number, found string", "1:16"),
        ("AT3001", "Array element 3 has wrong type: expected number, found bool", "1:25"),
    ]


def test_empty_array_fits_any_array():
    assert_clean(
        "let a: string[] = [];\nlet b: number[][] = [[], [1]];\nprint(str(len(a) + len(b)));"
    )


# -------------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ('"n=" + 5', "'+' requires matching types, found string and number"),
        ("true + 1", "'+' requires matching types, found bool and number"),
        ('1 - "a"', "Arithmetic operator requires number operands, found number and string"),
        ("true * 2", "Arithmetic operator requires number operands, found bool and number"),
        ('"a" < "b"', "Comparison requires number operands, found string and string"),
        ('1 == "1"', "Equality comparison requires same types, found number and string"),
        ("1 != null", "Equality comparison requires same types, found number and null"),
        ("1 && true", "Logical operators require bool operands, found number and bool"),
        ('true || "x"', "Logical operators require bool operands, found bool and string"),
        ('-"a"', "Unary '-' requires number operand, found string"),
        ("!1", "Unary '!' requires bool operand, found number"),
    ],
)
def test_operator_errors(expr, message):
    assert errors(f"let x = {expr};") == [("AT3002", message)]


def test_operator_error_span_is_whole_expression():
    assert located('let x = 1 + "a";') == [
        ("AT3002", "'+' requires matching types, found number and string", "1:9")
    ]


def test_comparison_chain_fails():
    assert error("let x = 1 < 2 < 3;") == (
        "AT3002",
        "Comparison requires number operands, found bool and number",
    )


def test_union_operands_every_pairing_must_be_valid():
    src = "fn f(a: number | string) -> number { return a * 2; }"
    assert error(src) == (
        "AT3002",
        "Arithmetic operator requires number operands, found number | string and number",
    )


def test_equality_needs_overlap():
    assert_ok("fn f(a: number | null) -> bool { return a == null || a == 3; }")
    assert_ok("fn f(a: json, b: json) -> bool { return a == b; }")
    assert error('fn f(a: json) -> bool { return a == "x"; }') == (
        "AT3002",
        "Equality comparison requires same types, found json and string",
    )


def test_unknown_operands_are_not_checked():
    assert_clean(
        """
        let m = hashMapNew();
        let v = unwrap(hashMapGet(m, "k"));
        let a = v + 1;
        let b = v + v;
        let c: bool = v < 3;
        let d = -v;
        let e = !v;
        let f: string = "s" + v;
        print(str(a) + str(b) + str(c) + str(d) + str(e) + f);
        """
    )


def test_no_error_cascade_from_failed_operator():
    assert errors('let x = 1 + "a";\nlet y: string = x * 2;') == [
        ("AT3002", "'+' requires matching types, found number and string")
    ]


# ------------------------------------------------------------------------ calls


def test_argument_count():
    assert located("fn f(a: number) {}\nf();\nf(1, 2);") == [
        ("AT3005", "Function expects 1 argument, found 0", "2:1"),
        ("AT3005", "Function expects 1 argument, found 2", "3:1"),
        ("AT2001", "Unused parameter 'a'", "1:6"),
    ]
    assert error("fn g(a: number, b: number) -> number { return a + b; }\ng(1);") == (
        "AT3005",
        "Function expects 2 arguments, found 1",
    )
    assert error("fn h() {}\nh(1);") == ("AT3005", "Function expects 0 arguments, found 1")


def test_argument_type_mismatch_points_at_argument():
    src = 'fn f(a: number, b: string) -> string { return b + str(a); }\nf("x", 2);'
    assert located(src) == [
        ("AT3001", "Argument 1 type mismatch: expected number, found string", "2:3"),
        ("AT3001", "Argument 2 type mismatch: expected string, found number", "2:8"),
    ]


def test_call_of_non_function():
    assert located("let n = 5;\nn(1);") == [
        ("AT3006", "Cannot call non-function type number", "2:1")
    ]
    assert error('"s"();') == ("AT3006", "Cannot call non-function type string")


def test_call_of_unknown_is_unchecked():
    assert_clean("let f = unwrap(Some(abs));\nlet r = f(1, 2, 3);\nprint(str(r));")


def test_function_values():
    assert_clean(
        """
        fn double(x: number) -> number { return x * 2; }
        let f = double;
        let g: (number) -> number = abs;
        let r: number = f(3) + g(-1);
        print(str(r));
        """
    )
    assert error("fn d(x: number) -> number { return x; }\nlet f: (string) -> number = d;") == (
        "AT3001",
        "Type mismatch: expected (string) -> number, found (number) -> number",
    )


def test_typed_builtin_signatures():
    assert errors('let a = len(1, 2);\nlet b: number = str(1);\nlet c = split("a", 1);') == [
        ("AT3005", "Function expects 1 argument, found 2"),
        ("AT3001", "Type mismatch: expected number, found string"),
        ("AT3001", "Argument 2 type mismatch: expected string, found number"),
    ]
    assert error("let r = random(1);") == ("AT3005", "Function expects 0 arguments, found 1")
    assert error('let s = sqrt("4");') == (
        "AT3001",
        "Argument 1 type mismatch: expected number, found string",
    )


def test_typed_array_builtin_quirks():
    # pop/shift are typed `?[]`, so their results cannot be stored as elements
    assert error("let a = [1];\nlet x: number = pop(a);") == (
        "AT3001",
        "Type mismatch: expected number, found ?[]",
    )
    assert error("let f = flatten([1, 2]);") == (
        "AT3001",
        "Argument 1 type mismatch: expected ?[][], found number[]",
    )
    assert_clean(
        'let f = flatten([[1], [2]]);\nlet j: string = join(split("a,b", ","), "-");\nprint(j);'
    )


def test_untyped_builtins_accept_anything():
    assert_clean(
        "let m = hashMapNew();\nlet v: string = unwrap(hashMapGet(m, 1, 2, 3));\nprint(v);"
    )


# --------------------------------------------------------------------- indexing


def test_array_indexing():
    assert type_of_init("let a = [[1]];\nlet x = a[0];") == "number[]"
    assert located('let a = [1];\nlet x = a["0"];') == [
        ("AT3001", "Array index must be number, found string", "2:11")
    ]


def test_json_indexing():
    assert type_of_init('let j = parseJSON("{}");\nlet x = j["a"][0];') == "json"
    assert error('let j = parseJSON("{}");\nlet x = j[true];') == (
        "AT3001",
        "JSON index must be string or number, found bool",
    )


def test_cannot_index_other_types():
    assert located('let s = "abc";\nlet c = s[0];') == [
        ("AT3001", "Cannot index into type string", "2:9")
    ]
    assert error("let o = Some(1);\nlet p: Option<number> = o;\nlet q = p[0];") == (
        "AT3001",
        "Cannot index into type Option<number>",
    )


def test_unknown_indexing_is_unchecked():
    assert_clean('let m = hashMapNew();\nlet v = unwrap(hashMapGet(m, 1))["k"][2];\nprint(v);')


# ---------------------------------------------------------------------- methods


def test_array_methods():
    assert_clean(
        """
        var xs = [3, 1, 2];
        xs.push(4);
        xs.unshift(0);
        let last = xs.pop();
        let first = xs.shift();
        let n: number = xs.len() + xs.len;
        let has: bool = xs.includes(2);
        let at: number = xs.indexOf(1) + xs.lastIndexOf(1);
        let part: number[] = xs.slice(0, 2);
        let more = xs.concat([9]);
        let flat = [[1], [2]].flatten();
        let sorted = xs.sort();
        let rev = xs.reverse();
        let text: string = ["a", "b"].join(",");
        print(text);
        """
    )


def test_array_method_result_types():
    assert type_of_init("let a = [1];\nlet x = a.pop();") == "?"
    assert type_of_init("let a = [1];\nlet x = a.push(2);") == "?[]"
    assert type_of_init("let a = [1];\nlet x = a.len();") == "number"


def test_method_argument_errors():
    assert located("let a = [1];\nlet b = a.slice(1);\nlet c = a.join(5);") == [
        ("AT3005", "Method 'slice' expects 2 arguments, found 1", "2:9"),
        ("AT3001", "Argument 1 has wrong type: expected string, found number", "3:16"),
    ]
    assert error("let a = [1];\nlet p = a.pop(1);") == (
        "AT3005",
        "Method 'pop' expects 0 arguments, found 1",
    )


def test_json_methods():
    assert_clean(
        """
        let j = parseJSON("{\\"a\\": 1}");
        let n: number = j["a"].as_number();
        let s: string = j["b"].as_string();
        let b: bool = j["c"].as_bool() && j["d"].is_null();
        print(str(n) + s + str(b));
        """
    )


def test_no_methods_on_primitives():
    assert located('let n = "abc".len();') == [
        ("AT3010", "Type 'string' has no method named 'len'", "1:9")
    ]
    assert error("let b = (5).foo();") == ("AT3010", "Type 'number' has no method named 'foo'")
    assert error("let a = [1];\nlet b = a.nope();") == (
        "AT3010",
        "Type 'number[]' has no method named 'nope'",
    )
    assert error('let j = parseJSON("1");\nlet b = j.len();') == (
        "AT3010",
        "Type 'json' has no method named 'len'",
    )


def test_method_on_unknown_is_dynamic():
    assert_clean("let v = unwrap(Some([1]));\nlet r = v.anything(1, 2);\nprint(r);")


def test_write_back_methods_allowed_on_let():
    assert_clean("let xs = [1];\nxs.push(2);\nxs.pop();\nprint(str(len(xs)));")


# ------------------------------------------------------------------- ? operator


def test_try_operator_types():
    assert_clean(
        """
        fn parse(s: string) -> Result<number, string> {
            if (s == "") { return Err("empty"); }
            return Ok(1);
        }
        fn twice(s: string) -> Result<number, string> {
            let v: number = parse(s)?;
            return Ok(v * 2);
        }
        print(str(unwrap(twice("x"))));
        """
    )


def test_try_errors():
    base = "let r: Result<number, string> = Ok(1);\n"
    assert error(base + "let top = r?;") == (
        "AT3028",
        "? operator can only be used inside functions",
    )
    assert error("fn f(r: Result<number, string>) -> number { let v = r?; return v; }") == (
        "AT3030",
        "? operator requires function to return Result<T, E>, found number",
    )
    assert error(
        "fn f(r: Result<number, number>) -> Result<number, string> { let v = r?; return Ok(v); }"
    ) == (
        "AT3029",
        "? operator error type mismatch: expression has error type number, "
        "but function returns string",
    )
    assert error("fn f(o: Option<number>) -> Result<number, string> { return Ok(o?); }") == (
        "AT3027",
        "? operator requires Result<T, E> type, found Option<number>",
    )


def test_try_on_unknown_is_unchecked_even_at_top_level():
    assert_clean("let r = Ok(1);\nlet v = r?;\nprint(str(v));")


def test_try_in_function_without_return_type():
    assert error("fn f(r: Result<number, string>) { let v = r?; print(str(v)); }") == (
        "AT3030",
        "? operator requires function to return Result<T, E>, found null",
    )
