"""Warm-up curves: the time of each call of a kernel function as the JIT tiers it up.

Atlas has no clock builtin, so this drives Atlas from Python: it loads a kernel's
functions into an `atlas.Runtime` (JIT thresholds at their defaults, no ATLAS_JIT_*
variables) and times every `Runtime.call` with `time.perf_counter`. A call also pays a
fixed cost for crossing from Python into Atlas; `call_overhead` is that cost, measured
on an empty function, so a curve's floor can be read against it.

    python bench/warmup.py [--calls 1200] [--json OUT]

Run it with the Python that has atlas installed (run.py does).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from kernels import KERNEL_DIR, library_part

# A planetary system like nbody.atl's (no momentum offset: the warm-up only needs work).
# fmt: off
PLANETS = [
    0, 0, 0, 0, 0, 0,
    1, 0, 0.01, 0, 1, 0,
    0, -1.7, 0, 0.77, 0, 0.02,
    -2.6, 0.2, -0.05, 0.05, -0.62, 0,
    0.3, 3.9, 0.1, -0.5, 0.03, -0.01,
]
# fmt: on
MASSES = [1, 0.002, 0.0005, 0.0001, 0.00004]

# (kernel, function, arguments): a call costs roughly a millisecond once compiled, so
# the crossing cost stays a small part of it.
CASES: list[tuple[str, str, Callable[[], list[Any]]]] = [
    ("fib", "fib", lambda: [22]),
    ("loop_sum", "loop_sum", lambda: [300_000]),
    ("mandelbrot", "mandel", lambda: [40]),
    ("nbody", "advance", lambda: [PLANETS, MASSES, 5, 100, 0.01]),
    ("collatz_fn", "longest_chain", lambda: [2500]),
    ("spectral_norm", "spectral_norm", lambda: [24, [1] * 24, [0] * 24]),
]


def curve(jit: bool, kernel: str, function: str, args: list[Any], calls: int) -> dict[str, Any]:
    import atlas  # imported here so that --help works without it

    runtime = atlas.Runtime(jit=jit)
    runtime.eval(library_part((KERNEL_DIR / f"{kernel}.atl").read_text()), name=f"{kernel}.atl")
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        runtime.call(function, *args)
        times.append(time.perf_counter() - start)
    result: dict[str, Any] = {"seconds": times}
    if jit:
        stats = runtime.jit_stats()
        result["compiled"] = [
            {
                "name": item.get("name") or f"loop in {item['function']}",
                "line": item["line"],
                "tier": item["tier"],
                "compile_ms": item["compile_ms"],
                "fallback_reason": item["fallback_reason"],
            }
            for item in stats["functions"] + stats["loops"]
            if item["tier"] != "vm"
        ]
    return result


def call_overhead(samples: int = 400) -> float:
    """Median seconds of one Runtime.call of an empty function, in the VM."""
    import atlas

    runtime = atlas.Runtime(jit=False)
    runtime.eval("fn nothing(x: number) -> number { return x; }")
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        runtime.call("nothing", 1)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--calls", type=int, default=1100, help="calls with the JIT on (default 1100)"
    )
    parser.add_argument(
        "--vm-calls", type=int, default=10, help="calls with the JIT off (default 10)"
    )
    parser.add_argument("--kernels", help="comma-separated subset")
    parser.add_argument("--json", help="write the curves here (default: stdout)")
    args = parser.parse_args(argv)
    for key in [k for k in os.environ if k.startswith("ATLAS_JIT")]:
        del os.environ[key]  # thresholds at their defaults
    wanted = set(args.kernels.split(",")) if args.kernels else None
    curves = []
    for kernel, function, make_args in CASES:
        if wanted is not None and kernel not in wanted:
            continue
        arguments = make_args()
        jit = curve(True, kernel, function, arguments, args.calls)
        vm = curve(False, kernel, function, arguments, args.vm_calls)
        curves.append({"kernel": kernel, "function": function, "jit": jit, "vm": vm})
        steady = statistics.median(jit["seconds"][-100:])
        print(
            f"warm-up {kernel:14s} first call {jit['seconds'][0] * 1e3:8.2f} ms, "
            f"steady {steady * 1e3:7.3f} ms, VM {statistics.median(vm['seconds']) * 1e3:8.2f} ms",
            file=sys.stderr,
        )
    data = {"call_overhead_s": call_overhead(), "curves": curves}
    if args.json:
        with open(args.json, "w") as out:
            json.dump(data, out)
    else:
        json.dump(data, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
