"""Run the benchmark kernels on Atlas and its peers, check their outputs, time them,
and write the tables and the plot into the docs.

    python bench/run.py                      # the full run (under 10 minutes on 2 cores)
    python bench/run.py --quick              # a smoke run with about 1/5 of the work
    python bench/run.py --kernels fib,sieve --impls atlas-jit,c,luajit --repeat 5
    python bench/run.py --install            # install missing peers first (see peers.py)

bench/README.md explains the method and how to read the numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import peers as peer_lib
from kernels import CLASSES, IMPL_LANG, KERNEL_BY_NAME, KERNELS, Kernel, expand_template
from measure import Run, percentile, run_process, spread

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
EXPECTED_FILE = BENCH / "expected.json"
REFERENCE_ORDER = ("c", "luajit", "pypy", "numba", "cpython", "lua5.4")

# Empty programs: what each implementation costs before it does anything.
EMPTY_PROGRAMS = {
    "atl": ("empty.atl", ""),
    "py": ("empty.py", ""),
    "lua": ("empty.lua", ""),
    "c": ("empty.c", "int main(void) { return 0; }\n"),
    "numba": ("empty.numba.py", "import numba  # noqa: F401\n"),
}


def log(message: str = "") -> None:
    print(message, flush=True)


def loud(message: str) -> None:
    print(f"!!! {message}", file=sys.stderr, flush=True)


# --- expected outputs --------------------------------------------------------------


class Expectations:
    """Expected stdout per kernel and N: from expected.json, else from a reference run
    (the first available of C, LuaJIT, PyPy, Numba, CPython, Lua 5.4)."""

    def __init__(self, programs: Programs, timeout: float) -> None:
        self.programs = programs
        self.timeout = timeout
        stored = json.loads(EXPECTED_FILE.read_text()) if EXPECTED_FILE.exists() else {}
        self.known: dict[str, dict[str, list[str]]] = stored.get("outputs", {})

    def get(self, kernel: Kernel, n: int) -> tuple[list[str] | None, str]:
        """(expected lines, where they came from); None if nothing could produce them."""
        lines = self.known.get(kernel.name, {}).get(str(n))
        if lines is not None:
            return lines, "expected.json"
        for impl in REFERENCE_ORDER:
            command = self.programs.command(kernel, impl, n)
            if command is None:
                continue
            run = run_process(command, self.timeout * 4, self.programs.env(impl))
            if run.ok:
                self.known.setdefault(kernel.name, {})[str(n)] = run.lines
                return run.lines, impl
        return None, "no reference implementation could run it"


# --- programs ------------------------------------------------------------------------


class Programs:
    """The command that runs a kernel at size N on an implementation (building or
    expanding what is needed on first use)."""

    def __init__(self, peers: dict[str, peer_lib.Peer], work_dir: Path) -> None:
        self.peers = peers
        self.work_dir = work_dir
        self.binaries: dict[str, Path | str] = {}  # C source name -> binary, or the error

    def env(self, impl: str) -> dict[str, str] | None:
        return self.peers[impl].env

    def source(self, kernel: Kernel, impl: str) -> Path | None:
        return kernel.source(IMPL_LANG[impl])

    def build_error(self, kernel: Kernel) -> str | None:
        source = kernel.source("c")
        if source is None:
            return None
        binary = self._binary(source)
        return binary if isinstance(binary, str) else None

    def _binary(self, source: Path) -> Path | str:
        if source.name not in self.binaries:
            target = self.work_dir / source.name.replace(".c", "")
            done = subprocess.run(
                [*self.peers["c"].command, "-o", str(target), str(source), "-lm"],
                capture_output=True,
                text=True,
            )
            self.binaries[source.name] = (
                target if done.returncode == 0 else f"gcc failed: {done.stderr[-400:]}"
            )
        return self.binaries[source.name]

    def command(
        self, kernel: Kernel, impl: str, n: int, extra: list[str] | None = None
    ) -> list[str] | None:
        """The command line, or None when the implementation or the kernel's version is missing."""
        peer = self.peers[impl]
        source = self.source(kernel, impl)
        if not peer.available or source is None:
            return None
        lang = IMPL_LANG[impl]
        if lang == "c":
            binary = self._binary(source)
            return [str(binary), str(n)] if isinstance(binary, Path) else None
        if lang == "atl":
            program = self.work_dir / f"{kernel.name}_{n}.atl"
            if not program.exists():
                program.write_text(expand_template(source.read_text(), n))
            return [*peer.command, *(extra or []), str(program)]
        return [*peer.command, str(source), str(n)]

    def empty_command(self, impl: str) -> list[str] | None:
        peer = self.peers[impl]
        if not peer.available:
            return None
        lang = IMPL_LANG[impl]
        name, text = EMPTY_PROGRAMS[lang]
        path = self.work_dir / name
        if not path.exists():
            path.write_text(text)
        if lang == "c":
            binary = self._binary(path)
            return [str(binary)] if isinstance(binary, Path) else None
        return [*peer.command, str(path)]


