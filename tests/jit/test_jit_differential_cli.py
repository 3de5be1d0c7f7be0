"""Differential test through the command line: every example program and every case of
the shared conformance corpus (when it is present) gives the same stdout, stderr and
exit status with `--no-jit` and with the JIT compiling everything as early as possible.

tests/programs/test_differential.py does the same for the project's own programs
through the API; this one goes through `atlas run` itself, so diagnostics rendering and
exit codes are compared too.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from atlas.cli import main

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "conformance"
EAGER_FLAGS = ["--jit-threshold", "0", "--jit-loop-threshold", "0"]


def programs() -> list[Path]:
    found = sorted((REPO / "examples").rglob("*.atl"))
    found = [p for p in found if p.parent.name != "modules" or p.name == "main.atl"]
    if CORPUS.is_dir():
        found += sorted(CORPUS.rglob("*.atlas"))
        found += sorted(CORPUS.rglob("main.atl"))
    return found


def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


def label(path: Path) -> str:
    for base in (REPO, CORPUS.parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return str(path)


@pytest.mark.parametrize("path", programs(), ids=label)
def test_eager_jit_matches_the_vm(path: Path) -> None:
    vm = run_cli(["run", "--no-jit", str(path)])
    jit = run_cli(["run", *EAGER_FLAGS, str(path)])
    assert jit == vm
