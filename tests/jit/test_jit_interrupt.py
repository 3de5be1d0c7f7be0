"""Ctrl-C stops native code: loops poll the interrupt flag at each back-edge and native
functions that call others on entry, and the program ends exactly as an interrupted VM
run does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

TOP_LEVEL_LOOP = """
print("started");
var x = 0;
while (true) { x = x * 0.5 + 1; }
"""
LOOP_IN_FUNCTION = """
fn spin(n: number) -> number {
    var x = 0;
    var i = 0;
    while (i < n) { x = x * 0.5 + 1; if (x > 10) { i = i + 1; } }
    return x;
}
print("started");
print(spin(5));
"""
RECURSION = """
print("started");
fn fib(n: number) -> number { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }
print(fib(80));
"""
# No recursion and no loop, but 2^40 calls: functions that call poll on entry (leaves,
# which run their code once, need not).
CALL_TREE = "\n".join(
    ['print("started");', "fn g0(x: number) -> number { return x * 0.5 + 1; }"]
    + [f"fn g{k}(x: number) -> number {{ return g{k - 1}(x) + g{k - 1}(x + 1); }}" for k in range(1, 41)]
    + ["print(g40(1));"]
)

# Short innermost loops (at most MAX_UNPOLLED_TRIPS trips) do not poll: the loop
# around them does, even when the short one is in a leaf function.
SHORT_LOOPS = """
fn burst(x: number) -> number {
    var y = x;
    for (var k = 0; k < 100; k++) { y = y * 0.5 + 1; }
    return y;
}
print("started");
var x = 0;
while (true) { for (var i = 0; i < 10; i++) { x = burst(x); } }
"""

# A counted loop polls once per chunk of CHUNK iterations (jit/integers.py), not on
# every back-edge; this one would run for months.
CHUNKED_LOOP = """
fn count(n: number) -> number {
    var t = 0;
    for (var i = 0; i < 9000000000000000; i++) { t = t + i % n; }
    return t;
}
print("started");
print(count(3));
"""

# A counted loop around counted loops polls once per OUTER_CHUNK counts; the loops inside
# run three iterations per entry and never reach the end of a chunk of their own.
CHUNKED_NEST = """
fn spin(n: number) -> number {
    var t = 0;
    for (var i = 0; i < 9000000000000000; i++) {
        for (var k = 0; k < n; k++) { t = t + k % 3; }
    }
    return t;
}
print("started");
print(spin(3));
"""

# `i = 1 + j` before the back-edge is no step of i: the loop is endless and must poll.
NOT_A_STEP = """
fn spin(j: number) -> number {
    var t = 0;
    var i = 0;
    while (i < 10) { t = t + 1; i = 1 + j; }
    return t;
}
print("started");
print(spin(3));
"""


def interrupt_when(path: Path, flags: list[str], ready: str | None) -> tuple[int, str, float]:
    """Run `atlas run`, send SIGINT once the program has started (and stderr shows
    `ready`), and return the exit status, stderr and the seconds from signal to exit."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "atlas", "run", *flags, str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    lines: list[str] = []
    started, seen = threading.Event(), threading.Event()

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if ready is not None and ready in line:
                seen.set()

    def read_stdout() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line == "started\n":
                started.set()

    readers = [threading.Thread(target=f, daemon=True) for f in (read_stderr, read_stdout)]
    for reader in readers:
        reader.start()
    try:
        assert started.wait(120), "".join(lines)
        if ready is not None:
            assert seen.wait(120), "".join(lines)
        time.sleep(0.5)  # well inside the loop
        sent = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        status = proc.wait(60)
        elapsed = time.perf_counter() - sent
    finally:  # a program Ctrl-C did not stop must not outlive the test
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for reader in readers:
        reader.join(5)
    return status, "".join(lines), elapsed


@pytest.mark.parametrize(
    ("source", "ready"),
    [(TOP_LEVEL_LOOP, "jit: osr: entering"), (LOOP_IN_FUNCTION, "jit: osr: entering"),
     (RECURSION, "jit: compiled function fib"), (CALL_TREE, "jit: compiled function g12 "),
     (SHORT_LOOPS, "jit: osr: entering"), (CHUNKED_LOOP, "jit: osr: entering"),
     (CHUNKED_NEST, "jit: osr: entering"), (NOT_A_STEP, "jit: osr: entering")],
    ids=["top-level-loop", "loop-in-function", "recursion", "call-tree", "short-loops", "chunked-loop",
         "chunked-nest", "not-a-step"],
)  # fmt: skip
def test_ctrl_c_stops_native_code_like_the_vm(tmp_path: Path, source: str, ready: str) -> None:
    path = tmp_path / "spin.atl"
    path.write_text(source, encoding="utf-8")
    native_status, native_err, native_seconds = interrupt_when(path, ["--jit-log"], ready)
    vm_status, vm_err, _ = interrupt_when(path, ["--no-jit"], None)
    assert native_status == vm_status == 130
    assert native_err.endswith("error: interrupted\n")
    assert vm_err == "error: interrupted\n"
    assert native_seconds < 30  # in practice well under 0.1 s; no timing claims in tests
