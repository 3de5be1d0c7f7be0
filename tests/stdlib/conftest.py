"""Fixtures for the standard-library tests (helpers live in stdlib_support.py)."""

from __future__ import annotations

import pytest
from stdlib_support import FakeContext


@pytest.fixture
def ctx() -> FakeContext:
    """A fake CallContext recording stdout and callback calls."""
    return FakeContext()
