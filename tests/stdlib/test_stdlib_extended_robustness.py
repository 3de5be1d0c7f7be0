"""Bad input never crashes an EXTENDED builtin: whatever the arguments, a call returns
or raises AtlasRuntimeError, never another Python exception.

Calls are drawn from a fixed seed, without permissions (so nothing on disk changes);
the edge cases that once escaped as Python exceptions are listed explicitly.
"""

from __future__ import annotations

import contextlib
import math
import random

import pytest
from stdlib_support import FakeContext, allowed, call, fails

from atlas.stdlib import BUILTINS
from atlas.stdlib._extended import hashmap_of
from atlas.stdlib.datetime_lib import EPOCH, DateTime
from atlas.stdlib.regex_lib import compile_regex
from atlas.vm.errors import AtlasRuntimeError
from atlas.vm.values import NONE, Err, Function, HashMap, Json, Ok, Some


class Proto:
    name = "f"
    nparams = 1


VALUES = [
    1.0, -1.0, 0.0, -0.0, math.nan, math.inf, 1e300, 2.5, 255.0, 256.0,
    "", "a", "\0", "*", "%", "$1", "(?<", "\ud800", "%Y-%m-%d", "ü", "a.txt",
    [], [1.0], ["a"], [256.0], [31.0, 139.0], [None],
    None, True, Json({}), Json([]), Json({"env": {"A": "b"}}), HashMap(),
    hashmap_of({"days": 1.0, "hours": 1.0, "minutes": 1.0, "seconds": 1.0}),
    Some(1.0), NONE, Ok(1.0), Err("e"), compile_regex("(a)(?<n>b)?"), DateTime(EPOCH),
    Function(Proto()),
]  # fmt: skip
EXTENDED = sorted(name for name, b in BUILTINS.items() if b.tier == "extended")


@pytest.mark.parametrize("name", EXTENDED)
def test_random_arguments_never_crash(name: str) -> None:
    rng = random.Random(name)
    for _ in range(150):
        args = [rng.choice(VALUES) for _ in range(rng.randint(0, 4))]
        with contextlib.suppress(AtlasRuntimeError):
            call(name, *args, ctx=FakeContext())


def test_regex_sizes_beyond_the_engine_are_err() -> None:
    result = call("regexNew", "a{4294967296}")
    assert type(result) is Err
    assert result.value == "regex parse error: the repetition number is too large"
    assert type(call("regexNew", "(" * 5000 + ")" * 5000)) in (Ok, Err)


def test_text_the_os_cannot_hold_is_an_error_not_a_crash() -> None:
    assert fails("setEnv", "ATLAS_X\ud800", "v", ctx=allowed())[0] == "AT0001"
    assert call("unsetEnv", "ATLAS_X\ud800", ctx=allowed()) is None
    assert call("getEnv", "ATLAS_X\ud800", ctx=allowed()) is None
    assert fails("dateTimeFormat", DateTime(EPOCH), "\ud800%Y")[0] == "AT0001"
