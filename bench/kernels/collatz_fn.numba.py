"""collatz_fn under numba, float64 like Atlas (% on floats). Usage: collatz_fn.numba.py N"""

import os
import sys

from numba import njit

# run.py turns numba's on-disk cache on (in a fresh directory per run of the harness).
CACHE = os.environ.get("ATLAS_BENCH_NUMBA_CACHE") == "1"


@njit(cache=CACHE)
def chain_length(start):
    n = start
    steps = 0.0
    while n != 1.0:
        if n % 2.0 == 0.0:
            n = n / 2.0
        else:
            n = 3.0 * n + 1.0
        steps = steps + 1.0
    return steps


@njit(cache=CACHE)
def longest_chain(limit):
    best = 1.0
    best_steps = 0.0
    start = 1.0
    while start < limit:
        n = start
        steps = 0.0
        while n != 1.0:
            if n % 2.0 == 0.0:
                n = n / 2.0
            else:
                n = 3.0 * n + 1.0
            steps = steps + 1.0
        if steps > best_steps:
            best = start
            best_steps = steps
        start = start + 1.0
    return best


winner = longest_chain(float(sys.argv[1]))
print(int(winner))
print(int(chain_length(winner)))
