"""Processes and the environment (reference 7.10, "Process and environment").

`exec` and `shell` need `--allow-process` (AT0302); reading or changing environment
variables, `listEnv` included, needs `--allow-io` (AT0303). `getCwd` and `getPid` need
nothing.

`exec`/`shell` return `Ok(json {exitCode, stdout, stderr, success})` when the program
exits with status 0 and `Err(message)` otherwise (non-zero status, killed by a signal,
or not started at all). Their options object (json) may hold `env` (an object of
strings added to the inherited environment), `cwd` (a string) and `inherit` (a bool:
the program shares our standard streams instead of having its output captured).
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from ..vm.errors import type_error
from ..vm.values import Err, Json, Ok
from ._args import expected, string_arg
from ._extended import extended, failure_reason, json_of
from .registry import CallContext

# ------------------------------------------------------------------------ running


@dataclass
class RunOptions:
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None
    inherit: bool = False


def run_options(name: str, value: Any) -> RunOptions:
    """The options argument: null/absent, or a json object with known keys only."""
    options = RunOptions()
    if value is None:
        return options
    if type(value) is not Json or not isinstance(value.data, dict):
        raise expected(name, "json object", value)
    for key, item in value.data.items():
        if key == "env":
            if not isinstance(item, dict) or any(type(v) is not str for v in item.values()):
                raise type_error(f"{name}: option 'env' must be an object of strings")
            options.env = dict(item)
        elif key == "cwd":
            if type(item) is not str:
                raise type_error(f"{name}: option 'cwd' must be a string")
            options.cwd = item
        elif key == "inherit":
            if type(item) is not bool:
                raise type_error(f"{name}: option 'inherit' must be a bool")
            options.inherit = item
        else:
            raise type_error(f"{name}: unknown option '{key}' (expected env, cwd, inherit)")
    return options


def run_command(command: list[str] | str, shown: str, options: RunOptions) -> Any:
    """Run `command` (an argument vector, or a shell command line) and build the Result."""
    import subprocess  # imported on first use: most programs never start one

    env = {**os.environ, **options.env} if options.env else None
    capture = not options.inherit
    if options.inherit:  # our own buffered output must come before the child's
        sys.stdout.flush()
    try:
        done = subprocess.run(
            command,
            shell=isinstance(command, str),
            cwd=options.cwd,
            env=env,
            stdin=subprocess.DEVNULL if capture else None,
            capture_output=capture,
            check=False,
        )
    except (OSError, ValueError) as exc:
        return Err(f"Failed to execute '{shown}': {failure_reason(exc)}")
    stdout = _text(done.stdout)
    stderr = _text(done.stderr)
    code = done.returncode
    if code < 0:
        return Err(f"Command '{shown}' was terminated by signal {-code}")
    if code != 0:
        detail = f": {stderr.strip()}" if stderr.strip() else ""
        return Err(f"Command '{shown}' exited with code {code}{detail}")
    return Ok(json_of({"exitCode": code, "stdout": stdout, "stderr": stderr, "success": True}))


def _text(output: bytes | None) -> str:
    return output.decode("utf-8", errors="replace") if output else ""


@extended("exec", (1, 2), needs_ctx=True)
def exec_(ctx: CallContext, cmd: Any, options: Any = None) -> Any:
    """Run a program without a shell. `cmd` is an argument vector, or a string split
    like a POSIX shell would split it (quotes group words; nothing is expanded)."""
    if type(cmd) is str:
        import shlex

        try:
            argv = shlex.split(cmd)
        except ValueError as exc:
            raise type_error(f"exec: cannot split command '{cmd}': {exc}") from None
    elif type(cmd) is list and all(type(x) is str for x in cmd):
        argv = list(cmd)
    else:
        raise expected("exec", "string or string[]", cmd)
    parsed = run_options("exec", options)
    if not argv or not argv[0]:
        raise type_error("exec: the command is empty")
    ctx.permissions.require_process(argv[0])
    return run_command(argv, argv[0], parsed)


@extended("shell", (1, 2), needs_ctx=True)
def shell(ctx: CallContext, cmd: Any, options: Any = None) -> Any:
    """Run a command line through the system shell (`/bin/sh -c`)."""
    line = string_arg("shell", cmd)
    parsed = run_options("shell", options)
    ctx.permissions.require_process(line)
    return run_command(line, line, parsed)


# -------------------------------------------------------------------- environment


def _variable_name(name: str, value: Any) -> str:
    variable = string_arg(name, value)
    if not variable or "=" in variable or "\0" in variable:
        raise type_error(f"{name}: invalid environment variable name '{variable}'")
    return variable


@extended("getEnv", 1, needs_ctx=True)
def get_env(ctx: CallContext, name: Any) -> str | None:
    """The variable's value, or null when it is not set."""
    variable = string_arg("getEnv", name)
    ctx.permissions.require_env(variable)
    try:
        return os.environ.get(variable)
    except ValueError:
        return None


@extended("setEnv", 2, needs_ctx=True)
def set_env(ctx: CallContext, name: Any, value: Any) -> None:
    """Set the variable for this program and the programs it starts."""
    variable = _variable_name("setEnv", name)
    text = string_arg("setEnv", value)
    if "\0" in text:
        raise type_error("setEnv: the value must not contain a NUL character")
    ctx.permissions.require_env(variable)
    try:
        os.environ[variable] = text
    except ValueError as exc:  # text the operating system cannot hold (lone surrogates)
        raise type_error(f"setEnv: cannot set '{variable}': {exc}") from None


@extended("unsetEnv", 1, needs_ctx=True)
def unset_env(ctx: CallContext, name: Any) -> None:
    """Remove the variable (no error if it is not set)."""
    variable = _variable_name("unsetEnv", name)
    ctx.permissions.require_env(variable)
    # A name no variable can have (lone surrogates) fails to encode: nothing to remove.
    with contextlib.suppress(ValueError):
        os.environ.pop(variable, None)


@extended("listEnv", 0, needs_ctx=True)
def list_env(ctx: CallContext) -> Json:
    """A json object of every environment variable."""
    ctx.permissions.require_env(None)
    return json_of(dict(os.environ))


@extended("getCwd", 0)
def get_cwd() -> str:
    return os.getcwd()


@extended("getPid", 0)
def get_pid() -> float:
    return float(os.getpid())
