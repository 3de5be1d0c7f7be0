"""The JIT never changes what a program does: random programs, VM against eager JIT.

Hypothesis draws every decision of the generator (tests/fuzz/generator.py), so a
failing program is shrunk to a small one before it is reported. The runs are
deterministic (a fixed seed per test, no example database) so CI never flakes; the
standalone script `bench/fuzz.py` runs the same generator for any number of programs.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, note, seed, settings

from .choices import RandomChoices
from .differential import compare, run
from .generator import (
    SMALL,
    FuzzSize,
    ProgramGenerator,
    generate_from_seed,
    programs,
)
from .reduce import reduce_lines

EXAMPLES_PER_TEST = 100

# deadline=None: each example compiles several functions with LLVM, whose time varies
# with machine load. too_slow: a program takes a few hundred draws to generate, which
# hypothesis finds slow next to its usual strategies. data_too_large: a full-size program
# may run past hypothesis' buffer (that example is dropped, not failed); large programs
# are the point, so the health check must not fail the run over it.
FUZZ = settings(
    max_examples=EXAMPLES_PER_TEST,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


def check(source: str) -> None:
    note(source)
    result = compare(source)
    assert not result.invalid, f"the generator wrote an invalid program: {result.vm.error}"
    assert result.ok, result.describe()


@seed(20_240_611)
@FUZZ
@given(programs(SMALL))
def test_jit_matches_vm_small_programs(source: str) -> None:
    check(source)


@seed(20_240_612)
@FUZZ
@given(programs(SMALL))
def test_jit_matches_vm_small_programs_more(source: str) -> None:
    check(source)


@seed(20_240_613)
@FUZZ
@given(programs(FuzzSize()))
def test_jit_matches_vm_full_size_programs(source: str) -> None:
    check(source)


# ---------------------------------------------------------------- the generator itself


def test_same_seed_same_program() -> None:
    assert generate_from_seed("a:1") == generate_from_seed("a:1")
    assert generate_from_seed("a:1") != generate_from_seed("a:2")


COVERAGE = {
    "while loop": r"while \(w",
    "while (true) loop": r"while \(true\)",
    "for loop": r"for \(var i",
    "fractional loop step": r"j\d+ \+= 0\.",
    "for-in loop": r"for x\d+ in ",
    "break": r"break;",
    "continue": r"continue;",
    "nested if/else": r"\} else \{",
    "short-circuit and": r" && ",
    "short-circuit or": r" \|\| ",
    "negation": r"!\(",
    "modulo": r" % ",
    "division": r" / ",
    "compound assignment": r" [-+*/%]= ",
    "increment": r"\+\+;",
    "negative zero": r"-0\b",
    "huge literal": r"1e\+308",
    "subnormal literal": r"5e-324",
    "non-integer literal": r"\d\.\d",
    "math builtin": r"(sqrt|log|pow|asin|acos)\(",
    "NaN-capable builtin with raw argument": r"(sqrt|log)\((?!abs)",
    "explicit zero divisor": r"[/%] (0|-0|\(0 \* -1\))\)",
    "bool parameter": r"\w+: bool[,)]",
    "array parameter": r"\w+: number\[\][,)]",
    "eight parameters": r"fn f\d+\(([^,()]+, ){7}[^,()]+\)",
    "no parameters": r"fn f\d+\(\)",
    "function returning an array": r"\) -> number\[\] \{",
    "function returning a bool": r"\) -> bool \{",
    "function without a return type": r"fn f\d+\([^)]*\) \{",
    "recursion": r"f\d+\(n - 1",
    "global number": r"var g\d+: number =",
    "global bool": r"var g\d+: bool =",
    "global array": r"var g\d+: number\[\] =",
    "array literal": r"\[\d",
    "array element write": r"\w+\[[^\]]+\] = ",
    "aliasing copy": r"var (v\d+) = (\w+);\n\s*\1\[",
    "len": r"len\(",
    "deep recursion": r"deep\d+\(\d{4,}\)",
}


def test_generator_covers_the_language_subset() -> None:
    corpus = "\n".join(generate_from_seed(f"coverage:{i}") for i in range(300))
    missing = [what for what, pattern in COVERAGE.items() if not re.search(pattern, corpus)]
    assert not missing, f"never generated: {missing}"


def test_generated_programs_check_and_end() -> None:
    """Well-typed (they get past the front end) and terminating (no timeout) at full size."""
    for i in range(40):
        source = generate_from_seed(f"valid:{i}", FuzzSize())
        outcome = run(source, None)
        assert outcome.phase == "run", f"{outcome.error}\n{source}"
        assert outcome.crash is None, source


def test_reducer_keeps_the_property_and_drops_the_rest() -> None:
    source = "var a = 1;\nif (true) {\n    print(a);\n    print(2);\n} else {\n    print(3);\n}\nprint(4);\n"
    small = reduce_lines(
        source, lambda text: "print(2);" in text and text.count("{") == text.count("}")
    )
    assert small.strip() == "print(2);"


@pytest.mark.parametrize("hazard", [0, 1, 2])
def test_hazard_levels_all_occur(hazard: int) -> None:
    seen = set()
    for i in range(60):
        generator = ProgramGenerator(RandomChoices(f"hazard:{i}"))
        generator.program()
        seen.add(generator.hazard)
    assert hazard in seen
