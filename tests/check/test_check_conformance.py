"""Every conformance pass/ and warn/ program checks without errors (warn/ ones with exactly
the expected warnings), and the fail/ name and type cases give the expected diagnostic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from check_helpers import CONFORMANCE, parse_ok

from atlas.check.checker import CheckResult, check_module
from atlas.syntax import ast


def check_file(path: Path, cache: dict[Path, CheckResult | None]) -> CheckResult | None:
    """Check a file and, first, the modules it imports (a minimal loader)."""
    path = path.resolve()
    if path in cache:
        return cache[path]
    cache[path] = None  # an import cycle is the loader's error, not ours
    program = parse_ok(path.read_text(), path.name)
    imports = {}
    for item in program.items:
        if isinstance(item, ast.Import):
            target = path.parent / (item.path if item.path.endswith(".atl") else item.path + ".atl")
            if target.exists() and (dep := check_file(target, cache)) is not None:
                imports[item.path] = dep.exports
    cache[path] = check_module(program, imports=imports)
    return cache[path]


def cases(group: str) -> list[Path]:
    if not CONFORMANCE.is_dir():
        return []
    root = CONFORMANCE / group
    return sorted([*root.rglob("*.atlas"), *root.rglob("main.atl")])


def expectations() -> dict:
    path = CONFORMANCE / "expect.json"
    return json.loads(path.read_text()) if path.exists() else {}


def test_corpus_present(conformance_dir):
    assert cases("pass") and cases("warn")


@pytest.mark.parametrize("path", cases("pass"), ids=lambda p: str(p.relative_to(CONFORMANCE)))
def test_pass_programs_have_no_diagnostics(path):
    result = check_file(path, {})
    assert result is not None
    assert [(d.code, d.message) for d in result.diagnostics] == []


@pytest.mark.parametrize("path", cases("warn"), ids=lambda p: str(p.relative_to(CONFORMANCE)))
def test_warn_programs_have_exactly_the_expected_warnings(path):
    expected = expectations()[str(path.relative_to(CONFORMANCE))]["warnings"]
    result = check_file(path, {})
    assert result is not None and result.ok
    got = sorted((d.code, d.message) for d in result.diagnostics)
    assert got == sorted((w["code"], w["message_contains"]) for w in expected)


def checker_fail_cases() -> list[str]:
    return [
        case
        for case, e in expectations().items()
        if case.startswith("fail/") and e["kind"] == "type" and "circular" not in case
    ]


@pytest.mark.parametrize("case", checker_fail_cases())
def test_fail_programs_give_the_expected_error(case):
    expected = expectations()[case]
    codes = expected["code"] if isinstance(expected["code"], list) else [expected["code"]]
    result = check_file(CONFORMANCE / case, {})
    assert result is not None
    assert any(
        d.level == "error" and d.code in codes and expected["message_contains"] in d.message
        for d in result.diagnostics
    ), [(d.code, d.message) for d in result.diagnostics]
