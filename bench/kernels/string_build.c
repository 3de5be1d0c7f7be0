/* string_build: append pieces to a string, restarting it past 100 characters.
 * The string lives in a fixed buffer, so this is a ceiling, not a target.
 * The loop counter is a double and % is fmod(), as in Atlas. Usage: string_build N */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double build(double n)
{
    char buffer[128];
    size_t length = 0;
    double total = 0;
    for (double i = 0; i < n; i = i + 1) {
        const char *piece = fmod(i, 5) == 0 ? "abc" : fmod(i, 3) == 0 ? "de" : "f";
        size_t piece_length = strlen(piece);
        memcpy(buffer + length, piece, piece_length);
        length += piece_length;
        if (length > 100) {
            total = total + (double)length;
            length = 0;
        }
    }
    return total + (double)length;
}

int main(int argc, char **argv)
{
    printf("%.0f\n", build(argc > 1 ? atof(argv[1]) : 1000));
    return 0;
}
