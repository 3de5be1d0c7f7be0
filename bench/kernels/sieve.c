/* sieve: N passes of the sieve of Eratosthenes over 8192 double flags (Atlas's
 * number[] holds doubles). Usage: sieve N */
#include <stdio.h>
#include <stdlib.h>

#define SIZE 8192

static double sieve(double *flags, int size, double passes)
{
    double found = 0;
    for (double pass = 0; pass < passes; pass = pass + 1) {
        for (int k = 0; k < size; k++)
            flags[k] = 1;
        flags[0] = 0;
        flags[1] = 0;
        for (int i = 2; i < size; i++) {
            if (flags[i] == 1) {
                found = found + 1;
                for (int multiple = i * i; multiple < size; multiple += i)
                    flags[multiple] = 0;
            }
        }
    }
    return found;
}

int main(int argc, char **argv)
{
    static double flags[SIZE];
    printf("%.0f\n", sieve(flags, SIZE, argc > 1 ? atof(argv[1]) : 1));
    return 0;
}
