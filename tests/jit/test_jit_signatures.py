"""Real signatures: compiled functions of every arity 0..8 get their arguments right.

Each generated function weighs every parameter by a distinct power so that any mix-up
of order, count or kind (number vs bool) changes the result; mixing bools in at
different positions exposes calling-convention errors between doubles and i1s.
"""

from __future__ import annotations

import itertools

import pytest

from .jit_support import same


def signature_program(kinds: str) -> str:
    params = ", ".join(f"p{i}: {'number' if k == 'n' else 'bool'}" for i, k in enumerate(kinds))
    body = ["var acc = 0;"]
    for i, k in enumerate(kinds):
        weight = 3 ** i
        if k == "n":
            body.append(f"acc = acc + p{i} * {weight};")
        else:
            body.append(f"if (p{i}) {{ acc = acc + {weight} * 1000; }}")
    body.append("return acc;")
    args_a = ", ".join(f"{i + 1}.5" if k == "n" else ("true" if i % 2 else "false") for i, k in enumerate(kinds))
    args_b = ", ".join(f"{-(i * 7) - 0.25}" if k == "n" else ("false" if i % 2 else "true") for i, k in enumerate(kinds))
    return (
        f"fn f({params}) -> number {{\n    " + "\n    ".join(body) + "\n}\n"
        f"print(f({args_a}));\nprint(f({args_b}));\n"
        f"fn g({params}) -> bool {{ return f({', '.join(f'p{i}' for i in range(len(kinds)))}) > 10; }}\n"
        f"print(g({args_a}));\n"
    )


PATTERNS = ["", "n", "b", "nb", "bn", "nnb", "bnb", "nbnb", "bbnnb", "nbbnbn", "bnnbnnb", "nnnnbbbb", "bnbnbnbn"]


@pytest.mark.parametrize("kinds", PATTERNS, ids=lambda k: k or "nullary")
def test_arity_and_kinds(kinds: str) -> None:
    result = same(signature_program(kinds))
    assert result.function("f").tier == "native"
    assert result.function("g").tier == "native"


@pytest.mark.parametrize("arity", range(9))
def test_every_arity_all_numbers(arity: int) -> None:
    kinds = "n" * arity
    result = same(signature_program(kinds))
    assert result.function("f").tier == "native"


def test_argument_order_is_kept() -> None:
    src = """
fn pick(a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) -> number {
    return a - b * 2 + c * 3 - d * 4 + e * 5 - f * 6 + g * 7 - h * 8;
}
print(pick(1, 2, 3, 4, 5, 6, 7, 8));
print(pick(8, 7, 6, 5, 4, 3, 2, 1));
"""
    result = same(src)
    assert result.stdout == "-36\n0\n"
    assert result.function("pick").tier == "native"


def test_bool_results_and_void_functions() -> None:
    src = """
var total = 0;
fn add(x: number) -> void { total = total + x; }
fn positive(x: number) -> bool { return x > 0; }
fn both(a: bool, b: bool) -> bool { return a && !b; }
for (var i = -3; i < 4; i++) { if (positive(i)) { add(i); } }
print(total);
print(both(true, false));
print(both(false, false));
"""
    result = same(src)
    assert result.stdout == "6\ntrue\nfalse\n"
    for name in ("add", "positive", "both"):
        assert result.function(name).tier == "native"


@pytest.mark.parametrize(("a", "b"), list(itertools.product(["0", "-0", "1e308", "-2.5"], repeat=2)))
def test_number_edge_arguments(a: str, b: str) -> None:
    same(f"fn h(x: number, y: number) -> number {{ return x * 2 - y; }}\nprint(h({a}, {b}));\n")
