"""Timing one process from the outside: wall clock from start to exit, CPU from rusage."""

from __future__ import annotations

import os
import resource
import signal
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Run:
    """One finished (or killed) process."""

    wall: float  # seconds, start-up included
    cpu: float  # user + system seconds of the process and its children
    returncode: int | None  # None: killed at the timeout
    lines: list[str]  # stdout, one stripped line each, empty lines dropped
    stderr_tail: str

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_process(
    command: Sequence[str],
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
) -> Run:
    """Run `command` with empty stdin and captured output. Its CPU time is the growth of
    this process's reaped-children usage, so nothing else may run children meanwhile."""
    cpu_before = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        start_new_session=True,  # its own process group, so a timeout kills all of it
    )
    try:
        out, err = process.communicate(timeout=timeout)
        returncode: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        returncode = None
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    text = out.decode(errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    tail = err.decode(errors="replace").strip()[-600:]
    return Run(wall, cpu, returncode, lines, tail)


def spread(values: Sequence[float]) -> dict[str, float]:
    """min / median / max of a non-empty sample."""
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile by linear interpolation (fraction 0.95: p95)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
