/* loop_sum: a tight loop with a loop-carried double, s = s * 0.5 + i. Usage: loop_sum N */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double loop_sum(double n)
{
    double s = 0;
    for (double i = 0; i < n; i = i + 1)
        s = s * 0.5 + i;
    return s;
}

int main(int argc, char **argv)
{
    double n = argc > 1 ? atof(argv[1]) : 1000;
    printf("%.0f\n", floor(loop_sum(n)));
    return 0;
}
