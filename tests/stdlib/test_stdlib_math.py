"""Math builtins (reference 7.2)."""

from __future__ import annotations

import math

import pytest
from stdlib_support import call, fails, same

NAN, INF = math.nan, math.inf

UNARY = ["abs", "floor", "ceil", "round", "sqrt", "log", "sin", "cos", "tan", "asin",
         "acos", "atan", "sign"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "x", "expected"),
    [
        ("abs", -5.0, 5.0),
        ("abs", 3.0, 3.0),
        ("abs", -0.0, 0.0),
        ("abs", -INF, INF),
        ("abs", NAN, NAN),
        ("floor", 3.7, 3.0),
        ("floor", -1.1, -2.0),
        ("floor", -0.0, -0.0),
        ("floor", 0.5, 0.0),
        ("floor", -0.5, -1.0),
        ("floor", 1e300, 1e300),
        ("floor", INF, INF),
        ("floor", NAN, NAN),
        ("ceil", 3.2, 4.0),
        ("ceil", -1.9, -1.0),
        ("ceil", -0.5, -0.0),
        ("ceil", -0.0, -0.0),
        ("ceil", 0.2, 1.0),
        ("ceil", -INF, -INF),
        ("sqrt", 16.0, 4.0),
        ("sqrt", 2.0, math.sqrt(2)),
        ("sqrt", -1.0, NAN),
        ("sqrt", -0.0, -0.0),
        ("sqrt", INF, INF),
        ("sqrt", -INF, NAN),
        ("sqrt", NAN, NAN),
        ("log", 1.0, 0.0),
        ("log", math.e, 1.0),
        ("log", 0.0, -INF),
        ("log", -0.0, -INF),
        ("log", -1.0, NAN),
        ("log", INF, INF),
        ("log", NAN, NAN),
        ("sin", 0.0, 0.0),
        ("sin", -0.0, -0.0),
        ("sin", INF, NAN),
        ("cos", 0.0, 1.0),
        ("cos", -INF, NAN),
        ("tan", 0.0, 0.0),
        ("tan", INF, NAN),
        ("asin", 1.0, math.pi / 2),
        ("asin", 2.0, NAN),
        ("acos", 1.0, 0.0),
        ("acos", -1.5, NAN),
        ("atan", INF, math.pi / 2),
        ("atan", -INF, -math.pi / 2),
        ("atan", NAN, NAN),
        ("sign", 5.0, 1.0),
        ("sign", -3.5, -1.0),
        ("sign", 0.0, 0.0),
        ("sign", -0.0, -0.0),
        ("sign", NAN, NAN),
        ("sign", -INF, -1.0),
    ],
)
def test_unary(name: str, x: float, expected: float) -> None:
    assert same(call(name, x), expected)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (2.5, 2.0),
        (3.5, 4.0),
        (-2.5, -2.0),
        (-3.5, -4.0),
        (0.5, 0.0),
        (1.5, 2.0),
        (-0.5, 0.0),  # positive zero
        (-0.0, -0.0),
        (0.0, 0.0),
        (-0.3, 0.0),
        (-0.7, -1.0),
        (2.4, 2.0),
        (2.6, 3.0),
        (-2.6, -3.0),
        (1e300, 1e300),
        (4503599627370495.5, 4503599627370496.0),
        (INF, INF),
        (-INF, -INF),
        (NAN, NAN),
    ],
)
def test_round_half_to_even(x: float, expected: float) -> None:
    assert same(call("round", x), expected)


