"""The EXTENDED tier holds exactly the functions of reference 7.10 (counts of 7.12),
the checker knows them as untyped builtins, and the gated ones deny by default."""

from __future__ import annotations

import pytest
from stdlib_support import FakeContext, call

from atlas.check.prelude import TYPED_SIGNATURES, builtin_symbol
from atlas.check.types import UNKNOWN
from atlas.stdlib import BUILTINS
from atlas.vm.errors import AtlasRuntimeError

NAMED = {
    "files": "readFile writeFile appendFile fileExists readDir createDir removeFile removeDir "
    "fileInfo pathJoin",
    "paths": "pathJoinArray pathParse pathNormalize pathAbsolute pathRelative pathParent "
    "pathDirname pathBasename pathExtension pathIsAbsolute pathIsRelative pathExists "
    "pathCanonical pathEquals pathHomedir pathCwd pathTempdir pathSeparator pathDelimiter "
    "pathExtSeparator pathDrive pathToPlatform pathToPosix pathToWindows",
    "fs": "fsMkdir fsMkdirp fsRmdir fsRmdirRecursive fsReaddir fsWalk fsFilterEntries "
    "fsSortEntries fsSize fsMtime fsCtime fsAtime fsPermissions fsInode fsIsDir fsIsFile "
    "fsIsSymlink fsTmpfile fsTmpdir fsTmpfileNamed fsGetTempDir fsSymlink fsReadlink "
    "fsResolveSymlink",
    "process": "exec shell getEnv setEnv unsetEnv listEnv getCwd getPid",
    "regex": "regexNew regexNewWithFlags regexEscape regexIsMatch regexTest regexFind "
    "regexFindAll regexCaptures regexCapturesNamed regexReplace regexReplaceAll regexSplit "
    "regexSplitN regexMatchIndices",
    "datetime": "dateTimeNow dateTimeUtc dateTimeFromTimestamp dateTimeFromComponents "
    "dateTimeParseIso dateTimeParseRfc3339 dateTimeParseRfc2822 dateTimeParse dateTimeTryParse "
    "dateTimeYear dateTimeMonth dateTimeDay dateTimeHour dateTimeMinute dateTimeSecond "
    "dateTimeWeekday dateTimeDayOfYear dateTimeAddSeconds dateTimeAddMinutes dateTimeAddHours "
    "dateTimeAddDays dateTimeDiff dateTimeCompare dateTimeToTimestamp dateTimeToIso "
    "dateTimeToRfc3339 dateTimeToRfc2822 dateTimeFormat dateTimeToCustom dateTimeToUtc "
    "dateTimeToLocal dateTimeToTimezone dateTimeInTimezone dateTimeGetTimezone "
    "dateTimeGetOffset durationFromSeconds durationFromMinutes durationFromHours "
    "durationFromDays durationFormat",
    "compression": "gzipCompress gzipDecompress gzipDecompressString gzipIsGzip "
    "gzipCompressionRatio tarCreate tarCreateGz tarExtract tarExtractGz tarList tarContains "
    "zipCreate zipCreateWithComment zipExtract zipExtractFiles zipList zipContains zipValidate "
    "zipCompressionRatio zipAddFile zipComment",
    "reflection": "reflect_typeof reflect_is_callable reflect_is_primitive reflect_same_type "
    "reflect_get_length reflect_is_empty reflect_type_describe reflect_clone "
    "reflect_value_to_string reflect_deep_equals reflect_get_function_name "
    "reflect_get_function_arity",
}
COUNTS = {
    "files": 10, "paths": 24, "fs": 24, "process": 8, "regex": 14, "datetime": 40,
    "compression": 21, "reflection": 12,
}  # fmt: skip
INTRINSICS = {"regexReplaceWith", "regexReplaceAllWith"}
EXTENDED = {name: b for name, b in BUILTINS.items() if b.tier == "extended"}


def test_group_sizes_match_reference_counts() -> None:
    assert {group: len(names.split()) for group, names in NAMED.items()} == COUNTS
    assert sum(COUNTS.values()) == 153


def test_extended_tier_is_exactly_the_reference_list() -> None:
    named = {name for names in NAMED.values() for name in names.split()}
    assert set(EXTENDED) == named | INTRINSICS
    assert len(EXTENDED) == 155


