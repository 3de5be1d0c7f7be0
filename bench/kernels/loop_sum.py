"""loop_sum: a tight loop with a loop-carried float, s = s * 0.5 + i. Usage: loop_sum.py N"""

import math
import sys


def loop_sum(n):
    s = 0.0
    i = 0
    while i < n:
        s = s * 0.5 + i
        i += 1
    return s


print(math.floor(loop_sum(int(sys.argv[1]))))
