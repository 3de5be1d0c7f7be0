"""Compression and archives: gzip, tar, zip (reference 7.10, "Compression").

Byte arrays are `number[]` of whole numbers 0-255. The gzip functions work on values
and need no permission; every tar and zip function reads or writes files and needs
`--allow-io` (reference 7.10 [Decision]). Malformed compressed data is AT0001; a
missing or unreadable archive, or a failed extraction, is AT0400.

Sources given to `tarCreate`/`zipCreate` are stored under their base name (a directory
with everything below it). Extraction refuses entries that would land outside the
target directory (absolute names, `..`, links pointing out), using Python's `data`
extraction filter for tar files.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..vm.errors import AtlasRuntimeError, type_error
from ..vm.values import HashMap
from ._args import expected, number_arg, string_arg
from ._extended import (
    byte_array,
    bytes_arg,
    extended,
    hashmap_of,
    io_error,
    level_arg,
    string_array_arg,
)
from .registry import CallContext

# gzip, tarfile and zipfile are imported by the functions that use them: together they
# take tens of milliseconds to import, and every Atlas process imports the stdlib.
if TYPE_CHECKING:
    import tarfile
    import zipfile

# ------------------------------------------------------------------------- gzip


@extended("gzipCompress", (1, 2))
def gzip_compress(data: Any, level: Any = None) -> list[float]:
    """The gzip encoding of a string (as UTF-8) or a byte array, at level 0-9 (6)."""
    import gzip

    if type(data) is str:
        raw = data.encode("utf-8", "surrogatepass")
    elif type(data) is list:
        raw = bytes_arg("gzipCompress", data)
    else:
        raise expected("gzipCompress", "string or number[]", data)
    return byte_array(gzip.compress(raw, compresslevel=level_arg("gzipCompress", level), mtime=0))


def _gunzip(name: str, data: Any) -> bytes:
    import gzip

    raw = bytes_arg(name, data)
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise type_error(f"{name}: invalid gzip data: {exc}") from None


@extended("gzipDecompress", 1)
def gzip_decompress(data: Any) -> list[float]:
    return byte_array(_gunzip("gzipDecompress", data))


@extended("gzipDecompressString", 1)
def gzip_decompress_string(data: Any) -> str:
    """The decompressed bytes as UTF-8 text."""
    raw = _gunzip("gzipDecompressString", data)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise type_error(
            f"gzipDecompressString: not valid UTF-8 (byte offset {exc.start})"
        ) from None


@extended("gzipIsGzip", 1)
def gzip_is_gzip(data: Any) -> bool:
    """Whether the bytes start with the gzip magic number 1f 8b."""
    return bytes_arg("gzipIsGzip", data)[:2] == b"\x1f\x8b"


@extended("gzipCompressionRatio", 2)
def gzip_compression_ratio(original: Any, compressed: Any) -> float:
    """`original / compressed` (a zero size gives inf or NaN, as division does)."""
    a = number_arg("gzipCompressionRatio", original)
    b = number_arg("gzipCompressionRatio", compressed)
    if b == 0:
        return float("nan") if a == 0 or a != a else float("inf") if a > 0 else float("-inf")
    return a / b


# ---------------------------------------------------------------- shared parts


@contextmanager
def archive_errors(action: str, path: str) -> Iterator[None]:
    """OSError and malformed-archive errors inside the block as AT0400."""
    import tarfile
    import zipfile

    try:
        yield
    except (OSError, tarfile.TarError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise io_error(action, path, exc) from None


def _sources(ctx: CallContext, name: str, sources: Any, out: Any) -> tuple[list[str], str]:
    """The source paths (each must exist) and the output path, permissions checked."""
    paths = string_array_arg(name, sources)
    target = string_arg(name, out)
    for path in paths:
        ctx.permissions.require_read(path)
    ctx.permissions.require_write(target)
    for path in paths:
        if not os.path.lexists(path):
            raise io_error(
                "add to archive", path, FileNotFoundError(2, "No such file or directory")
            )
    return paths, target


def _archive_name(path: str) -> str:
    """The name a source is stored under: its base name."""
    return os.path.basename(os.path.normpath(path))


def _reading(ctx: CallContext, name: str, archive: Any) -> str:
    path = string_arg(name, archive)
    ctx.permissions.require_read(path)
    return path


def _extracting(ctx: CallContext, name: str, archive: Any, directory: Any) -> tuple[str, str]:
    path = string_arg(name, archive)
    target = string_arg(name, directory)
    ctx.permissions.require_read(path)
    ctx.permissions.require_write(target)
    return path, target


# -------------------------------------------------------------------------- tar


def _tar_create(ctx: CallContext, name: str, sources: Any, out: Any, mode: str, **kw: Any) -> None:
    import tarfile

    paths, target = _sources(ctx, name, sources, out)
    with archive_errors("create archive", target), tarfile.open(target, mode, **kw) as tar:
        for path in paths:
            tar.add(path, arcname=_archive_name(path))


@extended("tarCreate", 2, needs_ctx=True)
def tar_create(ctx: CallContext, sources: Any, out: Any) -> None:
    """Write an uncompressed tar archive of `sources` to `out`."""
    _tar_create(ctx, "tarCreate", sources, out, "w")


@extended("tarCreateGz", (2, 3), needs_ctx=True)
def tar_create_gz(ctx: CallContext, sources: Any, out: Any, level: Any = None) -> None:
    """Write a gzip-compressed tar archive (level 0-9, default 6)."""
    compresslevel = level_arg("tarCreateGz", level)
    _tar_create(ctx, "tarCreateGz", sources, out, "w:gz", compresslevel=compresslevel)


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The members, refusing any that would be written outside the target directory
    (the same rules as the `data` filter, for Pythons that lack it)."""
    import tarfile

    members = tar.getmembers()
    for member in members:
        parts = member.name.replace("\\", "/").split("/")
        if member.name.startswith(("/", "\\")) or ".." in parts:
            raise tarfile.TarError(f"entry '{member.name}' would be outside the target directory")
        if member.issym() or member.islnk():
            link = os.path.normpath(os.path.join(os.path.dirname(member.name), member.linkname))
            if os.path.isabs(member.linkname) or link.startswith(".."):
                raise tarfile.TarError(f"link '{member.name}' points outside the target directory")
    return members


