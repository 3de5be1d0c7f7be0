"""What a running program may do outside itself (reference 7.10, 6.5).

Atlas denies by default: a program may not touch the file system or the environment
variables, nor start other programs, unless whoever runs it says so. The grants are
`atlas run --allow-io` / `--allow-process` (also on `atlas test`) and
`atlas.Runtime(allow_io=True, allow_process=True)`.

`allow_io` covers the reference's file-system read, file-system write and environment
capabilities; `allow_process` covers process execution. One `Permissions` object is held
by the Session's VM, and the gated builtins ask it (through their CallContext) before
acting. A denial is a runtime error whose message names the flag that grants it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vm.errors import AtlasRuntimeError

IO_FLAG = "--allow-io"
PROCESS_FLAG = "--allow-process"


@dataclass(frozen=True, slots=True)
class Permissions:
    """The capabilities granted to one program."""

    allow_io: bool = False  # file system (read and write) and environment variables
    allow_process: bool = False  # running other programs

    def require_read(self, path: str) -> None:
        """AT0300 unless the program may read the file system."""
        if not self.allow_io:
            raise denied("AT0300", f"read access to {path}", IO_FLAG)

    def require_write(self, path: str) -> None:
        """AT0300 unless the program may change the file system."""
        if not self.allow_io:
            raise denied("AT0300", f"write access to {path}", IO_FLAG)

    def require_env(self, name: str | None) -> None:
        """AT0303 unless the program may read and change environment variables
        (`name` None: all of them)."""
        if not self.allow_io:
            what = "environment variables" if name is None else f"environment variable {name}"
            raise denied("AT0303", what, IO_FLAG)

    def require_process(self, command: str) -> None:
        """AT0302 unless the program may run other programs."""
        if not self.allow_process:
            raise denied("AT0302", f"process execution of {command}", PROCESS_FLAG)


DENY_ALL = Permissions()
ALLOW_ALL = Permissions(allow_io=True, allow_process=True)


def denied(code: str, what: str, flag: str) -> AtlasRuntimeError:
    """`Permission denied: <what> (requires <flag>)` (reference 6.5 plus the grant)."""
    return AtlasRuntimeError(code, f"Permission denied: {what} (requires {flag})")
