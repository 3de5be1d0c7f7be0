"""File-system operations (reference 7.10, "File system")."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from stdlib_support import FakeContext, allowed, call, fails


def io(name: str, *args: object) -> object:
    return call(name, *args, ctx=allowed())


def io_fails(name: str, *args: object) -> tuple[str, str]:
    return fails(name, *args, ctx=allowed())


def test_mkdir_and_rmdir(tmp_path: Path) -> None:
    d = tmp_path / "d"
    assert io("fsMkdir", str(d)) is None
    assert d.is_dir()
    code, message = io_fails("fsMkdir", str(d))
    assert (code, message) == ("AT0400", f"Failed to create directory '{d}': File exists")
    assert io_fails("fsMkdir", str(tmp_path / "a" / "b"))[0] == "AT0400"  # no parent
    assert io("fsMkdirp", str(tmp_path / "a" / "b")) is None
    assert io("fsMkdirp", str(tmp_path / "a" / "b")) is None  # exists: fine
    assert io("fsRmdir", str(tmp_path / "a" / "b")) is None
    assert not (tmp_path / "a" / "b").exists()
    (d / "f").write_text("x")
    assert io_fails("fsRmdir", str(d))[0] == "AT0400"  # not empty


def test_rmdir_recursive(tmp_path: Path) -> None:
    tree = tmp_path / "t"
    (tree / "x" / "y").mkdir(parents=True)
    (tree / "x" / "y" / "f").write_text("x")
    outside = tmp_path / "keep"
    outside.mkdir()
    (tree / "link").symlink_to(outside)
    assert io("fsRmdirRecursive", str(tree)) is None
    assert not tree.exists()
    assert outside.is_dir()  # the link was removed, not followed
    assert io_fails("fsRmdirRecursive", str(tree))[0] == "AT0400"
    (tmp_path / "f").write_text("x")
    assert io_fails("fsRmdirRecursive", str(tmp_path / "f"))[0] == "AT0400"


def test_readdir_and_walk(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "c").mkdir()
    (tmp_path / "b" / "c" / "deep.txt").write_text("")
    (tmp_path / "b" / "one.txt").write_text("")
    (tmp_path / "a.txt").write_text("")
    (tmp_path / "empty").mkdir()
    assert io("fsReaddir", str(tmp_path)) == ["a.txt", "b", "empty"]
    assert io("fsWalk", str(tmp_path)) == sorted(
        ["a.txt", os.path.join("b", "one.txt"), os.path.join("b", "c", "deep.txt")]
    )
    assert io("fsWalk", str(tmp_path / "empty")) == []
    assert io_fails("fsWalk", str(tmp_path / "a.txt"))[0] == "AT0400"
    assert io_fails("fsReaddir", str(tmp_path / "none"))[0] == "AT0400"


def test_walk_lists_symlinked_directories_without_entering_them(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_text("")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    assert io("fsWalk", str(tmp_path / "d")) == ["f", "loop"]


@pytest.mark.parametrize(
    ("names", "pattern", "expected"),
    [
        (["a.txt", "b.md", "c.txt"], "*.txt", ["a.txt", "c.txt"]),
        (["a.txt", "b.md"], "*", ["a.txt", "b.md"]),
        (["main.atl", "x.atl.bak"], "*.atl", ["main.atl"]),
        (["test_a", "a_test", "test"], "test*", ["test_a", "test"]),
        (["a?c", "abc", "a[b]c"], "a?c", ["a?c"]),  # only `*` is special
        (["a[b]c", "abc"], "a[b]c", ["a[b]c"]),
        (["data.v1.json", "data.json"], "data.*.json", ["data.v1.json"]),
        ([], "*", []),
    ],
)
def test_filter_entries(names: list[str], pattern: str, expected: list[str]) -> None:
    assert call("fsFilterEntries", names, pattern) == expected


def test_sort_entries() -> None:
    assert call("fsSortEntries", ["b", "C", "a", "B"]) == ["a", "b", "B", "C"]
    assert call("fsSortEntries", []) == []


def test_name_list_arguments() -> None:
    assert fails("fsFilterEntries", "a", "*") == (
        "AT0102",
        "fsFilterEntries(): expected string[], got string",
    )
    assert fails("fsFilterEntries", ["a"], 1.0) == (
        "AT0102",
        "fsFilterEntries(): expected string, got number",
    )
    assert fails("fsSortEntries", [1.0]) == (
        "AT0102",
        "fsSortEntries(): expected string[], got array",
    )


def test_metadata(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("hello")
    f.chmod(0o640)
    os.utime(f, (1_600_000_000.9, 1_700_000_000.2))
    st = os.stat(f)
    assert io("fsSize", str(f)) == 5.0
    assert io("fsMtime", str(f)) == 1_700_000_000.0
    assert io("fsAtime", str(f)) == 1_600_000_000.0
    assert io("fsCtime", str(f)) == float(int(st.st_ctime))
    assert io("fsPermissions", str(f)) == float(0o640)
    assert io("fsInode", str(f)) == float(st.st_ino)
    for name in ("fsSize", "fsMtime", "fsCtime", "fsAtime", "fsPermissions", "fsInode"):
        code, message = io_fails(name, str(tmp_path / "none"))
        assert code == "AT0400"
        assert (
            message
            == f"Failed to read metadata of '{tmp_path / 'none'}': No such file or directory"
        )


def test_kind_predicates(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    (tmp_path / "link").symlink_to(tmp_path / "f")
    (tmp_path / "dangling").symlink_to(tmp_path / "none")
    cases = {
        "f": (False, True, False),
        "link": (False, True, True),
        "dangling": (False, False, True),
        "none": (False, False, False),
        ".": (True, False, False),
    }
    for name, (is_dir, is_file, is_link) in cases.items():
        path = str(tmp_path / name)
        assert io("fsIsDir", path) is is_dir, name
        assert io("fsIsFile", path) is is_file, name
        assert io("fsIsSymlink", path) is is_link, name


def test_temporary_files_and_directories() -> None:
    made = []
    try:
        f = io("fsTmpfile")
        made.append(f)
        assert os.path.isfile(f) and os.path.getsize(f) == 0
        assert os.path.dirname(f) == tempfile.gettempdir()
        named = io("fsTmpfileNamed", "atlas-test-")
        made.append(named)
        assert os.path.basename(named).startswith("atlas-test-")
        d = io("fsTmpdir")
        assert os.path.isdir(d)
        os.rmdir(d)
    finally:
        for path in made:
            os.remove(path)
    assert call("fsGetTempDir") == tempfile.gettempdir()  # no permission needed


def test_temporary_files_are_denied_without_permission() -> None:
    code, message = fails("fsTmpfile")
    assert code == "AT0300"
    assert message.startswith("Permission denied: write access to ")


def test_symlinks(tmp_path: Path) -> None:
    (tmp_path / "target").write_text("x")
    link = str(tmp_path / "l1")
    assert io("fsSymlink", "target", link) is None
    assert os.readlink(link) == "target"
    io("fsSymlink", "l1", str(tmp_path / "l2"))
    assert io("fsReadlink", str(tmp_path / "l2")) == "l1"
    assert io("fsResolveSymlink", str(tmp_path / "l2")) == os.path.realpath(tmp_path / "target")
    assert io_fails("fsSymlink", "target", link)[0] == "AT0400"  # exists
    assert io_fails("fsReadlink", str(tmp_path / "target"))[0] == "AT0400"  # not a link
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    assert io_fails("fsResolveSymlink", str(tmp_path / "loop"))[0] == "AT0400"


def test_mode_bits_are_only_the_permission_bits(tmp_path: Path) -> None:
    mode = io("fsPermissions", str(tmp_path))
    assert mode == float(stat.S_IMODE(os.stat(tmp_path).st_mode))


@pytest.mark.parametrize(
    "name",
    [
        "fsMkdir", "fsMkdirp", "fsRmdir", "fsRmdirRecursive", "fsReaddir", "fsWalk", "fsSize",
        "fsMtime", "fsCtime", "fsAtime", "fsPermissions", "fsInode", "fsIsDir", "fsIsFile",
        "fsIsSymlink", "fsTmpfileNamed", "fsReadlink", "fsResolveSymlink",
    ],
)  # fmt: skip
def test_path_argument_kind(name: str) -> None:
    assert fails(name, 1.0, ctx=FakeContext()) == (
        "AT0102",
        f"{name}(): expected string, got number",
    )


def test_symlink_argument_kinds() -> None:
    assert fails("fsSymlink", 1.0, "l") == ("AT0102", "fsSymlink(): expected string, got number")
    assert fails("fsSymlink", "t", None) == ("AT0102", "fsSymlink(): expected string, got null")


def test_denials_do_nothing(tmp_path: Path) -> None:
    d = tmp_path / "d"
    assert fails("fsMkdirp", str(d)) == (
        "AT0300",
        f"Permission denied: write access to {d} (requires --allow-io)",
    )
    assert not d.exists()
    assert fails("fsIsDir", str(tmp_path))[0] == "AT0300"
