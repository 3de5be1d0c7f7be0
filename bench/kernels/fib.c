/* fib: the doubly recursive Fibonacci function, on doubles like Atlas numbers.
 * Usage: fib N */
#include <stdio.h>
#include <stdlib.h>

static double fib(double n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    double n = argc > 1 ? atof(argv[1]) : 20;
    printf("%.0f\n", fib(n));
    return 0;
}