def _tar_extract(ctx: CallContext, name: str, archive: Any, directory: Any, mode: str) -> list[str]:
    import tarfile

    path, target = _extracting(ctx, name, archive, directory)
    with archive_errors("extract archive", path), tarfile.open(path, mode) as tar:
        members = _safe_members(tar)
        os.makedirs(target, exist_ok=True)
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, members=members, filter="data")
        else:  # Python 3.11 before 3.11.4
            tar.extractall(target, members=members)
    return [os.path.join(target, m.name) for m in members]


@extended("tarExtract", 2, needs_ctx=True)
def tar_extract(ctx: CallContext, archive: Any, directory: Any) -> list[str]:
    """Extract a tar archive (compressed or not) into `directory`; the paths written."""
    return _tar_extract(ctx, "tarExtract", archive, directory, "r:*")


@extended("tarExtractGz", 2, needs_ctx=True)
def tar_extract_gz(ctx: CallContext, archive: Any, directory: Any) -> list[str]:
    """Extract a gzip-compressed tar archive into `directory`; the paths written."""
    return _tar_extract(ctx, "tarExtractGz", archive, directory, "r:gz")


def _tar_members(ctx: CallContext, name: str, archive: Any) -> list[tarfile.TarInfo]:
    import tarfile

    path = _reading(ctx, name, archive)
    with archive_errors("read archive", path), tarfile.open(path, "r:*") as tar:
        return tar.getmembers()


@extended("tarList", 1, needs_ctx=True)
def tar_list(ctx: CallContext, archive: Any) -> list[HashMap]:
    """One `{name, size, isDir, isFile}` per entry, in archive order."""
    return [
        hashmap_of(
            {"name": m.name, "size": float(m.size), "isDir": m.isdir(), "isFile": m.isfile()}
        )
        for m in _tar_members(ctx, "tarList", archive)
    ]


