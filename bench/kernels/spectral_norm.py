"""spectral_norm: power method on A^T A for A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1).
Usage: spectral_norm.py N"""

import math
import sys


def entry(i, j):
    return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)


def times_a(n, x, out):
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += entry(i, j) * x[j]
        out[i] = total


def times_at(n, x, out):
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += entry(j, i) * x[j]
        out[i] = total


def times_ata(n, x, out, scratch):
    times_a(n, x, scratch)
    times_at(n, scratch, out)


def spectral_norm(n):
    u = [1.0] * n
    v = [0.0] * n
    scratch = [0.0] * n
    for _ in range(10):
        times_ata(n, u, v, scratch)
        times_ata(n, v, u, scratch)
    uv = vv = 0.0
    for i in range(n):
        uv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(uv / vv)


print(math.floor(spectral_norm(int(sys.argv[1])) * 1e9))
