"""The call-depth limit holds in both tiers: deep native recursion is a clean AT0008."""

from __future__ import annotations

import pytest

from atlas.config import JitConfig
from atlas.limits import MAX_CALL_DEPTH

from .jit_support import same

DEEP = """
fn down(n: number) -> number {
    if (n == 0) { return 0; }
    return 1 + down(n - 1);
}
print(down(100000));
"""


@pytest.mark.parametrize("threshold", [0, 1000])
def test_recursion_100000_deep_is_a_clean_stack_overflow_in_both_tiers(threshold: int) -> None:
    result = same(DEEP, JitConfig(call_threshold=threshold, loop_threshold=threshold))
    assert MAX_CALL_DEPTH < 100_000
    assert result.error is not None
    assert result.error[:3] == ("AT0008", "Stack overflow: maximum call depth exceeded", 4)
