"""Fixtures for the checker tests (helpers live in check_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_helpers import CONFORMANCE


@pytest.fixture
def conformance_dir() -> Path:
    if not CONFORMANCE.is_dir():
        pytest.skip("conformance corpus not available")
    return CONFORMANCE
