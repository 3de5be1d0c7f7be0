"""The JIT against Atlas's own interpreter, kernel by kernel.

    python bench/jit_speedup.py [--kernels fib,loop_sum,...] [--repeat 3]

For each kernel it prints two ratios of `atlas run --no-jit` to `atlas run`:

- **per unit of work**, steady state: each tier runs at two sizes of its own (the JIT at
  much larger N, so that start-up and compiling are amortised) and the time per unit is
  (wall at the big size - wall at the small one) / (work difference);
- **same N, wall time**: both tiers at the interpreter's size, start-up and compiling
  included: what a user waits for.

Times are medians over `--repeat` runs, interleaving the tiers. `bench/run.py` measures
the same kernels against the other languages.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from kernels import KERNEL_BY_NAME, Kernel, expand_template
from measure import run_process

DEFAULT_KERNELS = (
    "fib,loop_sum,mandelbrot,collatz_fn,collatz_top,mutual_rec,nbody,sieve,spectral_norm"
)
REPO = Path(__file__).resolve().parents[1]


def atlas_command() -> list[str]:
    venv = REPO / ".venv" / "bin" / "atlas"
    return [str(venv)] if venv.exists() else [sys.executable, "-m", "atlas"]


class Timer:
    def __init__(self, work_dir: Path, repeat: int) -> None:
        self.work_dir = work_dir
        self.repeat = repeat

    def program(self, kernel: Kernel, n: int) -> Path:
        path = self.work_dir / f"{kernel.name}_{n}.atl"
        if not path.exists():
            source = kernel.source("atl")
            assert source is not None, kernel.name
            path.write_text(
                expand_template(source.read_text(encoding="utf-8"), n), encoding="utf-8"
            )
        return path

    def walls(self, kernel: Kernel, n: int, flags: list[str]) -> tuple[float, int]:
        """Median wall seconds of `atlas run FLAGS` at N, and the work it did."""
        walls, work = [], 0
        for _ in range(self.repeat):
            run = run_process(
                [*atlas_command(), "run", *flags, str(self.program(kernel, n))], timeout=600
            )
            if not run.ok:
                raise SystemExit(f"{kernel.name} N={n} {flags}: failed\n{run.stderr_tail}")
            walls.append(run.wall)
            work = kernel.work(n, run.lines)
        return statistics.median(walls), work

    def per_unit(self, kernel: Kernel, small: int, big: int, flags: list[str]) -> float:
        """Steady-state seconds per unit of work between two sizes."""
        wall_small, work_small = self.walls(kernel, small, flags)
        wall_big, work_big = self.walls(kernel, big, flags)
        return (wall_big - wall_small) / (work_big - work_small)


def measure(timer: Timer, kernel: Kernel) -> dict[str, float]:
    vm_n = kernel.size("hosted")
    # The `bulk` size: the JIT's work must dwarf the noise of start-up and compiling
    # (0.3 s, give or take 0.1 s on a busy machine). At the `native` size sieve's JIT
    # run does about 0.15 s of work, and its estimate came out anywhere from 0.09 to
    # 0.48 ns per access.
    jit_n = kernel.size("bulk")
    vm_unit = timer.per_unit(kernel, kernel.size("check"), vm_n, ["--no-jit"])
    jit_unit = timer.per_unit(kernel, vm_n, jit_n, [])
    vm_wall, _ = timer.walls(kernel, vm_n, ["--no-jit"])
    jit_wall, _ = timer.walls(kernel, vm_n, [])
    return {
        "vm_ns": vm_unit * 1e9,
        "jit_ns": jit_unit * 1e9,
        "unit_ratio": vm_unit / jit_unit,
        "same_n": vm_n,
        "vm_wall": vm_wall,
        "jit_wall": jit_wall,
        "wall_ratio": vm_wall / jit_wall,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kernels", default=DEFAULT_KERNELS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    kernels = [KERNEL_BY_NAME[name] for name in args.kernels.split(",")]
    header = (
        "| kernel (unit) | --no-jit ns/unit | JIT ns/unit | speed-up per unit | same N | "
        "--no-jit wall s | JIT wall s | speed-up, wall |"
    )
    print(header)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work:
        timer = Timer(Path(work), args.repeat)
        for kernel in kernels:
            m = measure(timer, kernel)
            print(
                f"| `{kernel.name}` ({kernel.unit}) | {m['vm_ns']:,.0f} | {m['jit_ns']:.2f} | "
                f"{m['unit_ratio']:,.0f}x | {m['same_n']:,} | {m['vm_wall']:.2f} | {m['jit_wall']:.2f} | "
                f"{m['wall_ratio']:.1f}x |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
