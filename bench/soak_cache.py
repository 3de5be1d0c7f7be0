"""Soak test of the code cache: compile and evict many units, watch resident memory.

    python bench/soak_cache.py [--units 5000] [--leak] [--no-object-cache]

Each round evicts every compiled unit (closing its ORC resource tracker) and compiles
the hot function again, so the cache churns through `--units` units. With `--leak` the
trackers are not closed nor collected (what an MCJIT-style "remove_module" would amount
to), which shows how much memory eviction really gives back. `--statements N` makes the
compiled function bigger. `--no-object-cache` runs the whole
optimiser for every unit instead of re-loading the object emitted the first time.
"""

from __future__ import annotations

import argparse
import os
import time

from atlas.config import JitConfig
from atlas.pipeline import Session


def kernel_source(statements: int) -> str:
    """A hot function whose machine code grows with `statements`."""
    body = "\n".join(f"        s = s + x * {k} - y / (i + {k + 1});" for k in range(statements))
    return f"""
fn kernel(x: number, y: number) -> number {{
    var s = 0;
    for (var i = 0; i < 10; i++) {{
{body}
    }}
    return s;
}}
"""


def rss_mib() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--statements", type=int, default=1, help="size of the compiled function")
    parser.add_argument("--leak", action="store_true", help="do not close trackers on eviction")
    parser.add_argument("--no-object-cache", action="store_true", help="optimise every unit anew")
    args = parser.parse_args()
    if args.no_object_cache:
        from atlas.jit import backend

        backend.OBJECT_CACHE_BYTES = 0

    session = Session(
        jit=JitConfig(call_threshold=0, loop_threshold=0), write_stdout=lambda s: None
    )
    session.execute(session.prepare_text(kernel_source(args.statements), "soak.atl"))
    kernel = next(p for p in session.image.protos if p.name == "kernel")
    fn = session.image.globals.values[session.image.slots[kernel.symbol][1]]
    jit = session.jit
    vm = session.vm

    def compile_once() -> None:
        kernel.calls = 0
        vm.call_value(fn, [2.0, 3.0])
        assert kernel.native is not None

    compile_once()
    cache = jit.cache
    # --leak: trackers are neither closed nor garbage collected (an unreferenced
    # llvmlite tracker frees its code when it is collected).
    leaked: list = []
    checkpoints = {0, 100, 500, 1000, 2000, 3000, 4000, args.units}
    start_rss = rss_mib()
    started = time.perf_counter()
    print(f"{'units':>6} {'RSS MiB':>9} {'held bytes':>10} {'evictions':>9}")
    for n in range(1, args.units + 1):
        for unit in list(cache.units):
            if args.leak:
                unit.loaded.close = lambda: None  # type: ignore[method-assign]
                leaked.append(unit.loaded.tracker)
            cache.evict(unit)
        compile_once()
        if n in checkpoints:
            print(
                f"{n:>6} {rss_mib():>9.1f} {cache.bytes_held:>10} {cache.evictions:>9}", flush=True
            )
    elapsed = time.perf_counter() - started
    print(
        f"{args.units} units compiled and evicted in {elapsed:.1f} s "
        f"({elapsed / args.units * 1000:.2f} ms each); RSS {start_rss:.1f} -> {rss_mib():.1f} MiB"
        + (" (trackers NOT closed)" if args.leak else "")
        + (" (no object cache)" if args.no_object_cache else "")
    )


if __name__ == "__main__":
    main()
