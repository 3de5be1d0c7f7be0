"""collatz_top: collatz_fn's loops at module level, on globals. Usage: collatz_top.py N"""

import sys

limit = int(sys.argv[1])
best, best_steps = 1, 0
start = 1
while start < limit:
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
    start += 1
print(best)
print(best_steps)
