"""Every program under tests/programs, checked against its inline expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import check_program, run_program

HERE = Path(__file__).parent


def is_imported_module(path: Path) -> bool:
    """Whether `path` belongs to a multi-file program: a directory at or above it (below
    HERE) has a `main.atl` that is not `path` itself."""
    for directory in path.parents:
        if directory == HERE:
            return False
        entry = directory / "main.atl"
        if entry != path and entry.exists():
            return True
    return False


def program_files() -> list[Path]:
    """Single-file programs, plus the `main.atl` of each multi-file program directory."""
    return sorted(path for path in HERE.rglob("*.atl") if not is_imported_module(path))


@pytest.mark.parametrize("path", program_files(), ids=lambda p: str(p.relative_to(HERE)))
def test_program(path: Path) -> None:
    check_program(path, run_program(path))