# --- cells -----------------------------------------------------------------------------


@dataclass
class Cell:
    """One kernel on one implementation: its sizes, its runs and what became of them."""

    kernel: str
    impl: str
    status: str = "pending"  # ok, mismatch, error, timeout, missing, no-version
    note: str = ""
    size_class: str = ""
    n: int = 0
    n_small: int = 0
    work: int = 0
    work_small: int = 0
    adapted: bool = False  # size chosen from probe runs (atlas-jit)
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    small_walls: list[float] = field(default_factory=list)
    check_wall: float | None = None
    jit_stats: list[dict[str, Any]] = field(default_factory=list)
    ns_per_unit: dict[str, float] | None = None
    wall: dict[str, float] | None = None
    overhead_bound: bool = False  # the big run was mostly start-up or compiling

    def fail(self, status: str, note: str) -> None:
        self.status, self.note = status, note

    @property
    def alive(self) -> bool:
        return self.status in ("pending", "ok")


def judge(cell: Cell, run: Run, expected: list[str] | None, n: int, what: str) -> bool:
    """Check one run; on failure mark the cell (loudly) and return False."""
    label = f"{cell.kernel} on {cell.impl} at N={n} ({what})"
    if run.timed_out:
        cell.fail("timeout", f"{what} run at N={n} timed out")
        loud(f"TIMEOUT: {label}")
        return False
    if not run.ok:
        cell.fail("error", f"exit {run.returncode} at N={n}: {run.stderr_tail[-300:]}")
        loud(f"ERROR: {label} exited {run.returncode}\n{run.stderr_tail}")
        return False
    if expected is not None and run.lines != expected:
        cell.fail("mismatch", f"at N={n} printed {run.lines[:4]}, expected {expected[:4]}")
        loud(f"OUTPUT MISMATCH: {label}: printed {run.lines[:6]}, expected {expected[:6]}")
        return False
    return True


def finish(cell: Cell, kernel: Kernel) -> None:
    """Steady-state time per unit of work from the two sizes: (T(N) - T(N_small)) /
    (work(N) - work(N_small)), one value per big run against the median small run."""
    if not cell.alive or not cell.walls:
        return
    cell.status = "ok"
    cell.wall = spread(cell.walls)
    small = statistics.median(cell.small_walls)
    units = cell.work - cell.work_small
    if units <= 0:
        cell.fail("error", "the two sizes do the same work")
        return
    per_unit = [(wall - small) / units * 1e9 for wall in cell.walls]
    cell.ns_per_unit = spread(per_unit)
    net = cell.wall["median"] - small
    cell.overhead_bound = net < max(0.05, 0.2 * cell.wall["median"])


# --- the run ---------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu, processors, physical = platform.processor() or "?", 0, set()
    with contextlib.suppress(OSError):
        current: dict[str, str] = {}
        for line in [*Path("/proc/cpuinfo").read_text().splitlines(), ""]:
            if not line.strip():
                if current:
                    processors += 1
                    cpu = current.get("model name", cpu)
                    physical.add((current.get("physical id"), current.get("core id")))
                current = {}
                continue
            key, _, value = line.partition(":")
            current[key.strip()] = value.strip()
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.0f} GiB"
    return {
        "cpu": cpu,
        "logical_cpus": processors or os.cpu_count(),
        "physical_cores": len(physical) if physical else None,
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
    }


def rotate(items: list[str], by: int) -> list[str]:
    if not items:
        return items
    by %= len(items)
    return items[by:] + items[:by]


