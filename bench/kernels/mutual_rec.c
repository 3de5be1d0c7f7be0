/* mutual_rec: is_even / is_odd mutual recursion, depth at most 400. Usage: mutual_rec N */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static bool is_odd(double n);

static bool is_even(double n)
{
    if (n == 0)
        return true;
    return is_odd(n - 1);
}

static bool is_odd(double n)
{
    if (n == 0)
        return false;
    return is_even(n - 1);
}

static double parity_sum(double rounds)
{
    double total = 0, k = 0;
    for (double r = 0; r < rounds; r = r + 1) {
        if (is_even(k))
            total = total + k;
        else
            total = total + 1;
        k = k + 1;
        if (k == 400)
            k = 0;
    }
    return total;
}

int main(int argc, char **argv)
{
    printf("%.0f\n", parity_sum(argc > 1 ? atof(argv[1]) : 400));
    return 0;
}