@extended("tarContains", 2, needs_ctx=True)
def tar_contains(ctx: CallContext, archive: Any, entry: Any) -> bool:
    """Whether the archive has an entry named `entry` (a trailing `/` is ignored)."""
    wanted = string_arg("tarContains", entry).rstrip("/")
    members = _tar_members(ctx, "tarContains", archive)
    return any(m.name.rstrip("/") == wanted for m in members)


# -------------------------------------------------------------------------- zip


def _zip_settings(level: int) -> dict[str, Any]:
    """Level 0 stores; 1-9 deflate at that level."""
    import zipfile

    if level == 0:
        return {"compression": zipfile.ZIP_STORED}
    return {"compression": zipfile.ZIP_DEFLATED, "compresslevel": level}


def _zip_add_tree(zf: zipfile.ZipFile, path: str) -> None:
    """Add a file, or a directory and everything below it, under its base name."""
    base = _archive_name(path)
    if not os.path.isdir(path):
        zf.write(path, base)
        return
    zf.write(path, base + "/")
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        rel = os.path.relpath(folder, path)
        prefix = base if rel == os.curdir else f"{base}/{rel.replace(os.sep, '/')}"
        for d in dirs:
            zf.write(os.path.join(folder, d), f"{prefix}/{d}/")
        for f in sorted(files):
            zf.write(os.path.join(folder, f), f"{prefix}/{f}")


def _comment_bytes(name: str, comment: str) -> bytes:
    raw = comment.encode("utf-8", "surrogatepass")
    if len(raw) > 0xFFFF:
        raise type_error(f"{name}: the comment is longer than 65535 bytes")
    return raw


def _zip_create(
    ctx: CallContext, name: str, sources: Any, out: Any, level: Any, comment: str | None
) -> None:
    import zipfile

    settings = _zip_settings(level_arg(name, level))
    raw_comment = _comment_bytes(name, comment) if comment is not None else None
    paths, target = _sources(ctx, name, sources, out)
    with archive_errors("create archive", target), zipfile.ZipFile(target, "w", **settings) as zf:
        for path in paths:
            _zip_add_tree(zf, path)
        if raw_comment is not None:
            zf.comment = raw_comment


@extended("zipCreate", (2, 3), needs_ctx=True)
def zip_create(ctx: CallContext, sources: Any, out: Any, level: Any = None) -> None:
    """Write a zip archive of `sources` (level 0 = store, 1-9 deflate, default 6)."""
    _zip_create(ctx, "zipCreate", sources, out, level, None)


@extended("zipCreateWithComment", (3, 4), needs_ctx=True)
def zip_create_with_comment(
    ctx: CallContext, sources: Any, out: Any, comment: Any, level: Any = None
) -> None:
    """zipCreate, with an archive comment."""
    text = string_arg("zipCreateWithComment", comment)
    _zip_create(ctx, "zipCreateWithComment", sources, out, level, text)


def _zip_extract(
    ctx: CallContext, name: str, archive: Any, directory: Any, names: list[str] | None
) -> list[str]:
    import zipfile

    path, target = _extracting(ctx, name, archive, directory)
    written: list[str] = []
    with archive_errors("extract archive", path), zipfile.ZipFile(path) as zf:
        if names is None:
            members = zf.infolist()
        else:
            known = set(zf.namelist())
            missing = [n for n in names if n not in known]
            if missing:
                raise AtlasRuntimeError(
                    "AT0400", f"Failed to extract '{missing[0]}' from '{path}': no such entry"
                )
            members = [zf.getinfo(n) for n in names]
        for member in members:
            written.append(zf.extract(member, target))  # zipfile drops `..` and roots
    return written


@extended("zipExtract", 2, needs_ctx=True)
def zip_extract(ctx: CallContext, archive: Any, directory: Any) -> list[str]:
    """Extract every entry into `directory`; the paths written."""
    return _zip_extract(ctx, "zipExtract", archive, directory, None)


