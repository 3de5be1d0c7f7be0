"""Paths (reference 7.10): pure path arithmetic, and the two disk-reading functions."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from stdlib_support import allowed, call, fails

from atlas.vm.values import HashMap, hash_key

posix_only = pytest.mark.skipif(os.sep != "/", reason="POSIX path rules")


def fields(m: HashMap) -> dict:
    return {k: v for k, v in m.entries.values()}


@posix_only
@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["a", "b", "c"], "a/b/c"),
        (["a", "", "b"], "a/b"),
        (["", ""], ""),
        ([], ""),
        (["/root", "x"], "/root/x"),
    ],
)
def test_path_join_array(parts: list[str], expected: str) -> None:
    assert call("pathJoinArray", parts) == expected


def test_path_join_array_wants_strings() -> None:
    assert fails("pathJoinArray", ["a", 1.0]) == (
        "AT0102",
        "pathJoinArray(): expected string[], got array",
    )
    assert fails("pathJoinArray", "a") == (
        "AT0102",
        "pathJoinArray(): expected string[], got string",
    )


@posix_only
def test_path_parse() -> None:
    assert fields(call("pathParse", "/home/u/file.tar.gz")) == {
        "root": "/",
        "dir": "/home/u",
        "base": "file.tar.gz",
        "ext": "gz",
        "name": "file.tar",
    }
    assert fields(call("pathParse", "notes")) == {
        "root": "",
        "dir": "",
        "base": "notes",
        "ext": "",
        "name": "notes",
    }
    parsed = call("pathParse", ".bashrc")
    assert parsed.entries[hash_key("ext")][1] == ""
    assert parsed.entries[hash_key("name")][1] == ".bashrc"
    assert fields(call("pathParse", ""))["base"] == ""


@posix_only
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a/./b/../c", "a/c"),
        ("a//b///c/", "a/b/c"),
        ("/../x", "/x"),
        ("//x", "/x"),
        ("", "."),
        ("../a", "../a"),
    ],
)
def test_path_normalize(path: str, expected: str) -> None:
    assert call("pathNormalize", path) == expected


@posix_only
def test_absolute_and_relative() -> None:
    cwd = os.getcwd()
    assert call("pathAbsolute", "x/../y") == os.path.join(cwd, "y")
    assert call("pathAbsolute", "/a/b") == "/a/b"
    assert call("pathRelative", "/a/b", "/a/c/d") == "../c/d"
    assert call("pathRelative", "/a", "/a") == "."
    assert fails("pathRelative", "", "/a") == (
        "AT0001",
        "Type error: pathRelative: paths must not be empty",
    )


@posix_only
@pytest.mark.parametrize(
    ("path", "parent", "base", "ext"),
    [
        ("/a/b/c.txt", "/a/b", "c.txt", "txt"),
        ("a/b/", "a", "b", ""),
        ("c.txt", "", "c.txt", "txt"),
        ("/", "/", "", ""),
        ("/a", "/", "a", ""),
        ("archive.tar.gz", "", "archive.tar.gz", "gz"),
        ("dir.d/file", "dir.d", "file", ""),
        (".hidden", "", ".hidden", ""),
        ("", "", "", ""),
    ],
)
def test_components(path: str, parent: str, base: str, ext: str) -> None:
    assert call("pathParent", path) == parent
    assert call("pathDirname", path) == parent
    assert call("pathBasename", path) == base
    assert call("pathExtension", path) == ext


@posix_only
def test_absolute_predicates_and_equality() -> None:
    assert call("pathIsAbsolute", "/x") is True
    assert call("pathIsAbsolute", "x") is False
    assert call("pathIsRelative", "x/y") is True
    assert call("pathIsRelative", "/x") is False
    assert call("pathEquals", "a/b/../c", "a//c/") is True
    assert call("pathEquals", "a/b", "a/c") is False


def test_where_things_are() -> None:
    assert call("pathHomedir") == os.path.expanduser("~")
    assert call("pathCwd") == os.getcwd()
    assert call("pathTempdir") == tempfile.gettempdir()
    assert call("pathSeparator") == os.sep
    assert call("pathDelimiter") == os.pathsep
    assert call("pathExtSeparator") == "."


@posix_only
def test_drive_and_separator_conversion() -> None:
    assert call("pathDrive", "/x/y") == ""
    assert call("pathToPosix", "a\\b\\c") == "a/b/c"
    assert call("pathToWindows", "a/b/c") == "a\\b\\c"
    assert call("pathToPlatform", "a\\b/c") == "a/b/c"


def test_exists_and_canonical(tmp_path: Path) -> None:
    ctx = allowed()
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert call("pathExists", str(tmp_path / "real"), ctx=ctx) is True
    assert call("pathExists", str(tmp_path / "none"), ctx=ctx) is False
    real = os.path.realpath(tmp_path / "real")
    assert call("pathCanonical", str(tmp_path / "link" / ".." / "link"), ctx=ctx) == real
    missing = str(tmp_path / "none")
    assert fails("pathCanonical", missing, ctx=ctx) == (
        "AT0400",
        f"Failed to canonicalize path '{missing}': No such file or directory",
    )


def test_disk_readers_are_denied_without_permission(tmp_path: Path) -> None:
    path = str(tmp_path)
    assert fails("pathExists", path) == (
        "AT0300",
        f"Permission denied: read access to {path} (requires --allow-io)",
    )
    assert fails("pathCanonical", path)[0] == "AT0300"


@pytest.mark.parametrize(
    "name",
    [
        "pathParse", "pathNormalize", "pathAbsolute", "pathParent", "pathDirname",
        "pathBasename", "pathExtension", "pathIsAbsolute", "pathIsRelative", "pathDrive",
        "pathToPlatform", "pathToPosix", "pathToWindows", "pathExists", "pathCanonical",
    ],
)  # fmt: skip
def test_one_string_argument(name: str) -> None:
    assert fails(name, 1.0) == ("AT0102", f"{name}(): expected string, got number")
    assert fails(name) == ("AT0102", f"{name}(): expected 1 argument(s), got 0")


def test_two_string_arguments() -> None:
    assert fails("pathRelative", "a", None) == (
        "AT0102",
        "pathRelative(): expected string, got null",
    )
    assert fails("pathEquals", [], "a") == ("AT0102", "pathEquals(): expected string, got array")
    assert fails("pathCwd", "x") == ("AT0102", "pathCwd(): expected 0 argument(s), got 1")
