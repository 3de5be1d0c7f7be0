"""Running a program on a thread with a large stack, interruptible with Ctrl-C.

Atlas calls never recurse in Python, but builtins that call back into Atlas (`map`,
`sort`, ...) and native code do use the host stack: a program that nests them
MAX_CALL_DEPTH deep must end in AT0008, never in a host stack overflow. So programs run
on a worker thread whose stack is `limits.EXECUTION_THREAD_STACK_BYTES`. Signals only
reach the main thread, which forwards Ctrl-C to the worker as an asynchronous
KeyboardInterrupt (and, for native code, through the JIT's interrupt flag).
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..limits import EXECUTION_THREAD_STACK_BYTES, MEMORY_POLL_SECONDS, ensure_recursion_headroom
from .errors import MemoryLimitExceeded, TimeLimitExceeded

T = TypeVar("T")

# Called on the main thread when Ctrl-C arrives (the JIT registers its flag setter here).
# Objects with `interrupt(exc_type)` told when a run is interrupted (the JIT engines:
# native code cannot receive a Python exception, so they set a flag it polls). Held
# weakly: a finished program's engine must not be kept alive by this list.
interrupt_targets: weakref.WeakSet = weakref.WeakSet()


def _raise_in(thread: threading.Thread, exc_type: type[BaseException] | None) -> None:
    """Make `thread` raise `exc_type` asynchronously (None clears a pending one)."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident),
            ctypes.py_object(exc_type) if exc_type is not None else ctypes.c_void_p(None),
        )


@dataclass(frozen=True)
class RunLimits:
    """Limits on one run (`atlas run --timeout / --max-memory`); None: no limit."""

    seconds: float | None = None
    memory_bytes: int | None = None


def resident_bytes() -> int:
    """This process's resident memory now."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: the peak is the best the OS tells
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_on_big_stack(fn: Callable[..., T], *args: Any, limits: RunLimits | None = None) -> T:
    """Run `fn(*args)` on a fresh large-stack thread and return its result or re-raise
    its exception. Ctrl-C in the caller interrupts it (KeyboardInterrupt is re-raised;
    a second Ctrl-C abandons a worker that does not stop). With `limits`, a run that goes
    on too long or holds too much memory is stopped with TimeLimitExceeded or
    MemoryLimitExceeded, raised where it is (VM or native code)."""
    ensure_recursion_headroom()
    limits = limits or RunLimits()
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            try:
                outcome["value"] = fn(*args)
            except BaseException as exc:  # delivered to the caller below
                outcome.setdefault("error", exc)
        finally:
            done.set()

    worker = threading.Thread(target=target, name="atlas-program", daemon=True)
    previous = threading.stack_size()
    threading.stack_size(EXECUTION_THREAD_STACK_BYTES)
    try:
        worker.start()  # a thread gets the stack size in force when it starts
    finally:
        threading.stack_size(previous)
    deadline = None if limits.seconds is None else time.monotonic() + limits.seconds
    sent: type[BaseException] | None = None
    # Wait on an Event, never with Thread.join() or is_alive(): on CPython 3.11 a
    # KeyboardInterrupt arriving inside them can mark a still-running thread as stopped
    # (the fix of bpo-45274 releases the lock the worker holds).
    while not done.is_set():
        try:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if limits.memory_bytes is not None:
                wait = MEMORY_POLL_SECONDS if wait is None else min(wait, MEMORY_POLL_SECONDS)
            if done.wait(wait):
                break
            if sent is not None:
                continue  # stopping already
            if deadline is not None and time.monotonic() >= deadline:
                sent = TimeLimitExceeded
            elif limits.memory_bytes is not None and resident_bytes() > limits.memory_bytes:
                sent = MemoryLimitExceeded
            if sent is not None:
                _interrupt(worker, sent)
        except KeyboardInterrupt:
            if sent is KeyboardInterrupt:
                raise  # the second Ctrl-C: stop waiting for a worker stuck in native code
            sent = KeyboardInterrupt
            _interrupt(worker, KeyboardInterrupt)
    if sent is not None:
        _raise_in(worker, None)  # an interrupt that arrived too late must not fire later
    if "error" in outcome:
        raise outcome["error"]
    if "value" in outcome:
        return outcome["value"]
    raise (sent or RuntimeError)("the program's thread ended without a result")


def _interrupt(worker: threading.Thread, exc_type: type[BaseException]) -> None:
    for target in list(interrupt_targets):
        target.interrupt(exc_type)
    _raise_in(worker, exc_type)
