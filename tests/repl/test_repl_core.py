"""The REPL's evaluation, commands and input splitting, without a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.config import JitConfig
from atlas.repl import Repl, history_file, indent_for, needs_more_input, with_statement_end


class Transcript:
    def __init__(self, jit: JitConfig | None = None) -> None:
        self.out, self.err = io.StringIO(), io.StringIO()
        self.repl = Repl(jit or JitConfig(enabled=False), self.out, self.err)

    def __call__(self, text: str) -> str:
        """Handle one input; what it wrote to stdout (stderr is in `.errors`)."""
        self.out.seek(0)
        self.out.truncate()
        self.err.seek(0)
        self.err.truncate()
        self.repl.handle(text)
        return self.out.getvalue()

    @property
    def errors(self) -> str:
        return self.err.getvalue()


# -- input splitting


@pytest.mark.parametrize(
    "text",
    [
        "fn f(x: number) -> number {",
        "let xs = [1,\n 2,",
        "print((1 + 2)",
        'let s = "open',
        '"escaped quote \\"',
        "/* comment",
        "let y = 1 +",
        "fn g() -> number",
        "if (true) { print(1); } else",
    ],
)
def test_unfinished_inputs_continue(text: str) -> None:
    assert needs_more_input(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1 + 2",
        "let x = 1;",
        "fn f(x: number) -> number {\n  return x;\n}",
        "print(1));",  # a stray closer: the parser reports it now
        "(]",
        "let = 5;",  # an error before the end: reported now
        '"}{"',  # brackets inside strings do not count
        "// {",
    ],
)
def test_finished_inputs_are_evaluated(text: str) -> None:
    assert not needs_more_input(text)


def test_a_lone_expression_may_leave_out_its_semicolon() -> None:
    assert with_statement_end("1 + 2") == "1 + 2;"
    assert with_statement_end("let x = 1;") == "let x = 1;"
    assert with_statement_end("let = ") == "let = "  # still an error: shown as typed


def test_indentation_follows_open_brackets() -> None:
    assert indent_for("fn f() {") == "    "
    assert indent_for("fn f() {\n  if (x) {") == "        "
    assert indent_for("f(1)") == ""


def test_history_file_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATLAS_HISTORY", str(tmp_path / "h"))
    assert history_file() == str(tmp_path / "h")
    monkeypatch.setenv("ATLAS_HISTORY", "")
    assert history_file() is None
    monkeypatch.delenv("ATLAS_HISTORY")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert history_file() == os.path.join(str(tmp_path), ".atlas_history")


# -- evaluation


def test_definitions_persist_across_inputs() -> None:
    repl = Transcript()
    assert repl("fn sq(x: number) -> number { return x * x; }") == ""
    assert repl("let base = 3;") == ""
    assert repl("sq(base) + 1") == "10\n"
    assert repl('print("hi"); [1, 2]') == "hi\n[1, 2]\n"


def test_values_use_the_display_format() -> None:
    repl = Transcript()
    assert repl("2.5 * 2") == "5\n"
    assert repl('"text"') == "text\n"
    assert repl("null") == ""
    assert repl("true && false") == "false\n"


def test_errors_are_diagnostics_and_the_repl_goes_on() -> None:
    repl = Transcript()
    assert repl("let n: number = 1;") == ""
    repl('let bad: number = "s";')
    assert "error[AT" in repl.errors and "Traceback" not in repl.errors
    repl("1 / 0;")
    assert "AT0005" in repl.errors
    repl("let = ;")
    assert "error[AT1" in repl.errors and "<input" in repl.errors
    assert repl("n + 1") == "2\n"
    assert repl.repl.failures == 3


def test_type_command_does_not_run_the_expression() -> None:
    repl = Transcript()
    repl("var calls = 0; fn tick() -> number { calls += 1; return calls; }")
    assert repl(":type tick") == "() -> number\n"
    assert repl(":type tick() + 1") == "number\n"
    assert repl(":type [1, 2]") == "number[]\n"
    assert repl("calls") == "0\n"


def test_type_command_errors() -> None:
    repl = Transcript()
    repl(":type")
    assert "usage: :type EXPR" in repl.errors
    repl(":type let x = 1;")
    assert ":type takes one expression" in repl.errors
    repl(":type nope + 1")
    assert "error[AT" in repl.errors
    assert repl("let x = 2; x") == "2\n"  # `:type let x = 1;` defined nothing


def test_disasm_shows_the_current_definition() -> None:
    repl = Transcript()
    repl("fn f(x: number) -> number { return x + 1; }")
    first = repl(":disasm f")
    assert first.startswith("fn f(x: number) -> number") and "ADD" in first
    repl("fn f(x: number) -> number { return x * 2; }")
    second = repl(":disasm f")
    assert "MUL" in second and "ADD" not in second
    repl(":disasm nothing")
    assert "no function named 'nothing'" in repl.errors


def test_jit_command_lists_compiled_functions() -> None:
    repl = Transcript(JitConfig(call_threshold=0))
    repl("fn inc(x: number) -> number { return x + 1; }")
    assert repl("inc(1)") == "2\n"
    stats = repl(":jit")
    assert "inc" in stats and "native" in stats


def test_jit_command_when_the_jit_is_off() -> None:
    assert "The JIT is off" in Transcript()(":jit")


def test_redefined_hot_function_in_the_repl() -> None:
    repl = Transcript(JitConfig(call_threshold=0))
    repl("fn f(x: number) -> number { return x + 1; }")
    assert [repl("f(1)") for _ in range(3)] == ["2\n"] * 3
    assert "native" in repl(":jit")
    repl("fn f(x: number) -> number { return x + 2; }")
    assert [repl("f(1)") for _ in range(3)] == ["3\n"] * 3


def test_help_quit_and_unknown_commands() -> None:
    repl = Transcript()
    for name in ("help", "type", "disasm", "jit", "quit"):
        assert f":{name}" in repl(":help")
    repl(":frobnicate")
    assert "unknown command ':frobnicate'" in repl.errors
    assert repl.repl.handle(":quit") is False
    assert repl.repl.handle(":q") is False
    assert repl.repl.handle("   ") is True


# -- `atlas repl` reading a stream


def atlas(*args: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, ATLAS_HISTORY=str(cwd / "history"))
    return subprocess.run(
        [sys.executable, "-m", "atlas", *args],
        input=stdin, capture_output=True, text=True, timeout=120, cwd=cwd, env=env,
    )  # fmt: skip


def test_piped_inputs_are_split_like_typed_ones(tmp_path: Path) -> None:
    session = "fn f(x: number) -> number {\n  return x * 2;\n}\nf(21)\n:type f\nlet s = \"a\nb\";\ns\n"
    proc = atlas("repl", stdin=session, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "42\n(number) -> number\na\nb\n"
    assert not (tmp_path / "history").exists()  # no terminal, no history


def test_piped_errors_give_status_1_and_quit_stops(tmp_path: Path) -> None:
    proc = atlas("repl", stdin="1/0;\n2 + 2\n:quit\nprint(99);\n", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == "4\n"
    assert "AT0005" in proc.stderr


def test_piped_input_ending_unfinished_is_reported(tmp_path: Path) -> None:
    proc = atlas("repl", stdin="fn f() {\n", cwd=tmp_path)
    assert proc.returncode == 1
    assert "error[AT1" in proc.stderr and "Traceback" not in proc.stderr


def test_atlas_alone_without_a_terminal_prints_usage(tmp_path: Path) -> None:
    proc = atlas(stdin="print(1);\n", cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage: atlas" in proc.stdout
