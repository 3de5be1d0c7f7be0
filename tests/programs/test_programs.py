"""Every program under tests/programs, checked against its inline expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import check_program, run_program

HERE = Path(__file__).parent


def program_files() -> list[Path]:
    """Single-file programs, plus the `main.atl` of each multi-file program directory."""
    found = []
    for path in HERE.rglob("*.atl"):
        if path.name != "main.atl" and (path.parent / "main.atl").exists():
            continue  # a module imported by that directory's main.atl
        found.append(path)
    return sorted(found)


@pytest.mark.parametrize("path", program_files(), ids=lambda p: str(p.relative_to(HERE)))
def test_program(path: Path) -> None:
    check_program(path, run_program(path))
