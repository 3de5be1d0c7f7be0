"""The repository itself: the CI entry point, the README's test command, lint."""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CI_RUN = REPO / ".ci" / "run"
README = REPO / "README.md"


def last_command_line(script: str) -> str:
    lines = [ln.strip() for ln in script.splitlines()]
    commands = [ln for ln in lines if ln and not ln.startswith("#")]
    assert commands, "no command in .ci/run"
    return commands[-1]


def test_ci_entry_point_is_executable() -> None:
    assert CI_RUN.is_file()
    mode = CI_RUN.stat().st_mode
    assert mode & stat.S_IXUSR, oct(mode)
    assert os.access(CI_RUN, os.X_OK)
    assert CI_RUN.read_text(encoding="utf-8").startswith("#!")


def test_ci_ends_with_the_test_suite() -> None:
    command = last_command_line(CI_RUN.read_text(encoding="utf-8"))
    assert "pytest" in command.split("&&")[-1], command


def test_readme_has_the_ci_test_command() -> None:
    if not README.is_file():
        pytest.skip("README.md does not exist yet")
    command = last_command_line(CI_RUN.read_text(encoding="utf-8"))
    assert command in README.read_text(encoding="utf-8"), (
        f"README.md must show the exact command .ci/run runs:\n    {command}"
    )


def test_ruff_is_clean() -> None:
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed")
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
