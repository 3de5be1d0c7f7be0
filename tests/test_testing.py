"""`atlas test` (atlas/testing.py): discovery, isolation, reports, summary, exit status.

Most cases call `atlas.cli.main` in-process from the test's tmp_path; one runs the real
command in a subprocess.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.cli import main
from atlas.testing import discover, is_test_file

PASSING = """\
fn add(a: number, b: number) -> number { return a + b; }

fn test_add() {
    assertEqual(add(1, 2), 3);
}

fn testStrings() {
    assert(startsWith("atlas", "at"), "prefix");
}
"""

MIXED = """\
var counter = 0;

fn test_counts_once() {
    counter += 1;
    assertEqual(counter, 1);
}

fn test_fails() {
    print("looking at 2 + 2");
    assertEqual(2 + 2, 5);
}

fn test_crashes() {
    let xs = [1, 2];
    print(str(xs[9]));
}

fn test_after_failures() {
    counter += 1;
    assertEqual(counter, 1);
}

fn helper() { }
fn test_with_parameter(x: number) { print(str(x)); }
"""

SUMMARY = re.compile(r"^(.*) in \d+\.\d\ds$")


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def atlas_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        status = main(["test", "--no-jit", *args])
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    return status, out, err


def summary(out: str) -> str:
    match = SUMMARY.match(out.splitlines()[-1])
    assert match, out
    return match.group(1)


def test_all_passing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "math_test.atl", PASSING)
    status, out, err = atlas_test(tmp_path, capsys, "math_test.atl")
    assert status == 0
    assert err == ""
    assert out.splitlines()[:2] == [
        "PASS  test_add (math_test.atl:3)",
        "PASS  testStrings (math_test.atl:7)",
    ]
    assert summary(out) == "2 passed"


def test_failures_are_reported_and_do_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "mixed_test.atl", MIXED)
    status, out, _ = atlas_test(tmp_path, capsys, "mixed_test.atl")
    assert status == 1
    lines = out.splitlines()
    assert [line for line in lines if line.startswith(("PASS", "FAIL"))] == [
        "PASS  test_counts_once (mixed_test.atl:3)",
        "FAIL  test_fails (mixed_test.atl:8)",
        "FAIL  test_crashes (mixed_test.atl:13)",
        "PASS  test_after_failures (mixed_test.atl:18)",
    ]
    assert summary(out) == "2 passed, 2 failed"
    # the failure's diagnostic: code, assertion message, position and source line
    assert "      error[AT0001]: Type error: Assertion failed: values not equal" in lines
    assert "        Actual:   4" in lines
    assert "        Expected: 5" in lines
    assert "        --> mixed_test.atl:10:5" in lines
    assert "      error[AT0006]: Array index out of bounds" in lines
    # output is shown for the failing test that printed it, and only there
    assert out.count("looking at 2 + 2") == 1
    assert "      captured output:\n        looking at 2 + 2\n" in out


def test_each_test_gets_a_fresh_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # both tests increment the same global and expect 1: they only pass in isolation
    write(tmp_path, "state_test.atl", MIXED)
    _, out, _ = atlas_test(tmp_path, capsys, "state_test.atl")
    assert "PASS  test_after_failures (state_test.atl:18)" in out


def test_directories_are_searched_for_test_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "suite/a_test.atl", PASSING)
    write(tmp_path, "suite/nested/test_b.atl", 'fn test_one() { assert(true, "ok"); }\n')
    write(tmp_path, "suite/helpers.atl", 'fn test_not_collected() { assert(false, "no"); }\n')
    write(tmp_path, "suite/.hidden/x_test.atl", 'fn test_hidden() { assert(false, "no"); }\n')
    status, out, _ = atlas_test(tmp_path, capsys, "suite")
    assert status == 0
    names = [line.split()[1] for line in out.splitlines() if line.startswith("PASS")]
    assert names == ["test_add", "testStrings", "test_one"]
    assert os.path.join("suite", "nested", "test_b.atl") + ":1" in out
    assert summary(out) == "3 passed"


def test_several_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "one_test.atl", PASSING)
    write(tmp_path, "two.atl", "fn test_x() { assertEqual(1, 1); }\n")  # named explicitly
    status, out, _ = atlas_test(tmp_path, capsys, "one_test.atl", "two.atl")
    assert status == 0
    assert summary(out) == "3 passed"


def test_a_file_that_does_not_check_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "bad_test.atl", 'fn test_bad() { let x: number = "s"; }\n')
    write(tmp_path, "good_test.atl", PASSING)
    status, out, _ = atlas_test(tmp_path, capsys, ".")
    assert status == 1
    assert "ERROR bad_test.atl: could not be loaded" in out
    assert "error[AT3001]: Type mismatch: expected number, found string" in out
    assert summary(out) == "2 passed, 1 error"


def test_nothing_to_run_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "lib.atl", "fn helper() { }\n")
    write(tmp_path, "empty_test.atl", "fn helper(x: number) -> number { return x; }\n")
    status, out, err = atlas_test(tmp_path, capsys, ".")
    assert status == 2
    assert out == ""
    assert err.startswith("error: no tests found")
    status, _, err = atlas_test(tmp_path, capsys, "missing_dir")
    assert status == 2
    assert err == "error: no such file or directory: missing_dir\n"


def test_permissions_apply_to_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tmp_path,
        "io_test.atl",
        'fn test_write() { writeFile("out.txt", "x"); assertEqual(readFile("out.txt"), "x"); }\n',
    )
    status, out, _ = atlas_test(tmp_path, capsys, "io_test.atl")
    assert status == 1
    assert "error[AT0300]: Permission denied: write access to out.txt (requires --allow-io)" in out
    assert not (tmp_path / "out.txt").exists()
    status, out, _ = atlas_test(tmp_path, capsys, "--allow-io", "io_test.atl")
    assert status == 0, out


def test_assert_throws_in_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = """\
fn boom() { let xs = [1]; print(str(xs[3])); }
fn fine() { }
fn test_throws() { assertThrows(boom); }
fn test_no_throw() { assertNoThrow(fine); }
fn test_wrong() { assertThrows(fine); }
"""
    write(tmp_path, "throws_test.atl", source)
    status, out, _ = atlas_test(tmp_path, capsys, "throws_test.atl")
    assert status == 1
    assert summary(out) == "2 passed, 1 failed"
    assert "assertThrows: expected function to throw, but it returned successfully" in out


def test_discovery_rules(tmp_path: Path) -> None:
    assert is_test_file("math_test.atl")
    assert is_test_file("test_math.atl")
    assert not is_test_file("math.atl")
    assert not is_test_file("test_math.txt")
    assert not is_test_file("contest.atl")
    with pytest.raises(FileNotFoundError):
        discover(str(tmp_path / "nothing"))


def test_the_real_command_with_the_jit(tmp_path: Path) -> None:
    write(tmp_path, "hot_test.atl", """\
fn sum(n: number) -> number {
    var total = 0;
    for (var i = 0; i < n; i++) { total += i; }
    return total;
}
fn test_hot() { assertEqual(sum(5000), 12497500); }
fn test_cold() { assertEqual(sum(3), 4); }
""")  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "atlas", "test", "--jit-loop-threshold", "100", "hot_test.atl"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1, done.stderr
    assert "PASS  test_hot (hot_test.atl:6)" in done.stdout
    assert "FAIL  test_cold (hot_test.atl:7)" in done.stdout
    assert summary(done.stdout) == "1 passed, 1 failed"
