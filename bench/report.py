"""Tables and a plot from a results file of run.py.

    python bench/report.py [bench/results/latest.json]

rewrites the generated section of docs/performance.md, the summary table in README.md
(both between `<!-- bench:... -->` markers, so re-running replaces them) and
docs/bench.png. run.py calls this after a full run.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
SUMMARY_BEGIN, SUMMARY_END = "<!-- bench-summary:begin -->", "<!-- bench-summary:end -->"
LABEL = {
    "atlas-jit": "Atlas JIT",
    "atlas-nojit": "Atlas --no-jit",
    "c": "C -O2",
    "numba": "Numba",
    "luajit": "LuaJIT",
    "pypy": "PyPy",
    "cpython": "CPython",
    "lua5.4": "Lua 5.4",
}
COLOR = {
    "atlas-jit": "#d62728",
    "atlas-nojit": "#ff9896",
    "c": "#1f1f1f",
    "numba": "#9467bd",
    "luajit": "#1f77b4",
    "pypy": "#2ca02c",
    "cpython": "#bcbd22",
    "lua5.4": "#17becf",
}
BASELINES = (("c", "C -O2"), ("luajit", "LuaJIT"), ("cpython", "CPython"))


# --- numbers -------------------------------------------------------------------------


def num(x: float | None) -> str:
    """Three significant figures or so, never scientific notation."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    magnitude = abs(x)
    if magnitude >= 100:
        return f"{x:,.0f}"
    if magnitude >= 10:
        return f"{x:.1f}"
    if magnitude >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def geomean(values: list[float]) -> float | None:
    positive = [v for v in values if v > 0]
    if not positive:
        return None
    return math.exp(sum(math.log(v) for v in positive) / len(positive))


