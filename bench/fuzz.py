"""Differential fuzzing of the JIT: random programs, VM against eager JIT.

    python bench/fuzz.py --count 10000 --seed 1 --jobs 2

Program i is generated from the seed "<seed>:<i>" by the generator the test suite uses
(tests/fuzz/generator.py), run in the VM and with the JIT compiling every function and
loop at once, and the two runs are compared (stdout, error code, message, line,
column). Mismatches, crashes and invalid programs are written to --out with a
line-reduced version of each (--no-reduce to skip), and summarised at the end; the
exit status is 1 if there were any. `--replay FILE` compares one saved program.

A worker killed by a signal (a segfault in native code) is reported as a crash of the
program it was running and replaced; the run goes on.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import queue
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from atlas.config import JitConfig  # noqa: E402
from tests.fuzz.differential import EAGER, compare  # noqa: E402
from tests.fuzz.generator import SMALL, FuzzSize, generate_from_seed  # noqa: E402
from tests.fuzz.reduce import reduce_lines  # noqa: E402

SIZES = {
    "default": FuzzSize(),
    "small": SMALL,
    "large": replace(FuzzSize(), functions=10, main_statements=25),
}


def check_one(job: tuple[str, str, JitConfig, float]) -> dict:
    seed, size_name, jit, timeout = job
    source = generate_from_seed(seed, SIZES[size_name])
    started = time.perf_counter()
    result = compare(source, jit, timeout)
    outcome = result.vm.error[0] if result.vm.error else ("crash" if result.vm.crash else "ok")
    report = {
        "seed": seed,
        "outcome": outcome,
        "seconds": time.perf_counter() - started,
        "ok": result.ok,
    }
    if not result.ok:
        report.update(source=source, signature=result.signature(), description=result.describe())
    return report


def worker(tasks: multiprocessing.Queue, results: multiprocessing.Queue, wid: int) -> None:
    """Run jobs until the None sentinel; announce each before running it, so the parent
    knows which program a worker that dies was running."""
    while (job := tasks.get()) is not None:
        results.put(("start", wid, job))
        results.put(("done", wid, check_one(job)))


CRASH = "crash: the process died"  # how a crash's signature starts


def crash_report(job: tuple[str, str, JitConfig, float], exitcode: int | None) -> dict:
    seed, size_name, _, _ = job
    signature = f"{CRASH} with exit code {exitcode}"
    return {
        "seed": seed, "outcome": "crash", "seconds": 0.0, "ok": False,
        "source": generate_from_seed(seed, SIZES[size_name]), "signature": signature,
        "description": signature + " (run the program with `atlas run` and the same thresholds)",
    }  # fmt: skip


def run_jobs(jobs: list, count: int):
    """Yield a report per job from `count` worker processes, replacing dead workers."""
    tasks: multiprocessing.Queue = multiprocessing.Queue()
    results: multiprocessing.Queue = multiprocessing.Queue()
    for job in jobs:
        tasks.put(job)
    workers: dict[int, multiprocessing.Process] = {}
    running: dict[int, tuple] = {}

    def start(wid: int) -> None:
        workers[wid] = multiprocessing.Process(
            target=worker, args=(tasks, results, wid), daemon=True
        )
        workers[wid].start()

    for wid in range(count):
        start(wid)
    remaining = len(jobs)
    next_id = count
    while remaining:
        try:
            kind, wid, payload = results.get(timeout=1.0)
        except queue.Empty:
            for wid, process in list(workers.items()):
                if not process.is_alive() and results.empty():
                    del workers[wid]
                    if wid in running:
                        remaining -= 1
                        yield crash_report(running.pop(wid), process.exitcode)
                    start(next_id)
                    next_id += 1
            continue
        if kind == "start":
            running[wid] = payload
        else:
            running.pop(wid, None)
            remaining -= 1
            yield payload
    for _ in workers:
        tasks.put(None)
    for process in workers.values():
        process.join(timeout=10)


def crashes(source: str, jit: JitConfig, timeout: float) -> bool:
    """Does `atlas run` with these thresholds die of a signal on `source`?"""
    argv = [
        sys.executable, "-m", "atlas", "run", "--jit-threshold", str(jit.call_threshold),
        "--jit-loop-threshold", str(jit.loop_threshold), "--jit-opt-level", str(jit.opt_level),
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "candidate.atl"
        path.write_text(source, encoding="utf-8")
        try:
            proc = subprocess.run([*argv, str(path)], capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
    return proc.returncode < 0


def reduce_case(source: str, signature: str, jit: JitConfig, timeout: float) -> str:
    def interesting(candidate: str) -> bool:
        if signature.startswith(CRASH):
            return crashes(candidate, jit, timeout)
        result = compare(candidate, jit, timeout)
        return not result.ok and not result.invalid and result.signature() == signature

    return reduce_lines(source, interesting)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="programs to run")
    parser.add_argument("--seed", default="1", help="seed of the run (program i uses '<seed>:<i>')")
    parser.add_argument("--start", type=int, default=0, help="index of the first program")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--size", choices=sorted(SIZES), default="default")
    parser.add_argument(
        "--opt-level", type=int, default=EAGER.opt_level, help="LLVM optimisation level"
    )
    parser.add_argument(
        "--thresholds",
        default="0,0",
        help="JIT call and loop thresholds (default 0,0: compile at once)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds per run before it counts as a hang"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("fuzz-failures"), help="where failing programs go"
    )
    parser.add_argument(
        "--no-reduce", action="store_true", help="keep failing programs as they are"
    )
    parser.add_argument("--replay", type=Path, help="compare one program file and print the result")
    args = parser.parse_args(argv)
    calls, loops = (int(n) for n in args.thresholds.split(","))
    jit = replace(EAGER, opt_level=args.opt_level, call_threshold=calls, loop_threshold=loops)

    if args.replay:
        result = compare(args.replay.read_text(encoding="utf-8"), jit, args.timeout)
        print("same behaviour" if result.ok else result.describe())
        print(f"vm stdout:\n{result.vm.stdout}vm error: {result.vm.error}")
        return 0 if result.ok else 1

    jobs = [
        (f"{args.seed}:{i}", args.size, jit, args.timeout)
        for i in range(args.start, args.start + args.count)
    ]
    outcomes: collections.Counter[str] = collections.Counter()
    failures: dict[str, list[dict]] = collections.defaultdict(list)
    started = time.perf_counter()
    done = 0
    for report in run_jobs(jobs, args.jobs):
        done += 1
        outcomes[report["outcome"]] += 1
        if not report["ok"]:
            failures[report["signature"]].append(report)
            print(f"[{done}] seed {report['seed']}: {report['signature']}", flush=True)
        if done % 500 == 0:
            rate = done / (time.perf_counter() - started)
            print(
                f"[{done}/{args.count}] {rate:.1f} programs/s, {sum(map(len, failures.values()))} failing",
                flush=True,
            )
    elapsed = time.perf_counter() - started

    print(
        f"\n{done} programs in {elapsed:.1f} s ({done / elapsed:.1f}/s, {args.jobs} jobs, size {args.size}, "
        f"opt level {args.opt_level}, thresholds {calls},{loops})"
    )
    print("outcomes (VM):", ", ".join(f"{k} {v}" for k, v in outcomes.most_common()))
    if not failures:
        print("no mismatches")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{sum(map(len, failures.values()))} failing programs, {len(failures)} kinds:")
    for signature, reports in sorted(failures.items(), key=lambda kv: -len(kv[1])):
        first = min(reports, key=lambda r: len(r["source"]))
        stem = first["seed"].replace(":", "-")
        (args.out / f"{stem}.atl").write_text(first["source"], encoding="utf-8")
        print(
            f"\n== {len(reports)} x {signature}\n   seeds: {', '.join(r['seed'] for r in reports[:10])}"
        )
        print("   " + first["description"].replace("\n", "\n   "))
        if not args.no_reduce:
            small = reduce_case(first["source"], signature, jit, args.timeout)
            (args.out / f"{stem}.reduced.atl").write_text(small, encoding="utf-8")
            print("   reduced:\n      " + small.rstrip().replace("\n", "\n      "))
    return 1


if __name__ == "__main__":
    sys.exit(main())
