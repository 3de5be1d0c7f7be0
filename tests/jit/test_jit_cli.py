"""The JIT's user surface on the command line: flags, environment, stats, config."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from atlas.cli import main
from atlas.config import SETTINGS

HOT = """
fn sq(x: number) -> number { return x * x; }
var total = 0;
for (var i = 0; i < 50; i++) { total = total + sq(i); }
print(total);
"""


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exit_:  # argparse
            status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def program(tmp_path: Path) -> Path:
    path = tmp_path / "hot.atl"
    path.write_text(HOT, encoding="utf-8")
    return path


def test_run_help_lists_every_setting_with_its_default_and_environment_variable() -> None:
    _, out, _ = run_cli("run", "--help")
    flat = " ".join(out.split())
    for f in SETTINGS:
        assert f.metadata["flag"] in flat
        assert f.metadata["env"] in flat
        if not isinstance(f.default, bool):
            assert f"(default {f.default:,})" in flat


def test_stats_table_goes_to_stderr(program: Path) -> None:
    status, out, err = run_cli("run", "--jit-threshold", "5", "--jit-loop-threshold", "10", "--jit-stats", str(program))
    assert status == 0 and out == "40425\n"
    assert "JIT statistics (call threshold 5, loop threshold 10" in err
    assert "sq" in err and "native" in err
    assert "code-cache bytes held" in err


def test_stats_json_has_the_documented_shape(program: Path, tmp_path: Path) -> None:
    target = tmp_path / "stats.json"
    status, _, _ = run_cli("run", "--jit-threshold", "0", "--jit-stats-json", str(target), str(program))
    assert status == 0
    stats = json.loads(target.read_text(encoding="utf-8"))
    (fn,) = stats["functions"]
    assert {"name", "line", "calls", "tier", "compile_ms", "code_bytes", "fallback_reason"} <= set(fn)
    assert fn["name"] == "sq" and fn["tier"] == "native" and fn["code_bytes"] > 0
    for loop in stats["loops"]:
        assert {"function", "line", "entries", "tier", "code_bytes", "fallback_reason"} <= set(loop)
        assert loop["tier"] in ("vm", "native", "fallback")
    totals = stats["totals"]
    for key in ("compilations", "native_calls", "fallbacks", "code_bytes", "code_bytes_held",
                "cache_limit_bytes", "evictions"):  # fmt: skip
        assert isinstance(totals[key], int)
    assert totals["code_bytes_held"] <= totals["cache_limit_bytes"]


def test_no_jit_runs_in_the_vm(program: Path) -> None:
    status, out, err = run_cli("run", "--no-jit", "--jit-stats", str(program))
    assert (status, out) == (0, "40425\n")
    assert "the JIT is disabled" in err


def test_environment_variables_set_the_jit(program: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATLAS_JIT", "0")
    target = tmp_path / "stats.json"
    run_cli("run", "--jit-stats-json", str(target), str(program))
    assert json.loads(target.read_text(encoding="utf-8"))["settings"]["enabled"] is False


def test_jit_config_reports_each_value_and_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_JIT_THRESHOLD", "7")
    status, out, _ = run_cli("jit", "config", "--json", "--jit-loop-threshold", "9")
    assert status == 0
    config = json.loads(out)
    assert set(config) == {f.name for f in SETTINGS}
    assert config["call_threshold"] == {"value": 7, "default": 1000, "source": "env"}
    assert config["loop_threshold"] == {"value": 9, "default": 1000, "source": "flag"}
    assert config["opt_level"]["source"] == "default"
    _, text, _ = run_cli("jit", "config")
    assert "ATLAS_JIT_THRESHOLD" in text and "env" in text


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [("ATLAS_JIT_THRESHOLD", "lots", "expected an integer"), ("ATLAS_JIT", "maybe", "expected a boolean"),
     ("ATLAS_JIT_OPT_LEVEL", "7", "between 0 and 3")],
)  # fmt: skip
def test_bad_environment_values_are_usage_errors(
    program: Path, monkeypatch: pytest.MonkeyPatch, env: str, value: str, message: str
) -> None:
    monkeypatch.setenv(env, value)
    status, _, err = run_cli("run", str(program))
    assert status == 2
    assert env in err and message in err


def test_bad_flag_values_are_usage_errors(program: Path) -> None:
    status, _, err = run_cli("run", "--jit-threshold", "-1", str(program))
    assert status == 2 and "must be at least 0" in err


def test_disasm_shows_the_ir_and_machine_code_of_a_compiled_function(program: Path) -> None:
    status, out, _ = run_cli("disasm", str(program), "--fn", "sq", "--ir", "--asm")
    assert status == 0
    assert "MUL" in out  # the bytecode
    assert ";; function sq (line 2): LLVM IR after optimisation" in out
    assert "fmul double" in out
    assert ";; function sq (line 2): machine code (" in out
    assert "mulsd" in out or "fmul" in out.split("machine code")[1]


def test_disasm_says_why_code_stays_in_the_vm(tmp_path: Path) -> None:
    path = tmp_path / "s.atl"
    path.write_text('fn greet(n: string) -> string { return "hi " + n; }\nprint(greet("x"));\n', encoding="utf-8")
    status, out, _ = run_cli("disasm", str(path), "--fn", "greet", "--ir")
    assert status == 0
    assert ";; function greet (line 1): stays in the VM: parameter 'n' of type string" in out


def test_jit_log_reports_compilations_osr_entries_and_fallbacks(tmp_path: Path) -> None:
    path = tmp_path / "log.atl"
    path.write_text(
        'fn sq(x: number) -> number { return x * x; }\n'
        'fn name(x: number) -> string { return str(x); }\n'
        'var t = 0;\nfor (var i = 0; i < 30; i++) { t = t + sq(i); }\n'
        'for (var i = 0; i < 30; i++) { print(name(i)); }\n',
        encoding="utf-8",
    )
    status, _, err = run_cli("run", "--jit-threshold", "3", "--jit-loop-threshold", "5", "--jit-log", str(path))
    assert status == 0
    assert "jit: compiled function sq (line 1)" in err
    assert "jit: compiled loop nest at <main>:4" in err
    assert "jit: osr: entering native code at the loop at <main>:4" in err
    assert "jit: fallback: function name (line 2) stays in the VM: return type string" in err
    assert "jit: fallback: loop at <main>:5 stays in the VM" in err


def test_jit_log_reports_evictions(tmp_path: Path) -> None:
    path = tmp_path / "evict.atl"
    path.write_text(
        "\n".join(f"fn f{i}(x: number) -> number {{ return x * {i} + 1; }}" for i in range(6))
        + "\nvar t = 0;\n"
        + "\n".join(f"t = t + f{i}(1);" for i in range(6))
        + "\nprint(t);\n",
        encoding="utf-8",
    )
    status, _, err = run_cli("run", "--jit-threshold", "0", "--jit-cache-limit", "300", "--jit-log", str(path))
    assert status == 0
    assert "jit: evicted:" in err
