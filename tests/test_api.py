"""The embedding API, `atlas.Runtime` (reference: the docstring of atlas/api.py)."""

from __future__ import annotations

import io

import pytest

import atlas
from atlas import NONE, AtlasError, Err, Ok, Runtime, Some


@pytest.fixture
def rt() -> Runtime:
    return Runtime(stdout=io.StringIO())


def error_of(rt: Runtime, source: str) -> AtlasError:
    with pytest.raises(AtlasError) as info:
        rt.eval(source)
    return info.value


# ---------------------------------------------------------------- eval results


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2;", 3.0),
        ("10 / 4;", 2.5),
        ("-0;", -0.0),
        ('"a" + "b";', "ab"),
        ("true;", True),
        ("1 > 2;", False),
        ("null;", None),
        ("[1, 2, 3];", [1.0, 2.0, 3.0]),
        ("[[1, 2], [3]];", [[1.0, 2.0], [3.0]]),
        ('["x", "y"];', ["x", "y"]),
        ("let e: number[] = []; e;", []),
    ],
)
def test_eval_returns_python_values(rt: Runtime, source: str, expected: object) -> None:
    result = rt.eval(source)
    assert result == expected
    assert type(result) is type(expected)


def test_eval_numbers_are_floats(rt: Runtime) -> None:
    result = rt.eval("7;")
    assert result == 7.0 and type(result) is float
    assert [type(x) for x in rt.eval("[1, 2];")] == [float, float]


def test_eval_collections(rt: Runtime) -> None:
    assert rt.eval('let m = hashMapNew(); hashMapPut(m, "a", 1); hashMapPut(m, "b", 2); m;') == {
        "a": 1.0,
        "b": 2.0,
    }
    assert rt.eval("let s = hashSetNew(); hashSetAdd(s, 1); hashSetAdd(s, 2); hashSetAdd(s, 1); s;") == {
        1.0,
        2.0,
    }
    assert rt.eval("let q = queueNew(); queueEnqueue(q, 1); queueEnqueue(q, 2); q;") == [1.0, 2.0]
    assert rt.eval("let st = stackNew(); stackPush(st, 1); stackPush(st, 2); st;") == [1.0, 2.0]


def test_eval_option_result_and_json(rt: Runtime) -> None:
    # Option/Result values compare by identity in Python: look at kind and payload.
    for source, kind, payload in [("Some(1);", Some, 1.0), ("Ok([1]);", Ok, [1.0]), ('Err("bad");', Err, "bad")]:
        value = rt.eval(source)
        assert type(value) is kind
        assert value.value == payload
        assert type(value.value) is type(payload)
    assert rt.eval("let n: Option<number> = None; n;") is NONE
    assert rt.eval('parseJSON("{\\"a\\": [1, true, null]}");') == {"a": [1, True, None]}


@pytest.mark.parametrize(
    "source",
    [
        "",
        "   \n\t",
        "// only a comment\n/* and a block */",
        "let x = 5;",
        "var y = 1; y = 2;",
        "fn f() -> number { return 1; }",
        "if (true) { 1; }",
        "for (var i = 0; i < 3; i++) { i; }",
        "1; let z = 2;",
        'print("x");',
    ],
)
def test_eval_without_final_expression_statement_returns_none(source: str) -> None:
    rt = Runtime(stdout=io.StringIO())
    assert rt.eval(source) is None


# ---------------------------------------------------------------- one shared program


def test_successive_evals_share_functions_and_globals(rt: Runtime) -> None:
    rt.eval("fn sq(x: number) -> number { return x * x; }")
    rt.eval("var total = 0; let base = 10;")
    rt.eval("fn bump(n: number) -> number { total = total + n; return total; }")
    assert rt.eval("sq(3) + base;") == 19.0
    assert rt.eval("bump(5);") == 5.0
    assert rt.eval("bump(2);") == 7.0
    rt.eval("total = 100;")
    assert rt.call("bump", 1) == 101.0
    assert rt.eval("total;") == 101.0


def test_later_definition_replaces_function_for_earlier_callers(rt: Runtime) -> None:
    rt.eval("fn helper(x: number) -> number { return x + 1; }")
    rt.eval("fn caller(x: number) -> number { return helper(x) * 10; }")
    assert rt.call("caller", 1) == 20.0
    rt.eval("fn helper(x: number) -> number { return x + 2; }")
    assert rt.call("caller", 1) == 30.0
    assert rt.eval("caller(1);") == 30.0


def test_runtime_stays_usable_after_errors(rt: Runtime) -> None:
    rt.eval("fn f(x: number) -> number { return x * 2; }")
    error_of(rt, "let bad: number = true;")
    error_of(rt, "let x = ;")
    error_of(rt, "let a = [1]; a[4];")
    assert rt.eval("f(21);") == 42.0


# ---------------------------------------------------------------- call()


