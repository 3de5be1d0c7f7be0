/* spectral_norm: power method on A^T A for A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1),
 * on doubles like Atlas. Usage: spectral_norm N */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double entry(double i, double j)
{
    return 1 / ((i + j) * (i + j + 1) / 2 + i + 1);
}

static void times_a(int n, const double *x, double *out)
{
    for (int i = 0; i < n; i++) {
        double total = 0;
        for (int j = 0; j < n; j++)
            total = total + entry(i, j) * x[j];
        out[i] = total;
    }
}

static void times_at(int n, const double *x, double *out)
{
    for (int i = 0; i < n; i++) {
        double total = 0;
        for (int j = 0; j < n; j++)
            total = total + entry(j, i) * x[j];
        out[i] = total;
    }
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100;
    double *u = malloc(n * sizeof *u), *v = malloc(n * sizeof *v), *t = malloc(n * sizeof *t);
    for (int i = 0; i < n; i++) {
        u[i] = 1;
        v[i] = 0;
    }
    for (int r = 0; r < 10; r++) {
        times_a(n, u, t);
        times_at(n, t, v);
        times_a(n, v, t);
        times_at(n, t, u);
    }
    double uv = 0, vv = 0;
    for (int i = 0; i < n; i++) {
        uv = uv + u[i] * v[i];
        vv = vv + v[i] * v[i];
    }
    printf("%.0f\n", floor(sqrt(uv / vv) * 1e9));
    free(u);
    free(v);
    free(t);
    return 0;
}
