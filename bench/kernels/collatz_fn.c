/* collatz_fn (also used for collatz_top: C has no top-level code): the start below N
 * with the longest Collatz chain. Numbers are doubles like Atlas's, so the parity test
 * is fmod(), as Atlas's % on numbers. Usage: collatz_fn N */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double chain_length(double n)
{
    double steps = 0;
    while (n != 1) {
        if (fmod(n, 2) == 0)
            n = n / 2;
        else
            n = 3 * n + 1;
        steps = steps + 1;
    }
    return steps;
}

static double longest_chain(double limit)
{
    double best = 1, best_steps = 0;
    for (double start = 1; start < limit; start = start + 1) {
        double n = start, steps = 0;
        while (n != 1) {
            if (fmod(n, 2) == 0)
                n = n / 2;
            else
                n = 3 * n + 1;
            steps = steps + 1;
        }
        if (steps > best_steps) {
            best = start;
            best_steps = steps;
        }
    }
    return best;
}

int main(int argc, char **argv)
{
    double winner = longest_chain(argc > 1 ? atof(argv[1]) : 1000);
    printf("%.0f\n%.0f\n", winner, chain_length(winner));
    return 0;
}
