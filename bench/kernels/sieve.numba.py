"""sieve under numba: N passes over 8192 float64 flags. Usage: sieve.numba.py N"""

import os
import sys

import numpy as np
from numba import njit

# run.py turns numba's on-disk cache on (in a fresh directory per run of the harness).
CACHE = os.environ.get("ATLAS_BENCH_NUMBA_CACHE") == "1"


@njit(cache=CACHE)
def sieve(flags, passes):
    size = flags.shape[0]
    found = 0.0
    p = 0.0
    while p < passes:
        for k in range(size):
            flags[k] = 1.0
        flags[0] = 0.0
        flags[1] = 0.0
        for i in range(2, size):
            if flags[i] == 1.0:
                found = found + 1.0
                for multiple in range(i * i, size, i):
                    flags[multiple] = 0.0
        p = p + 1.0
    return found


print(int(sieve(np.zeros(8192), float(sys.argv[1]))))
