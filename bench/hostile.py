"""Hostile source against the `atlas` command: it must answer with diagnostics, never
a traceback, a crash or a hang.

    python bench/hostile.py --count 100000 --seed 1 --jobs 2
    python bench/hostile.py --count 0 --structural --subprocess

Input i is made from the seed "<seed>:<i>" by tests/fuzz/hostile.py (random bytes,
token soups, truncations and mutations of the example and test programs) and goes
through `atlas check` and `atlas run` in-process, one of the two with --json.
--structural adds the deep-nesting, long-chain and megabyte inputs (in-process), and
--subprocess runs those through the real `atlas` command too. Failing inputs are
written to --out; the exit status is 1 if there were any.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests.fuzz.hostile import (  # noqa: E402
    HostileSource,
    huge_inputs,
    run_in_process,
    run_subprocess,
    structural_inputs,
)

WORKDIR = Path(tempfile.mkdtemp(prefix="atlas-hostile-"))


def check_input(job: tuple[str, int]) -> dict:
    seed, index = job
    family, data = HostileSource(f"{seed}:{index}").next()
    path = WORKDIR / f"input-{os.getpid()}.atl"
    path.write_bytes(data)
    started = time.perf_counter()
    problems = []
    statuses = []
    for command, as_json in (("check", index % 2 == 0), ("run", index % 2 == 1)):
        verdict = run_in_process(path, command, as_json=as_json, limit=120.0, run_limit=2.0)
        statuses.append(f"{command}:{verdict.status}")
        if not verdict.ok:
            problems.append(f"atlas {command}{' --json' if as_json else ''}: {verdict.problem}")
    report = {
        "index": index,
        "family": family,
        "statuses": statuses,
        "seconds": time.perf_counter() - started,
    }
    if problems:
        report.update(problems=problems, data=data)
    return report


def check_named(job: tuple[str, str, bool]) -> dict:
    name, text, through_subprocess = job
    path = WORKDIR / f"{name}.atl"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    problems, statuses = [], []
    for command in ("check", "run"):
        for as_json in (False, True):
            if through_subprocess:
                verdict = run_subprocess(path, command, as_json=as_json, limit=600.0)
            else:
                verdict = run_in_process(
                    path, command, as_json=as_json, limit=600.0, run_limit=10.0
                )
            statuses.append(f"{command}{'/json' if as_json else ''}:{verdict.status}")
            if not verdict.ok:
                problems.append(f"atlas {command}{' --json' if as_json else ''}: {verdict.problem}")
    report = {
        "index": name,
        "family": "subprocess" if through_subprocess else "structural",
        "statuses": statuses,
    }
    report["seconds"] = time.perf_counter() - started
    if problems:
        report.update(problems=problems, data=text.encode())
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="random inputs to try")
    parser.add_argument("--seed", default="1", help="seed of the run (input i uses '<seed>:<i>')")
    parser.add_argument("--start", type=int, default=0, help="index of the first input")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument(
        "--structural", action="store_true", help="also the deep, long and huge inputs"
    )
    parser.add_argument(
        "--subprocess", action="store_true", help="those through the real command too"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("hostile-failures"), help="where failing inputs go"
    )
    args = parser.parse_args(argv)

    jobs: list = [(args.seed, i) for i in range(args.start, args.start + args.count)]
    named: list = []
    if args.structural:
        named = [(n, t, False) for n, t in [*structural_inputs(), *huge_inputs()]]
        if args.subprocess:
            named += [(n, t, True) for n, t in [*structural_inputs(), *huge_inputs()]]
    families: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()
    failures: list[dict] = []
    slowest: list[tuple[float, str]] = []
    started = time.perf_counter()
    done = 0
    with multiprocessing.Pool(args.jobs, maxtasksperchild=2000) as pool:
        results = pool.imap_unordered(check_input, jobs, chunksize=16)
        named_results = pool.imap_unordered(check_named, named)
        for report in itertools.chain(results, named_results):
            done += 1
            families[report["family"]] += 1
            statuses.update(report["statuses"])
            slowest = sorted(
                [*slowest, (report["seconds"], f"{report['family']} {report['index']}")]
            )[-5:]
            if "problems" in report:
                failures.append(report)
                print(
                    f"[{done}] {report['family']} {report['index']}: {report['problems'][0][:300]}",
                    flush=True,
                )
            elif not isinstance(report["index"], int):
                print(
                    f"[{done}] {report['family']} {report['index']}: ok ({report['seconds']:.1f} s)",
                    flush=True,
                )
            if done % 5000 == 0:
                rate = done / (time.perf_counter() - started)
                print(
                    f"[{done}/{len(jobs) + len(named)}] {rate:.0f} inputs/s, {len(failures)} failing",
                    flush=True,
                )
    elapsed = time.perf_counter() - started

    print(
        f"\n{done} inputs in {elapsed:.1f} s ({done / elapsed:.1f}/s, {args.jobs} jobs), each through atlas check and atlas run"
    )
    print("families:", ", ".join(f"{k} {v}" for k, v in families.most_common()))
    print("outcomes:", ", ".join(f"{k} {v}" for k, v in statuses.most_common()))
    print("slowest:", "; ".join(f"{name} {s:.1f} s" for s, name in reversed(slowest)))
    if not failures:
        print("no failures")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{len(failures)} failing inputs:")
    for report in failures:
        name = f"{report['family']}-{report['index']}"
        (args.out / f"{name}.atl").write_bytes(report["data"])
        print(f"\n== {name}\n   " + "\n   ".join(p[:2000] for p in report["problems"]))
    return 1


if __name__ == "__main__":
    sys.exit(main())
