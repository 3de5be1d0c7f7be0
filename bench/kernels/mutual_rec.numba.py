"""mutual_rec under numba: is_even / is_odd on float64. Usage: mutual_rec.numba.py N
Numba types the mutual recursion lazily, through the base cases. No on-disk cache here:
numba 0.68 crashes (SIGSEGV) when it loads this pair back from its cache, so every run
compiles cold."""

import sys

from numba import njit


@njit
def is_even(n):
    if n == 0.0:
        return True
    return is_odd(n - 1.0)


@njit
def is_odd(n):
    if n == 0.0:
        return False
    return is_even(n - 1.0)


@njit
def parity_sum(rounds):
    total = 0.0
    k = 0.0
    r = 0.0
    while r < rounds:
        if is_even(k):
            total = total + k
        else:
            total = total + 1.0
        k = k + 1.0
        if k == 400.0:
            k = 0.0
        r = r + 1.0
    return total


print(int(parity_sum(float(sys.argv[1]))))
