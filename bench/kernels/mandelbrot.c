/* mandelbrot: summed escape counts (at most 50) on an N x N grid. Usage: mandelbrot N */
#include <stdio.h>
#include <stdlib.h>

static double mandel(double n)
{
    double total = 0;
    for (double row = 0; row < n; row = row + 1) {
        double ci = row * 2.5 / n - 1.25;
        for (double col = 0; col < n; col = col + 1) {
            double cr = col * 2.5 / n - 2;
            double zr = 0, zi = 0, it = 0;
            while (it < 50 && zr * zr + zi * zi <= 4) {
                double next_zr = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = next_zr;
                it = it + 1;
            }
            total = total + it;
        }
    }
    return total;
}

int main(int argc, char **argv)
{
    double n = argc > 1 ? atof(argv[1]) : 100;
    printf("%.0f\n", mandel(n));
    return 0;
}
