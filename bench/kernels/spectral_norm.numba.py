"""spectral_norm under numba, float64 like Atlas. Usage: spectral_norm.numba.py N"""

import math
import os
import sys

import numpy as np
from numba import njit

# run.py turns numba's on-disk cache on (in a fresh directory per run of the harness).
CACHE = os.environ.get("ATLAS_BENCH_NUMBA_CACHE") == "1"


@njit(cache=CACHE)
def entry(i, j):
    return 1.0 / ((i + j) * (i + j + 1.0) / 2.0 + i + 1.0)


@njit(cache=CACHE)
def times_a(n, x, out):
    for i in range(n):
        total = 0.0
        for j in range(n):
            total = total + entry(float(i), float(j)) * x[j]
        out[i] = total


@njit(cache=CACHE)
def times_at(n, x, out):
    for i in range(n):
        total = 0.0
        for j in range(n):
            total = total + entry(float(j), float(i)) * x[j]
        out[i] = total


@njit(cache=CACHE)
def spectral_norm(n):
    u = np.ones(n)
    v = np.zeros(n)
    scratch = np.zeros(n)
    for _ in range(10):
        times_a(n, u, scratch)
        times_at(n, scratch, v)
        times_a(n, v, scratch)
        times_at(n, scratch, u)
    uv = 0.0
    vv = 0.0
    for i in range(n):
        uv = uv + u[i] * v[i]
        vv = vv + v[i] * v[i]
    return math.sqrt(uv / vv)


print(math.floor(spectral_norm(int(sys.argv[1])) * 1e9))
