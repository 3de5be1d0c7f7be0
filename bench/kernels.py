"""The benchmark kernels: where their sources are, how big each run is, how much work it does.

Every kernel exists as `kernels/NAME.atl` (a template, see `expand_template`), `.py`,
`.lua`, `.c` and, where numba can express it, `.numba.py`. Each takes one size N and
prints integer-valued lines only, so no language's float formatting matters.

Implementations run at different sizes: each has a size class (`IMPL_CLASS`), each kernel
gives an N per class. Time per unit of work is what is compared, so every kernel also
has a work formula: calls for `fib`, inner iterations for `mandelbrot`, and so on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

KERNEL_DIR = Path(__file__).resolve().parent / "kernels"

# Size classes from the biggest N to the smallest; "check" is the tiny size every
# implementation can run in a moment (used for output checks and start-up baselines).
CLASSES = ("bulk", "native", "fast", "interp", "hosted", "check")

# The class each implementation runs at unless a kernel or the command line says otherwise.
IMPL_CLASS = {
    "atlas-jit": "fast",  # the starting point only: run.py sizes it from a probe
    "atlas-nojit": "hosted",
    "c": "native",
    "numba": "bulk",  # its start-up is a second or more: it needs long runs to be seen
    "luajit": "fast",
    "pypy": "fast",
    "cpython": "interp",
    "lua5.4": "interp",
}

# Which source file an implementation runs.
IMPL_LANG = {
    "atlas-jit": "atl",
    "atlas-nojit": "atl",
    "c": "c",
    "numba": "numba",
    "luajit": "lua",
    "pypy": "py",
    "cpython": "py",
    "lua5.4": "lua",
}
SUFFIX = {"atl": ".atl", "c": ".c", "py": ".py", "lua": ".lua", "numba": ".numba.py"}


@dataclass(frozen=True)
class Kernel:
    name: str
    unit: str  # what one unit of work is
    stresses: str  # what it exercises in an implementation
    sizes: dict[str, int]  # N per size class
    quick: dict[str, int]  # N per size class for --quick (about 1/5 of the work)
    work: Callable[[int, list[str]], int]  # (N, output lines) -> units of work
    growth: str = "linear"  # how work grows with N: linear, square or exponential (fib)
    files: dict[str, str | None] = field(
        default_factory=dict
    )  # lang -> file name, None: no version
    class_override: dict[str, str] = field(default_factory=dict)  # impl -> size class

    def source(self, lang: str) -> Path | None:
        name = self.files.get(lang, self.name + SUFFIX[lang])
        if name is None:
            return None
        path = KERNEL_DIR / name
        return path if path.exists() else None

    def size_class(self, impl: str) -> str:
        return self.class_override.get(impl, IMPL_CLASS[impl])

    def size(self, size_class: str, quick: bool = False) -> int:
        if quick and size_class in self.quick:
            return self.quick[size_class]
        return self.sizes[size_class]

    def smaller(self, n: int) -> int:
        """An N with about a quarter of the work of `n`: the second point of the two-point
        estimate, big enough that a JIT has compiled everything hot there too."""
        if self.growth == "exponential":  # fib: the work grows by the golden ratio per step
            return max(1, n - 3)
        if self.growth == "square":
            return max(1, n // 2)
        return max(1, n // 4)


# --- work formulas ------------------------------------------------------------------


def fib_calls(n: int) -> int:
    """Calls made by the naive fib(n): 2 * fib(n + 1) - 1."""
    previous, current = 0, 1
    for _ in range(n):
        previous, current = current, previous + current
    return 2 * current - 1


def parity_calls(rounds: int) -> int:
    """Calls made by mutual_rec: is_even(k) costs k + 1 calls, k cycling through 0..399."""
    cycles, rest = divmod(rounds, 400)
    return cycles * (400 * 401 // 2) + rest * (rest + 1) // 2


SIEVE_SIZE = 8192


@cache
def sieve_pass_accesses() -> int:
    """Array reads and writes in one sieve pass: the reset, the two stores, one read per
    scanned index and one write per crossed-off multiple."""
    composite = [False] * SIEVE_SIZE
    crossings = 0
    for i in range(2, SIEVE_SIZE):
        if not composite[i]:
            for multiple in range(i * i, SIEVE_SIZE, i):
                composite[multiple] = True
                crossings += 1
    return SIEVE_SIZE + 2 + (SIEVE_SIZE - 2) + crossings


@cache
def collatz_steps(limit: int) -> int:
    """Total Collatz steps (down to 1) over every start 1 .. limit - 1."""
    steps_from = [0] * max(limit, 2)
    total = 0
    for start in range(2, limit):
        n, steps = start, 0
        while n >= start:  # below `start` every value's count is known already
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
        steps_from[start] = steps + steps_from[n]
        total += steps_from[start]
    return total


KERNELS: list[Kernel] = [
    Kernel(
        "fib",
        "call",
        "recursive calls, argument passing, one compare and branch per call",
        dict(check=15, hosted=25, interp=32, fast=37, native=40, bulk=42),
        dict(hosted=21, interp=29, fast=34, native=37, bulk=39),
        lambda n, out: fib_calls(n),
        growth="exponential",
    ),
    Kernel(
        "loop_sum",
        "iteration",
        "one tight while loop in a function, loop-carried f64",
        dict(
            check=1000,
            hosted=200_000,
            interp=5_000_000,
            fast=150_000_000,
            native=250_000_000,
            bulk=750_000_000,
        ),
        dict(hosted=40_000, interp=1_000_000, fast=30_000_000, native=50_000_000, bulk=150_000_000),
        lambda n, out: n,
    ),
    Kernel(
        "mandelbrot",
        "iteration",
        "three nested loops, f64 arithmetic, compares, &&",
        dict(check=20, hosted=90, interp=450, fast=2000, native=3000, bulk=5200),
        dict(hosted=40, interp=200, fast=900, native=1300, bulk=2300),
        lambda n, out: int(out[0]),
        growth="square",
    ),
    Kernel(
        "nbody",
        "pair",
        "an f64 array passed in and returned, computed offsets, sqrt, many locals",
        dict(
            check=100, hosted=3000, interp=80_000, fast=1_500_000, native=4_000_000, bulk=12_000_000
        ),
        dict(hosted=600, interp=16_000, fast=300_000, native=800_000, bulk=2_400_000),
        lambda n, out: 10 * n,
    ),
    Kernel(
        "collatz_fn",
        "step",
        "nested while loops in a function, % and / on f64, branches",
        dict(check=100, hosted=2000, interp=40_000, fast=600_000, native=200_000, bulk=1_500_000),
        dict(hosted=400, interp=8000, fast=120_000, native=40_000, bulk=300_000),
        lambda n, out: collatz_steps(n),
    ),
    Kernel(
        "collatz_top",
        "step",
        "the same loops at the top level on globals (on-stack replacement)",
        dict(check=100, hosted=2000, interp=40_000, fast=600_000, native=200_000, bulk=1_500_000),
        dict(hosted=400, interp=8000, fast=120_000, native=40_000, bulk=300_000),
        lambda n, out: collatz_steps(n),
        files={"c": "collatz_fn.c", "numba": None},  # C has no top level; numba needs functions
    ),
    Kernel(
        "mutual_rec",
        "call",
        "two mutually recursive functions, bool results, depth up to 400",
        dict(check=100, hosted=800, interp=20_000, fast=150_000, native=1_500_000, bulk=4_500_000),
        dict(hosted=200, interp=4000, fast=30_000, native=300_000, bulk=900_000),
        lambda n, out: parity_calls(n),
        class_override={"luajit": "native"},  # LuaJIT runs this as fast as C
    ),
    Kernel(
        "sieve",
        "access",
        "a number array parameter, indexed reads and writes, for loops",
        dict(check=1, hosted=15, interp=500, fast=8000, native=20_000, bulk=60_000),
        dict(hosted=3, interp=100, fast=1600, native=4000, bulk=12_000),
        lambda n, out: n * sieve_pass_accesses(),
    ),
    Kernel(
        "spectral_norm",
        "entry",
        "a small function called from nested loops, arrays through calls",
        dict(check=10, hosted=60, interp=260, fast=1700, native=2200, bulk=3800),
        dict(hosted=24, interp=120, fast=760, native=1000, bulk=1700),
        lambda n, out: 40 * n * n,
        growth="square",
    ),
    Kernel(
        "string_build",
        "append",
        "string + and len in a loop, % tests: the interpreter tier",
        dict(
            check=1000,
            hosted=100_000,
            interp=2_500_000,
            fast=4_000_000,
            native=8_000_000,
            bulk=24_000_000,
        ),
        dict(hosted=20_000, interp=500_000, fast=800_000, native=1_600_000, bulk=4_800_000),
        lambda n, out: n,
        files={"numba": None},  # numba has no fast strings; nothing to compare
        class_override={"pypy": "bulk"},
    ),
]
KERNEL_BY_NAME = {k.name: k for k in KERNELS}


# --- Atlas templates -------------------------------------------------------------

DRIVER_MARKER = "// ---- driver ----"
_ARRAY = re.compile(r"\{\{ARRAY:(N|\d+):([-0-9.]+)\}\}")


def expand_template(text: str, n: int) -> str:
    """An Atlas template with its size filled in: `{{N}}` becomes N and
    `{{ARRAY:COUNT:VALUE}}` an array literal of COUNT copies of VALUE (COUNT may be N).
    Arrays come from literals so that the kernels need no array-building builtins."""

    def array(match: re.Match[str]) -> str:
        count = n if match.group(1) == "N" else int(match.group(1))
        return "[" + ", ".join([match.group(2)] * count) + "]"

    return _ARRAY.sub(array, text).replace("{{N}}", str(n))


def library_part(text: str) -> str:
    """The functions of a template without its driver (what the warm-up curve calls)."""
    return text.split(DRIVER_MARKER, 1)[0]
