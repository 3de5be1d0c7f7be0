"""mutual_rec: is_even / is_odd mutual recursion, depth at most 400. Usage: mutual_rec.py N"""

import sys


def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def parity_sum(rounds):
    total = 0
    k = 0
    for _ in range(rounds):
        total += k if is_even(k) else 1
        k += 1
        if k == 400:
            k = 0
    return total


print(parity_sum(int(sys.argv[1])))