class Results:
    """A results file with lookups by (kernel, implementation)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.meta = data["meta"]
        self.kernels = data["kernels"]
        self.impls: list[str] = data["impls"]
        self.cells = {(c["kernel"], c["impl"]): c for c in data["cells"]}

    def cell(self, kernel: str, impl: str) -> dict[str, Any] | None:
        return self.cells.get((kernel, impl))

    def steady(self, kernel: str, impl: str) -> float | None:
        """Median ns per unit of a cell that is fit to compare: ran, printed the right
        output and was not dominated by start-up or compiling."""
        cell = self.cell(kernel, impl)
        if not cell or cell["status"] != "ok" or cell["overhead_bound"] or not cell["ns_per_unit"]:
            return None
        value = cell["ns_per_unit"]["median"]
        return value if value > 0 else None

    def ratio(self, kernel: str, impl: str, base: str) -> float | None:
        mine, theirs = self.steady(kernel, impl), self.steady(kernel, base)
        return mine / theirs if mine and theirs else None

    def present(self, impls: list[str]) -> list[str]:
        return [i for i in impls if i in self.impls]


def status_text(cell: dict[str, Any] | None) -> str | None:
    """What to print instead of a number for a cell that has none."""
    if cell is None or cell["status"] in ("missing", "no-version"):
        return "–"
    if cell["status"] != "ok":
        return f"**{cell['status'].upper()}**"
    return None


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> list[str]:
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


# --- the sections --------------------------------------------------------------------


def machine_line(r: Results) -> str:
    m = r.meta["machine"]
    cores = f"{m['logical_cpus']} logical CPUs"
    if m.get("physical_cores"):
        cores += f" ({m['physical_cores']} cores)"
    load = r.meta.get("load_average")
    load_text = (
        f"; load average {load['start']:.1f} at the start, {load['end']:.1f} at the end"
        if load
        else ""
    )
    return f"{m['cpu']}, {cores}, {m['memory']}, {m['os']}{load_text}"


def versions_table(r: Results) -> list[str]:
    rows = []
    for impl in r.impls:
        peer = r.meta["peers"][impl]
        rows.append(
            [LABEL[impl], peer["version"] if not peer["missing"] else f"skipped: {peer['missing']}"]
        )
    return table(["implementation", "version"], rows, "ll")


def steady_table(r: Results) -> list[str]:
    rows = []
    for k in r.kernels:
        row = [f"`{k['name']}` ({k['unit']})"]
        for impl in r.impls:
            cell = r.cell(k["name"], impl)
            text = status_text(cell)
            if text is None:
                assert cell is not None
                ns = cell["ns_per_unit"]
                mark = " ~" if cell["overhead_bound"] else ""
                text = f"{num(ns['median'])}{mark} <sub>{num(ns['min'])}–{num(ns['max'])}</sub>"
            row.append(text)
        rows.append(row)
    return table(["kernel (unit)", *[LABEL[i] for i in r.impls]], rows)


def ratio_table(r: Results, base: str) -> list[str]:
    rows = []
    columns: dict[str, list[float]] = {impl: [] for impl in r.impls}
    for k in r.kernels:
        row = [f"`{k['name']}`"]
        for impl in r.impls:
            value = r.ratio(k["name"], impl, base)
            if value is not None:
                columns[impl].append(value)
            row.append(num(value))
        rows.append(row)
    rows.append(["**geomean**", *[f"**{num(geomean(columns[i]))}**" for i in r.impls]])
    return table(["kernel", *[LABEL[i] for i in r.impls]], rows)


def wall_table(r: Results) -> list[str]:
    rows = []
    for k in r.kernels:
        row = [f"`{k['name']}`"]
        for impl in r.impls:
            cell = r.cell(k["name"], impl)
            text = status_text(cell)
            if text is None:
                assert cell is not None
                w = cell["wall"]
                probe = "\\*" if cell["adapted"] else ""
                text = f"{w['median']:.2f} <sub>{w['min']:.2f}–{w['max']:.2f}</sub> N={cell['n']:,}{probe}"
            row.append(text)
        rows.append(row)
    return table(["kernel", *[LABEL[i] for i in r.impls]], rows)


def check_wall_table(r: Results) -> list[str]:
    rows = []
    for k in r.kernels:
        row = [f"`{k['name']}`"]
        for impl in r.impls:
            cell = r.cell(k["name"], impl)
            wall = cell.get("check_wall") if cell else None
            row.append(f"{wall * 1e3:,.0f}" if wall is not None else "–")
        rows.append(row)
    return table(["kernel", *[LABEL[i] for i in r.impls]], rows)


def startup_table(r: Results) -> list[str]:
    startup = r.data.get("startup") or {}
    rows = [
        [LABEL[impl], f"{v['median'] * 1e3:,.1f}", f"{v['min'] * 1e3:,.1f}–{v['max'] * 1e3:,.1f}"]
        for impl, v in startup.items()
    ]
    return table(["implementation", "median ms", "min–max ms"], rows)


def compile_table(r: Results) -> list[str]:
    compiled = r.data.get("compile") or {}
    rows = []
    for k in r.kernels:
        info = compiled.get("kernels", {}).get(k["name"])
        if not info:
            continue
        ms = info["compile_ms"]
        fallbacks = "; ".join(f"{name}: {why}" for name, why in info["fallbacks"].items()) or ""
        rows.append(
            [
                f"`{k['name']}`",
                str(info["units_compiled"]),
                num(ms["median"]),
                num(ms["p95"]),
                num(ms["max"]),
                num(info["total_ms_per_run"]),
                fallbacks,
            ]
        )
    overall = compiled.get("overall") or {}
    if overall.get("count"):
        rows.append(
            [
                "**all**",
                str(overall["count"]),
                f"**{num(overall['median'])}**",
                f"**{num(overall['p95'])}**",
                num(overall["max"]),
                "",
                "",
            ]
        )
    return table(
        [
            "kernel",
            "units compiled",
            "median ms",
            "p95 ms",
            "max ms",
            "total ms per run",
            "fallbacks",
        ],
        rows,
        "lrrrrrl",
    )


def warmup_summary(curve: dict[str, Any]) -> dict[str, float | int | None]:
    """First call, steady state (median of the last 100 calls), the VM's time per call,
    and the first call within 1.5x of steady that starts ten calls whose median is too
    (the median, so that a moment of a busy machine does not count)."""
    jit = curve["jit"]["seconds"]
    steady = statistics.median(jit[-100:])
    vm = statistics.median(curve["vm"]["seconds"])
    settled = next(
        (
            i + 1
            for i in range(len(jit))
            if jit[i] <= 1.5 * steady and statistics.median(jit[i : i + 10]) <= 1.5 * steady
        ),
        None,
    )
    return {"first": jit[0], "steady": steady, "vm": vm, "settled": settled, "calls": len(jit)}


def warmup_table(r: Results) -> list[str]:
    warm = r.data.get("warmup") or {}
    rows = []
    for curve in warm.get("curves", []):
        s = warmup_summary(curve)
        args = curve["function"]
        rows.append(
            [
                f"`{curve['kernel']}` ({args})",
                num(s["first"] * 1e3),
                str(s["settled"] or "–"),
                num(s["steady"] * 1e3),
                num(s["vm"] * 1e3),
                num(s["vm"] / s["steady"]),
            ]
        )
    return table(
        [
            "kernel (function)",
            "1st call ms",
            "calls until within 1.5× of steady",
            "steady ms/call",
            "--no-jit ms/call",
            "speed-up",
        ],
        rows,
    )


def performance_section(r: Results) -> str:
    meta = r.meta
    out = [
        BEGIN,
        "<!-- Generated by bench/run.py (bench/report.py); edits here are overwritten. -->",
        "",
        f"Measured {meta['date']} with `{meta['options']['command'].strip()}` "
        f"({meta['options']['repeat']} timed runs per cell, {meta['duration_s']:.0f} s in all) on: "
        f"{machine_line(r)}.",
        "",
        *versions_table(r),
        "",
        "![Benchmark overview](bench.png)",
        "",
        "### Steady state: nanoseconds per unit of work",
        "",
        "Median over the timed runs, min–max in small print. `~`: the run was mostly start-up "
        "or compiling, too noisy to compare (left out of the ratios).",
        "",
        *steady_table(r),
    ]
    for base, name in BASELINES:
        if base in r.impls:
            out += [
                "",
                f"### Ratio to {name} (lower is faster; 1.00 = as fast as {name})",
                "",
                *ratio_table(r, base),
            ]
    out += [
        "",
        "### Wall time of one run, start-up and compiling included",
        "",
        "Seconds, median and min–max, at the N each implementation runs (`*`: N chosen by the "
        "probe runs of Atlas with the JIT). Numba loads its machine code from its on-disk cache "
        "here; its cold compile is in the next table.",
        "",
        *wall_table(r),
        "",
        "### What a tiny program costs: wall ms at the check size",
        "",
        "Start-up plus whatever compiling happens (Numba compiles cold here).",
        "",
        *check_wall_table(r),
    ]
    if r.data.get("startup"):
        out += ["", "### Start-up on an empty program", "", *startup_table(r)]
    if (r.data.get("compile") or {}).get("overall", {}).get("count"):
        out += [
            "",
            "### JIT compile latency per compiled function or loop",
            "",
            "From `atlas run --jit-stats-json` of every timed run (`functions[].compile_ms` and "
            "`loops[].compile_ms` of native units).",
            "",
            *compile_table(r),
        ]
    warm = r.data.get("warmup")
    if warm and warm.get("curves"):
        out += [
            "",
            "### Warm-up: time per call as the JIT tiers up",
            "",
            f"One `atlas.Runtime` per kernel, JIT thresholds at their defaults, each call timed "
            f"with `time.perf_counter`; a call from Python costs about "
            f"{warm['call_overhead_s'] * 1e3:.2f} ms by itself (an empty function).",
            "",
            *warmup_table(r),
        ]
    out += ["", END]
    return "\n".join(out)


def summary_section(r: Results) -> str:
    meta = r.meta
    versions = ", ".join(
        meta["peers"][i]["version"] if not meta["peers"][i]["missing"] else f"{LABEL[i]}: skipped"
        for i in r.impls
        if not i.startswith("atlas")
    )
    header = ["kernel", "Atlas JIT ns/unit"] + [
        f"× {name}" for base, name in BASELINES if base in r.impls
    ]
    header.append("JIT speed-up over --no-jit")
    rows = []
    columns: dict[str, list[float]] = {}
    for k in r.kernels:
        name = k["name"]
        row = [f"`{name}`", num(r.steady(name, "atlas-jit"))]
        for base, _ in BASELINES:
            if base in r.impls:
                value = r.ratio(name, "atlas-jit", base)
                row.append(num(value))
                if value:
                    columns.setdefault(base, []).append(value)
        speedup = r.ratio(name, "atlas-nojit", "atlas-jit")
        if speedup:
            columns.setdefault("nojit", []).append(speedup)
        row.append(num(speedup))
        rows.append(row)
    geo = ["**geomean**", ""] + [
        f"**{num(geomean(columns.get(b, [])))}**" for b, _ in BASELINES if b in r.impls
    ]
    geo.append(f"**{num(geomean(columns.get('nojit', [])))}**")
    rows.append(geo)
    lines = [
        SUMMARY_BEGIN,
        "<!-- Generated by bench/run.py; edits here are overwritten. -->",
        "",
        "Atlas with its JIT, steady-state time per unit of work and how many times slower than "
        "each peer it is (below 1: faster). Full tables, method and plot: "
        "[docs/performance.md](docs/performance.md); run them yourself with `python bench/run.py`.",
        "",
        *table(header, rows),
        "",
        f"Measured {meta['date']} on {machine_line(r)}; {versions}.",
        "",
        SUMMARY_END,
    ]
    return "\n".join(lines)


# --- the plot ------------------------------------------------------------------------


def running_median(values: list[float], half_width: int = 7) -> list[float]:
    """Each point's median with up to `half_width` neighbours on each side, fewer near the
    start, so the first calls stay themselves while the noise of a shared machine is cut."""
    out = []
    for i in range(len(values)):
        w = min(half_width, i, len(values) - 1 - i)
        out.append(statistics.median(values[i - w : i + w + 1]))
    return out


def no_data(axis: Any, title: str) -> None:
    axis.set_title(title)
    axis.text(
        0.5, 0.5, "not measured in this run", ha="center", va="center", transform=axis.transAxes
    )
    axis.set_xticks([])
    axis.set_yticks([])


def plot_ratios(r: Results, axis: Any) -> None:
    """Steady-state time per unit relative to C, one group of bars per kernel."""
    title = "Steady state, relative to C -O2"
    kernels = [k["name"] for k in r.kernels]
    bars = {
        impl: [(i, r.ratio(name, impl, "c")) for i, name in enumerate(kernels)] for impl in r.impls
    }
    if "c" not in r.impls or not any(v for rows in bars.values() for _, v in rows):
        no_data(axis, title)
        return
    height = 0.8 / len(r.impls)
    for j, impl in enumerate(r.impls):
        offset = (j - (len(r.impls) - 1) / 2) * height
        points = [(i + offset, v) for i, v in bars[impl] if v]
        axis.barh(
            [y for y, _ in points],
            [v for _, v in points],
            height=height,
            color=COLOR[impl],
            label=LABEL[impl],
        )
    axis.set_xscale("log")
    axis.set_yticks(range(len(kernels)), kernels)
    axis.invert_yaxis()
    axis.axvline(1, color="black", linewidth=0.8)
    axis.set_xlabel("steady-state time per unit ÷ C -O2 (log; lower is faster)")
    axis.set_title(title)
    axis.legend(fontsize=8, loc="lower right")
    axis.grid(axis="x", which="both", alpha=0.3)


def plot_warmup(r: Results, axis: Any, colors: Any) -> None:
    title = "Warm-up with the JIT (running median, raw faint) against --no-jit (dashed)"
    warm = r.data.get("warmup") or {}
    if not warm.get("curves"):
        no_data(axis, title)
        return
    for index, curve in enumerate(warm["curves"]):
        color = colors(index % 10)
        times = [t * 1e3 for t in curve["jit"]["seconds"]]
        calls = range(1, len(times) + 1)
        axis.plot(calls, times, color=color, linewidth=0.5, alpha=0.25)
        axis.plot(calls, running_median(times), color=color, linewidth=1.5, label=curve["kernel"])
        vm = statistics.median(curve["vm"]["seconds"]) * 1e3
        axis.hlines(vm, 1, len(times), colors=[color], linestyles="dashed", linewidth=0.8)
    axis.axhline(
        warm["call_overhead_s"] * 1e3,
        color="grey",
        linestyle=":",
        linewidth=1,
        label="cost of a call from Python",
    )
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("call number (log)")
    axis.set_ylabel("ms per call (log)")
    axis.set_title(title)
    axis.legend(fontsize=8)
    axis.grid(which="both", alpha=0.3)


def plot_startup(r: Results, axis: Any) -> None:
    title = "Start-up on an empty program"
    startup = r.data.get("startup") or {}
    if not startup:
        no_data(axis, title)
        return
    names = list(startup)
    medians = [startup[n]["median"] * 1e3 for n in names]
    below = [m - startup[n]["min"] * 1e3 for m, n in zip(medians, names, strict=True)]
    above = [startup[n]["max"] * 1e3 - m for m, n in zip(medians, names, strict=True)]
    axis.barh(range(len(names)), medians, xerr=[below, above], color=[COLOR[n] for n in names])
    axis.set_yticks(range(len(names)), [LABEL[n] for n in names])
    axis.invert_yaxis()
    axis.set_xscale("log")
    axis.set_xlabel("ms (log), median with min–max")
    axis.set_title(title)
    axis.grid(axis="x", which="both", alpha=0.3)


def plot_compile(r: Results, axis: Any, ticks: tuple[Any, Any, Any]) -> None:
    """JIT compile latency: one dot per compiled function or loop (its median over runs)."""
    title = "JIT compile latency"
    compiled = r.data.get("compile") or {}
    rows = []
    for k in r.kernels:
        units = compiled.get("kernels", {}).get(k["name"], {}).get("units", {})
        values = [u["compile_ms"] for u in units.values() if u["compile_ms"]]
        if values:
            rows.append((k["name"], values))
    if not rows:
        no_data(axis, title)
        return
    for i, (_, values) in enumerate(rows):
        axis.scatter(values, [i] * len(values), color=COLOR["atlas-jit"], alpha=0.7, s=18)
    axis.set_yticks(range(len(rows)), [name for name, _ in rows])
    axis.invert_yaxis()
    axis.set_xscale("log")
    axis.xaxis.set_major_locator(ticks[0])
    axis.xaxis.set_major_formatter(ticks[1])
    axis.xaxis.set_minor_formatter(ticks[2])
    overall = compiled.get("overall") or {}
    if overall.get("count"):
        axis.axvline(overall["median"], color="black", linewidth=0.8, label="median")
        axis.axvline(overall["p95"], color="black", linestyle="--", linewidth=0.8, label="p95")
        axis.legend(fontsize=8)
    axis.set_xlabel("ms per compiled function or loop (log)")
    axis.set_title(title)
    axis.grid(axis="x", which="both", alpha=0.3)


def plot(r: Results, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    figure, axes = plt.subplots(2, 2, figsize=(15, 11), gridspec_kw={"height_ratios": [1.5, 1]})
    plot_ratios(r, axes[0][0])
    plot_warmup(r, axes[0][1], plt.cm.tab10)
    plot_startup(r, axes[1][0])
    plot_compile(r, axes[1][1], (LogLocator(subs=(1, 2, 5)), ScalarFormatter(), NullFormatter()))
    machine = r.meta["machine"]
    figure.suptitle(
        f"Atlas and its peers, {r.meta['date']}: {machine['cpu']}, {machine['logical_cpus']} CPUs",
        fontsize=12,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


# --- writing -------------------------------------------------------------------------

PERFORMANCE_INTRO = """# Performance

