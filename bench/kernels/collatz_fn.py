"""collatz_fn: the start below N with the longest Collatz chain, inside functions.
Usage: collatz_fn.py N"""

import sys


def chain_length(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def longest_chain(limit):
    best, best_steps = 1, 0
    for start in range(1, limit):
        n = start
        steps = 0
        while n != 1:
            if n % 2 == 0:
                n //= 2
            else:
                n = 3 * n + 1
            steps += 1
        if steps > best_steps:
            best, best_steps = start, steps
    return best


winner = longest_chain(int(sys.argv[1]))
print(winner)
print(chain_length(winner))
