"""Processes and the environment (reference 7.10, "Process and environment")."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from stdlib_support import FakeContext, allowed, call, fails

from atlas.permissions import Permissions
from atlas.vm.values import Err, Json, Ok

PY = sys.executable
VAR = "ATLAS_STDLIB_TEST_VARIABLE"


def run(name: str, *args: object) -> object:
    return call(name, *args, ctx=allowed())


def options(data: dict) -> Json:
    return Json(data)


# ----------------------------------------------------------------------- exec


def test_exec_captures_output_on_success() -> None:
    result = run("exec", [PY, "-c", "import sys; print('out'); print('err', file=sys.stderr)"])
    assert type(result) is Ok
    assert type(result.value) is Json
    assert result.value.data == {
        "exitCode": 0.0,
        "stdout": "out\n",
        "stderr": "err\n",
        "success": True,
    }


def test_exec_with_a_string_splits_it_like_a_shell_without_running_one() -> None:
    result = run("exec", f"{PY} -c \"print('a  b'); print('$HOME')\"")
    assert result.value.data["stdout"] == "a  b\n$HOME\n"


def test_exec_failure_is_err() -> None:
    result = run("exec", [PY, "-c", "import sys; sys.stderr.write('bad thing\\n'); sys.exit(3)"])
    assert type(result) is Err
    assert result.value == f"Command '{PY}' exited with code 3: bad thing"


def test_exec_of_a_missing_program_is_err() -> None:
    result = run("exec", ["/no/such/program-xyz"])
    assert type(result) is Err
    assert result.value == "Failed to execute '/no/such/program-xyz': No such file or directory"


def test_exec_options(tmp_path: Path) -> None:
    script = "import os; print(os.getcwd()); print(os.environ['" + VAR + "'])"
    result = run(
        "exec",
        [PY, "-c", script],
        options({"cwd": str(tmp_path), "env": {VAR: "from options"}}),
    )
    cwd, value = result.value.data["stdout"].splitlines()
    assert os.path.samefile(cwd, tmp_path)
    assert value == "from options"
    assert VAR not in os.environ
    assert type(run("exec", [PY, "-c", "pass"], None)) is Ok


def test_exec_inherit_shares_our_streams(capfd: pytest.CaptureFixture[str]) -> None:
    result = run("exec", [PY, "-c", "print('straight through')"], options({"inherit": True}))
    assert result.value.data["stdout"] == ""
    assert "straight through" in capfd.readouterr().out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (options({"cwd": 1.0}), "exec: option 'cwd' must be a string"),
        (options({"env": {"A": 1.0}}), "exec: option 'env' must be an object of strings"),
        (options({"env": "A=1"}), "exec: option 'env' must be an object of strings"),
        (options({"inherit": "yes"}), "exec: option 'inherit' must be a bool"),
        (options({"timeout": 1.0}), "exec: unknown option 'timeout' (expected env, cwd, inherit)"),
    ],
)
def test_exec_option_errors(value: Json, message: str) -> None:
    assert fails("exec", [PY], value, ctx=allowed()) == ("AT0001", f"Type error: {message}")


def test_exec_argument_errors() -> None:
    assert fails("exec", 1.0) == ("AT0102", "exec(): expected string or string[], got number")
    assert fails("exec", ["a", 1.0]) == ("AT0102", "exec(): expected string or string[], got array")
    assert fails("exec", [PY], "cwd") == ("AT0102", "exec(): expected json object, got string")
    assert fails("exec", [PY], Json([])) == ("AT0102", "exec(): expected json object, got json")
    assert fails("exec", [], ctx=allowed()) == ("AT0001", "Type error: exec: the command is empty")
    assert fails("exec", "'unclosed", ctx=allowed())[0] == "AT0001"
    assert fails("exec", "a", None, None) == (
        "AT0102",
        "exec(): expected 1 to 2 argument(s), got 3",
    )


def test_exec_is_denied_without_allow_process() -> None:
    io_only = FakeContext(permissions=Permissions(allow_io=True))
    assert fails("exec", ["ls", "-l"], ctx=io_only) == (
        "AT0302",
        "Permission denied: process execution of ls (requires --allow-process)",
    )


# ---------------------------------------------------------------------- shell


def test_shell_runs_through_the_shell() -> None:
    result = run("shell", "echo one && echo two | tr a-z A-Z")
    assert result.value.data["stdout"] == "one\nTWO\n"
    failed = run("shell", "exit 4")
    assert type(failed) is Err
    assert failed.value == "Command 'exit 4' exited with code 4"


def test_shell_options_and_errors(tmp_path: Path) -> None:
    result = run("shell", "pwd", options({"cwd": str(tmp_path)}))
    assert os.path.samefile(result.value.data["stdout"].strip(), tmp_path)
    assert fails("shell", ["echo"]) == ("AT0102", "shell(): expected string, got array")
    assert fails("shell", "true", options({"x": True}), ctx=allowed())[0] == "AT0001"
    assert fails("shell", "rm -rf /tmp/nothing") == (
        "AT0302",
        "Permission denied: process execution of rm -rf /tmp/nothing (requires --allow-process)",
    )


# ----------------------------------------------------------------- environment


def test_get_set_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VAR, raising=False)
    assert run("getEnv", VAR) is None
    assert run("setEnv", VAR, "value 1") is None
    assert os.environ[VAR] == "value 1"
    assert run("getEnv", VAR) == "value 1"
    assert run("listEnv").data[VAR] == "value 1"
    assert run("unsetEnv", VAR) is None
    assert VAR not in os.environ
    assert run("unsetEnv", VAR) is None  # not set: fine


def test_child_programs_see_variables_we_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "before")
    run("setEnv", VAR, "after")
    result = run("exec", [PY, "-c", f"import os; print(os.environ['{VAR}'])"])
    assert result.value.data["stdout"] == "after\n"


def test_list_env_is_a_json_object_of_strings() -> None:
    listed = run("listEnv")
    assert type(listed) is Json
    assert listed.data == dict(os.environ)


def test_environment_argument_errors() -> None:
    assert fails("getEnv", 1.0) == ("AT0102", "getEnv(): expected string, got number")
    assert fails("setEnv", VAR, 1.0) == ("AT0102", "setEnv(): expected string, got number")
    assert fails("setEnv", "A=B", "x") == (
        "AT0001",
        "Type error: setEnv: invalid environment variable name 'A=B'",
    )
    assert fails("setEnv", "", "x")[0] == "AT0001"
    assert fails("setEnv", VAR, "a\0b")[0] == "AT0001"
    assert fails("unsetEnv", None) == ("AT0102", "unsetEnv(): expected string, got null")
    assert fails("listEnv", "x") == ("AT0102", "listEnv(): expected 0 argument(s), got 1")


def test_environment_is_denied_without_allow_io(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "secret")
    process_only = FakeContext(permissions=Permissions(allow_process=True))
    assert fails("getEnv", VAR, ctx=process_only) == (
        "AT0303",
        f"Permission denied: environment variable {VAR} (requires --allow-io)",
    )
    assert fails("setEnv", VAR, "x")[0] == "AT0303"
    assert fails("unsetEnv", VAR)[0] == "AT0303"
    assert fails("listEnv") == (
        "AT0303",
        "Permission denied: environment variables (requires --allow-io)",
    )
    assert os.environ[VAR] == "secret"


def test_cwd_and_pid_need_no_permission() -> None:
    assert call("getCwd") == os.getcwd()
    assert call("getPid") == float(os.getpid())
