"""mandelbrot under numba, float64 throughout. Usage: mandelbrot.numba.py N"""

import os
import sys

from numba import njit

# run.py turns numba's on-disk cache on (in a fresh directory per run of the harness).
CACHE = os.environ.get("ATLAS_BENCH_NUMBA_CACHE") == "1"


@njit(cache=CACHE)
def mandel(n):
    total = 0.0
    row = 0.0
    while row < n:
        ci = row * 2.5 / n - 1.25
        col = 0.0
        while col < n:
            cr = col * 2.5 / n - 2.0
            zr = 0.0
            zi = 0.0
            it = 0.0
            while it < 50.0 and zr * zr + zi * zi <= 4.0:
                next_zr = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = next_zr
                it = it + 1.0
            total = total + it
            col = col + 1.0
        row = row + 1.0
    return total


print(int(mandel(float(sys.argv[1]))))
