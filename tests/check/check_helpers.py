"""Helpers shared by the checker tests: parse + check small inline Atlas programs.

A uniquely named module (not conftest) so that `from check_helpers import ...` cannot
pick up another test directory's conftest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path

from atlas.check.checker import CheckResult, check_module
from atlas.check.symbols import Symbol
from atlas.source import SourceFile
from atlas.syntax import ast
from atlas.syntax.parser import parse


def parse_ok(src: str, name: str = "test.atl") -> ast.Program:
    program, diags = parse(SourceFile(name, src))
    assert not diags, [d.message for d in diags]
    assert program is not None
    return program


def check(
    src: str,
    *,
    imports: Mapping[str, Mapping[str, Symbol]] | None = None,
    prior_globals: Mapping[str, Symbol] | None = None,
    module: object = None,
) -> CheckResult:
    return check_module(parse_ok(src), imports=imports, prior_globals=prior_globals, module=module)


def checked(src: str, **kw) -> tuple[ast.Program, CheckResult]:
    program = parse_ok(src)
    return program, check_module(program, **kw)


def errors(src: str, **kw) -> list[tuple[str, str]]:
    """(code, message) of every error."""
    return [(d.code, d.message) for d in check(src, **kw).diagnostics if d.level == "error"]


def warnings(src: str, **kw) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in check(src, **kw).diagnostics if d.level == "warning"]


def located(src: str, **kw) -> list[tuple[str, str, str]]:
    """(code, message, "line:column") of every diagnostic, errors first."""
    return [(d.code, d.message, f"{d.line}:{d.column}") for d in check(src, **kw).diagnostics]


def error(src: str, **kw) -> tuple[str, str]:
    """The single error of a program."""
    errs = errors(src, **kw)
    assert len(errs) == 1, errs
    return errs[0]


def assert_clean(src: str, **kw) -> CheckResult:
    result = check(src, **kw)
    assert not result.diagnostics, [(d.code, d.message, d.line) for d in result.diagnostics]
    return result


def assert_ok(src: str, **kw) -> CheckResult:
    """No errors (warnings allowed)."""
    result = check(src, **kw)
    assert result.ok, [(d.code, d.message, d.line) for d in result.diagnostics]
    return result


def walk(node: object) -> Iterator[object]:
    """Every AST node below `node` (inclusive), in field order."""
    yield node
    if not dataclasses.is_dataclass(node):
        return
    for f in dataclasses.fields(node):
        if f.name in ("span", "ty", "symbol", "resolved", "scope", "captures", "fn_type", "source"):
            continue
        value = getattr(node, f.name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, tuple):
                item = item[1]
            if dataclasses.is_dataclass(item) and not isinstance(item, type):
                yield from walk(item)


def find(program: ast.Program, cls: type, name: str | None = None) -> list:
    """Nodes of class `cls` (with `.name == name` when given), in source order."""
    return [
        n
        for n in walk(program)
        if isinstance(n, cls) and (name is None or getattr(n, "name", None) == name)
    ]


CONFORMANCE = Path("/work/shared/conformance")
