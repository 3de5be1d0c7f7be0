"""Where the program generator's decisions come from: `random.Random` or hypothesis.

The generator asks only two questions -- "a number below n" and "one of these weighted
options" -- so the same generator code can be driven by a seeded `random.Random` (the
standalone fuzz script: fast, reproducible by seed) or by hypothesis' `data.draw` (the
test suite: hypothesis then shrinks a failing program by shrinking these answers). Both
answer 0 for "the first, simplest option" when shrunk, so generators list the simplest
option first.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol


class Choices(Protocol):
    def below(self, n: int) -> int:
        """A whole number in [0, n)."""
        ...

    def weighted(self, weights: Sequence[int]) -> int:
        """An index into `weights`, chosen in proportion to them."""
        ...


class RandomChoices:
    """Decisions from a seeded `random.Random`."""

    def __init__(self, seed: int | str) -> None:
        self.rng = random.Random(seed)

    def below(self, n: int) -> int:
        return self.rng.randrange(n)

    def weighted(self, weights: Sequence[int]) -> int:
        return self.rng.choices(range(len(weights)), weights=weights)[0]


class HypothesisChoices:
    """Decisions drawn through hypothesis (the `draw` of `st.composite`, or `data.draw`),
    each one shrinkable towards 0."""

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        from hypothesis import strategies as st

        self.draw = draw
        self.integers = st.integers

    def below(self, n: int) -> int:
        return self.draw(self.integers(0, n - 1)) if n > 1 else 0

    def weighted(self, weights: Sequence[int]) -> int:
        total = sum(weights)
        point = self.below(total)
        return bisect.bisect_right(list(itertools.accumulate(weights)), point)