def round_size(n: float) -> int:
    """`n` rounded down to two significant figures, so that sizes repeat between runs."""
    if n < 100:
        return max(1, int(n))
    scale = 10 ** (len(str(int(n))) - 2)
    return int(n) // scale * scale


def size_ladder(kernel: Kernel, start: int, stop: int) -> list[int]:
    """Sizes from `start` up to `stop`, each about 25% more work than the one before."""
    if kernel.growth == "exponential":
        return list(range(start, stop + 1))
    step = 1.25 if kernel.growth == "linear" else 1.25**0.5
    sizes, n = [start], float(start)
    while n * step <= stop:
        n *= step
        if round_size(n) > sizes[-1]:
            sizes.append(round_size(n))
    return sizes


def estimated_work(kernel: Kernel, n: int, known_n: int, known_work: int) -> float:
    """The work at `n`, scaled from a size whose work is known by the kernel's growth."""
    if kernel.growth == "exponential":
        return known_work * 1.618034 ** (n - known_n)
    power = 2 if kernel.growth == "square" else 1
    return known_work * (n / known_n) ** power


def choose_atlas_size(
    cell: Cell,
    kernel: Kernel,
    programs: Programs,
    args: argparse.Namespace,
    expectations: Expectations,
) -> None:
    """Atlas with the JIT runs at an unknown speed (it is what is being changed), so it is
    sized by probes: a run at the `hosted` size, one at `interp`, then up to three runs at
    the size the last two probes predict to fit the budget, up to the `bulk` class's.
    Each prediction comes from the difference of two runs, so start-up and compiling
    cancel, and each probe is further apart from the one before, so the estimate sharpens.
    A probe is cut off at twice the budget: a slow JIT costs little. If the hosted or the
    interp probe overruns that, the hosted size stands."""
    cell.adapted, cell.size_class = True, "hosted"
    cell.n = kernel.size("hosted", args.quick)
    limit = min(args.timeout, 2 * args.budget + 1)
    points: list[tuple[int, int, float]] = []  # (N, work, wall)

    def probe(n: int, cutoff: float) -> bool:
        expected, _ = expectations.get(kernel, n)
        run = run_process(programs.command(kernel, cell.impl, n), cutoff, programs.env(cell.impl))
        if run.timed_out or (run.ok and run.wall > 2 * args.budget):
            return False
        if not judge(cell, run, expected, n, "probe"):
            return False
        points.append((n, kernel.work(n, run.lines), run.wall))
        return True

    if not probe(cell.n, args.timeout) or not probe(kernel.size("interp", args.quick), limit):
        return
    cell.size_class, cell.n = "interp", points[-1][0]
    top = kernel.size("bulk", args.quick)
    for _ in range(3):
        (_, w0, t0), (n1, w1, t1) = points[-2:]
        per_unit = max(t1 - t0, 1e-3) / max(w1 - w0, 1)
        fitting = [
            n
            for n in size_ladder(kernel, n1, top)
            if t1 + per_unit * (estimated_work(kernel, n, n1, w1) - w1) <= args.budget
        ]
        if not fitting or fitting[-1] <= n1:
            return
        if t1 >= args.budget / 2:  # a prediction from a run this long is good enough
            cell.size_class, cell.n = "probed", fitting[-1]
            return
        if not probe(fitting[-1], limit):
            return
        cell.size_class, cell.n = "probed", fitting[-1]


def jit_stats_path(work_dir: Path, kernel: str, rep: int) -> Path:
    return work_dir / f"jit-stats-{kernel}-{rep}.json"


