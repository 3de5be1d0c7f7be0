"""Run an Atlas program file in-process and compare it with its inline expectations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from atlas.diagnostics import AtlasError
from atlas.pipeline import Session
from atlas.vm.executor import run_on_big_stack
from atlas.vm.values import display

EXPECT = re.compile(r"//\s*expect(-error|-warning|-result)?:\s?(.*)$")
CODED = re.compile(r"(AT\d{4})(?:@(\d+))?\s*(.*)$")


@dataclass
class Expectations:
    stdout: list[str] = field(default_factory=list)
    error: tuple[str, int | None, str, int] | None = None  # code, column, message, line
    warnings: list[tuple[str, str, int]] = field(default_factory=list)
    result: str | None = None


def read_expectations(path: Path) -> Expectations:
    exp = Expectations()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = EXPECT.search(line)
        if not m:
            continue
        kind, text = m.group(1), m.group(2)
        if kind is None:
            exp.stdout.append(text)
        elif kind == "-result":
            exp.result = text
        else:
            coded = CODED.match(text)
            assert coded, f"{path}:{number}: malformed expectation {text!r}"
            code, col, message = coded.group(1), coded.group(2), coded.group(3)
            if kind == "-error":
                exp.error = (code, int(col) if col else None, message, number)
            else:
                exp.warnings.append((code, message, number))
    return exp


@dataclass
class Outcome:
    stdout: list[str]
    result: str | None
    error: tuple[str, str, int, int] | None  # code, message, line, column
    warnings: list[tuple[str, str, int]]


def run_program(path: Path, session: Session | None = None) -> Outcome:
    out: list[str] = []
    session = session or Session(write_stdout=out.append)
    if session.vm._write is not out.append:
        session.vm._write = out.append
    error = None
    result = None
    reported = []
    try:
        modules = session.prepare_file(str(path))
        value = run_on_big_stack(session.execute, modules)
        result = None if value is None else display(value)
    except AtlasError as exc:
        first = next(d for d in exc.diagnostics if d.level == "error")
        error = (first.code, first.message, first.line, first.column)
        reported = [d for d in exc.diagnostics if d.level == "warning"]
    warnings = [(w.code, w.message, w.line) for w in session.take_warnings() + reported]
    return Outcome("".join(out).splitlines(), result, error, warnings)


def check_program(path: Path, outcome: Outcome) -> None:
    exp = read_expectations(path)
    assert outcome.stdout == exp.stdout, f"stdout of {path.name}"
    if exp.error is None:
        assert outcome.error is None, f"unexpected error {outcome.error}"
    else:
        assert outcome.error is not None, f"expected {exp.error[0]}, program succeeded"
        code, column, message, line = exp.error
        got_code, got_message, got_line, got_column = outcome.error
        assert (got_code, got_line) == (code, line), f"{outcome.error} != {exp.error}"
        assert message in got_message
        if column is not None:
            assert got_column == column
    if exp.result is not None:
        assert outcome.result == exp.result
    unmatched = list(outcome.warnings)  # each expectation consumes one reported warning
    for code, message, line in exp.warnings:
        found = [w for w in unmatched if w[0] == code and message in w[1] and w[2] == line]
        assert found, f"missing warning {code} {message} on line {line}: {outcome.warnings}"
        unmatched.remove(found[0])
    assert not unmatched, f"unexpected warnings {unmatched}"
