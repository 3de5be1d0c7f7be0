"""Native code stays safe when the cache churns and when LLVM itself fails."""

from __future__ import annotations

import pytest

from atlas.config import JitConfig

from .jit_support import run, same

MUTUAL = """
fn is_even(n: number) -> bool { if (n == 0) { return true; } return is_odd(n - 1); }
fn is_odd(n: number) -> bool { if (n == 0) { return false; } return is_even(n - 1); }
fn f1(n: number) -> number { if (is_even(n)) { return n / 2; } return 3 * n + 1; }
fn f2(n: number) -> number { var s = 0; for (var k = 0; k < n; k++) { s = s + f1(k); } return s; }
fn f3(n: number) -> number { if (is_odd(n)) { return f2(n); } return f2(n + 1); }
var total = 0;
for (var r = 0; r < 60; r++) {
    total = total + f3(r) + f1(r);
    if (is_even(r)) { total = total + 1; }
}
print(total);
"""


@pytest.mark.parametrize("limit", [200, 700, 1800, 4000])
def test_evicting_under_mutual_recursion_never_crashes_and_changes_nothing(limit: int) -> None:
    config = JitConfig(call_threshold=2, loop_threshold=3, cache_limit_bytes=limit)
    result = same(MUTUAL, config)
    cache = result.jit.cache
    assert cache.peak_bytes <= limit
    if limit == 1800:  # small units fit, big ones push them out
        assert cache.evictions > 0


def test_a_failure_inside_llvm_falls_back_to_the_vm_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.jit import backend

    def broken(self: object, ir_text: str) -> None:
        raise RuntimeError("LLVM ERROR: injected failure")

    monkeypatch.setattr(backend.Backend, "emit", broken)
    result = same("fn sq(x: number) -> number { return x * x; }\nprint(sq(3) + sq(4));")
    record = result.function("sq")
    assert record.tier == "fallback"
    assert record.fallback_reason == "native compilation failed: LLVM ERROR: injected failure"
    assert result.stdout == "25\n"


def test_a_failure_while_loading_falls_back_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import llvmlite.binding as llvm

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("symbol lookup failed (injected)")

    monkeypatch.setattr(llvm.JITLibraryBuilder, "link", refuse)
    result = run("var t = 0;\nfor (var i = 0; i < 10; i++) { t = t + i; }\nprint(t);")
    (loop,) = result.loops("<main>")
    assert loop.tier == "fallback"
    assert "symbol lookup failed (injected)" in loop.fallback_reason
    assert result.stdout == "45\n"