def test_extended_builtins_are_untyped_for_the_checker() -> None:
    for name in EXTENDED:
        assert name not in TYPED_SIGNATURES
        assert builtin_symbol(name).ty == UNKNOWN


# One call with well-formed arguments per gated function: every function that reads or
# changes the disk, the environment or other processes. Each is denied without
# permission, before it does anything.
GATED_CALLS = {
    "readFile": ("f",), "writeFile": ("f", "x"), "appendFile": ("f", "x"), "fileExists": ("f",),
    "readDir": ("d",), "createDir": ("d",), "removeFile": ("f",), "removeDir": ("d",),
    "fileInfo": ("f",), "pathExists": ("f",), "pathCanonical": ("f",), "fsMkdir": ("d",),
    "fsMkdirp": ("d",), "fsRmdir": ("d",), "fsRmdirRecursive": ("d",), "fsReaddir": ("d",),
    "fsWalk": ("d",), "fsSize": ("f",), "fsMtime": ("f",), "fsCtime": ("f",), "fsAtime": ("f",),
    "fsPermissions": ("f",), "fsInode": ("f",), "fsIsDir": ("f",), "fsIsFile": ("f",),
    "fsIsSymlink": ("f",), "fsTmpfile": (), "fsTmpdir": (), "fsTmpfileNamed": ("p",),
    "fsSymlink": ("t", "l"), "fsReadlink": ("l",), "fsResolveSymlink": ("l",),
    "exec": (["true"],), "shell": ("true",), "getEnv": ("HOME",), "setEnv": ("X", "1"),
    "unsetEnv": ("X",), "listEnv": (), "tarCreate": (["a"], "o.tar"),
    "tarCreateGz": (["a"], "o.tgz"), "tarExtract": ("a.tar", "d"), "tarExtractGz": ("a.tgz", "d"),
    "tarList": ("a.tar",), "tarContains": ("a.tar", "x"), "zipCreate": (["a"], "o.zip"),
    "zipCreateWithComment": (["a"], "o.zip", "c"), "zipExtract": ("a.zip", "d"),
    "zipExtractFiles": ("a.zip", "d", ["x"]), "zipList": ("a.zip",),
    "zipContains": ("a.zip", "x"), "zipValidate": ("a.zip",), "zipCompressionRatio": ("a.zip",),
    "zipAddFile": ("a.zip", "f"), "zipComment": ("a.zip",),
}  # fmt: skip
EXPECTED_CODE = {"exec": "AT0302", "shell": "AT0302", "getEnv": "AT0303", "setEnv": "AT0303",
                 "unsetEnv": "AT0303", "listEnv": "AT0303"}  # fmt: skip


def test_context_takers_are_the_gated_functions_and_the_intrinsics() -> None:
    with_ctx = {name for name, b in EXTENDED.items() if b.needs_ctx}
    assert with_ctx == set(GATED_CALLS) | INTRINSICS


@pytest.mark.parametrize("name", sorted(GATED_CALLS))
def test_gated_functions_are_denied_by_default(name: str) -> None:
    with pytest.raises(AtlasRuntimeError) as info:
        call(name, *GATED_CALLS[name], ctx=FakeContext())
    code = EXPECTED_CODE.get(name, "AT0300")
    assert info.value.code == code
    assert info.value.message.startswith("Permission denied: ")
    flag = "--allow-process" if code == "AT0302" else "--allow-io"
    assert info.value.message.endswith(f"(requires {flag})")


def test_arity_errors_follow_the_conventions() -> None:
    with pytest.raises(AtlasRuntimeError) as info:
        call("readFile")
    assert (info.value.code, info.value.message) == (
        "AT0102",
        "readFile(): expected 1 argument(s), got 0",
    )
    with pytest.raises(AtlasRuntimeError) as info:
        call("pathJoin")
    assert info.value.message == "pathJoin(): expected at least 1 argument(s), got 0"
    with pytest.raises(AtlasRuntimeError) as info:
        call("exec")
    assert info.value.message == "exec(): expected 1 to 2 argument(s), got 0"
