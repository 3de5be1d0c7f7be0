"""Basic file I/O (reference 7.10): behaviour with --allow-io, denial without it,
I/O failures (AT0400) and argument errors (AT0102)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from stdlib_support import FakeContext, allowed, call, fails

from atlas.vm.values import Json


def io(name: str, *args: object) -> object:
    return call(name, *args, ctx=allowed())


def io_fails(name: str, *args: object) -> tuple[str, str]:
    return fails(name, *args, ctx=allowed())


def test_write_then_read_round_trips_text(tmp_path: Path) -> None:
    path = str(tmp_path / "a.txt")
    assert io("writeFile", path, "héllo\r\nworld") is None
    assert io("readFile", path) == "héllo\r\nworld"
    assert io("writeFile", path, "new") is None  # overwrites
    assert io("readFile", path) == "new"


def test_append_creates_then_appends(tmp_path: Path) -> None:
    path = str(tmp_path / "log.txt")
    io("appendFile", path, "one\n")
    io("appendFile", path, "two\n")
    assert (tmp_path / "log.txt").read_text() == "one\ntwo\n"


def test_read_failures_are_at0400(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    code, message = io_fails("readFile", missing)
    assert code == "AT0400"
    assert message == f"Failed to resolve path '{missing}': No such file or directory"
    (tmp_path / "bin").write_bytes(b"\xff\xfe\x00")
    code, message = io_fails("readFile", str(tmp_path / "bin"))
    assert code == "AT0400"
    assert message.startswith(f"Failed to read file '{tmp_path / 'bin'}': ")
    code, message = io_fails("readFile", str(tmp_path))
    assert code == "AT0400"


def test_write_into_a_missing_directory_fails(tmp_path: Path) -> None:
    path = str(tmp_path / "no" / "such" / "f.txt")
    assert io_fails("writeFile", path, "x") == (
        "AT0400",
        f"Failed to write file '{path}': No such file or directory",
    )


def test_file_exists(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    assert io("fileExists", str(tmp_path / "f")) is True
    assert io("fileExists", str(tmp_path)) is True
    assert io("fileExists", str(tmp_path / "g")) is False
    assert io("fileExists", "a\0b") is False


def test_directories(tmp_path: Path) -> None:
    nested = tmp_path / "x" / "y"
    assert io("createDir", str(nested)) is None
    assert nested.is_dir()
    assert io("createDir", str(nested)) is None  # already there: fine
    (tmp_path / "x" / "b.txt").write_text("")
    (tmp_path / "x" / "a.txt").write_text("")
    assert io("readDir", str(tmp_path / "x")) == ["a.txt", "b.txt", "y"]
    assert io("removeDir", str(nested)) is None
    assert not nested.exists()
    code, message = io_fails("removeDir", str(tmp_path / "x"))  # not empty
    assert code == "AT0400"
    assert message.startswith(f"Failed to remove directory '{tmp_path / 'x'}': ")
    assert io_fails("readDir", str(tmp_path / "x" / "a.txt"))[0] == "AT0400"


def test_remove_file(tmp_path: Path) -> None:
    f = tmp_path / "f.txt"
    f.write_text("x")
    assert io("removeFile", str(f)) is None
    assert not f.exists()
    assert io_fails("removeFile", str(f)) == (
        "AT0400",
        f"Failed to remove file '{f}': No such file or directory",
    )
    assert io_fails("removeFile", str(tmp_path)) == (
        "AT0400",
        f"Failed to remove file '{tmp_path}': Is a directory",
    )


def test_file_info(tmp_path: Path) -> None:
    f = tmp_path / "f.txt"
    f.write_text("12345")
    os.utime(f, (1_700_000_000.7, 1_700_000_000.7))
    info = io("fileInfo", str(f))
    assert type(info) is Json
    assert info.data == {"size": 5.0, "modified": 1_700_000_000.0, "isFile": True, "isDir": False}
    assert io("fileInfo", str(tmp_path)).data["isDir"] is True
    assert io_fails("fileInfo", str(tmp_path / "none"))[0] == "AT0400"


def test_path_join() -> None:
    assert call("pathJoin", "a") == "a"
    assert call("pathJoin", "a", "b", "c.txt") == os.path.join("a", "b", "c.txt")
    assert call("pathJoin", "a", "/abs", "x") == os.path.join("/abs", "x")
    assert fails("pathJoin", "a", 1.0) == ("AT0102", "pathJoin(): expected string, got number")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("readFile", (1.0,)),
        ("writeFile", (1.0, "x")),
        ("writeFile", ("f", None)),
        ("appendFile", ("f", [])),
        ("fileExists", (True,)),
        ("readDir", (None,)),
        ("createDir", (1.0,)),
        ("removeFile", (1.0,)),
        ("removeDir", (1.0,)),
        ("fileInfo", (1.0,)),
    ],
)
def test_argument_kinds_are_checked_before_permissions(name: str, args: tuple) -> None:
    code, message = fails(name, *args, ctx=FakeContext())
    assert code == "AT0102"
    assert message.startswith(f"{name}(): expected string, got ")


def test_denial_names_operation_path_and_flag(tmp_path: Path) -> None:
    path = str(tmp_path / "f.txt")
    assert fails("readFile", path) == (
        "AT0300",
        f"Permission denied: read access to {path} (requires --allow-io)",
    )
    assert fails("writeFile", path, "x") == (
        "AT0300",
        f"Permission denied: write access to {path} (requires --allow-io)",
    )
    assert not os.path.exists(path)
