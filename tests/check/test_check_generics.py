"""Functions and generics (reference 3.3, 3.4, 7.4 callback quirks)."""

from __future__ import annotations

from check_helpers import assert_clean, assert_ok, checked, error, errors, located

from atlas.syntax import ast


def init_type(src: str, name: str) -> str:
    program, _ = checked(src)
    (decl,) = [i for i in program.items if isinstance(i, ast.VarDecl) and i.name == name]
    return decl.init.ty.display()


IDENTITY = "fn identity<T>(x: T) -> T { return x; }\n"


def test_inference_from_arguments():
    assert init_type(IDENTITY + "let a = identity(42);", "a") == "number"
    assert init_type(IDENTITY + 'let a = identity(["s"]);', "a") == "string[]"
    assert_clean(
        IDENTITY + 'let n: number = identity(1);\nlet s: string = identity("x");\nprint(s);'
    )


def test_inferred_result_is_checked():
    assert error(IDENTITY + "let s: string = identity(5);") == (
        "AT3001",
        "Type mismatch: expected string, found number",
    )


def test_inference_through_structures():
    src = """
    fn first<T>(xs: T[]) -> T { return xs[0]; }
    fn wrap<T>(x: T) -> Option<T> { return Some(x); }
    fn apply<A, B>(f: (A) -> B, a: A) -> B { return f(a); }
    fn okay<T, E>(r: Result<T, E>) -> T { return unwrap(r); }
    let a = first([1, 2]);
    let b = wrap("s");
    let c = apply(str, 5);
    let r: Result<bool, string> = Ok(true);
    let d = okay(r);
    """
    assert init_type(src, "a") == "number"
    assert init_type(src, "b") == "Option<string>"
    assert init_type(src, "c") == "string"
    assert init_type(src, "d") == "bool"


def test_unknown_argument_infers_unknown():
    assert_clean(IDENTITY + "let v: string = identity(unwrap(None));\nprint(v);")


def test_inference_failure():
    src = "fn first<T>(xs: T[]) -> T { return xs[0]; }\nlet a = first(5);"
    assert located(src) == [
        (
            "AT3001",
            "Type inference failed: cannot match argument 1 of type number with parameter of type T[]",
            "2:15",
        )
    ]


def test_conflicting_inferences():
    src = 'fn same<T>(a: T, b: T) -> bool { return a == b; }\nsame(1, "x");'
    assert error(src) == ("AT3001", "Conflicting constraints for type parameter 'T'")


def test_widening_is_not_a_conflict():
    src = "fn pick<T>(a: T, b: T) -> T { return a; }\nlet n: number | null = null;\n"
    assert_ok(src + "let x = pick(1, n);")


def test_union_parameters():
    src = "fn opt<T>(x: T | null) -> T { return unwrap(Some(x)); }\n"
    assert init_type(src + "let a = opt(5);", "a") == "number"
    assert init_type(src + "let a = opt(null);", "a") == "?"


def test_uninferable_type_parameter():
    assert errors("fn make<T>() -> T[] { return []; }\nlet m = make();") == [
        ("AT9999", "Cannot infer type parameter(s): T")
    ]
    assert error("fn two<K, V>(n: number) -> number { return n; }\ntwo(1);") == (
        "AT9999",
        "Cannot infer type parameter(s): K, V",
    )


def test_non_generic_parameters_of_generic_function():
    src = "fn tag<T>(x: T, label: string) -> T { print(label); return x; }\ntag(1, 2);"
    assert error(src) == ("AT3001", "Argument 2 type mismatch: expected string, found number")


def test_generic_values_are_unknown_inside_body():
    assert_clean(
        "fn weird<T>(x: T) -> T { let y = x * 2; let z: string = x; print(z); return y; }\n"
        "print(str(weird(1)));"
    )


def test_type_parameter_in_body_annotation():
    assert_clean("fn keep<T>(x: T) -> T { let y: T = x; return y; }\nprint(str(keep(1)));")


def test_bound_checked_at_call():
    src = "fn num<T extends number>(x: T) -> T { return x; }\n"
    assert_clean(src + "let a = num(3);\nprint(str(a));")
    assert located(src + 'num("s");') == [
        ("AT3001", "Type argument 'T' must satisfy constraint number, found string", "2:1")
    ]


