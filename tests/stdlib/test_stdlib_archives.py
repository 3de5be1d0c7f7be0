"""Compression and archives: gzip, tar, zip (reference 7.10, "Compression")."""

from __future__ import annotations

import gzip
import io
import math
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from stdlib_support import allowed, call, fails, same

from atlas.vm.values import HashMap


def io_call(name: str, *args: object) -> object:
    return call(name, *args, ctx=allowed())


def io_fails(name: str, *args: object) -> tuple[str, str]:
    return fails(name, *args, ctx=allowed())


def as_bytes(data: list[float]) -> bytes:
    return bytes(int(x) for x in data)


def fields(m: HashMap) -> dict:
    return {k: v for k, v in m.entries.values()}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """`src/` holding a file and a directory with two files; `single.txt` beside it."""
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("alpha " * 100)
    (src / "sub" / "b.txt").write_text("beta")
    (src / "sub" / "c.bin").write_bytes(bytes(range(256)))
    (tmp_path / "single.txt").write_text("single")
    return tmp_path


# ------------------------------------------------------------------------- gzip


def test_gzip_round_trips_strings_and_bytes() -> None:
    packed = call("gzipCompress", "héllo " * 50)
    assert all(type(b) is float and 0 <= b <= 255 for b in packed)
    assert call("gzipIsGzip", packed) is True
    assert call("gzipDecompressString", packed) == "héllo " * 50
    assert gzip.decompress(as_bytes(packed)) == ("héllo " * 50).encode()
    data = [float(b) for b in range(256)]
    assert call("gzipDecompress", call("gzipCompress", data)) == data
    assert call("gzipDecompress", call("gzipCompress", [])) == []


def test_gzip_levels() -> None:
    text = "abcabcabc" * 1000
    stored = call("gzipCompress", text, 0.0)
    best = call("gzipCompress", text, 9.0)
    default = call("gzipCompress", text)
    assert len(best) < len(stored)
    assert default == call("gzipCompress", text, 6.0)
    assert default == call("gzipCompress", text, None)
    for bad in (10.0, -1.0, 2.5):
        code, message = fails("gzipCompress", text, bad)
        assert code == "AT0001"
        assert "compression level must be a whole number 0-9" in message
    assert fails("gzipCompress", text, "9") == (
        "AT0102",
        "gzipCompress(): expected number, got string",
    )


def test_gzip_magic_and_ratio() -> None:
    assert call("gzipIsGzip", [31.0, 139.0, 8.0]) is True
    assert call("gzipIsGzip", [31.0]) is False
    assert call("gzipIsGzip", []) is False
    assert call("gzipCompressionRatio", 1000.0, 250.0) == 4.0
    assert call("gzipCompressionRatio", 5.0, 0.0) == math.inf
    assert same(call("gzipCompressionRatio", 0.0, 0.0), math.nan)


def test_gzip_errors() -> None:
    code, message = fails("gzipDecompress", [1.0, 2.0, 3.0])
    assert code == "AT0001"
    assert message.startswith("Type error: gzipDecompress: invalid gzip data: ")
    truncated = call("gzipCompress", "hello")[:-6]
    assert fails("gzipDecompress", truncated)[0] == "AT0001"
    latin = [float(b) for b in gzip.compress(b"\xff\xfe")]
    assert fails("gzipDecompressString", latin) == (
        "AT0001",
        "Type error: gzipDecompressString: not valid UTF-8 (byte offset 0)",
    )
    assert fails("gzipCompress", 1.0) == (
        "AT0102",
        "gzipCompress(): expected string or number[], got number",
    )
    assert fails("gzipCompress", [256.0]) == (
        "AT0001",
        "Type error: gzipCompress: byte values must be whole numbers 0-255, got 256",
    )
    assert fails("gzipDecompress", ["a"]) == (
        "AT0001",
        "Type error: gzipDecompress: byte values must be whole numbers 0-255, got string",
    )
    assert fails("gzipIsGzip", "x") == ("AT0102", "gzipIsGzip(): expected number[], got string")
    assert fails("gzipCompressionRatio", "1", 1.0)[0] == "AT0102"


# -------------------------------------------------------------------------- tar


def test_tar_create_list_contains_extract(tree: Path) -> None:
    archive = str(tree / "out.tar")
    sources = [str(tree / "src"), str(tree / "single.txt")]
    assert io_call("tarCreate", sources, archive) is None
    entries = {fields(e)["name"]: fields(e) for e in io_call("tarList", archive)}
    assert set(entries) == {
        "src",
        "src/a.txt",
        "src/sub",
        "src/sub/b.txt",
        "src/sub/c.bin",
        "single.txt",
    }
    assert entries["src/sub/b.txt"] == {
        "name": "src/sub/b.txt",
        "size": 4.0,
        "isDir": False,
        "isFile": True,
    }
    assert entries["src"]["isDir"] is True
    assert io_call("tarContains", archive, "src/sub/b.txt") is True
    assert io_call("tarContains", archive, "src/sub/") is True
    assert io_call("tarContains", archive, "nope") is False
    out = tree / "out"
    written = io_call("tarExtract", archive, str(out))
    assert sorted(written) == sorted(os.path.join(str(out), name) for name in entries)
    assert (out / "src" / "sub" / "c.bin").read_bytes() == bytes(range(256))
    assert (out / "single.txt").read_text() == "single"


