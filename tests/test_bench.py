"""The benchmark harness in bench/: its Atlas kernels print what every other language
prints, its work formulas count right, and its report rewrites only its own sections."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import atlas

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import kernels  # noqa: E402
import report  # noqa: E402

EXPECTED = json.loads((BENCH / "expected.json").read_text())["outputs"]


def run_atlas(source: str, jit: bool) -> list[str]:
    printed: list[str] = []
    atlas.Runtime(jit=jit, stdout=printed.append).eval(source)
    return "".join(printed).split()


@pytest.mark.parametrize("jit", [False, True], ids=["vm", "jit"])
@pytest.mark.parametrize("kernel", kernels.KERNELS, ids=lambda k: k.name)
def test_atlas_kernel_prints_the_expected_output(kernel: kernels.Kernel, jit: bool) -> None:
    n = kernel.sizes["check"]
    template = (BENCH / "kernels" / f"{kernel.name}.atl").read_text()
    assert run_atlas(kernels.expand_template(template, n), jit) == EXPECTED[kernel.name][str(n)]


def test_every_kernel_has_a_version_in_every_language_it_declares() -> None:
    for kernel in kernels.KERNELS:
        for lang in ("atl", "py", "lua", "c"):
            assert kernel.source(lang) is not None, (kernel.name, lang)
        assert kernels.DRIVER_MARKER in kernel.source("atl").read_text(), kernel.name


def test_expected_outputs_cover_every_declared_size() -> None:
    for kernel in kernels.KERNELS:
        for size_class in kernels.CLASSES:
            for quick in (False, True):
                n = kernel.size(size_class, quick)
                for size in (n, kernel.smaller(n)):
                    assert str(size) in EXPECTED[kernel.name], (kernel.name, size)


def test_template_expansion() -> None:
    text = "let n = {{N}};\nlet a: number[] = {{ARRAY:3:0}};\nlet b: number[] = {{ARRAY:N:1.5}};"
    assert kernels.expand_template(text, 2) == (
        "let n = 2;\nlet a: number[] = [0, 0, 0];\nlet b: number[] = [1.5, 1.5];"
    )
    assert kernels.library_part("fn f() -> number { return 1; }\n// ---- driver ----\nprint(f());") == (
        "fn f() -> number { return 1; }\n"
    )


def test_work_formulas() -> None:
    assert kernels.fib_calls(15) == 1973  # fib(16) = 987
    assert kernels.parity_calls(400) == 80200
    assert kernels.parity_calls(3) == 1 + 2 + 3
    assert kernels.collatz_steps(10) == sum([0, 1, 7, 2, 5, 8, 16, 3, 19])  # starts 1..9
    # one pass: 8192 resets, 2 stores, 8190 scanned reads, one write per crossed multiple
    assert kernels.sieve_pass_accesses() > 2 * 8192


def test_smaller_size_does_about_a_quarter_of_the_work() -> None:
    for kernel in kernels.KERNELS:
        n = kernel.sizes["interp"]
        small = kernel.smaller(n)
        if kernel.name in ("fib", "loop_sum", "nbody", "mutual_rec", "sieve", "string_build"):
            ratio = kernel.work(small, []) / kernel.work(n, [])
            assert 0.15 < ratio < 0.35, (kernel.name, ratio)
        assert small < n


def test_report_replaces_only_its_section() -> None:
    text = "intro\n<!-- bench:begin -->\nold\n<!-- bench:end -->\noutro\n"
    new = report.replace_between(text, report.BEGIN, report.END, "<!-- bench:begin -->\nnew\n<!-- bench:end -->")
    assert new == "intro\n<!-- bench:begin -->\nnew\n<!-- bench:end -->\noutro\n"
    appended = report.replace_between("intro\n", report.BEGIN, report.END, "SECTION")
    assert appended == "intro\n\nSECTION\n"


def cell(kernel: str, impl: str, ns: float, status: str = "ok") -> dict:
    return {
        "kernel": kernel, "impl": impl, "status": status, "note": "", "size_class": "native",
        "n": 10, "n_small": 5, "work": 100, "work_small": 25, "adapted": False,
        "walls": [1.0], "cpus": [1.0], "small_walls": [0.5], "check_wall": 0.01, "jit_stats": [],
        "ns_per_unit": {"min": ns, "median": ns, "max": ns} if status == "ok" else None,
        "wall": {"min": 1.0, "median": 1.0, "max": 1.0} if status == "ok" else None,
        "overhead_bound": False,
    }


def test_report_leaves_failed_cells_out_of_the_ratios(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# X\n\n<!-- bench-summary:begin -->\n<!-- bench-summary:end -->\n\nend\n")
    impls = ["atlas-jit", "atlas-nojit", "c", "luajit", "cpython"]
    data = {
        "meta": {
            "date": "today", "duration_s": 1.0,
            "machine": {"cpu": "CPU", "logical_cpus": 2, "physical_cores": 2, "memory": "1 GiB", "os": "OS"},
            "peers": {i: {"label": i, "version": "1", "missing": None} for i in impls},
            "options": {"command": "python bench/run.py", "repeat": 1},
        },
        "kernels": [{"name": "fib", "unit": "call", "stresses": ""}, {"name": "sieve", "unit": "access", "stresses": ""}],
        "impls": impls,
        "cells": [
            cell("fib", "atlas-jit", 4.0), cell("fib", "atlas-nojit", 400.0), cell("fib", "c", 2.0),
            cell("fib", "luajit", 4.0), cell("fib", "cpython", 100.0),
            cell("sieve", "atlas-jit", 0.0, "mismatch"), cell("sieve", "atlas-nojit", 50.0),
            cell("sieve", "c", 1.0), cell("sieve", "luajit", 2.0), cell("sieve", "cpython", 50.0),
        ],
    }
    report.write_all(data, tmp_path)
    performance = (tmp_path / "docs" / "performance.md").read_text()
    readme = (tmp_path / "README.md").read_text()
    assert "**MISMATCH**" in performance
    assert "| `fib` | 4.00 | 2.00 | 1.00 | 0.040 | 100 |" in readme  # ns, ×C, ×LuaJIT, ×CPython, speed-up
    assert "| `sieve` | – | – | – | – | – |" in readme
    assert readme.startswith("# X\n") and readme.endswith("\nend\n")
    # Re-running replaces the sections instead of adding new ones.
    report.write_all(data, tmp_path)
    assert (tmp_path / "README.md").read_text().count(report.SUMMARY_BEGIN) == 1
    assert (tmp_path / "docs" / "performance.md").read_text().count(report.BEGIN) == 1
