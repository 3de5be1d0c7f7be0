"""Every hard limit of the implementation: one named constant, one message.

Like Lua's llimits.h: whatever stops a program because it is too big or too deep is
defined here, so that both execution tiers and the docs agree.
"""

from __future__ import annotations

import sys

# Nested calls (VM frames plus native frames) before AT0008. The reference asks for at
# least 10,000; both tiers count the same frames against the same limit.
MAX_CALL_DEPTH = 10_000
STACK_OVERFLOW_MESSAGE = "Stack overflow: maximum call depth exceeded"

# `--timeout SECONDS` / `--max-memory MB` (off unless given): a run past either stops at
# the instruction it is executing, in either tier, with this error and that position.
TIME_LIMIT_CODE = "AT0009"
TIME_LIMIT_MESSAGE = "Time limit exceeded: the program ran longer than its time limit"
MEMORY_LIMIT_CODE = "AT0010"
MEMORY_LIMIT_MESSAGE = "Memory limit exceeded: the program used more memory than its limit"
# How often the memory limit is checked while a program runs.
MEMORY_POLL_SECONDS = 0.01

# Syntactic nesting (parentheses, unary operators, blocks, operator chains). Beyond it the
# parser reports a diagnostic instead of exhausting the host's stack.
MAX_NESTING_DEPTH = 1_000
NESTING_MESSAGE = f"Too deeply nested: more than {MAX_NESTING_DEPTH} levels of expressions or blocks"

# Diagnostics of one kind (errors, or warnings) that one phase reports for one file.
# Each carries its source line (the JSON record the whole line), so a megabyte of
# garbage on one line would otherwise print terabytes. Like a C compiler's error limit:
# the lexer and the parser stop at the limit, the checker stops recording, and the last
# diagnostic reported carries this note.
MAX_DIAGNOSTICS = 100
TOO_MANY_DIAGNOSTICS_NOTE = f"too many problems: only the first {MAX_DIAGNOSTICS} are reported"

# `repeat(s, n)` with n above this is AT0007 (reference 7.3).
MAX_REPEAT_COUNT = 1_000_000

# Python's own recursion limit while checking and compiling deeply nested programs; the
# VM never recurses per Atlas call, so this only bounds the front end and callbacks. An
# intrinsic callback (`map`, `some`, `sort`, ...) costs up to ~10 Python frames per Atlas
# call, so the limit leaves room for MAX_CALL_DEPTH of them: AT0008 must come from the
# call-depth count, never from this limit.
HOST_RECURSION_LIMIT = 20 * MAX_CALL_DEPTH

# Stack size of the thread that runs a program (native code recursing MAX_CALL_DEPTH
# deep, and intrinsic callbacks re-entering the VM, both need room).
EXECUTION_THREAD_STACK_BYTES = 512 * 1024 * 1024


def ensure_recursion_headroom() -> None:
    """Raise Python's recursion limit for the recursive front end (never lowers it)."""
    if sys.getrecursionlimit() < HOST_RECURSION_LIMIT:
        sys.setrecursionlimit(HOST_RECURSION_LIMIT)
