"""The shared conformance corpus: through its own runner, and case by case through the API.

The corpus lives beside the repository (`../shared/conformance`); without it these
tests are skipped.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from atlas import AtlasError, Runtime

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "conformance"


def manifest() -> dict:
    path = CORPUS / "expect.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def cases(group: str) -> list[str]:
    return sorted(rel for rel in manifest() if rel.startswith(group + "/"))


def pass_cases() -> list[str]:
    base = CORPUS / "pass"
    if not base.is_dir():
        return []
    paths = sorted(base.rglob("*.atlas")) + sorted(base.rglob("main.atl"))
    return [p.relative_to(CORPUS).as_posix() for p in paths]


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"conformance corpus not found at {CORPUS}")
    return CORPUS


def atlas_wrapper(directory: Path) -> Path:
    """An executable that runs this interpreter's `atlas`. The runner resolves symlinks
    in the command's path, which would turn a virtualenv's `python` (a symlink) into the
    base interpreter, outside the virtualenv; a script keeps `sys.executable` as is."""
    script = directory / "atlas-under-test"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m atlas "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


@pytest.mark.skipif(sys.platform == "win32", reason="the wrapper is a POSIX shell script")
def test_corpus_runner_passes_every_case(corpus: Path, tmp_path: Path) -> None:
    command = [sys.executable, str(corpus / "run"), "-j", "4", "--timeout", "60", "--"]
    command.append(str(atlas_wrapper(tmp_path)))
    proc = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary.endswith(" 0 failed"), summary
    assert not summary.startswith("0 passed"), summary


def run_case(rel: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Runtime, io.StringIO, str]:
    """A Runtime for corpus case `rel`, in the case's directory (module imports resolve
    against the current directory for source given as text), plus its text."""
    path = CORPUS / rel
    monkeypatch.chdir(path.parent)
    out = io.StringIO()
    return Runtime(stdout=out), out, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("rel", cases("fail"))
def test_fail_case_through_api(corpus: Path, rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = manifest()[rel]
    rt, _, text = run_case(rel, monkeypatch)
    with pytest.raises(AtlasError) as info:
        rt.eval(text, os.path.basename(rel))
    err = info.value
    codes = expect["code"] if isinstance(expect["code"], list) else [expect["code"]]
    assert err.kind == expect["kind"]
    assert err.code in codes
    assert expect.get("message_contains", "") in err.message
    assert err.line >= 1 and err.column >= 1


@pytest.mark.parametrize("rel", cases("warn"))
def test_warn_case_through_api(corpus: Path, rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = manifest()[rel]
    rt, out, text = run_case(rel, monkeypatch)
    rt.eval(text, os.path.basename(rel))
    assert out.getvalue() == expect["stdout"]
    got = {(w.code, w.message) for w in rt.warnings}
    for want in expect["warnings"]:
        assert any(code == want["code"] and want["message_contains"] in msg for code, msg in got), got


@pytest.mark.parametrize("rel", pass_cases())
def test_pass_case_through_api(corpus: Path, rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rt, out, text = run_case(rel, monkeypatch)
    rt.eval(text, os.path.basename(rel))
    expected = (CORPUS / rel).with_suffix(".stdout").read_text(encoding="utf-8")
    assert out.getvalue() == expected
    assert rt.warnings == []