How fast Atlas runs, against C, LuaJIT, PyPy, Numba, CPython and Lua 5.4 on the same
small kernels. The numbers below are generated: `python bench/run.py` measures them on
the machine it runs on and rewrites the section between the markers, the README's
summary table and `docs/bench.png`. How the harness works and how to read it is in
[bench/README.md](../bench/README.md).

Read the ratios, not the absolute times: every column is measured in the same run on the
same machine, so a busy moment of a shared machine moves all of them together, while
times from different runs or machines do not compare.

"""


def replace_between(text: str, begin: str, end: str, section: str) -> str:
    """`text` with the part from `begin` to `end` (markers included) replaced by
    `section`; appended at the end when the markers are missing."""
    start = text.find(begin)
    stop = text.find(end, start + 1) if start >= 0 else -1
    if start < 0 or stop < 0:
        return text.rstrip("\n") + "\n\n" + section + "\n"
    return text[:start] + section + text[stop + len(end) :]


def write_all(data: dict[str, Any], repo: Path = REPO) -> list[Path]:
    r = Results(data)
    docs = repo / "docs"
    docs.mkdir(exist_ok=True)
    performance = docs / "performance.md"
    text = performance.read_text() if performance.exists() else PERFORMANCE_INTRO
    performance.write_text(replace_between(text, BEGIN, END, performance_section(r)))
    written = [performance]
    readme = repo / "README.md"
    if readme.exists() and "atlas-jit" in r.impls:
        readme.write_text(
            replace_between(readme.read_text(), SUMMARY_BEGIN, SUMMARY_END, summary_section(r))
        )
        written.append(readme)
    try:
        plot(r, docs / "bench.png")
        written.append(docs / "bench.png")
    except ImportError:
        print("matplotlib is missing: no plot (pip install -e '.[bench]')", file=sys.stderr)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Rewrite docs/performance.md, the README's summary and docs/bench.png from a results file."
    )
    parser.add_argument("results", nargs="?", type=Path, default=REPO / "bench" / "results" / "latest.json",
                        help="a JSON file written by bench/run.py (default: bench/results/latest.json)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        results = json.loads(args.results.read_text())
    except (OSError, ValueError) as exc:
        parser.error(f"cannot read {args.results}: {exc}")
    for written in write_all(results):
        print(f"wrote {written.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
