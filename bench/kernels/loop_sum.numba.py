"""loop_sum under numba: s = s * 0.5 + i on float64. Usage: loop_sum.numba.py N"""

import math
import os
import sys

from numba import njit

# run.py turns numba's on-disk cache on (in a fresh directory per run of the harness).
CACHE = os.environ.get("ATLAS_BENCH_NUMBA_CACHE") == "1"


@njit(cache=CACHE)
def loop_sum(n):
    s = 0.0
    i = 0.0
    while i < n:
        s = s * 0.5 + i
        i = i + 1.0
    return s


print(math.floor(loop_sum(float(sys.argv[1]))))
