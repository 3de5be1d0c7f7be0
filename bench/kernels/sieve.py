"""sieve: N passes of the sieve of Eratosthenes over 8192 flags. Usage: sieve.py N"""

import sys


def sieve(flags, passes):
    size = len(flags)
    found = 0
    for _ in range(passes):
        for k in range(size):
            flags[k] = 1
        flags[0] = 0
        flags[1] = 0
        for i in range(2, size):
            if flags[i] == 1:
                found += 1
                for multiple in range(i * i, size, i):
                    flags[multiple] = 0
    return found


print(sieve([0] * 8192, int(sys.argv[1])))
