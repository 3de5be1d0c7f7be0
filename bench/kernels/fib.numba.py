"""fib under numba, on float64 like Atlas numbers. Usage: fib.numba.py N"""

import os
import sys

from numba import njit

# run.py turns numba's on-disk cache on (in a fresh directory per run of the harness).
CACHE = os.environ.get("ATLAS_BENCH_NUMBA_CACHE") == "1"


@njit(cache=CACHE)
def fib(n):
    if n < 2.0:
        return n
    return fib(n - 1.0) + fib(n - 2.0)


print(int(fib(float(sys.argv[1]))))
