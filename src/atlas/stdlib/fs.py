"""File-system operations (reference 7.10, "File system").

The original did not check permissions here; we gate every function that reads or
changes the disk like the basic file functions (`--allow-io`, reference 7.10
[Decision]). The pure ones, `fsFilterEntries`, `fsSortEntries` and `fsGetTempDir`, need
nothing. Listings are sorted; times are whole Unix seconds; `fsPermissions` is the
permission bits of the mode (`0o644` is 420), without the file-type bits.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from typing import Any

from ._args import string_arg
from ._extended import extended, io_errors, string_array_arg, whole_seconds
from .registry import CallContext


def _reading(ctx: CallContext, name: str, p: Any) -> str:
    path = string_arg(name, p)
    ctx.permissions.require_read(path)
    return path


def _writing(ctx: CallContext, name: str, p: Any) -> str:
    path = string_arg(name, p)
    ctx.permissions.require_write(path)
    return path


# --------------------------------------------------------------------- directories


@extended("fsMkdir", 1, needs_ctx=True)
def fs_mkdir(ctx: CallContext, p: Any) -> None:
    """Create one directory (its parent must exist; an existing one is an error)."""
    path = _writing(ctx, "fsMkdir", p)
    with io_errors("create directory", path):
        os.mkdir(path)


@extended("fsMkdirp", 1, needs_ctx=True)
def fs_mkdirp(ctx: CallContext, p: Any) -> None:
    """Create the directory and its missing parents; no error if it exists."""
    path = _writing(ctx, "fsMkdirp", p)
    with io_errors("create directory", path):
        os.makedirs(path, exist_ok=True)


@extended("fsRmdir", 1, needs_ctx=True)
def fs_rmdir(ctx: CallContext, p: Any) -> None:
    """Remove an empty directory."""
    path = _writing(ctx, "fsRmdir", p)
    with io_errors("remove directory", path):
        os.rmdir(path)


@extended("fsRmdirRecursive", 1, needs_ctx=True)
def fs_rmdir_recursive(ctx: CallContext, p: Any) -> None:
    """Remove a directory and everything below it (symlinks are removed, not followed)."""
    path = _writing(ctx, "fsRmdirRecursive", p)
    with io_errors("remove directory", path):
        if os.path.islink(path):
            raise NotADirectoryError(20, "Not a directory")
        import shutil  # shutil and tempfile are imported on first use: slow to import

        shutil.rmtree(path)


@extended("fsReaddir", 1, needs_ctx=True)
def fs_readdir(ctx: CallContext, p: Any) -> list[str]:
    """Entry names, sorted."""
    path = _reading(ctx, "fsReaddir", p)
    with io_errors("read directory", path):
        return sorted(os.listdir(path))


@extended("fsWalk", 1, needs_ctx=True)
def fs_walk(ctx: CallContext, p: Any) -> list[str]:
    """Every file below `p` (not directories), relative to `p`, sorted.

    Symlinked directories are listed as entries, not entered (no cycles)."""
    path = _reading(ctx, "fsWalk", p)
    with io_errors("walk directory", path):
        if not os.path.isdir(path):
            raise NotADirectoryError(20, "Not a directory")
        found: list[str] = []

        def fail(exc: OSError) -> None:
            raise exc

        for folder, dirs, files in os.walk(path, onerror=fail):
            links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
            rel = os.path.relpath(folder, path)
            for name in [*files, *links]:
                found.append(name if rel == os.curdir else os.path.join(rel, name))
        return sorted(found)


# ------------------------------------------------------------------- name lists


def glob_matcher(pattern: str) -> Callable[[str], bool]:
    """Whether a whole name matches `pattern`, where `*` stands for any run of
    characters and every other character for itself."""
    regex = re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)
    return lambda name: regex.fullmatch(name) is not None


@extended("fsFilterEntries", 2)
def fs_filter_entries(names: Any, pattern: Any) -> list[str]:
    """The names matching a glob with `*` wildcards, in their order."""
    entries = string_array_arg("fsFilterEntries", names)
    matches = glob_matcher(string_arg("fsFilterEntries", pattern))
    return [name for name in entries if matches(name)]


@extended("fsSortEntries", 1)
def fs_sort_entries(names: Any) -> list[str]:
    """Case-insensitive alphabetical order (names equal but for case keep their order)."""
    return sorted(string_array_arg("fsSortEntries", names), key=str.casefold)


# ------------------------------------------------------------------- metadata


def _stat(ctx: CallContext, name: str, p: Any, follow: bool = True) -> os.stat_result:
    path = _reading(ctx, name, p)
    with io_errors("read metadata of", path):
        return os.stat(path) if follow else os.lstat(path)


@extended("fsSize", 1, needs_ctx=True)
def fs_size(ctx: CallContext, p: Any) -> float:
    """Size in bytes."""
    return float(_stat(ctx, "fsSize", p).st_size)


@extended("fsMtime", 1, needs_ctx=True)
def fs_mtime(ctx: CallContext, p: Any) -> float:
    """Last modification, Unix seconds."""
    return whole_seconds(_stat(ctx, "fsMtime", p).st_mtime)


@extended("fsCtime", 1, needs_ctx=True)
def fs_ctime(ctx: CallContext, p: Any) -> float:
    """Last status change (creation on Windows), Unix seconds."""
    return whole_seconds(_stat(ctx, "fsCtime", p).st_ctime)


@extended("fsAtime", 1, needs_ctx=True)
def fs_atime(ctx: CallContext, p: Any) -> float:
    """Last access, Unix seconds."""
    return whole_seconds(_stat(ctx, "fsAtime", p).st_atime)


@extended("fsPermissions", 1, needs_ctx=True)
def fs_permissions(ctx: CallContext, p: Any) -> float:
    """The permission bits of the mode (`0o755` -> 493)."""
    return float(stat.S_IMODE(_stat(ctx, "fsPermissions", p).st_mode))


@extended("fsInode", 1, needs_ctx=True)
def fs_inode(ctx: CallContext, p: Any) -> float:
    return float(_stat(ctx, "fsInode", p).st_ino)


@extended("fsIsDir", 1, needs_ctx=True)
def fs_is_dir(ctx: CallContext, p: Any) -> bool:
    """Whether `p` is a directory (false when nothing is there)."""
    path = _reading(ctx, "fsIsDir", p)
    return _exists_as(os.path.isdir, path)


@extended("fsIsFile", 1, needs_ctx=True)
def fs_is_file(ctx: CallContext, p: Any) -> bool:
    path = _reading(ctx, "fsIsFile", p)
    return _exists_as(os.path.isfile, path)


@extended("fsIsSymlink", 1, needs_ctx=True)
def fs_is_symlink(ctx: CallContext, p: Any) -> bool:
    path = _reading(ctx, "fsIsSymlink", p)
    return _exists_as(os.path.islink, path)


def _exists_as(test: Callable[[str], bool], path: str) -> bool:
    try:
        return test(path)
    except ValueError:  # a NUL in the path
        return False


# ------------------------------------------------------------------ temporary


@extended("fsTmpfile", 0, needs_ctx=True)
def fs_tmpfile(ctx: CallContext) -> str:
    """Create an empty temporary file (not deleted automatically); its path."""
    return _temp_file(ctx, "")


@extended("fsTmpfileNamed", 1, needs_ctx=True)
def fs_tmpfile_named(ctx: CallContext, prefix: Any) -> str:
    """Like fsTmpfile, the file's name starting with `prefix`."""
    return _temp_file(ctx, string_arg("fsTmpfileNamed", prefix))


