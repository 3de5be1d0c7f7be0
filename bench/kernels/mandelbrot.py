"""mandelbrot: summed escape counts (at most 50) on an N x N grid. Usage: mandelbrot.py N"""

import sys


def mandel(n):
    total = 0
    for row in range(n):
        ci = row * 2.5 / n - 1.25
        for col in range(n):
            cr = col * 2.5 / n - 2.0
            zr = zi = 0.0
            it = 0
            while it < 50 and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                it += 1
            total += it
    return total


print(mandel(int(sys.argv[1])))
