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
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ..limits import EXECUTION_THREAD_STACK_BYTES, ensure_recursion_headroom

T = TypeVar("T")

# Called on the main thread when Ctrl-C arrives (the JIT registers its flag setter here).
interrupt_hooks: list[Callable[[], None]] = []


def _raise_in(thread: threading.Thread, exc_type: type[BaseException]) -> None:
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(exc_type)
        )


def run_on_big_stack(fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
    """Run `fn(*args)` on a fresh large-stack thread and return its result or re-raise
    its exception. Ctrl-C in the caller interrupts it (KeyboardInterrupt is re-raised).
    With `timeout`, a run still going after that many seconds gets TimeoutError."""
    ensure_recursion_headroom()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = fn(*args)
        except BaseException as exc:  # delivered to the caller below
            outcome["error"] = exc

    previous = threading.stack_size()
    threading.stack_size(EXECUTION_THREAD_STACK_BYTES)
    try:
        worker = threading.Thread(target=target, name="atlas-program", daemon=True)
    finally:
        threading.stack_size(previous)
    worker.start()
    timed_out = False
    while worker.is_alive():
        try:
            worker.join(timeout)
            if worker.is_alive() and timeout is not None and not timed_out:
                timed_out = True
                _interrupt(worker, TimeoutError)
                timeout = None
        except KeyboardInterrupt:
            _interrupt(worker, KeyboardInterrupt)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _interrupt(worker: threading.Thread, exc_type: type[BaseException]) -> None:
    for hook in interrupt_hooks:
        hook()
    _raise_in(worker, exc_type)