def test_call_with_python_arguments(rt: Runtime) -> None:
    rt.eval(
        """
        fn add(a: number, b: number) -> number { return a + b; }
        fn shout(s: string, loud: bool) -> string { if (loud) { return s + "!"; } return s; }
        fn total(xs: number[]) -> number { var t = 0; for x in xs { t = t + x; } return t; }
        fn count(xs: string[]) -> number { return len(xs); }
        fn nothing() -> number { return 0; }
        """
    )
    assert rt.call("add", 2, 3) == 5.0  # ints become numbers
    assert rt.call("add", 0.5, 0.25) == 0.75
    assert type(rt.call("add", 1, 1)) is float
    assert rt.call("shout", "hi", True) == "hi!"
    assert rt.call("shout", "hi", False) == "hi"
    assert rt.call("total", [1, 2, 3.5]) == 6.5
    assert rt.call("total", (1, 2)) == 3.0
    assert rt.call("count", ["a", "b"]) == 2.0
    assert rt.call("nothing") == 0.0


def test_call_undefined_name(rt: Runtime) -> None:
    with pytest.raises(AtlasError) as info:
        rt.call("nosuch", 1)
    assert info.value.code == "AT0002"
    assert info.value.kind == "runtime"
    assert "nosuch" in info.value.message


def test_call_a_variable_that_is_not_a_function(rt: Runtime) -> None:
    rt.eval('let n = 3; let s = "x";')
    for name in ("n", "s"):
        with pytest.raises(AtlasError) as info:
            rt.call(name)
        assert info.value.kind == "runtime"


@pytest.mark.parametrize("args", [(), (1, 2), (1, 2, 3)])
def test_call_wrong_arity(rt: Runtime, args: tuple) -> None:
    rt.eval("fn one(x: number) -> number { return x; }")
    with pytest.raises(AtlasError) as info:
        rt.call("one", *args)
    assert info.value.kind == "runtime"
    assert info.value.code == "AT0001"


@pytest.mark.parametrize("arg", [True, "3", [3], None])
def test_call_wrong_argument_type(rt: Runtime, arg: object) -> None:
    rt.eval("fn sq(x: number) -> number { return x * x; }")
    with pytest.raises(AtlasError) as info:
        rt.call("sq", arg)
    assert info.value.kind == "runtime"
    assert info.value.code == "AT0001"
    assert "Argument 1" in info.value.message


def test_call_unconvertible_python_value(rt: Runtime) -> None:
    rt.eval("fn id(x: number) -> number { return x; }")
    with pytest.raises(TypeError):
        rt.call("id", object())


def test_call_runtime_error_inside(rt: Runtime) -> None:
    rt.eval("fn div(a: number, b: number) -> number {\n    return a / b;\n}")
    with pytest.raises(AtlasError) as info:
        rt.call("div", 1, 0)
    err = info.value
    assert (err.code, err.kind, err.message) == ("AT0005", "runtime", "Divide by zero")
    assert (err.line, err.column) == (2, 12)


# ---------------------------------------------------------------- AtlasError fields


def test_syntax_error_fields(rt: Runtime) -> None:
    err = error_of(rt, "let a = 1;\nlet x = ;")
    assert (err.code, err.kind, err.message, err.line, err.column) == (
        "AT1000", "syntax", "Expected expression", 2, 9,
    )  # fmt: skip
    assert err.diagnostics and err.diagnostics[0].code == "AT1000"


def test_lexical_error_is_kind_syntax(rt: Runtime) -> None:
    err = error_of(rt, 'let s = "abc\\q";')
    assert (err.code, err.kind, err.line, err.column) == ("AT1003", "syntax", 1, 13)  # at the `\\q`
    err = error_of(rt, "let t = 1;\n  @")
    assert (err.code, err.kind, err.message, err.line, err.column) == (
        "AT1001", "syntax", "Unexpected character '@'", 2, 3,
    )  # fmt: skip


def test_type_error_fields(rt: Runtime) -> None:
    err = error_of(rt, 'let ok = 1;\nlet n: number = "text";')
    assert (err.code, err.kind, err.message, err.line, err.column) == (
        "AT3001", "type", "Type mismatch: expected number, found string", 2, 1,
    )  # fmt: skip


def test_binder_error_is_kind_type(rt: Runtime) -> None:
    err = error_of(rt, "print(undefined_var);")
    assert (err.code, err.kind, err.message, err.line, err.column) == (
        "AT0002", "type", "Unknown symbol 'undefined_var'", 1, 7,
    )  # fmt: skip


def test_module_error_is_kind_type(rt: Runtime) -> None:
    err = error_of(rt, 'import { x } from "math";')
    assert (err.code, err.kind) == ("AT5001", "type")
    err = error_of(rt, 'import { x } from "./surely_not_a_module_here";')
    assert (err.code, err.kind, err.line, err.column) == ("AT5002", "type", 1, 1)