@pytest.mark.parametrize(
    ("name", "a", "b", "expected"),
    [
        ("min", 3.0, 7.0, 3.0),
        ("min", 7.0, 3.0, 3.0),
        ("min", NAN, 2.0, 2.0),
        ("min", 2.0, NAN, 2.0),
        ("min", NAN, NAN, NAN),
        ("min", -INF, 0.0, -INF),
        ("min", 0.0, -0.0, -0.0),
        ("min", -0.0, 0.0, -0.0),
        ("max", 3.0, 7.0, 7.0),
        ("max", NAN, 2.0, 2.0),
        ("max", 2.0, NAN, 2.0),
        ("max", 0.0, -0.0, 0.0),
        ("max", -0.0, 0.0, 0.0),
        ("pow", 2.0, 10.0, 1024.0),
        ("pow", 2.0, -1.0, 0.5),
        ("pow", 10.0, 400.0, INF),
        ("pow", -10.0, 401.0, -INF),
        ("pow", -10.0, 400.0, INF),
        ("pow", -8.0, 1 / 3, NAN),
        ("pow", 0.0, -1.0, INF),
        ("pow", -0.0, -1.0, -INF),
        ("pow", -0.0, -2.0, INF),
        ("pow", 0.0, 0.0, 1.0),
        ("pow", NAN, 0.0, 1.0),
        ("pow", 1.0, NAN, 1.0),
        ("pow", NAN, 2.0, NAN),
        ("pow", 2.0, INF, INF),
        ("pow", 0.5, INF, 0.0),
        ("pow", 10.0, -400.0, 0.0),
    ],
)
def test_binary(name: str, a: float, b: float, expected: float) -> None:
    assert same(call(name, a, b), expected)


@pytest.mark.parametrize(
    ("x", "lo", "hi", "expected"),
    [
        (5.0, 0.0, 10.0, 5.0),
        (-5.0, 0.0, 10.0, 0.0),
        (15.0, 0.0, 10.0, 10.0),
        (5.0, 10.0, 0.0, NAN),
        (NAN, 0.0, 1.0, 0.0),
        (3.0, NAN, 1.0, 1.0),
        (3.0, 0.0, NAN, 3.0),
        (2.0, 2.0, 2.0, 2.0),
    ],
)
def test_clamp(x: float, lo: float, hi: float, expected: float) -> None:
    assert same(call("clamp", x, lo, hi), expected)


def test_random_is_uniform_in_unit_interval() -> None:
    values = [call("random") for _ in range(2000)]
    assert all(type(v) is float and 0.0 <= v < 1.0 for v in values)
    assert len(set(values)) > 1900
    assert 0.4 < sum(values) / len(values) < 0.6


@pytest.mark.parametrize("name", UNARY)
def test_unary_argument_errors(name: str) -> None:
    assert fails(name, "1") == ("AT0001", f"Type error: {name}() expects number argument")
    assert fails(name, True) == ("AT0001", f"Type error: {name}() expects number argument")
    assert fails(name) == ("AT0001", f"Type error: {name}() expects 1 argument")
    assert fails(name, 1.0, 2.0) == ("AT0001", f"Type error: {name}() expects 1 argument")


@pytest.mark.parametrize("name", ["min", "max", "pow"])
def test_binary_argument_errors(name: str) -> None:
    assert fails(name, 1.0, None) == ("AT0001", f"Type error: {name}() expects number arguments")
    assert fails(name, "a", 1.0) == ("AT0001", f"Type error: {name}() expects number arguments")
    assert fails(name, 1.0) == ("AT0001", f"Type error: {name}() expects 2 arguments")


def test_clamp_and_random_argument_errors() -> None:
    assert fails("clamp", 1.0, 2.0, "3") == (
        "AT0001",
        "Type error: clamp() expects number arguments",
    )
    assert fails("clamp", 1.0, 2.0) == ("AT0001", "Type error: clamp() expects 3 arguments")
    assert fails("random", 1.0) == ("AT0001", "Type error: random() expects no arguments")


def test_results_are_floats() -> None:
    for name in UNARY:
        assert type(call(name, 0.25)) is float
    assert type(call("abs", -3.0)) is float
    assert type(call("floor", 2.5)) is float
    assert type(call("round", 2.5)) is float