def run_kernel(
    kernel: Kernel,
    impls: list[str],
    programs: Programs,
    expectations: Expectations,
    args: argparse.Namespace,
    work_dir: Path,
) -> list[Cell]:
    cells = {impl: Cell(kernel.name, impl) for impl in impls}
    check_n = kernel.sizes["check"]
    check_expected, origin = expectations.get(kernel, check_n)
    if check_expected is None:
        loud(f"{kernel.name}: no expected output at N={check_n}: {origin}")

    # 1. The gate: every implementation at the check size must print what is expected
    #    before any of its time counts.
    for impl, cell in cells.items():
        peer = programs.peers[impl]
        if not peer.available:
            cell.fail("missing", peer.missing or "")
            continue
        if programs.source(kernel, impl) is None:
            cell.fail("no-version", f"no {IMPL_LANG[impl]} version of {kernel.name}")
            continue
        if impl == "c" and programs.build_error(kernel):
            cell.fail("error", programs.build_error(kernel) or "")
            loud(f"{kernel.name}: {cell.note}")
            continue
        run = run_process(programs.command(kernel, impl, check_n), args.timeout, programs.env(impl))
        if judge(cell, run, check_expected, check_n, "check"):
            cell.check_wall = run.wall

    # 2. Sizes: a class per implementation; Atlas with the JIT is sized by a probe.
    for impl, cell in cells.items():
        if not cell.alive:
            continue
        forced = args.size_class.get(impl)
        if impl == "atlas-jit" and not forced and not args.no_adapt:
            choose_atlas_size(cell, kernel, programs, args, expectations)
            if not cell.alive:
                continue
        else:
            cell.size_class = forced or kernel.size_class(impl)
            cell.n = kernel.size(cell.size_class, args.quick)
        cell.n_small = kernel.smaller(cell.n)

    expected_at: dict[int, list[str] | None] = {}
    for cell in cells.values():
        if cell.alive:
            for n in (cell.n, cell.n_small):
                if n not in expected_at:
                    expected_at[n], origin = expectations.get(kernel, n)
                    if expected_at[n] is None:
                        loud(f"{kernel.name}: no expected output at N={n}: {origin}")
            cell.work = kernel.work(cell.n, expected_at[cell.n] or ["0"])
            cell.work_small = kernel.work(cell.n_small, expected_at[cell.n_small] or ["0"])

    # 3. Timed runs, implementations interleaved (in a rotating order) so that a noisy
    #    moment of the machine hits all of them.
    order = list(cells)
    for rep in range(args.repeat):
        for impl in rotate(order, rep):
            cell = cells[impl]
            if not cell.alive:
                continue
            small = run_process(
                programs.command(kernel, impl, cell.n_small), args.timeout, programs.env(impl)
            )
            if not judge(cell, small, expected_at[cell.n_small], cell.n_small, "small"):
                continue
            extra = None
            stats_file = jit_stats_path(work_dir, kernel.name, rep)
            if impl == "atlas-jit":
                extra = ["--jit-stats-json", str(stats_file)]
            big = run_process(
                programs.command(kernel, impl, cell.n, extra), args.timeout, programs.env(impl)
            )
            if not judge(cell, big, expected_at[cell.n], cell.n, "timed"):
                continue
            cell.small_walls.append(small.wall)
            cell.walls.append(big.wall)
            cell.cpus.append(big.cpu)
            if extra and stats_file.exists():
                with contextlib.suppress(ValueError):
                    cell.jit_stats.append(json.loads(stats_file.read_text()))
            if args.verbose:
                log(
                    f"    {kernel.name:13s} {impl:12s} rep {rep + 1}: N={cell.n} {big.wall:7.3f} s, "
                    f"N={cell.n_small} {small.wall:7.3f} s"
                )

    for cell in cells.values():
        finish(cell, kernel)
    return list(cells.values())


def describe(cell: Cell, unit: str) -> str:
    if cell.status != "ok":
        return f"{cell.status.upper()}: {cell.note[:140]}"
    assert cell.wall is not None and cell.ns_per_unit is not None
    mark = " ~" if cell.overhead_bound else ""
    adapted = " (sized by probe)" if cell.adapted else ""
    return (
        f"N={cell.n:<11} {cell.size_class:7s}{adapted} wall {cell.wall['median']:7.3f} s "
        f"[{cell.wall['min']:.3f}-{cell.wall['max']:.3f}]  {cell.ns_per_unit['median']:10.2f} ns/{unit}{mark}"
    )


# --- Atlas-only measurements ----------------------------------------------------------


def measure_startup(
    impls: list[str], programs: Programs, runs: int, timeout: float
) -> dict[str, Any]:
    """Wall time of each implementation on an empty program, interleaved."""
    samples: dict[str, list[float]] = {impl: [] for impl in impls}
    commands = {impl: programs.empty_command(impl) for impl in impls}
    for rep in range(runs):
        for impl in rotate(list(impls), rep):
            command = commands[impl]
            if command is None:
                continue
            run = run_process(command, timeout, programs.env(impl))
            if run.ok:
                samples[impl].append(run.wall)
    return {impl: spread(values) for impl, values in samples.items() if values}