def _temp_file(ctx: CallContext, prefix: str) -> str:
    import tempfile

    directory = tempfile.gettempdir()
    ctx.permissions.require_write(directory)
    with io_errors("create temporary file in", directory):
        fd, path = tempfile.mkstemp(prefix=prefix)
        os.close(fd)
    return path


@extended("fsTmpdir", 0, needs_ctx=True)
def fs_tmpdir(ctx: CallContext) -> str:
    """Create a temporary directory (not deleted automatically); its path."""
    import tempfile

    directory = tempfile.gettempdir()
    ctx.permissions.require_write(directory)
    with io_errors("create temporary directory in", directory):
        return tempfile.mkdtemp()


@extended("fsGetTempDir", 0)
def fs_get_temp_dir() -> str:
    """The system's temporary directory (nothing is created)."""
    import tempfile

    return tempfile.gettempdir()


# ------------------------------------------------------------------- symlinks


@extended("fsSymlink", 2, needs_ctx=True)
def fs_symlink(ctx: CallContext, target: Any, link: Any) -> None:
    """Create the symlink `link -> target` (`target` need not exist)."""
    to = string_arg("fsSymlink", target)
    path = _writing(ctx, "fsSymlink", link)
    with io_errors("create symlink", path):
        os.symlink(to, path)


@extended("fsReadlink", 1, needs_ctx=True)
def fs_readlink(ctx: CallContext, p: Any) -> str:
    """Where a symlink points (one level, as stored)."""
    path = _reading(ctx, "fsReadlink", p)
    with io_errors("read symlink", path):
        return os.readlink(path)


@extended("fsResolveSymlink", 1, needs_ctx=True)
def fs_resolve_symlink(ctx: CallContext, p: Any) -> str:
    """The absolute path at the end of the whole chain of links (it must exist)."""
    path = _reading(ctx, "fsResolveSymlink", p)
    with io_errors("resolve symlink", path):
        return os.path.realpath(path, strict=True)
