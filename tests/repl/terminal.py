"""Driving `atlas` in a pseudo-terminal: type inputs, wait for what the screen shows."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect

# Escape sequences prompt_toolkit and rich write (colours, cursor moves, modes).
ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")
WAIT_SECONDS = 60  # generous: CI machines can be slow; passing runs never wait this long


class Terminal:
    """`python -m atlas ARGS` on a pty. `wait` matches the text without escape sequences,
    after everything an earlier `wait` matched."""

    def __init__(self, home: Path, *args: str) -> None:
        env = dict(os.environ)
        env.update(
            HOME=str(home),
            ATLAS_HISTORY=str(home / "history"),
            TERM="xterm",
            PROMPT_TOOLKIT_NO_CPR="1",  # no cursor-position queries nobody would answer
        )
        self.child = pexpect.spawn(
            sys.executable, ["-m", "atlas", *args], env=env, cwd=str(home),
            encoding="utf-8", codec_errors="replace", dimensions=(50, 160),
        )  # fmt: skip
        self.raw = ""
        self.seen = 0

    @property
    def screen(self) -> str:
        return ANSI.sub("", self.raw)

    def wait(self, pattern: str) -> re.Match[str]:
        regex = re.compile(pattern)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            match = regex.search(self.screen, self.seen)
            if match:
                self.seen = match.end()
                return match
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{pattern!r} not shown; after the last match:\n"
                                     f"{self.screen[self.seen:]!r}")  # fmt: skip
            try:
                self.raw += self.child.read_nonblocking(4096, timeout=min(left, 1.0))
            except pexpect.TIMEOUT:
                continue

    def wait_line(self, text: str) -> None:
        """Wait for a whole output line that is exactly `text`."""
        self.wait(rf"(?m)^{re.escape(text)}\r*$")

    def prompt(self) -> None:
        """Wait for a fresh prompt (input typed before it would reach the terminal in
        line mode, not the REPL)."""
        self.wait("atlas>")

    def enter(self, *lines: str) -> None:
        """Type one input (its lines, each ended by Enter) at a fresh prompt, and wait
        until the REPL has taken it (the screen moves past its last line)."""
        self.prompt()
        for line in lines:
            self.child.send(line + "\r")
        self.wait(re.escape(lines[-1].strip()) + r"[ \r]*\n")

    def ctrl(self, key: str) -> None:
        self.child.sendcontrol(key)

    def exit_status(self) -> int:
        """Wait for the process to end; its exit status."""
        self.child.expect(pexpect.EOF, timeout=WAIT_SECONDS)
        self.child.close()
        return self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
