"""The REPL on a real (pseudo-)terminal, through prompt_toolkit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .terminal import Terminal


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    """`atlas` with no command: on a terminal, that is the REPL."""
    terminal = Terminal(tmp_path)
    yield terminal
    terminal.close()


def test_definition_then_call_across_inputs(term: Terminal) -> None:
    term.enter("fn twice(x: number) -> number { return x * 2; }")
    term.enter("twice(21)")
    term.wait_line("42")


def test_multi_line_function(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "repl")
    try:
        term.enter("fn fact(n: number) -> number {", "if (n < 2) { return 1; }", "return n * fact(n - 1);", "}")
        term.enter("fact(10)")
        term.wait_line("3628800")
    finally:
        term.close()


def test_error_then_continuing(term: Terminal) -> None:
    term.enter('let n: number = "text";')
    term.wait(r"error\[AT\d+\]")
    term.enter("let m = 7;")
    term.enter("m / 0;")
    term.wait(r"error\[AT0005\]: Divide by zero")
    term.enter("m * 6")
    term.wait_line("42")
    assert "Traceback" not in term.screen


def test_type_command(term: Terminal) -> None:
    term.enter("fn half(x: number) -> number { return x / 2; }")
    term.enter(":type half")
    term.wait(r"\(number\) -> number")
    term.enter(':type [half(1), 2]')
    term.wait(r"number\[\]")


def test_disasm_command(term: Terminal) -> None:
    term.enter("fn inc(x: number) -> number { return x + 1; }")
    term.enter(":disasm inc")
    term.wait(r"fn inc\(x: number\) -> number")
    term.wait(r"ADD\s+r\d+, r0\(x\), K\(1\)")


def test_jit_command(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "repl", "--jit-threshold", "0")
    try:
        term.enter("fn sq(x: number) -> number { return x * x; }")
        term.enter("sq(12)")
        term.wait_line("144")
        term.enter(":jit")
        term.wait(r"JIT statistics")
        term.wait(r"sq\s.*native")
    finally:
        term.close()


def test_history_file_is_written(term: Terminal, tmp_path: Path) -> None:
    term.enter("let remembered = 1;")
    term.enter(":quit")
    assert term.exit_status() == 0
    history = (tmp_path / "history").read_text(encoding="utf-8")
    assert "+let remembered = 1;" in history
    assert "+:quit" in history


def test_ctrl_d_exits_with_status_0(term: Terminal) -> None:
    term.enter("1 + 1")
    term.wait_line("2")
    term.prompt()
    term.ctrl("d")
    assert term.exit_status() == 0


def test_ctrl_c_cancels_the_input_and_interrupts_a_running_one(term: Terminal) -> None:
    term.prompt()
    term.child.send("fn unfinished(")
    term.ctrl("c")
    term.wait(r"unfinished\([ \r]*\n")  # the cancelled input is left behind, unrun
    term.enter('print("spin" + "ning"); var i = 0; while (true) { i = i + 1; }')
    term.wait("spinning")
    term.ctrl("c")
    term.wait("interrupted")
    term.enter("40 + 2")
    term.wait_line("42")
