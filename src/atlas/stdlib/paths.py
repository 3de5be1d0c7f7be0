"""Paths (reference 7.10, "Paths").

Path arithmetic is pure string manipulation with the host's rules (`os.path`) and needs
no permission; so do the questions "where is the current / home / temporary directory".
The two functions that look at the disk, `pathExists` and `pathCanonical`, need
`--allow-io` like the file functions (reference 7.10 [Decision]).
"""

from __future__ import annotations

import ntpath
import os
import posixpath
from typing import TYPE_CHECKING, Any

from ..vm.errors import type_error
from ..vm.values import HashMap
from ._args import string_arg
from ._extended import extended, hashmap_of, io_error, string_array_arg
from .registry import CallContext

if TYPE_CHECKING:
    from pathlib import PurePath


def pure(path: str) -> PurePath:
    """`path` as a PurePath (pathlib and tempfile are imported on first use here: they are
    slow to import, and every Atlas process imports the stdlib)."""
    from pathlib import PurePath

    return PurePath(path)


def normalize(path: str) -> str:
    """`.`/`..` and repeated separators resolved lexically (`""` stays `.`)."""
    normal = os.path.normpath(path)
    if normal.startswith("//") and not normal.startswith("///") and os.sep == "/":
        normal = normal[1:]  # POSIX keeps a leading `//`; nothing on Linux means it
    return normal


@extended("pathJoinArray", 1)
def path_join_array(parts: Any) -> str:
    """Join the non-empty segments (an empty array, or only empty ones, gives `""`)."""
    segments = [p for p in string_array_arg("pathJoinArray", parts) if p]
    return os.path.join(*segments) if segments else ""


@extended("pathParse", 1)
def path_parse(p: Any) -> HashMap:
    """HashMap `{root, dir, base, ext, name}`; `ext` has no dot, like pathExtension."""
    path = string_arg("pathParse", p)
    parsed = pure(path) if path else None
    base = parsed.name if parsed else ""
    ext = _extension(base)
    name = base[: -len(ext) - 1] if ext else base
    return hashmap_of(
        {
            "root": parsed.anchor if parsed else "",
            "dir": _parent(path),
            "base": base,
            "ext": ext,
            "name": name,
        }
    )


@extended("pathNormalize", 1)
def path_normalize(p: Any) -> str:
    return normalize(string_arg("pathNormalize", p))


@extended("pathAbsolute", 1)
def path_absolute(p: Any) -> str:
    """Absolute and normalised, relative to the current directory."""
    return os.path.abspath(string_arg("pathAbsolute", p))


@extended("pathRelative", 2)
def path_relative(start: Any, to: Any) -> str:
    """The relative path that leads from `start` to `to`."""
    origin = string_arg("pathRelative", start)
    target = string_arg("pathRelative", to)
    if not origin or not target:
        raise type_error("pathRelative: paths must not be empty")
    return os.path.relpath(target, origin)


def _parent(path: str) -> str:
    """The directory part: `a/b/` -> `a`, `a` -> `""`, `/` -> `/`."""
    stripped = path.rstrip(os.sep + (os.altsep or ""))
    if not stripped:
        return path[:1]  # the root (or "" for "")
    return os.path.dirname(stripped)


@extended("pathParent", 1)
def path_parent(p: Any) -> str:
    return _parent(string_arg("pathParent", p))


@extended("pathDirname", 1)
def path_dirname(p: Any) -> str:
    return _parent(string_arg("pathDirname", p))


@extended("pathBasename", 1)
def path_basename(p: Any) -> str:
    """The last component (`a/b/` -> `b`; `""` for a root)."""
    path = string_arg("pathBasename", p)
    return pure(path).name if path else ""


def _extension(base: str) -> str:
    """The extension of a file name, without the dot (`.bashrc` has none)."""
    stem, dot, ext = base.rpartition(".")
    return ext if dot and stem.strip(".") else ""


@extended("pathExtension", 1)
def path_extension(p: Any) -> str:
    path = string_arg("pathExtension", p)
    return _extension(pure(path).name if path else "")


@extended("pathIsAbsolute", 1)
def path_is_absolute(p: Any) -> bool:
    return os.path.isabs(string_arg("pathIsAbsolute", p))


@extended("pathIsRelative", 1)
def path_is_relative(p: Any) -> bool:
    return not os.path.isabs(string_arg("pathIsRelative", p))


@extended("pathExists", 1, needs_ctx=True)
def path_exists(ctx: CallContext, p: Any) -> bool:
    path = string_arg("pathExists", p)
    ctx.permissions.require_read(path)
    try:
        return os.path.exists(path)
    except ValueError:  # a NUL in the path
        return False


@extended("pathCanonical", 1, needs_ctx=True)
def path_canonical(ctx: CallContext, p: Any) -> str:
    """Absolute, with every symlink resolved; the path must exist (AT0400 otherwise)."""
    path = string_arg("pathCanonical", p)
    ctx.permissions.require_read(path)
    try:
        return os.path.realpath(path, strict=True)
    except (OSError, ValueError) as exc:
        raise io_error("canonicalize path", path, exc) from None


@extended("pathEquals", 2)
def path_equals(a: Any, b: Any) -> bool:
    """Equal after lexical normalisation."""
    return normalize(string_arg("pathEquals", a)) == normalize(string_arg("pathEquals", b))


@extended("pathHomedir", 0)
def path_homedir() -> str:
    return os.path.expanduser("~")


@extended("pathCwd", 0)
def path_cwd() -> str:
    return os.getcwd()


@extended("pathTempdir", 0)
def path_tempdir() -> str:
    import tempfile

    return tempfile.gettempdir()


@extended("pathSeparator", 0)
def path_separator() -> str:
    return os.sep


@extended("pathDelimiter", 0)
def path_delimiter() -> str:
    """The separator of PATH-like lists: `:` (or `;` on Windows)."""
    return os.pathsep


@extended("pathExtSeparator", 0)
def path_ext_separator() -> str:
    return os.extsep


@extended("pathDrive", 1)
def path_drive(p: Any) -> str:
    """The Windows drive prefix (`C:`); always `""` elsewhere."""
    return os.path.splitdrive(string_arg("pathDrive", p))[0]


@extended("pathToPosix", 1)
def path_to_posix(p: Any) -> str:
    return string_arg("pathToPosix", p).replace(ntpath.sep, posixpath.sep)


@extended("pathToWindows", 1)
def path_to_windows(p: Any) -> str:
    return string_arg("pathToWindows", p).replace(posixpath.sep, ntpath.sep)


@extended("pathToPlatform", 1)
def path_to_platform(p: Any) -> str:
    """Separators converted to this system's (`/` here, `\\` on Windows)."""
    path = string_arg("pathToPlatform", p)
    if os.sep == ntpath.sep:
        return path.replace(posixpath.sep, ntpath.sep)
    return path.replace(ntpath.sep, posixpath.sep)
