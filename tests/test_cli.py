"""The `atlas` command, run for real in subprocesses (reference 4.7, 6.1, 6.2, 8).

Every program is written to the test's own tmp_path and named relative to it, so the
diagnostics' `file` is exactly the path given on the command line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import atlas
from atlas.diagnostics import Diagnostic
from atlas.source import SourceFile, Span

ATLAS = [sys.executable, "-m", "atlas"]
RECORD_FIELDS = [
    "diag_version", "level", "code", "message", "file", "line", "column", "length",
    "snippet", "label",
]  # fmt: skip


def atlas_cmd(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [*ATLAS, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return name


def run(tmp_path: Path, text: str, *flags: str, name: str = "prog.atl") -> subprocess.CompletedProcess:
    return atlas_cmd(tmp_path, "run", *flags, write(tmp_path, name, text))


def json_records(stderr: str) -> list[dict]:
    lines = stderr.splitlines()
    assert lines, "no diagnostics"
    return [json.loads(line) for line in lines]


# ---------------------------------------------------------------- running programs


def test_run_success_prints_output_and_exits_0(tmp_path: Path) -> None:
    proc = run(tmp_path, 'print("hello");\nprint(1 + 2);\nprint(10 / 4);\n')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "hello\n3\n2.5\n"
    assert proc.stderr == ""


def test_syntax_error_exact_human_form(tmp_path: Path) -> None:
    proc = run(tmp_path, 'print("a");\nlet x = ;\n')
    assert proc.returncode == 1
    assert proc.stdout == ""  # nothing runs
    assert proc.stderr == (
        "error[AT1000]: Expected expression\n"
        "  --> prog.atl:2:9\n"
        "   |\n"
        " 2 | let x = ;\n"
        "   |         ^\n"
    )


def test_lexical_error_is_a_syntax_error(tmp_path: Path) -> None:
    proc = run(tmp_path, "let x = 1 @ 2;\n")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error[AT1001]: Unexpected character '@'\n  --> prog.atl:1:11\n")


def test_type_error_exact_human_form(tmp_path: Path) -> None:
    text = "\n" * 6 + 'let area: number = "wide";\nprint(area);\n'
    proc = run(tmp_path, text, name="shapes.atl")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        "error[AT3001]: Type mismatch: expected number, found string\n"
        "  --> shapes.atl:7:1\n"
        "   |\n"
        ' 7 | let area: number = "wide";\n'
        "   | " + "^" * len('let area: number = "wide";') + "\n"
    )


def test_runtime_error_keeps_earlier_output(tmp_path: Path) -> None:
    text = 'print("before");\nlet a = [1, 2, 3];\nprint(a[10]);\nprint("after");\n'
    proc = run(tmp_path, text)
    assert proc.returncode == 1
    assert proc.stdout == "before\n"
    assert proc.stderr == (
        "error[AT0006]: Array index out of bounds\n"
        "  --> prog.atl:3:7\n"
        "   |\n"
        " 3 | print(a[10]);\n"
        "   |       ^^^^^\n"
    )


def test_runtime_error_divide_by_zero_span_is_binary_expression(tmp_path: Path) -> None:
    proc = run(tmp_path, "let total = 10;\nlet n = 0;\nlet avg = total / n;\nprint(avg);\n")
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert lines[0] == "error[AT0005]: Divide by zero"
    assert lines[1] == "  --> prog.atl:3:11"
    assert lines[3] == " 3 | let avg = total / n;"
    assert lines[4] == "   |           " + "^" * len("total / n")


def test_diagnostics_are_plain_text_when_not_a_terminal(tmp_path: Path) -> None:
    proc = run(tmp_path, 'let x: number = "s";\nfn f(y: number) -> number { return 1; }\n')
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr
    assert "\x1b" not in proc.stdout


def test_file_is_shown_as_given_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, "sub/dir/prog.atl", "let x: number = true;\n")
    proc = atlas_cmd(tmp_path, "run", "sub/dir/prog.atl")
    assert proc.returncode == 1
    assert "  --> sub/dir/prog.atl:1:1\n" in proc.stderr
    assert str(tmp_path) not in proc.stderr


def test_multi_digit_line_numbers_keep_the_gutter_aligned(tmp_path: Path) -> None:
    proc = run(tmp_path, "\n" * 119 + "let x: number = true;\n")
    lines = proc.stderr.splitlines()
    assert lines[1] == "  --> prog.atl:120:1"
    assert lines[3].startswith("120 | let x")
    # the bar of the gutter lines up with the bar of the snippet line
    assert lines[2].index("|") == lines[3].index("|") == lines[4].index("|")


# ---------------------------------------------------------------- --json


def test_json_one_compact_record_per_line_in_field_order(tmp_path: Path) -> None:
    text = "let a = [1];\nprint(a[1 + 1]);\n"
    proc = run(tmp_path, text, "--json")
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert list(record) == RECORD_FIELDS
    assert record == {
        "diag_version": 1, "level": "error", "code": "AT0006",
        "message": "Array index out of bounds", "file": "prog.atl", "line": 2,
        "column": 7, "length": 8, "snippet": "print(a[1 + 1]);", "label": "",
    }  # fmt: skip


def test_json_errors_before_warnings(tmp_path: Path) -> None:
    text = (
        "fn f(unused: number) -> number {\n    return 1;\n}\n"
        'let x: number = "s";\nprint(f(1));\n'
    )
    proc = run(tmp_path, text, "--json")
    assert proc.returncode == 1
    records = json_records(proc.stderr)
    assert [(r["level"], r["code"]) for r in records] == [
        ("error", "AT3001"),
        ("warning", "AT2001"),
    ]
    for record in records:
        assert list(record)[: len(RECORD_FIELDS)] == RECORD_FIELDS
        assert set(record) <= {*RECORD_FIELDS, "notes", "related", "help"}
    warning = records[1]
    assert (warning["line"], warning["column"], warning["length"]) == (1, 6, 6)
    assert warning["message"] == "Unused parameter 'unused'"


def test_json_warnings_of_a_successful_run(tmp_path: Path) -> None:
    proc = run(tmp_path, "fn f() -> number {\n    let u = 1;\n    return 2;\n}\nprint(f());\n", "--json")
    assert proc.returncode == 0
    assert proc.stdout == "2\n"
    (record,) = json_records(proc.stderr)
    assert record["level"] == "warning"
    assert record["code"] == "AT2001"
    assert record["message"] == "Unused variable 'u'"


def test_json_for_check(tmp_path: Path) -> None:
    write(tmp_path, "prog.atl", "let x: number = true;\n")
    proc = atlas_cmd(tmp_path, "check", "--json", "prog.atl")
    assert proc.returncode == 1
    (record,) = json_records(proc.stderr)
    assert record["code"] == "AT3001"
    assert record["file"] == "prog.atl"


# ---------------------------------------------------------------- warnings, order, result


def test_warnings_do_not_stop_the_run(tmp_path: Path) -> None:
    text = (
        "fn f(x: number, y: number) -> number {\n"
        "    let unused = 1;\n"
        "    return x;\n"
        '    print("dead");\n'
        "}\n"
        "print(f(1, 2));\n"
        'print("done");\n'
    )
    proc = run(tmp_path, text)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "1\ndone\n"
    heads = [line for line in proc.stderr.splitlines() if line.startswith("warning[")]
    assert sorted(heads) == [
        "warning[AT2001]: Unused parameter 'y'",
        "warning[AT2001]: Unused variable 'unused'",
        "warning[AT2002]: Unreachable code",
    ]
    assert "error" not in proc.stderr


def test_each_diagnostic_is_reported_once(tmp_path: Path) -> None:
    text = 'fn f(y: number) -> number { let unused = 1; return 2; }\nlet x: number = "a";\n'
    proc = run(tmp_path, text)
    assert proc.returncode == 1
    heads = [line for line in proc.stderr.splitlines() if "[AT" in line]
    assert heads == [
        "error[AT3001]: Type mismatch: expected number, found string",
        "warning[AT2001]: Unused parameter 'y'",
        "warning[AT2001]: Unused variable 'unused'",
    ]


def test_errors_before_warnings_separated_by_blank_lines(tmp_path: Path) -> None:
    text = "fn f() -> number {\n    let u = 1;\n    return 2;\n}\nlet x: number = true;\n"
    proc = run(tmp_path, text)
    assert proc.returncode == 1
    blocks = proc.stderr.rstrip("\n").split("\n\n")
    assert len(blocks) == 2
    assert blocks[0].startswith("error[AT3001]: ")
    assert blocks[1].startswith("warning[AT2001]: Unused variable 'u'\n  --> prog.atl:2:9\n")


def test_non_null_result_is_printed_after_all_output(tmp_path: Path) -> None:
    proc = run(tmp_path, 'print("a");\nprint("b");\n6 * 7;\n')
    assert proc.returncode == 0
    assert proc.stdout == "a\nb\n42\n"


def test_null_or_statement_result_prints_nothing(tmp_path: Path) -> None:
    assert run(tmp_path, 'print("x");\n').stdout == "x\n"
    assert run(tmp_path, "let x = 5;\n", name="b.atl").stdout == ""
    assert run(tmp_path, "null;\n", name="c.atl").stdout == ""


def test_result_uses_the_display_format(tmp_path: Path) -> None:
    proc = run(tmp_path, '["a", "b"];\n')
    assert proc.stdout == "[a, b]\n"
    assert run(tmp_path, "Some(0.1 + 0.2);\n", name="s.atl").stdout == "Some(0.30000000000000004)\n"


@pytest.mark.parametrize("flag", ["--no-jit"])
def test_no_jit_flag_is_accepted(tmp_path: Path, flag: str) -> None:
    proc = run(tmp_path, "fn sq(x: number) -> number { return x * x; }\nprint(sq(12));\n", flag)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "144\n"


# ---------------------------------------------------------------- atlas check


def test_check_does_not_execute(tmp_path: Path) -> None:
    write(tmp_path, "prog.atl", 'print("side effect");\nlet a = [1];\nprint(a[5]);\n')
    proc = atlas_cmd(tmp_path, "check", "prog.atl")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == ""


def test_check_reports_type_errors(tmp_path: Path) -> None:
    write(tmp_path, "prog.atl", 'print("x");\nlet n: number = "s";\n')
    proc = atlas_cmd(tmp_path, "check", "prog.atl")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("error[AT3001]: Type mismatch: expected number, found string\n")


def test_check_reports_syntax_errors_and_warnings(tmp_path: Path) -> None:
    write(tmp_path, "bad.atl", "fn f( {\n")
    assert atlas_cmd(tmp_path, "check", "bad.atl").returncode == 1
    write(tmp_path, "warn.atl", "fn f() -> number {\n    let u = 1;\n    return 1;\n}\n")
    proc = atlas_cmd(tmp_path, "check", "warn.atl")
    assert proc.returncode == 0
    assert proc.stderr.startswith("warning[AT2001]: Unused variable 'u'\n")


# ---------------------------------------------------------------- atlas disasm

DISASM_PROGRAM = """\
fn add(a: number, b: number) -> number {
    return a + b;
}
fn twice(f: (number) -> number, x: number) -> number {
    return f(f(x));
}
fn inc(x: number) -> number {
    return add(x, 1);
}
print(twice(inc, 3));
"""


def test_disasm_lists_every_function(tmp_path: Path) -> None:
    write(tmp_path, "prog.atl", DISASM_PROGRAM)
    proc = atlas_cmd(tmp_path, "disasm", "prog.atl")
    assert proc.returncode == 0, proc.stderr
    headers = [line.split("(")[0] for line in proc.stdout.splitlines() if line.startswith("fn ")]
    assert sorted(headers) == ["fn <main>", "fn add", "fn inc", "fn twice"]
    assert "RETURN" in proc.stdout
    assert "CALLG" in proc.stdout


def test_disasm_one_function(tmp_path: Path) -> None:
    write(tmp_path, "prog.atl", DISASM_PROGRAM)
    proc = atlas_cmd(tmp_path, "disasm", "--fn", "add", "prog.atl")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("fn add(a: number, b: number) -> number")
    assert [line for line in lines if line.startswith("fn ")] == [lines[0]]
    assert any(" ADD " in line and "r0(a)" in line and "r1(b)" in line for line in lines)


def test_disasm_unknown_function_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "prog.atl", DISASM_PROGRAM)
    proc = atlas_cmd(tmp_path, "disasm", "--fn", "nosuch", "prog.atl")
    assert proc.returncode == 1
    assert "nosuch" in proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr


def test_disasm_of_a_bad_program_reports_diagnostics(tmp_path: Path) -> None:
    write(tmp_path, "prog.atl", "let x: number = true;\n")
    proc = atlas_cmd(tmp_path, "disasm", "prog.atl")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error[AT3001]")


# ---------------------------------------------------------------- modules


def test_multi_file_program(tmp_path: Path) -> None:
    write(tmp_path, "app/lib/geometry.atl", (
        'print("geometry loaded");\n'
        "export let UNIT: number = 1;\n"
        "fn helper() -> number { return 2; }\n"
        "export fn square(side: number) -> number { return side * side * UNIT * helper() / 2; }\n"
    ))  # fmt: skip
    write(tmp_path, "app/util.atl", (
        'import { square } from "./lib/geometry";\n'
        "export fn area_sum(a: number, b: number) -> number { return square(a) + square(b); }\n"
    ))  # fmt: skip
    write(tmp_path, "app/main.atl", (
        'import { square, UNIT } from "./lib/geometry";\n'
        'import { area_sum } from "./util";\n'
        "print(square(3));\nprint(area_sum(1, 2) + UNIT);\n"
    ))  # fmt: skip
    proc = atlas_cmd(tmp_path, "run", "app/main.atl")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "geometry loaded\n9\n6\n"  # the shared module runs once


def test_module_errors_name_the_module_file(tmp_path: Path) -> None:
    write(tmp_path, "app/lib/m.atl", "export fn boom(x: number) -> number {\n    return x / 0;\n}\n")
    write(tmp_path, "app/main.atl", 'import { boom } from "./lib/m";\nprint("start");\nprint(boom(1));\n')
    proc = atlas_cmd(tmp_path, "run", "app/main.atl")
    assert proc.returncode == 1
    assert proc.stdout == "start\n"
    assert proc.stderr.splitlines()[:2] == [
        "error[AT0005]: Divide by zero",
        "  --> app/lib/m.atl:2:12",
    ]


def test_unknown_export_is_reported_before_anything_runs(tmp_path: Path) -> None:
    write(tmp_path, "math.atl", 'print("math ran");\nexport fn add(a: number, b: number) -> number { return a + b; }\n')
    write(tmp_path, "main.atl", 'import { subtract } from "./math";\nprint(subtract(1, 2));\n')
    proc = atlas_cmd(tmp_path, "run", "main.atl")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("error[AT5004]: 'subtract' is not exported from module\n")


def test_import_cycle(tmp_path: Path) -> None:
    write(tmp_path, "a.atl", 'import { b } from "./b";\nexport fn a() -> number { return 1; }\n')
    write(tmp_path, "b.atl", 'import { a } from "./a";\nexport fn b() -> number { return 2; }\n')
    write(tmp_path, "main.atl", 'import { a } from "./a";\nprint(a());\n')
    proc = atlas_cmd(tmp_path, "run", "main.atl")
    assert proc.returncode == 1
    assert "error[AT5003]: Circular dependency detected" in proc.stderr


def test_missing_and_invalid_module_paths(tmp_path: Path) -> None:
    write(tmp_path, "main.atl", 'import { x } from "./nowhere";\n')
    proc = atlas_cmd(tmp_path, "run", "main.atl")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error[AT5002]: Module not found: './nowhere'\n  --> main.atl:1:1\n")
    write(tmp_path, "main2.atl", 'import { x } from "std/io";\n')
    proc = atlas_cmd(tmp_path, "run", "main2.atl")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error[AT5001]: Invalid module path: 'std/io'.")


# ---------------------------------------------------------------- usage and bad input


def test_version(tmp_path: Path) -> None:
    proc = atlas_cmd(tmp_path, "--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"atlas {atlas.__version__}"


def test_no_command_prints_usage_and_exits_2(tmp_path: Path) -> None:
    proc = atlas_cmd(tmp_path)
    assert proc.returncode == 2
    assert "usage: atlas" in proc.stdout + proc.stderr


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert atlas_cmd(tmp_path, "run").returncode == 2
    assert atlas_cmd(tmp_path, "frobnicate", "x.atl").returncode == 2


def test_missing_file_is_a_clean_diagnostic(tmp_path: Path) -> None:
    proc = atlas_cmd(tmp_path, "run", "does_not_exist.atl")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error[AT5002]: ")
    assert "  --> does_not_exist.atl" in proc.stderr
    assert str(tmp_path) not in proc.stderr  # no absolute machine path
    records = json_records(atlas_cmd(tmp_path, "run", "--json", "does_not_exist.atl").stderr)
    assert records[0]["code"] == "AT5002"
    assert records[0]["file"] == "does_not_exist.atl"
    assert atlas_cmd(tmp_path, "check", "does_not_exist.atl").returncode == 1
    assert atlas_cmd(tmp_path, "disasm", "does_not_exist.atl").returncode == 1


def test_directory_is_a_clean_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "somedir.atl").mkdir()
    proc = atlas_cmd(tmp_path, "run", "somedir.atl")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error[AT5002]: ")


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x00garbage", b'print("ok");\n\xc3\x28\n', bytes(range(256))],
    ids=["binary", "invalid-utf8", "all-bytes"],
)
def test_binary_or_invalid_utf8_file_is_a_clean_diagnostic(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "bin.atl").write_bytes(data)
    proc = atlas_cmd(tmp_path, "run", "bin.atl")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.startswith("error[AT5002]: Failed to read module file: ")
    assert "  --> bin.atl" in proc.stderr


def test_invalid_utf8_imported_module(tmp_path: Path) -> None:
    (tmp_path / "lib.atl").write_bytes(b"export let x = 1;\xff\n")
    write(tmp_path, "main.atl", 'import { x } from "./lib";\nprint(x);\n')
    proc = atlas_cmd(tmp_path, "run", "main.atl")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "error[AT5002]" in proc.stderr
    assert "lib.atl" in proc.stderr


def test_empty_file_runs(tmp_path: Path) -> None:
    proc = run(tmp_path, "")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


# ---------------------------------------------------------------- signals and pipes


def _default_sigint() -> None:  # pragma: no cover - runs in the child before exec
    # A child inherits an ignored SIGINT (e.g. from a background job); a terminal's
    # Ctrl-C reaches a process whose SIGINT is at its default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_interrupt_exits_130(tmp_path: Path) -> None:
    write(tmp_path, "loop.atl", 'print("started");\nvar i = 0;\nwhile (true) {\n    i = i + 1;\n}\n')
    proc = subprocess.Popen(
        [*ATLAS, "run", "loop.atl"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        preexec_fn=_default_sigint,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "started\n"  # the program is in its loop
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=5)  # generous: the loop stops at once
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130
    assert "interrupted" in err
    assert "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    write(tmp_path, "many.atl", 'for (var i = 0; i < 200000; i++) {\n    print("line " + str(i));\n}\n')
    proc = subprocess.Popen(
        [*ATLAS, "run", "many.atl"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=60)
    assert first == b"line 0\n"
    assert "Traceback" not in err
    assert "Exception" not in err
    assert proc.returncode == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
def test_pipe_into_head_through_a_shell(tmp_path: Path) -> None:
    write(tmp_path, "many.atl", 'for (var i = 0; i < 100000; i++) {\n    print(i);\n}\n')
    command = f"'{sys.executable}' -m atlas run many.atl 2>err.txt | head -1"
    proc = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.stdout == "0\n"
    assert "Traceback" not in (tmp_path / "err.txt").read_text()


# ---------------------------------------------------------------- the renderer itself


def test_render_with_label_notes_and_help() -> None:
    source = SourceFile("shapes.atl", "\n" * 6 + 'let area: number = "wide";\n')
    start = source.text.index("let")
    diag = Diagnostic(
        "error", "AT3001", "Type mismatch: expected number, found string", "type", source,
        Span(start, start + 26), label="expected number, found string",
        notes=["declared here"], help="use a number",
    )  # fmt: skip
    assert diag.render() == (
        "error[AT3001]: Type mismatch: expected number, found string\n"
        "  --> shapes.atl:7:1\n"
        "   |\n"
        ' 7 | let area: number = "wide";\n'
        "   | ^^^^^^^^^^^^^^^^^^^^^^^^^^ expected number, found string\n"
        "   = note: declared here\n"
        "   = help: use a number"
    )
    record = json.loads(diag.to_json())
    assert list(record) == [*RECORD_FIELDS, "notes", "help"]
    assert record["label"] == "expected number, found string"
    assert record["notes"] == ["declared here"]


def test_render_warning_and_column() -> None:
    source = SourceFile("w.atl", "fn f() {\n    let unused = 1;\n}\n")
    start = source.text.index("unused")
    diag = Diagnostic("warning", "AT2001", "Unused variable 'unused'", "warning", source, Span(start, start + 6))
    assert diag.render().splitlines() == [
        "warning[AT2001]: Unused variable 'unused'",
        "  --> w.atl:2:9",
        "   |",
        " 2 |     let unused = 1;",
        "   |         ^^^^^^",
    ]
    record = diag.to_record()
    assert "notes" not in record and "help" not in record and "related" not in record


def test_render_windows_a_very_long_line() -> None:
    text = "x" * 5000 + " let y = ; " + "z" * 5000
    source = SourceFile("long.atl", text)
    start = text.index("let")
    lines = Diagnostic("error", "AT1000", "Expected expression", "syntax", source, Span(start, start + 3)).render().splitlines()
    assert lines[1] == f"  --> long.atl:1:{start + 1}"
    shown, carets = lines[3], lines[4]
    assert len(shown) < 300 and "let y = ;" in shown and "..." in shown
    assert carets.index("^") == shown.index("let y")  # the carets still point at the span
    assert carets.count("^") == 3
    record = json.loads(Diagnostic("error", "AT1000", "m", "syntax", source, Span(start, start + 3)).to_json())
    assert record["snippet"] == text  # the JSON record keeps the whole line


def test_long_line_through_the_cli(tmp_path: Path) -> None:
    proc = run(tmp_path, "let a = 1; " * 20_000 + "let b = ;\n")
    assert proc.returncode == 1
    assert len(proc.stderr) < 2_000
    assert proc.stderr.startswith("error[AT1000]: Expected expression\n  --> prog.atl:1:")
