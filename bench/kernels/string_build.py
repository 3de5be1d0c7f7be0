"""string_build: append pieces to a string, restarting it past 100 characters.
Usage: string_build.py N"""

import sys


def build(n):
    total = 0
    s = ""
    for i in range(n):
        if i % 5 == 0:
            s += "abc"
        elif i % 3 == 0:
            s += "de"
        else:
            s += "f"
        if len(s) > 100:
            total += len(s)
            s = ""
    return total + len(s)


print(build(int(sys.argv[1])))
