"""Basic file I/O (reference 7.10, "File I/O (basic)").

Everything that touches the disk needs `--allow-io` (AT0300 otherwise); `fileExists`
is gated too although the original did not check it (reference 7.10 [Decision]).
Failures of the operation itself are AT0400 `Failed to <action> '<path>': <reason>`.
Directory listings are sorted by name so that programs behave the same everywhere.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from ._args import string_arg
from ._extended import extended, io_error, io_errors, json_of, whole_seconds
from .registry import CallContext


@extended("readFile", 1, needs_ctx=True)
def read_file(ctx: CallContext, path: Any) -> str:
    """The whole file as UTF-8 text."""
    string_arg("readFile", path)
    ctx.permissions.require_read(path)
    try:
        resolved = os.path.realpath(path, strict=True)
    except (OSError, ValueError) as exc:
        raise io_error("resolve path", path, exc) from None
    with io_errors("read file", path), open(resolved, encoding="utf-8", newline="") as f:
        return f.read()


@extended("writeFile", 2, needs_ctx=True)
def write_file(ctx: CallContext, path: Any, text: Any) -> None:
    """Create or overwrite the file with `text`."""
    string_arg("writeFile", path)
    string_arg("writeFile", text)
    ctx.permissions.require_write(path)
    with io_errors("write file", path), open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


@extended("appendFile", 2, needs_ctx=True)
def append_file(ctx: CallContext, path: Any, text: Any) -> None:
    """Append `text`, creating the file if needed."""
    string_arg("appendFile", path)
    string_arg("appendFile", text)
    ctx.permissions.require_write(path)
    with io_errors("append to file", path), open(path, "a", encoding="utf-8", newline="") as f:
        f.write(text)


@extended("fileExists", 1, needs_ctx=True)
def file_exists(ctx: CallContext, path: Any) -> bool:
    """Whether a file or directory exists at `path`."""
    string_arg("fileExists", path)
    ctx.permissions.require_read(path)
    try:
        return os.path.exists(path)
    except ValueError:  # a NUL in the path: nothing can exist there
        return False


@extended("readDir", 1, needs_ctx=True)
def read_dir(ctx: CallContext, path: Any) -> list[str]:
    """The names (not paths) of the directory's entries, sorted."""
    string_arg("readDir", path)
    ctx.permissions.require_read(path)
    with io_errors("read directory", path):
        return sorted(os.listdir(path))


@extended("createDir", 1, needs_ctx=True)
def create_dir(ctx: CallContext, path: Any) -> None:
    """Create the directory and any missing parents (no error if it exists)."""
    string_arg("createDir", path)
    ctx.permissions.require_write(path)
    with io_errors("create directory", path):
        os.makedirs(path, exist_ok=True)


@extended("removeFile", 1, needs_ctx=True)
def remove_file(ctx: CallContext, path: Any) -> None:
    """Remove a file (a directory is an error)."""
    string_arg("removeFile", path)
    ctx.permissions.require_write(path)
    with io_errors("remove file", path):
        if os.path.isdir(path) and not os.path.islink(path):
            raise IsADirectoryError(21, "Is a directory")
        os.remove(path)


@extended("removeDir", 1, needs_ctx=True)
def remove_dir(ctx: CallContext, path: Any) -> None:
    """Remove an empty directory."""
    string_arg("removeDir", path)
    ctx.permissions.require_write(path)
    with io_errors("remove directory", path):
        os.rmdir(path)


@extended("fileInfo", 1, needs_ctx=True)
def file_info(ctx: CallContext, path: Any) -> Any:
    """json `{size, modified (Unix seconds), isFile, isDir}`."""
    string_arg("fileInfo", path)
    ctx.permissions.require_read(path)
    with io_errors("read metadata of", path):
        st = os.stat(path)
    return json_of(
        {
            "size": st.st_size,
            "modified": whole_seconds(st.st_mtime),
            "isFile": stat.S_ISREG(st.st_mode),
            "isDir": stat.S_ISDIR(st.st_mode),
        }
    )


@extended("pathJoin", (1, -1))
def path_join(*parts: Any) -> str:
    """Join with the OS separator; a later absolute part replaces what precedes it."""
    for part in parts:
        string_arg("pathJoin", part)
    return os.path.join(*parts)
