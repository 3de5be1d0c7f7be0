"""Differential test: every program behaves identically with and without the JIT.

Each program under tests/programs runs in the VM alone and with the JIT compiling
everything as early as possible (both thresholds 0); stdout, the error (code, message,
line, column), warnings and the program result must be the same, and both must meet the
program's inline expectations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.config import JitConfig
from atlas.pipeline import Session

from .harness import check_program, run_program
from .test_programs import HERE, program_files

EAGER = JitConfig(call_threshold=0, loop_threshold=0)


@pytest.mark.parametrize("path", program_files(), ids=lambda p: str(p.relative_to(HERE)))
def test_jit_matches_vm(path: Path) -> None:
    out: list[str] = []
    jit_session = Session(jit=EAGER, write_stdout=out.append)
    with_jit = run_program(path, jit_session)
    without = run_program(path)
    assert with_jit == without
    check_program(path, with_jit)
