"""Hostile source through `atlas check` and `atlas run`: diagnostics, never a crash.

Random inputs (bytes, token soups, truncations and mutations of every example and test
program) and structural extremes (10,000 levels of nesting of each nestable construct,
chains of 100,000 operators, megabyte lines and literals) go through the command
in-process and, for a few, through the real `atlas` command in a child process. Each
must end with status 0 or 1 and well-formed coded diagnostics (tests/fuzz/hostile.py
judges), never a traceback, a crash or a hang. `bench/hostile.py` runs any number of
random inputs with the same code.

The second half pins the front-end faults the fuzzer found, one test each.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fuzz.hostile import (
    HostileSource,
    corpus_files,
    huge_inputs,
    run_in_process,
    run_subprocess,
    structural_inputs,
)

from atlas.check.flow import loop_effects
from atlas.check.types import ArrayType
from atlas.diagnostics import AtlasError, print_diagnostics
from atlas.limits import (
    MAX_DIAGNOSTICS,
    MAX_NESTING_DEPTH,
    NESTING_MESSAGE,
    TOO_MANY_DIAGNOSTICS_NOTE,
)
from atlas.pipeline import Session

SEED = 20_240_611
CHUNKS, PER_CHUNK = 4, 250  # 1,000 random inputs, each through check and run


def test_the_corpus_is_there() -> None:
    assert len(corpus_files()) > 100


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_random_hostile_inputs(chunk: int, tmp_path: Path) -> None:
    failures = []
    for i in range(chunk * PER_CHUNK, (chunk + 1) * PER_CHUNK):
        family, data = HostileSource(f"{SEED}:{i}").next()
        path = tmp_path / "input.atl"
        path.write_bytes(data)
        for command, as_json in (("check", i % 2 == 0), ("run", i % 2 == 1)):
            verdict = run_in_process(path, command, as_json=as_json)
            if not verdict.ok:
                failures.append(
                    f"input {i} ({family}), atlas {command}: {verdict.problem}\n{data[:500]!r}"
                )
    assert not failures, "\n\n".join(failures[:5])


STRUCTURAL = dict(structural_inputs())
HUGE = dict(huge_inputs())
# Inputs of a few hundred thousand tokens take seconds each; CI leaves them to
# `bench/hostile.py --structural` (and to the regression tests below, at their limits).
HEAVY = {
    "statements", "arguments", "array-literal", "long-index-chain", "long-call-chain",
    "long-method-chain", "long-property-chain", "long-try-chain", "long-array-types",
    "one-megabyte-line", "hundred-thousand-declarations", "megabyte-of-type-errors",
    "megabyte-of-type-errors-one-line", "megabyte-of-warnings", "megabyte-of-syntax-errors-lines",
    "megabyte-of-bad-numbers",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(STRUCTURAL.keys() - HEAVY))
def test_structural_extreme(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.atl"
    path.write_text(STRUCTURAL[name], encoding="utf-8")
    small = len(STRUCTURAL[name]) < 200_000  # the others only through check: CI time
    for command, as_json in (("check", True), ("run", False))[: 2 if small else 1]:
        verdict = run_in_process(path, command, as_json=as_json, run_limit=10.0)
        assert verdict.ok, f"atlas {command}: {verdict.problem}"


@pytest.mark.parametrize("name", sorted(HUGE.keys() - HEAVY))
def test_megabyte_input(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.atl"
    path.write_text(HUGE[name], encoding="utf-8")
    verdict = run_in_process(path, "check", as_json=True)
    assert verdict.ok, verdict.problem
    # at most MAX_DIAGNOSTICS errors and as many warnings, each with its line
    assert len(verdict.stderr) < 2 * MAX_DIAGNOSTICS * (len(HUGE[name]) + 2_000)


@pytest.mark.parametrize(
    "name",
    ["parentheses", "unary-minus", "arrays", "ifs", "calls", "matches", "try-chain", "functions"],
)
def test_nesting_just_inside_the_limit_runs(name: str, tmp_path: Path) -> None:
    inside = dict(structural_inputs(MAX_NESTING_DEPTH - 2))[name]
    path = tmp_path / "inside.atl"
    path.write_text(inside, encoding="utf-8")
    verdict = run_in_process(path, "check", as_json=True)
    assert verdict.ok and verdict.status == 0, verdict.stderr[:500]


# ---------------------------------------------------------------- the real command


SUBPROCESS_CASES = {
    "parentheses": STRUCTURAL["parentheses"],
    "blocks": STRUCTURAL["blocks"],
    "chain-&&": STRUCTURAL["chain-&&"],
    "one-megabyte-line": HUGE["one-megabyte-line"],
    "megabyte-of-bad-characters": HUGE["megabyte-of-bad-characters"],
    "hundred-thousand-digit-number": HUGE["hundred-thousand-digit-number"],
    "nested-ifs-inside-the-limit": dict(structural_inputs(MAX_NESTING_DEPTH - 2))["ifs"],
}


@pytest.mark.parametrize("name", sorted(SUBPROCESS_CASES))
def test_through_the_atlas_command(name: str, tmp_path: Path) -> None:
    path = tmp_path / "prog.atl"
    path.write_text(SUBPROCESS_CASES[name], encoding="utf-8")
    commands = (("check", False), ("run", True))
    for command, as_json in commands[1:] if len(SUBPROCESS_CASES[name]) > 200_000 else commands:
        verdict = run_subprocess(path, command, as_json=as_json)
        assert verdict.ok, f"atlas {command}: {verdict.problem}"


def test_random_bytes_through_the_atlas_command(tmp_path: Path) -> None:
    source = HostileSource(SEED)
    for i in range(3):
        path = tmp_path / f"bytes{i}.atl"
        path.write_bytes(source.random_bytes() + bytes(range(256)))
        verdict = run_subprocess(path, "run")
        assert verdict.ok, verdict.problem
        assert verdict.status == 1 and "error[AT5002]" in verdict.stderr


# ---------------------------------------------------------------- faults it found


def check_text(text: str) -> AtlasError | None:
    session = Session()
    try:
        session.check(session.load_text(text, "t.atl"))
    except AtlasError as error:
        return error
    return None


def test_carriage_returns_are_whitespace_and_stay_in_strings(tmp_path: Path) -> None:
    """Source files were read with newline translation: a lone CR became a line break
    (wrong line numbers) and a CR inside a string literal became a LF."""
    path = tmp_path / "cr.atl"
    path.write_bytes(b'let s = "a\rb\r\nc";\nprint(len(s));\nprint(1 +\r 2);\rprint(x);\n')
    verdict = run_in_process(path, "run", as_json=True)
    record = json.loads(verdict.stderr.split("\n")[0])
    assert (record["code"], record["line"], record["column"]) == ("AT0002", 4, 22)
    path.write_bytes(b'let s = "a\rb\r\nc";\r\nprint(len(s));\r\nprint(1 +\r 2);\r\n')
    verdict = run_in_process(path, "run")
    assert (verdict.status, verdict.stdout) == (0, "6\n3\n")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("@" * 10_000, "AT1001"),
        ('"\\q" ' * 10_000, "AT1003"),
        ("let ;" * 10_000, "AT1000"),
        ("}\n" * 10_000, "AT1000"),
        ("".join(f'let x{i}: number = "s";\n' for i in range(1_000)), "AT3001"),
    ],
    ids=["lexer", "escapes", "parser", "braces", "checker"],
)
def test_errors_stop_at_the_diagnostics_limit(text: str, code: str) -> None:
    """A megabyte of garbage made a million diagnostics, each printed with its line (the
    JSON form of 100,000 errors on one 100 KB line was 10 GB and took minutes)."""
    error = check_text(text)
    assert error is not None
    errors = [d for d in error.diagnostics if d.level == "error"]
    assert len(errors) == MAX_DIAGNOSTICS
    assert {d.code for d in errors} == {code}
    assert errors[-1].notes == [TOO_MANY_DIAGNOSTICS_NOTE]
    assert all(not d.notes for d in errors[:-1])


def test_warnings_stop_at_the_diagnostics_limit() -> None:
    params = ", ".join(f"p{i}: number" for i in range(1_000))
    session = Session()
    session.check(session.load_text(f"fn f({params}) {{}}\n", "t.atl"))
    warnings = session.take_warnings()
    assert len(warnings) == MAX_DIAGNOSTICS
    assert sum(bool(w.notes) for w in warnings) == 1


def test_a_few_errors_are_all_reported() -> None:
    error = check_text("@ # $\nlet x = ;\n")
    assert error is not None and [d.code for d in error.diagnostics] == ["AT1001"] * 3


def test_megabyte_of_bad_characters_reports_quickly_in_json(tmp_path: Path) -> None:
    path = tmp_path / "at.atl"
    path.write_text("@" * 1_000_000, encoding="utf-8")
    verdict = run_in_process(path, "check", as_json=True)
    records = [json.loads(line) for line in verdict.stderr.split("\n") if line]
    assert len(records) == MAX_DIAGNOSTICS
    assert records[-1]["notes"] == [TOO_MANY_DIAGNOSTICS_NOTE]


def nested_loops(depth: int, body: str) -> str:
    return "var i = 0;\n" + "while (i < 1) {\n" * depth + body + "}\n" * depth


def test_nested_loops_are_scanned_once() -> None:
    """Checking a loop scanned its whole body for assignments, once per enclosing loop:
    999 nested loops of a 15 KB file took seconds (quadratic). Effects are now memoised
    per loop, and an outer loop takes its inner loops' effects from the memo."""
    session = Session()
    modules = session.load_text(nested_loops(3, "i++;\n"), "t.atl")
    session.check(modules)  # binds the names
    program = modules[0].program
    outer = program.items[1]
    inner = outer.body.stmts[0]
    memo: dict = {}
    assigned, calls = loop_effects(inner, memo)
    assert [s.name for s in assigned] == ["i"] and not calls
    assert loop_effects(outer, memo) == (assigned, False)
    planted: dict = {id(inner): (frozenset(), True)}  # the outer loop reads its inner loop's
    assert loop_effects(outer, planted) == (frozenset(), True)  # effects from the memo


