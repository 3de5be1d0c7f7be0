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
import time
from collections.abc import Callable
from typing import Any, TypeVar

from ..limits import EXECUTION_THREAD_STACK_BYTES, ensure_recursion_headroom

T = TypeVar("T")

# Called on the main thread when Ctrl-C arrives (the JIT registers its flag setter here).
interrupt_hooks: list[Callable[[], None]] = []


def _raise_in(thread: threading.Thread, exc_type: type[BaseException] | None) -> None:
    """Make `thread` raise `exc_type` asynchronously (None clears a pending one)."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident),
            ctypes.py_object(exc_type) if exc_type is not None else ctypes.c_void_p(None),
        )


def run_on_big_stack(fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
    """Run `fn(*args)` on a fresh large-stack thread and return its result or re-raise
    its exception. Ctrl-C in the caller interrupts it (KeyboardInterrupt is re-raised;
    a second Ctrl-C abandons a worker that does not stop). With `timeout`, a run still
    going after that many seconds gets TimeoutError."""
    ensure_recursion_headroom()
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
    deadline = None if timeout is None else time.monotonic() + timeout
    sent: type[BaseException] | None = None
    # Wait on an Event, never with Thread.join() or is_alive(): on CPython 3.11 a
    # KeyboardInterrupt arriving inside them can mark a still-running thread as stopped
    # (the fix of bpo-45274 releases the lock the worker holds).
    while not done.is_set():
        try:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if done.wait(wait):
                break
            if deadline is not None:
                deadline = None
                sent = TimeoutError
                _interrupt(worker, TimeoutError)
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
    for hook in interrupt_hooks:
        hook()
    _raise_in(worker, exc_type)