def compile_latency(cells: list[Cell]) -> dict[str, Any]:
    """JIT compile time per compiled unit (function or loop), from --jit-stats-json."""
    per_kernel: dict[str, Any] = {}
    everything: list[float] = []
    for cell in cells:
        if cell.impl != "atlas-jit" or not cell.jit_stats:
            continue
        times: list[float] = []
        per_run_totals: list[float] = []
        units: dict[str, dict[str, Any]] = {}
        for stats in cell.jit_stats:
            total = 0.0
            for kind, items in (
                ("function", stats.get("functions", [])),
                ("loop", stats.get("loops", [])),
            ):
                for item in items:
                    name = (
                        item.get("name")
                        if kind == "function"
                        else f"loop in {item.get('function')}"
                    )
                    key = f"{name} (line {item.get('line')})"
                    unit = units.setdefault(
                        key,
                        {
                            "kind": kind,
                            "tier": item.get("tier"),
                            "fallback_reason": item.get("fallback_reason"),
                            "compile_ms": [],
                        },
                    )
                    if item.get("tier") == "native" and item.get("compile_ms", 0) > 0:
                        times.append(item["compile_ms"])
                        unit["compile_ms"].append(item["compile_ms"])
                        total += item["compile_ms"]
            per_run_totals.append(total)
        everything.extend(times)
        per_kernel[cell.kernel] = {
            "units_compiled": sum(1 for u in units.values() if u["compile_ms"]),
            "compile_ms": {
                "median": statistics.median(times) if times else None,
                "p95": percentile(times, 0.95) if times else None,
                "max": max(times) if times else None,
            },
            "total_ms_per_run": statistics.median(per_run_totals) if per_run_totals else 0.0,
            "fallbacks": {
                k: u["fallback_reason"] for k, u in units.items() if u["tier"] == "fallback"
            },
            "units": {
                k: {
                    "kind": u["kind"],
                    "tier": u["tier"],
                    "compile_ms": statistics.median(u["compile_ms"]) if u["compile_ms"] else None,
                }
                for k, u in units.items()
            },
        }
    overall = {
        "count": len(everything),
        "median": statistics.median(everything) if everything else None,
        "p95": percentile(everything, 0.95) if everything else None,
        "max": max(everything) if everything else None,
    }
    return {"overall": overall, "kernels": per_kernel}


def measure_warmup(
    peers: dict[str, peer_lib.Peer],
    atlas_command: list[str],
    work_dir: Path,
    quick: bool,
    timeout: float,
) -> dict[str, Any] | None:
    if not peers["atlas-jit"].available:
        return None
    out = work_dir / "warmup.json"
    command = [peer_lib.atlas_python(atlas_command), str(BENCH / "warmup.py"), "--json", str(out)]
    if quick:
        command += ["--calls", "300", "--vm-calls", "4"]
    env = peer_lib.atlas_environment()
    done = run_process(command, timeout * 10, env, cwd=str(BENCH))
    if not done.ok or not out.exists():
        loud(f"warm-up curve failed: {done.stderr_tail}")
        return None
    return json.loads(out.read_text())


# --- expected outputs ------------------------------------------------------------------


def update_expected(programs: Programs, kernels: list[Kernel], timeout: float) -> int:
    """Regenerate expected.json: every declared size (and its smaller twin), computed by C
    and LuaJIT, and by PyPy up to the `fast` sizes; all that ran must agree."""
    judges = [impl for impl in ("c", "luajit", "pypy") if programs.peers[impl].available]
    if len(judges) < 2:
        loud("--update-expected needs at least two of C, LuaJIT and PyPy")
        return 1
    outputs: dict[str, dict[str, list[str]]] = {}
    status = 0
    for kernel in kernels:
        sizes: set[int] = set()
        for size_class in CLASSES:
            for quick in (False, True):
                n = kernel.size(size_class, quick)
                sizes.update((n, kernel.smaller(n)))
        outputs[kernel.name] = {}
        for n in sorted(sizes):
            seen: dict[str, list[str]] = {}
            for impl in judges:
                if impl == "pypy" and n > kernel.sizes["fast"]:
                    continue
                command = programs.command(kernel, impl, n)
                if command is None:
                    continue
                run = run_process(command, timeout * 10, programs.env(impl))
                if run.ok:
                    seen[impl] = run.lines
            values = {json.dumps(v) for v in seen.values()}
            if len(values) != 1:
                loud(f"{kernel.name} N={n}: implementations disagree or failed: {seen}")
                status = 1
                continue
            outputs[kernel.name][str(n)] = next(iter(seen.values()))
            log(
                f"  {kernel.name:13s} N={n:<11} {' '.join(outputs[kernel.name][str(n)])}  ({', '.join(seen)})"
            )
    if status == 0:
        note = "Expected stdout per kernel and N. Regenerate with: python bench/run.py --update-expected"
        EXPECTED_FILE.write_text(
            json.dumps({"_comment": note, "outputs": outputs}, indent=1, sort_keys=True) + "\n"
        )
        log(f"wrote {EXPECTED_FILE.relative_to(REPO)}")
    return status


