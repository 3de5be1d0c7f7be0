"""Permissions (atlas/permissions.py): denied by default, granted by `atlas run
--allow-io/--allow-process` and `Runtime(allow_io=..., allow_process=...)`."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from atlas import AtlasError, Runtime
from atlas.cli import main
from atlas.permissions import ALLOW_ALL, DENY_ALL, Permissions
from atlas.vm.errors import AtlasRuntimeError


def test_the_default_denies_everything() -> None:
    assert Permissions() == DENY_ALL
    with pytest.raises(AtlasRuntimeError) as info:
        DENY_ALL.require_read("data.txt")
    assert (info.value.code, info.value.message) == (
        "AT0300",
        "Permission denied: read access to data.txt (requires --allow-io)",
    )
    ALLOW_ALL.require_read("data.txt")
    ALLOW_ALL.require_write("data.txt")
    ALLOW_ALL.require_env("HOME")
    ALLOW_ALL.require_process("ls")


def test_io_and_process_are_separate() -> None:
    io_only = Permissions(allow_io=True)
    io_only.require_write("x")
    io_only.require_env(None)
    with pytest.raises(AtlasRuntimeError) as info:
        io_only.require_process("ls")
    assert info.value.code == "AT0302"
    process_only = Permissions(allow_process=True)
    process_only.require_process("ls")
    with pytest.raises(AtlasRuntimeError) as info:
        process_only.require_env("HOME")
    assert (
        info.value.message == "Permission denied: environment variable HOME (requires --allow-io)"
    )


# ---------------------------------------------------------------- the Runtime


def read_program(path: Path) -> str:
    return f'readFile("{path.as_posix()}");'


def test_runtime_denies_by_default(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("content")
    rt = Runtime(jit=False, stdout=io.StringIO())
    with pytest.raises(AtlasError) as info:
        rt.eval(read_program(tmp_path / "f.txt"))
    assert info.value.code == "AT0300"
    assert info.value.kind == "runtime"
    assert "(requires --allow-io)" in info.value.message
    assert info.value.line == 1


def test_runtime_grants(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("content")
    rt = Runtime(jit=False, stdout=io.StringIO(), allow_io=True)
    assert rt.eval(read_program(tmp_path / "f.txt")) == "content"
    with pytest.raises(AtlasError) as info:
        rt.eval('exec(["true"]);')
    assert info.value.code == "AT0302"
    both = Runtime(jit=False, stdout=io.StringIO(), allow_io=True, allow_process=True)
    result = both.eval(f'unwrap(exec(["{Path(sys.executable).as_posix()}", "-c", "print(7)"]));')
    assert result["stdout"].strip() == "7"


def test_untyped_builtins_in_typed_programs() -> None:
    rt = Runtime(jit=False, stdout=io.StringIO())
    source = """
        fn year(text: string) -> number { return dateTimeYear(dateTimeParseIso(text)); }
        let r = unwrap(regexNew("[a-z]+"));
        regexReplaceAll(r, "abc 123 de", "_") + " " + str(year("2024-05-01"));
    """
    assert rt.eval(source) == "_ 123 _ 2024"


def test_programs_may_still_name_their_own_functions_like_extended_builtins() -> None:
    rt = Runtime(jit=False, stdout=io.StringIO())
    assert rt.eval('fn readFile(p: string) -> string { return "mine"; } readFile("x");') == "mine"


# ------------------------------------------------------------------ atlas run


def atlas_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, *flags: str
) -> tuple[int, str, str]:
    (tmp_path / "prog.atl").write_text(source)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        status = main(["run", "--no-jit", *flags, "prog.atl"])
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    return status, out, err


def test_atlas_run_denies_without_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = atlas_run(tmp_path, capsys, 'writeFile("out.txt", "x");')
    assert status == 1
    assert "error[AT0300]: Permission denied: write access to out.txt (requires --allow-io)" in err
    assert "--> prog.atl:1:1" in err
    assert not (tmp_path / "out.txt").exists()


def test_atlas_run_allow_io(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = 'writeFile("out.txt", "x"); print(readFile("out.txt"));'
    status, out, _ = atlas_run(tmp_path, capsys, source, "--allow-io")
    assert status == 0
    assert out == "x\n"
    status, _, err = atlas_run(tmp_path, capsys, 'shell("echo hi");', "--allow-io")
    assert status == 1
    assert "error[AT0302]: Permission denied: process execution of echo hi" in err


def test_atlas_run_allow_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = 'let r = unwrap(shell("echo hi")); print(jsonAsString(r["stdout"]));'
    status, out, err = atlas_run(tmp_path, capsys, source, "--allow-process")
    assert status == 0, err
    assert out == "hi\n\n"


def test_run_help_documents_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--allow-io" in text
    assert "--allow-process" in text
    assert "(denied by default)" in text