@extended("zipExtractFiles", 3, needs_ctx=True)
def zip_extract_files(ctx: CallContext, archive: Any, directory: Any, names: Any) -> list[str]:
    """Extract the named entries only (AT0400 if one is missing); the paths written."""
    wanted = string_array_arg("zipExtractFiles", names)
    return _zip_extract(ctx, "zipExtractFiles", archive, directory, wanted)


# zipfile's compression method numbers (ZIP_STORED, ZIP_DEFLATED, ZIP_BZIP2, ZIP_LZMA).
_METHODS = {0: "stored", 8: "deflated", 12: "bzip2", 14: "lzma"}


def _zip_infos(ctx: CallContext, name: str, archive: Any) -> list[zipfile.ZipInfo]:
    import zipfile

    path = _reading(ctx, name, archive)
    with archive_errors("read archive", path), zipfile.ZipFile(path) as zf:
        return zf.infolist()


@extended("zipList", 1, needs_ctx=True)
def zip_list(ctx: CallContext, archive: Any) -> list[HashMap]:
    """One `{name, size, compressedSize, isDir, method}` per entry, in archive order."""
    return [
        hashmap_of(
            {
                "name": info.filename,
                "size": float(info.file_size),
                "compressedSize": float(info.compress_size),
                "isDir": info.is_dir(),
                "method": _METHODS.get(info.compress_type, f"method {info.compress_type}"),
            }
        )
        for info in _zip_infos(ctx, "zipList", archive)
    ]


@extended("zipContains", 2, needs_ctx=True)
def zip_contains(ctx: CallContext, archive: Any, entry: Any) -> bool:
    """Whether the archive has an entry named `entry` (a trailing `/` is ignored)."""
    wanted = string_arg("zipContains", entry).rstrip("/")
    infos = _zip_infos(ctx, "zipContains", archive)
    return any(info.filename.rstrip("/") == wanted for info in infos)


@extended("zipValidate", 1, needs_ctx=True)
def zip_validate(ctx: CallContext, archive: Any) -> bool:
    """Whether `archive` is a readable zip file whose entries all pass their CRC check."""
    import zipfile

    path = _reading(ctx, "zipValidate", archive)
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is None
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        return False


@extended("zipCompressionRatio", 1, needs_ctx=True)
def zip_compression_ratio(ctx: CallContext, archive: Any) -> float:
    """Total compressed size / total original size (1.0 for an empty archive)."""
    infos = _zip_infos(ctx, "zipCompressionRatio", archive)
    original = sum(info.file_size for info in infos)
    if original == 0:
        return 1.0
    return sum(info.compress_size for info in infos) / original


@extended("zipAddFile", (2, 4), needs_ctx=True)
def zip_add_file(
    ctx: CallContext, archive: Any, file: Any, entry_name: Any = None, level: Any = None
) -> None:
    """Add `file` to the archive (created if missing) as `entryName` (default: the
    file's base name); adding a name the archive already has is an error."""
    import zipfile

    name = "zipAddFile"
    path = string_arg(name, archive)
    source = string_arg(name, file)
    entry = _archive_name(source) if entry_name is None else string_arg(name, entry_name)
    settings = _zip_settings(level_arg(name, level))
    ctx.permissions.require_read(source)
    ctx.permissions.require_write(path)
    with archive_errors("add to archive", path), zipfile.ZipFile(path, "a", **settings) as zf:
        if entry in zf.namelist():
            raise type_error(f"{name}: the archive already has an entry '{entry}'")
        zf.write(source, entry)


@extended("zipComment", 1, needs_ctx=True)
def zip_comment(ctx: CallContext, archive: Any) -> str:
    """The archive comment (`""` when there is none)."""
    import zipfile

    path = _reading(ctx, "zipComment", archive)
    with archive_errors("read archive", path), zipfile.ZipFile(path) as zf:
        return zf.comment.decode("utf-8", "replace")
