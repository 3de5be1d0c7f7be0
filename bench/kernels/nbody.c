/* nbody: a star and four planets, N steps of symplectic Euler (dt = 0.01).
 * Usage: nbody N. Flat state as in nbody.atl: x, y, z, vx, vy, vz at 6*b .. 6*b+5. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define BODIES 5

static double energy(const double *s, const double *m, int nb)
{
    double e = 0;
    for (int i = 0; i < nb; i++) {
        int a = 6 * i;
        e = e + 0.5 * m[i] * (s[a + 3] * s[a + 3] + s[a + 4] * s[a + 4] + s[a + 5] * s[a + 5]);
        for (int j = i + 1; j < nb; j++) {
            int b = 6 * j;
            double dx = s[a] - s[b];
            double dy = s[a + 1] - s[b + 1];
            double dz = s[a + 2] - s[b + 2];
            e = e - m[i] * m[j] / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void offset_momentum(double *s, const double *m, int nb)
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < nb; i++) {
        px = px + m[i] * s[6 * i + 3];
        py = py + m[i] * s[6 * i + 4];
        pz = pz + m[i] * s[6 * i + 5];
    }
    s[3] = -px / m[0];
    s[4] = -py / m[0];
    s[5] = -pz / m[0];
}

static void advance(double *s, const double *m, int nb, double steps, double dt)
{
    for (double step = 0; step < steps; step = step + 1) {
        for (int i = 0; i < nb; i++) {
            int a = 6 * i;
            for (int j = i + 1; j < nb; j++) {
                int b = 6 * j;
                double dx = s[a] - s[b];
                double dy = s[a + 1] - s[b + 1];
                double dz = s[a + 2] - s[b + 2];
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = dt / (d2 * sqrt(d2));
                double mi = m[i] * mag;
                double mj = m[j] * mag;
                s[a + 3] = s[a + 3] - dx * mj;
                s[a + 4] = s[a + 4] - dy * mj;
                s[a + 5] = s[a + 5] - dz * mj;
                s[b + 3] = s[b + 3] + dx * mi;
                s[b + 4] = s[b + 4] + dy * mi;
                s[b + 5] = s[b + 5] + dz * mi;
            }
        }
        for (int k = 0; k < nb; k++) {
            int c = 6 * k;
            s[c] = s[c] + dt * s[c + 3];
            s[c + 1] = s[c + 1] + dt * s[c + 4];
            s[c + 2] = s[c + 2] + dt * s[c + 5];
        }
    }
}

int main(int argc, char **argv)
{
    static const double masses[BODIES] = {1, 0.002, 0.0005, 0.0001, 0.00004};
    double state[6 * BODIES] = {
        0, 0, 0, 0, 0, 0,
        1, 0, 0.01, 0, 1, 0,
        0, -1.7, 0, 0.77, 0, 0.02,
        -2.6, 0.2, -0.05, 0.05, -0.62, 0,
        0.3, 3.9, 0.1, -0.5, 0.03, -0.01,
    };
    double steps = argc > 1 ? atof(argv[1]) : 1000;
    offset_momentum(state, masses, BODIES);
    printf("%.0f\n", floor(energy(state, masses, BODIES) * 1e12));
    advance(state, masses, BODIES, steps, 0.01);
    printf("%.0f\n", floor(energy(state, masses, BODIES) * 1e12));
    return 0;
}