def test_runtime_error_fields(rt: Runtime) -> None:
    err = error_of(rt, "let a = [1, 2, 3];\nlet i = 1;\nprint(a[i + 9]);")
    assert (err.code, err.kind, err.message, err.line, err.column) == (
        "AT0006", "runtime", "Array index out of bounds", 3, 7,
    )  # fmt: skip
    err = error_of(rt, 'let r: Result<number, string> = Err("something went wrong");\n  unwrap(r);')
    assert (err.code, err.kind, err.line, err.column) == ("AT0001", "runtime", 2, 3)
    assert err.message == "Type error: unwrap() called on Err(something went wrong)"


def test_runtime_error_in_function_from_an_earlier_eval(rt: Runtime) -> None:
    rt.eval("fn f(xs: number[]) -> number {\n    return xs[5];\n}")
    err = error_of(rt, "f([1]);")
    assert (err.code, err.kind, err.line, err.column) == ("AT0006", "runtime", 2, 12)


def test_error_diagnostics_hold_every_error(rt: Runtime) -> None:
    err = error_of(rt, 'let a: number = "x";\nlet b: string = 1;')
    codes = [(d.code, d.line) for d in err.diagnostics if d.level == "error"]
    assert codes == [("AT3001", 1), ("AT3001", 2)]
    assert (err.line, err.column) == (1, 1)  # the first error's position


# ---------------------------------------------------------------- warnings and stdout


def test_warnings_are_collected_not_printed(capsys: pytest.CaptureFixture[str]) -> None:
    rt = Runtime()
    assert rt.eval("fn f(y: number) -> number {\n    let unused = 1;\n    return 2;\n}\nf(1);") == 2.0
    assert sorted((w.code, w.message, w.line) for w in rt.warnings) == [
        ("AT2001", "Unused parameter 'y'", 1),
        ("AT2001", "Unused variable 'unused'", 2),
    ]
    assert all(w.level == "warning" for w in rt.warnings)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    rt.eval("1;")
    assert rt.warnings == []  # each eval reports its own


def test_stdout_to_a_stream() -> None:
    buf = io.StringIO()
    rt = Runtime(stdout=buf)
    rt.eval('print("hello"); print(42);')
    assert buf.getvalue() == "hello\n42\n"


def test_stdout_to_a_callable() -> None:
    chunks: list[str] = []
    rt = Runtime(stdout=chunks.append)
    rt.eval('print("a");')
    rt.eval('fn shout(s: string) -> string { print(s + "!"); return s; }')
    rt.call("shout", "b")
    assert "".join(chunks) == "a\nb!\n"


def test_stdout_defaults_to_sys_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    Runtime().eval('print("to stdout");')
    assert capsys.readouterr().out == "to stdout\n"


def test_output_before_a_runtime_error_is_kept() -> None:
    buf = io.StringIO()
    rt = Runtime(stdout=buf)
    with pytest.raises(AtlasError):
        rt.eval('print("first"); let a: number[] = []; pop(a);')
    assert buf.getvalue() == "first\n"


@pytest.mark.parametrize("jit", [False, True])
def test_jit_flag_is_accepted(jit: bool) -> None:
    rt = Runtime(jit=jit, stdout=io.StringIO())
    rt.eval("fn fib(n: number) -> number { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }")
    assert rt.call("fib", 15) == 610.0
    rt2 = Runtime(jit, stdout=io.StringIO())  # also positional
    assert rt2.eval("2 * 21;") == 42.0


# ---------------------------------------------------------------- function values


def test_function_values_are_callable(rt: Runtime) -> None:
    rt.eval("fn sq(x: number) -> number { return x * x; }")
    sq = rt.eval("sq;")
    assert callable(sq)
    assert sq(4) == 16.0
    assert isinstance(sq, atlas.AtlasFunction)


def test_closures_returned_to_python(rt: Runtime) -> None:
    rt.eval("let offset = 100;")
    adder = rt.eval(
        "fn make() -> (number) -> number {\n"
        "    fn inner(a: number) -> number { return a + offset; }\n"
        "    return inner;\n"
        "}\n"
        "make();"
    )
    assert adder(1) == 101.0
    assert adder(2.5) == 102.5


def test_function_values_passed_back_to_atlas(rt: Runtime) -> None:
    rt.eval("fn apply(f: (number) -> number, x: number) -> number { return f(x); }")
    double = rt.eval("fn double(x: number) -> number { return x * 2; } double;")
    assert rt.call("apply", double, 21) == 42.0


def test_error_raised_through_a_function_value(rt: Runtime) -> None:
    f = rt.eval("fn f(x: number) -> number { return 1 / x; } f;")
    with pytest.raises(AtlasError) as info:
        f(0)
    assert info.value.code == "AT0005"
    with pytest.raises(AtlasError):
        f()
