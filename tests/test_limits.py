"""Resource limits on the command line: --timeout and --max-memory, in both tiers.
(The call-depth limit in both tiers: tests/jit/test_jit_limits.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SPIN_TOP = "var x = 0;\nwhile (true) { x = x * 0.5 + 1; }\n"
SPIN_STRINGS = 'var t = "";\nwhile (true) { t = t + "x"; if (len(t) > 100) { t = ""; } }\n'
RECURSE = "fn fib(n: number) -> number { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }\nprint(fib(80));\n"
HOARD = """
var parts: string[] = [];
var s = "x";
for (var i = 0; i < 20; i++) { s = s + s; }
while (true) { parts.push(s + str(len(parts))); }
"""


def atlas_run(tmp_path: Path, source: str, *flags: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "prog.atl"
    path.write_text(source, encoding="utf-8")
    command = [sys.executable, "-m", "atlas", "run", *flags, str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    ("source", "flags"),
    [(SPIN_TOP, ["--no-jit"]), (SPIN_TOP, []), (SPIN_STRINGS, []), (RECURSE, [])],
    ids=["vm-loop", "native-loop", "vm-strings", "native-recursion"],
)  # fmt: skip
def test_timeout_stops_a_runaway_program(tmp_path: Path, source: str, flags: list[str]) -> None:
    proc = atlas_run(tmp_path, source, "--timeout", "1", *flags)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error[AT0009]: Time limit exceeded"), proc.stderr
    assert "prog.atl:" in proc.stderr  # where it stopped


def test_max_memory_stops_unbounded_allocation_with_a_clean_error(tmp_path: Path) -> None:
    proc = atlas_run(tmp_path, HOARD, "--max-memory", "300")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error[AT0010]: Memory limit exceeded"), proc.stderr


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_limit_flags_reject_bad_values(tmp_path: Path, value: str) -> None:
    proc = atlas_run(tmp_path, "print(1);", "--timeout", value)
    assert proc.returncode == 2
    assert "--timeout" in proc.stderr