@pytest.mark.parametrize("depth", [2, MAX_NESTING_DEPTH // 3])
def test_assignment_deep_in_nested_loops_still_ends_narrowing(depth: int) -> None:
    inner = "while (true) {\n" * depth + 'x = "s";\n' + "}\n" * depth
    text = f"var x: number | string = 1;\nif (isNumber(x)) {{ while (true) {{ let y: number = x;\n{inner}}} }}\n"
    error = check_text(text)
    assert error is not None and [d.code for d in error.diagnostics if d.level == "error"] == [
        "AT3001"
    ]
    assert check_text(text.replace('x = "s";', "print(1);")) is None


@pytest.mark.parametrize(
    "chain",
    ["[0]", "()", ".len()", ".len", "?"],
    ids=["index", "call", "method", "property", "try"],
)
def test_postfix_chains_count_against_the_nesting_limit(chain: str) -> None:
    """`a[0][0]...`, `f()()...`, `x.len().len()...` and `x??...` were not counted: a
    chain of 100,000 passed the parser and the checker died of a RecursionError (a Python
    traceback from `atlas check`; bench/hostile.py --structural still tries 100,000)."""
    body = "    let a = [0];\n    let x = a" + chain * 5_000 + ";\n    return Ok(1);\n"
    error = check_text("fn f() -> Result<number, string> {\n" + body + "}\n")
    assert error is not None
    assert (error.code, error.message) == ("AT1000", NESTING_MESSAGE)


def test_array_type_suffixes_count_against_the_nesting_limit() -> None:
    """`number[][]...` 400,000 times: the parser built it in a loop, and resolving the type
    died of a RecursionError (a Python traceback from `atlas check`). Now beyond the
    nesting limit it is the nesting diagnostic."""
    error = check_text("fn f(a: number" + "[]" * 5_000 + ") {}\n")
    assert error is not None
    assert (error.code, error.message) == ("AT1000", NESTING_MESSAGE)
    depth = MAX_NESTING_DEPTH - 10
    text = f"let x: number{'[]' * depth} = {'[' * depth}1{']' * depth};\nprint(len(x));\n"
    session = Session(write_stdout=(out := []).append)
    session.execute(session.prepare_text(text, "t.atl"))
    assert out == ["1\n"]


def test_compiling_never_displays_a_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiler asked every expression's type for its display text (to compare it with
    "void"), which is linear in the type's depth: 20,000 statements each nesting an array
    one level deeper took minutes to compile (quadratic)."""
    calls = []
    display = ArrayType.display
    monkeypatch.setattr(ArrayType, "display", lambda self: calls.append(1) or display(self))
    text = "let a0 = [1];\n" + "".join(f"let a{i} = [a{i - 1}];\n" for i in range(1, 300))
    session = Session(write_stdout=(out := []).append)
    session.execute(session.prepare_text(text + "print(len(a299));\n", "t.atl"))
    assert out == ["1\n"] and not calls


def test_postfix_chain_inside_the_limit_runs() -> None:
    depth = MAX_NESTING_DEPTH - 10
    text = f"let a = {'[' * depth}7{']' * depth};\nprint(a{'[0]' * depth});\n"
    session = Session(write_stdout=(out := []).append)
    session.execute(session.prepare_text(text, "t.atl"))
    assert out == ["7\n"]


def render_human(text: str) -> str:
    error = check_text(text)
    assert error is not None
    out = io.StringIO()
    print_diagnostics(error.diagnostics, out, color=False)
    return out.getvalue()


def test_human_form_never_prints_control_characters() -> None:
    """The human form echoed the source line and the character verbatim: an escape
    sequence in a file drove the terminal (cleared it, recoloured it)."""
    shown = render_human("let x = 1;\x1b[2J\x07 print(x);\n")
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Unexpected character '\\u{1b}'" in shown
    assert " 1 | let x = 1;\ufffd[2J\ufffd print(x);" in shown
    lines = shown.splitlines()
    caret = lines[4].index("^")
    assert lines[3][caret] == "\ufffd"  # still under the character it points at


def test_human_form_neutralises_bidirectional_overrides() -> None:
    shown = render_human('let s = "x";\t\u202e let y = @;\n')
    assert "\u202e" not in shown and "Unexpected character '\\u{202e}'" in shown


def test_json_form_keeps_the_exact_text() -> None:
    error = check_text("let x = 1;\x1b\n")
    out = io.StringIO()
    print_diagnostics(error.diagnostics, out, as_json=True)
    record = json.loads(out.getvalue())
    assert record["message"] == "Unexpected character '\x1b'"
    assert record["snippet"] == "let x = 1;\x1b"


def test_identifiers_continue_with_any_alphanumeric_character() -> None:
    """The lexer scans identifier tails with one regular expression (`\\w`, which is
    exactly `isalnum() or _`) and whitespace runs at once; same tokens as before."""
    session = Session(write_stdout=(out := []).append)
    modules = session.prepare_text(
        "let x² = 2;\nlet ab_9ǅ = 3;\nprint(x² * ab_9ǅ);\r\n\t print(1);", "t.atl"
    )
    session.execute(modules)
    assert "".join(out) == "6\n1\n"
