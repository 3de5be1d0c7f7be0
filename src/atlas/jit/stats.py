"""JIT statistics: what ran where, what it cost, and why anything stayed in the VM.

`collect` builds one JSON-ready dict (documented in docs/jit.md); `render` prints it as
tables. Every function that was called and every loop that ran a back-edge is listed,
native or not.
"""

from __future__ import annotations

from typing import IO, Any

from ..compile.proto import Image
from ..config import JitConfig


def collect(image: Image, engine: Any, config: JitConfig) -> dict[str, Any]:
    functions = []
    loops = []
    for proto in image.protos:
        record = engine.functions.get(proto) if engine else None
        calls = proto.calls - proto.call_bias
        if record:
            calls += record.native_entries + record.earlier_vm_calls
        if not proto.is_main and (calls or record):
            functions.append(
                {
                    "name": proto.name,
                    "line": proto.line,
                    "calls": calls,
                    "tier": record.tier if record else "vm",
                    "compile_ms": round(record.compile_ms, 3) if record else 0.0,
                    "code_bytes": record.code_bytes if record else 0,
                    "fallback_reason": record.fallback_reason if record else None,
                    "evictions": record.evictions if record else 0,
                }
            )
        for loop_id, back_edges in enumerate(proto.loop_counts):
            record = engine.loops.get((proto, loop_id)) if engine else None
            if not back_edges and not record:
                continue
            header = proto.loop_headers[loop_id]
            span = proto.spans[header] or proto.span
            loops.append(
                {
                    "function": proto.name,
                    "line": proto.source.position(span.start)[0],
                    "entries": record.entries if record else 0,
                    "back_edges": back_edges + (record.earlier_back_edges if record else 0),
                    "tier": record.tier if record else "vm",
                    "compile_ms": round(record.compile_ms, 3) if record else 0.0,
                    "code_bytes": record.code_bytes if record else 0,
                    "fallback_reason": record.fallback_reason if record else None,
                    "evictions": record.evictions if record else 0,
                    "region_line": record.region_line if record else None,
                }
            )
    cache = engine._cache if engine else None
    held = cache.bytes_held if cache else 0
    totals = {
        "compilations": engine.compilations if engine else 0,
        "native_calls": engine.native_calls if engine else 0,
        "fallbacks": sum(1 for item in functions + loops if item["tier"] == "fallback"),
        "code_bytes": sum(item["code_bytes"] for item in functions + loops),
        "code_bytes_held": held,
        "peak_code_bytes_held": cache.peak_bytes if cache else 0,
        "cache_limit_bytes": config.cache_limit_bytes,
        "evictions": cache.evictions if cache else 0,
        "invalidations": cache.invalidations if cache else 0,
        "runtime_code_bytes": engine.runtime_code_bytes if engine else 0,
    }
    settings = {
        "enabled": engine is not None,
        "call_threshold": config.call_threshold,
        "loop_threshold": config.loop_threshold,
        "opt_level": config.opt_level,
    }
    return {"settings": settings, "functions": functions, "loops": loops, "totals": totals}


def render(stats: dict[str, Any], stream: IO[str]) -> None:
    """The stats as tables (rich; plain text when `stream` is not a terminal)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, highlight=False, soft_wrap=False, width=max(100, 160))
    s = stats["settings"]
    if not s["enabled"]:
        console.print("JIT statistics: the JIT is disabled (--no-jit)")
        return
    console.print(
        f"JIT statistics (call threshold {s['call_threshold']}, loop threshold "
        f"{s['loop_threshold']}, LLVM opt level {s['opt_level']})"
    )
    fn_table = Table("function", "line", "calls", "tier", "compile ms", "code bytes", "fallback reason")
    for f in stats["functions"]:
        fn_table.add_row(
            f["name"], str(f["line"]), f"{f['calls']:,}", f["tier"], f"{f['compile_ms']:.1f}",
            f"{f['code_bytes']:,}", f["fallback_reason"] or "",
        )  # fmt: skip
    loop_table = Table("loop in", "line", "entries", "back-edges", "tier", "compile ms", "code bytes", "fallback reason")
    for loop in stats["loops"]:
        loop_table.add_row(
            loop["function"], str(loop["line"]), f"{loop['entries']:,}", f"{loop['back_edges']:,}",
            loop["tier"], f"{loop['compile_ms']:.1f}", f"{loop['code_bytes']:,}",
            loop["fallback_reason"] or "",
        )  # fmt: skip
    if stats["functions"]:
        console.print(fn_table)
    if stats["loops"]:
        console.print(loop_table)
    t = stats["totals"]
    console.print(
        f"totals: {t['compilations']} compilations, {t['native_calls']:,} native entries, "
        f"{t['fallbacks']} fallbacks, {t['code_bytes_held']:,} of {t['cache_limit_bytes']:,} "
        f"code-cache bytes held (peak {t['peak_code_bytes_held']:,}), {t['evictions']} evictions, "
        f"{t['runtime_code_bytes']:,} bytes in the runtime unit"
    )