# --- command line ----------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="about 1/5 of the work, one repeat: a smoke run"
    )
    parser.add_argument("--kernels", help="comma-separated kernels (default: all)")
    parser.add_argument(
        "--impls",
        help="comma-separated implementations (default: all); 'atlas' means atlas-jit,atlas-nojit",
    )
    parser.add_argument(
        "--repeat", type=int, help="timed runs per cell (default 3, 1 with --quick)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run (default 60)")
    parser.add_argument(
        "--budget",
        type=float,
        help="seconds an atlas-jit run may take when it is "
        "sized by its probes (default 3, 2 with --quick)",
    )
    parser.add_argument(
        "--class",
        dest="classes",
        action="append",
        default=[],
        metavar="IMPL=CLASS",
        help=f"run IMPL at size class CLASS ({', '.join(CLASSES[:-1])}); "
        "for atlas-jit this also turns off probing",
    )
    parser.add_argument(
        "--no-adapt", action="store_true", help="no probe: atlas-jit runs at the 'fast' class"
    )
    parser.add_argument(
        "--atlas",
        default=os.environ.get("ATLAS_CMD"),
        help="command that runs atlas (default: the project's .venv/bin/atlas)",
    )
    parser.add_argument("--python", default=sys.executable, help="the CPython to compare with")
    parser.add_argument("--cflags", default=peer_lib.DEFAULT_CFLAGS, help="C compiler flags")
    parser.add_argument(
        "--startup-runs", type=int, help="runs of each empty program (default 10, 5 with --quick)"
    )
    parser.add_argument(
        "--no-extras",
        action="store_true",
        help="skip the start-up, compile-latency and warm-up measurements",
    )
    parser.add_argument(
        "--report",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="rewrite docs/performance.md, the README table and docs/bench.png "
        "(default: only after a full run of every kernel and implementation)",
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--install", action="store_true", help="install missing peers first (peers.py --install)"
    )
    parser.add_argument(
        "--list", action="store_true", help="list implementations and kernels, then stop"
    )
    parser.add_argument(
        "--update-expected", action="store_true", help="regenerate bench/expected.json"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every timed run")
    args = parser.parse_args(argv)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.budget = args.budget or (2.0 if args.quick else 3.0)
    args.startup_runs = args.startup_runs or (5 if args.quick else 10)
    args.size_class = {}
    for item in args.classes:
        impl, _, size_class = item.partition("=")
        if impl not in peer_lib.IMPLS or size_class not in CLASSES:
            parser.error(
                f"--class {item}: want IMPL=CLASS with IMPL in {peer_lib.IMPLS}, CLASS in {CLASSES}"
            )
        args.size_class[impl] = size_class
    return args


def selected(
    text: str | None, known: tuple[str, ...] | list[str], aliases: dict[str, list[str]]
) -> list[str]:
    if not text:
        return list(known)
    chosen: list[str] = []
    for name in text.split(","):
        name = name.strip()
        for item in aliases.get(name, [name]):
            if item not in known:
                raise SystemExit(f"unknown name {item!r}; choose from {', '.join(known)}")
            if item not in chosen:
                chosen.append(item)
    return chosen


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.install and peer_lib.install(args.python) != 0:
        loud("installing the peers failed; going on with what is there")
    kernels = [
        KERNEL_BY_NAME[k]
        for k in selected(
            args.kernels, [k.name for k in KERNELS], {"collatz": ["collatz_fn", "collatz_top"]}
        )
    ]
    impls = selected(
        args.impls, peer_lib.IMPLS, {"atlas": ["atlas-jit", "atlas-nojit"], "lua": ["lua5.4"]}
    )
    atlas_command = shlex.split(args.atlas) if args.atlas else peer_lib.default_atlas_command()
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        work_dir = Path(tmp)
        peers = peer_lib.discover(atlas_command, args.python, args.cflags, work_dir)
        log("implementations:")
        for name in impls:
            peer = peers[name]
            log(
                f"  {name:12s} {peer.version if peer.available else 'SKIPPED: ' + (peer.missing or '')}"
            )
        programs = Programs(peers, work_dir)
        if args.list:
            log(f"kernels (N per class: {' / '.join(reversed(CLASSES))}):")
            for k in kernels:
                sizes = " / ".join(str(k.sizes[c]) for c in reversed(CLASSES))
                log(f"  {k.name:13s} {sizes:48s} unit: {k.unit}")
            return 0
        if args.update_expected:
            return update_expected(programs, kernels, args.timeout)

        expectations = Expectations(programs, args.timeout)
        cells: list[Cell] = []
        for kernel in kernels:
            log(f"\n{kernel.name}: {kernel.stresses} (unit: {kernel.unit})")
            for cell in run_kernel(kernel, impls, programs, expectations, args, work_dir):
                cells.append(cell)
                log(f"  {cell.impl:12s} {describe(cell, kernel.unit)}")

        extras: dict[str, Any] = {}
        if not args.no_extras and any(i.startswith("atlas") for i in impls):
            log("\nstart-up on an empty program ...")
            extras["startup"] = measure_startup(impls, programs, args.startup_runs, args.timeout)
            for impl, values in extras["startup"].items():
                log(
                    f"  {impl:12s} {values['median'] * 1e3:8.1f} ms [{values['min'] * 1e3:.1f}-{values['max'] * 1e3:.1f}]"
                )
            extras["compile"] = compile_latency(cells)
            overall = extras["compile"]["overall"]
            if overall["count"]:
                log(
                    f"JIT compile latency over {overall['count']} compiled units: median "
                    f"{overall['median']:.1f} ms, p95 {overall['p95']:.1f} ms, max {overall['max']:.1f} ms"
                )
            if "atlas-jit" in impls:
                log("warm-up curves ...")
                extras["warmup"] = measure_warmup(
                    peers, atlas_command, work_dir, args.quick, args.timeout
                )

    results = {
        "meta": {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine_info(),
            "peers": {
                name: {
                    "label": peers[name].label,
                    "version": peers[name].version,
                    "missing": peers[name].missing,
                }
                for name in impls
            },
            "options": {
                "quick": args.quick,
                "repeat": args.repeat,
                "timeout": args.timeout,
                "budget": args.budget,
                "cflags": args.cflags,
                "command": " ".join(
                    ["python bench/run.py"]
                    + [
                        a
                        for a in (sys.argv[1:] if argv is None else argv)
                        if a not in ("-v", "--verbose")
                    ]
                ),
            },
            "duration_s": round(time.perf_counter() - started, 1),
            # One-minute load average: how busy the (shared) machine was around the run.
            "load_average": {"start": load_at_start, "end": os.getloadavg()[0]},
        },
        "kernels": [{"name": k.name, "unit": k.unit, "stresses": k.stresses} for k in kernels],
        "impls": impls,
        "cells": [asdict(c) for c in cells],
        **extras,
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for path in (
        RESULTS / "latest.json",
        RESULTS / f"run-{stamp}.json",
        *([Path(args.json)] if args.json else []),
    ):
        path.write_text(json.dumps(results, indent=1) + "\n")
    log(
        f"\nresults: {(RESULTS / 'latest.json').relative_to(REPO)} ({results['meta']['duration_s']} s)"
    )

    full_run = not (args.quick or args.kernels or args.impls)
    if args.report or (args.report is None and full_run):
        import report

        for path in report.write_all(results, REPO):
            log(f"wrote {path.relative_to(REPO)}")

    bad = [c for c in cells if c.status in ("mismatch", "error", "timeout")]
    if bad:
        loud(f"{len(bad)} cell(s) failed and are left out of every ratio:")
        for c in bad:
            loud(f"  {c.kernel} on {c.impl}: {c.status.upper()}: {c.note[:200]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
