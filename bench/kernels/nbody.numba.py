"""nbody under numba: a star and four planets, N steps of symplectic Euler (dt = 0.01).
Usage: nbody.numba.py N. Flat float64 state: x, y, z, vx, vy, vz at 6*b .. 6*b+5."""

import math
import os
import sys

import numpy as np
from numba import njit

# run.py turns numba's on-disk cache on (in a fresh directory per run of the harness).
CACHE = os.environ.get("ATLAS_BENCH_NUMBA_CACHE") == "1"


@njit(cache=CACHE)
def energy(s, m):
    nb = m.shape[0]
    e = 0.0
    for i in range(nb):
        a = 6 * i
        e = e + 0.5 * m[i] * (s[a + 3] * s[a + 3] + s[a + 4] * s[a + 4] + s[a + 5] * s[a + 5])
        for j in range(i + 1, nb):
            b = 6 * j
            dx = s[a] - s[b]
            dy = s[a + 1] - s[b + 1]
            dz = s[a + 2] - s[b + 2]
            e = e - m[i] * m[j] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


@njit(cache=CACHE)
def offset_momentum(s, m):
    px = 0.0
    py = 0.0
    pz = 0.0
    for i in range(m.shape[0]):
        px = px + m[i] * s[6 * i + 3]
        py = py + m[i] * s[6 * i + 4]
        pz = pz + m[i] * s[6 * i + 5]
    s[3] = -px / m[0]
    s[4] = -py / m[0]
    s[5] = -pz / m[0]


@njit(cache=CACHE)
def advance(s, m, steps, dt):
    nb = m.shape[0]
    step = 0.0
    while step < steps:
        for i in range(nb):
            a = 6 * i
            for j in range(i + 1, nb):
                b = 6 * j
                dx = s[a] - s[b]
                dy = s[a + 1] - s[b + 1]
                dz = s[a + 2] - s[b + 2]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * math.sqrt(d2))
                mi = m[i] * mag
                mj = m[j] * mag
                s[a + 3] = s[a + 3] - dx * mj
                s[a + 4] = s[a + 4] - dy * mj
                s[a + 5] = s[a + 5] - dz * mj
                s[b + 3] = s[b + 3] + dx * mi
                s[b + 4] = s[b + 4] + dy * mi
                s[b + 5] = s[b + 5] + dz * mi
        for k in range(nb):
            c = 6 * k
            s[c] = s[c] + dt * s[c + 3]
            s[c + 1] = s[c + 1] + dt * s[c + 4]
            s[c + 2] = s[c + 2] + dt * s[c + 5]
        step = step + 1.0


def main():
    masses = np.array([1.0, 0.002, 0.0005, 0.0001, 0.00004])
    # fmt: off
    state = np.array([
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        1.0, 0.0, 0.01, 0.0, 1.0, 0.0,
        0.0, -1.7, 0.0, 0.77, 0.0, 0.02,
        -2.6, 0.2, -0.05, 0.05, -0.62, 0.0,
        0.3, 3.9, 0.1, -0.5, 0.03, -0.01,
    ])
    # fmt: on
    offset_momentum(state, masses)
    print(math.floor(energy(state, masses) * 1e12))
    advance(state, masses, float(sys.argv[1]), 0.01)
    print(math.floor(energy(state, masses) * 1e12))


main()