def test_tar_gz(tree: Path) -> None:
    archive = str(tree / "out.tgz")
    assert io_call("tarCreateGz", [str(tree / "src")], archive, 9.0) is None
    with open(archive, "rb") as f:
        assert f.read(2) == b"\x1f\x8b"
    written = io_call("tarExtractGz", archive, str(tree / "x"))
    assert os.path.join(str(tree / "x"), "src", "a.txt") in written
    assert io_call("tarContains", archive, "src/a.txt") is True  # reads compressed too
    plain = str(tree / "plain.tar")
    io_call("tarCreate", [str(tree / "single.txt")], plain)
    code, message = io_fails("tarExtractGz", plain, str(tree / "y"))
    assert code == "AT0400"
    assert message.startswith(f"Failed to extract archive '{plain}': ")


def test_tar_refuses_entries_outside_the_target(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    code, message = io_fails("tarExtract", str(archive), str(tmp_path / "out"))
    assert code == "AT0400"
    assert "outside the target directory" in message
    assert not (tmp_path / "escaped.txt").exists()
    linked = tmp_path / "link.tar"
    with tarfile.open(linked, "w") as tar:
        info = tarfile.TarInfo("l")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    assert io_fails("tarExtract", str(linked), str(tmp_path / "out2"))[0] == "AT0400"


def test_tar_failures(tree: Path) -> None:
    missing = str(tree / "none")
    assert io_fails("tarCreate", [missing], str(tree / "o.tar")) == (
        "AT0400",
        f"Failed to add to archive '{missing}': No such file or directory",
    )
    (tree / "junk.tar").write_text("not a tar file at all")
    code, message = io_fails("tarList", str(tree / "junk.tar"))
    assert code == "AT0400"
    assert message.startswith(f"Failed to read archive '{tree / 'junk.tar'}': ")
    assert io_fails("tarList", missing)[0] == "AT0400"
    assert io_fails("tarCreateGz", [str(tree / "src")], str(tree / "o.tgz"), 11.0)[0] == "AT0001"


def test_tar_argument_errors() -> None:
    assert fails("tarCreate", "src", "o.tar") == (
        "AT0102",
        "tarCreate(): expected string[], got string",
    )
    assert fails("tarCreate", ["src"], 1.0) == (
        "AT0102",
        "tarCreate(): expected string, got number",
    )
    assert fails("tarExtract", "a.tar", None) == (
        "AT0102",
        "tarExtract(): expected string, got null",
    )
    assert fails("tarList", 1.0) == ("AT0102", "tarList(): expected string, got number")
    assert fails("tarContains", "a.tar", 1.0) == (
        "AT0102",
        "tarContains(): expected string, got number",
    )
    assert fails("zipContains", "a.zip", 1.0) == (
        "AT0102",
        "zipContains(): expected string, got number",
    )


# -------------------------------------------------------------------------- zip


def test_zip_create_list_extract(tree: Path) -> None:
    archive = str(tree / "out.zip")
    sources = [str(tree / "src"), str(tree / "single.txt")]
    assert io_call("zipCreate", sources, archive) is None
    listed = {fields(e)["name"]: fields(e) for e in io_call("zipList", archive)}
    assert set(listed) == {
        "src/",
        "src/a.txt",
        "src/sub/",
        "src/sub/b.txt",
        "src/sub/c.bin",
        "single.txt",
    }
    a = listed["src/a.txt"]
    assert a["size"] == 600.0
    assert a["compressedSize"] < a["size"]
    assert a["method"] == "deflated"
    assert a["isDir"] is False
    assert listed["src/sub/"]["isDir"] is True
    assert io_call("zipContains", archive, "src/sub") is True
    assert io_call("zipContains", archive, "src/a.txt") is True
    assert io_call("zipContains", archive, "a.txt") is False
    assert io_call("zipValidate", archive) is True
    out = tree / "out"
    written = io_call("zipExtract", archive, str(out))
    assert os.path.join(str(out), "src", "sub", "c.bin") in written
    assert (out / "src" / "sub" / "c.bin").read_bytes() == bytes(range(256))
    assert io_call("zipComment", archive) == ""


def test_zip_levels_and_ratio(tree: Path) -> None:
    stored = str(tree / "stored.zip")
    io_call("zipCreate", [str(tree / "src" / "a.txt")], stored, 0.0)
    assert [fields(e)["method"] for e in io_call("zipList", stored)] == ["stored"]
    assert io_call("zipCompressionRatio", stored) == 1.0
    packed = str(tree / "packed.zip")
    io_call("zipCreate", [str(tree / "src" / "a.txt")], packed, 9.0)
    ratio = io_call("zipCompressionRatio", packed)
    with zipfile.ZipFile(packed) as zf:
        info = zf.getinfo("a.txt")
        assert ratio == info.compress_size / info.file_size
    empty = str(tree / "empty.zip")
    io_call("zipCreate", [], empty)
    assert io_call("zipCompressionRatio", empty) == 1.0
    assert io_call("zipList", empty) == []


def test_zip_comment(tree: Path) -> None:
    archive = str(tree / "c.zip")
    io_call("zipCreateWithComment", [str(tree / "single.txt")], archive, "made by Atlas ✓")
    assert io_call("zipComment", archive) == "made by Atlas ✓"
    io_call("zipCreateWithComment", [str(tree / "single.txt")], archive, "stored", 0.0)
    assert io_call("zipComment", archive) == "stored"
    assert io_fails("zipCreateWithComment", [], archive, "x" * 70000)[0] == "AT0001"


def test_zip_extract_files(tree: Path) -> None:
    archive = str(tree / "out.zip")
    io_call("zipCreate", [str(tree / "src")], archive)
    out = tree / "some"
    written = io_call("zipExtractFiles", archive, str(out), ["src/sub/b.txt"])
    assert written == [os.path.join(str(out), "src", "sub", "b.txt")]
    assert not (out / "src" / "a.txt").exists()
    assert io_fails("zipExtractFiles", archive, str(out), ["src/none"]) == (
        "AT0400",
        f"Failed to extract 'src/none' from '{archive}': no such entry",
    )
    assert fails("zipExtractFiles", archive, str(out), "src/a.txt") == (
        "AT0102",
        "zipExtractFiles(): expected string[], got string",
    )


def test_zip_add_file(tree: Path) -> None:
    archive = str(tree / "grow.zip")
    assert io_call("zipAddFile", archive, str(tree / "single.txt")) is None  # creates it
    io_call("zipAddFile", archive, str(tree / "src" / "a.txt"), "docs/alpha.txt", 0.0)
    io_call("zipAddFile", archive, str(tree / "src" / "sub" / "b.txt"), None, 9.0)
    listed = {fields(e)["name"]: fields(e)["method"] for e in io_call("zipList", archive)}
    assert listed == {"single.txt": "deflated", "docs/alpha.txt": "stored", "b.txt": "deflated"}
    assert io_fails("zipAddFile", archive, str(tree / "single.txt")) == (
        "AT0001",
        "Type error: zipAddFile: the archive already has an entry 'single.txt'",
    )
    assert io_fails("zipAddFile", archive, str(tree / "none"))[0] == "AT0400"
    assert io_call("zipValidate", archive) is True


def test_zip_validate_and_unreadable_archives(tree: Path) -> None:
    junk = tree / "junk.zip"
    junk.write_text("not a zip")
    assert io_call("zipValidate", str(junk)) is False
    assert io_call("zipValidate", str(tree / "none.zip")) is False
    code, message = io_fails("zipList", str(junk))
    assert code == "AT0400"
    assert message == f"Failed to read archive '{junk}': File is not a zip file"
    corrupt = tree / "corrupt.zip"
    io_call("zipCreate", [str(tree / "src" / "a.txt")], str(corrupt), 0.0)
    data = bytearray(corrupt.read_bytes())
    data[40] ^= 0xFF  # inside the stored file's bytes: the CRC no longer matches
    corrupt.write_bytes(bytes(data))
    assert io_call("zipValidate", str(corrupt)) is False


def test_zip_extraction_stays_inside_the_target(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escaped.txt", "x")
    written = io_call("zipExtract", str(archive), str(tmp_path / "out"))
    assert written == [os.path.join(str(tmp_path / "out"), "escaped.txt")]
    assert not (tmp_path / "escaped.txt").exists()


def test_zip_argument_errors() -> None:
    assert fails("zipCreate", "src", "o.zip") == (
        "AT0102",
        "zipCreate(): expected string[], got string",
    )
    assert fails("zipCreate", [], "o.zip", "9") == (
        "AT0102",
        "zipCreate(): expected number, got string",
    )
    assert fails("zipCreateWithComment", [], "o.zip", 1.0) == (
        "AT0102",
        "zipCreateWithComment(): expected string, got number",
    )
    assert fails("zipList", None) == ("AT0102", "zipList(): expected string, got null")
    assert fails("zipAddFile", "a.zip", "f", 1.0) == (
        "AT0102",
        "zipAddFile(): expected string, got number",
    )
    assert fails("zipAddFile", "a.zip") == (
        "AT0102",
        "zipAddFile(): expected 2 to 4 argument(s), got 1",
    )


def test_archive_denials_name_the_path(tree: Path) -> None:
    source = str(tree / "src")
    assert fails("zipCreate", [source], str(tree / "o.zip")) == (
        "AT0300",
        f"Permission denied: read access to {source} (requires --allow-io)",
    )
    assert not (tree / "o.zip").exists()
    assert fails("tarExtract", "a.tar", "d") == (
        "AT0300",
        "Permission denied: read access to a.tar (requires --allow-io)",
    )