def test_alias_bounds():
    src = "fn cmp<T extends Comparable>(a: T, b: T) -> bool { return a < b; }\n"
    assert_clean(src + "print(str(cmp(1, 2)));")
    assert error(src + "cmp(true, false);") == (
        "AT3001",
        "Type argument 'T' must satisfy constraint number, found bool",
    )


def test_trait_bounds():
    src = "fn copyIt<T: Copy>(x: T) -> T { return x; }\n"
    assert_ok(src + 'copyIt(1);\ncopyIt("s");\ncopyIt(true);')
    assert error(src + "copyIt([1]);") == (
        "AT3037",
        "Type 'number[]' does not implement trait 'Copy' required by type parameter 'T'",
    )
    shown = 'fn show<T: Display>(x: T) -> string { return ""; }\n'
    assert error(shown + "show(1);") == (
        "AT3037",
        "Type 'number' does not implement trait 'Display' required by type parameter 'T'",
    )
    impl = "impl Display for number { fn display(self: number) -> string { return str(self); } }\n"
    assert_ok(shown + impl + "show(1);")


def test_generic_function_as_value():
    assert_clean(IDENTITY + "let f: (number) -> number = identity;\nprint(str(f(1)));")
    assert init_type(IDENTITY + "let f = identity;\nlet g = f(true);", "g") == "bool"


def test_recursive_generic_function():
    assert_ok(
        "fn loop<T>(x: T, n: number) -> T { if (n == 0) { return x; } return loop(x, n - 1); }"
    )


# -------------------------------------------------------------- higher-order


def test_callbacks_checked_against_builtin_shapes():
    src = """
    fn double(x: number) -> number { return x * 2; }
    fn isBig(x: number) -> bool { return x > 2; }
    fn show(x: number) -> void { print(str(x)); }
    fn add(a: number, b: number) -> number { return a + b; }
    fn key(x: number) -> number { return -x; }
    fn spread(x: number) -> number[] { return [x, x]; }
    let xs = [1, 2, 3];
    let a = map(xs, double);
    let b = filter(xs, isBig);
    forEach(xs, show);
    let c = reduce(xs, add, 0);
    let d = find(xs, isBig);
    let e: number = findIndex(xs, isBig);
    let f = flatMap(xs, spread);
    let g: bool = some(xs, isBig) && every(xs, isBig);
    let h = sort(xs, add);
    let i = sortBy(xs, key);
    let j = map(xs, str);
    forEach(["a"], print);
    """
    assert_ok(src)


def test_callback_return_type_quirks():
    no_ret = "fn show(x: number) { print(str(x)); }\n"
    assert error(no_ret + "forEach([1], show);") == (
        "AT3001",
        "Argument 2 type mismatch: expected (?) -> void, found (number) -> null",
    )
    not_bool = "fn half(x: number) -> number { return x / 2; }\n"
    assert error(not_bool + "let f = filter([1], half);") == (
        "AT3001",
        "Argument 2 type mismatch: expected (?) -> bool, found (number) -> number",
    )
    string_key = "fn name(x: string) -> string { return x; }\n"
    assert error(string_key + 'let s = sortBy(["b"], name);') == (
        "AT3001",
        "Argument 2 type mismatch: expected (?) -> number, found (string) -> string",
    )


def test_callback_arity():
    src = "fn two(a: number, b: number) -> number { return a + b; }\nlet m = map([1], two);"
    assert error(src) == (
        "AT3001",
        "Argument 2 type mismatch: expected (?) -> ?, found (number, number) -> number",
    )


def test_union_of_callable_types():
    src = """
    fn a(x: number) -> number { return x; }
    fn b(x: number) -> string { return str(x); }
    fn c(x: string) -> string { return x; }
    fn pick(f: ((number) -> number) | ((number) -> string)) -> number | string { return f(1); }
    fn bad(f: ((number) -> number) | ((string) -> string)) -> number { return f(1); }
    fn worse(f: ((number) -> number) | number) -> number { return f(1); }
    """
    assert errors(src) == [
        ("AT3005", "Cannot call union of incompatible function signatures"),
        ("AT3006", "Cannot call non-function type (number) -> number | number"),
    ]
