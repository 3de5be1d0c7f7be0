"""The code cache counts real machine-code bytes, holds its limit, and evicts for real."""

from __future__ import annotations

from atlas.config import JitConfig

from .jit_support import run, same


def many_functions(rounds: int) -> str:
    """Twelve small hot functions called round-robin `rounds` times."""
    return (
        "\n".join(
            f"fn f{i}(x: number) -> number {{ var s = x; for (var k = 0; k < {i + 3}; k++) {{ s = s * 1.5 + {i}; }} return s; }}"
            for i in range(12)
        )
        + f"\nvar total = 0;\nfor (var r = 0; r < {rounds}; r++) {{\n"
        + "\n".join(f"    total = total + f{i}(r);" for i in range(12))
        + "\n}\nprint(total);\n"
    )


MANY_FUNCTIONS = many_functions(3)


def test_code_bytes_are_measured_from_the_loaded_object() -> None:
    result = same("fn sq(x: number) -> number { return x * x; }\nprint(sq(3));")
    record = result.function("sq")
    assert record.tier == "native"
    assert 0 < record.code_bytes < 1000
    cache = result.jit.cache
    assert cache.bytes_held == sum(u.code_bytes for u in cache.units)
    assert cache.bytes_held >= record.code_bytes


def test_a_tiny_limit_evicts_and_output_stays_identical() -> None:
    limit = 600  # a few units at most
    config = JitConfig(call_threshold=0, loop_threshold=0, cache_limit_bytes=limit)
    result = same(MANY_FUNCTIONS, config)
    cache = result.jit.cache
    assert cache.evictions > 0
    assert cache.peak_bytes <= limit
    assert cache.bytes_held <= limit


def test_evicted_functions_return_to_the_vm_and_tier_up_again() -> None:
    config = JitConfig(call_threshold=2, loop_threshold=1000, cache_limit_bytes=700)
    result = same(many_functions(12), config)
    evicted = [p for p, r in result.jit.functions.items() if r.evictions]
    assert evicted
    assert any(r.compilations > 1 for r in result.jit.functions.values())
    for proto in evicted:
        record = result.jit.functions[proto]
        assert (proto.native is None) == (record.tier != "native")


def test_units_hold_their_own_copy_of_callees_so_evicting_one_leaves_callers_running() -> None:
    src = """
fn leaf(x: number) -> number { return x + 1; }
fn mid(x: number) -> number { return leaf(x) * 2; }
print(leaf(1));
print(mid(1));
"""
    result = run(src, JitConfig(call_threshold=0, loop_threshold=0))
    jit = result.jit
    leaf = next(p for p in jit.functions if p.name == "leaf")
    mid = next(p for p in jit.functions if p.name == "mid")
    leaf_unit = next(u for u in jit.cache.units if leaf in u.functions)
    mid_unit = next(u for u in jit.cache.units if mid in u.functions)
    assert leaf in mid_unit.includes  # mid's unit carries its own leaf
    jit.cache.evict(leaf_unit)
    assert leaf.native is None and mid.native is not None
    assert result.session.vm.call_value(
        result.session.image.globals.values[result.session.image.slots[mid.symbol][1]], [5.0]
    ) == 12.0


def test_units_larger_than_the_limit_fall_back_with_a_reason() -> None:
    config = JitConfig(call_threshold=0, loop_threshold=0, cache_limit_bytes=10)
    result = same("fn sq(x: number) -> number { return x * x; }\nprint(sq(3));", config)
    record = result.function("sq")
    assert record.tier == "fallback"
    assert "exceed the cache limit of 10 bytes" in record.fallback_reason


def test_programs_that_never_get_hot_never_import_llvmlite() -> None:
    import subprocess
    import sys

    code = (
        "import sys, atlas\n"
        "rt = atlas.Runtime()\n"
        "rt.eval('fn f(x: number) -> number { return x + 1; } print(f(1));')\n"
        "print('llvmlite' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")


def test_redefining_a_function_drops_its_native_code_and_its_callers() -> None:
    import atlas

    rt = atlas.Runtime(JitConfig(call_threshold=0, loop_threshold=0))
    rt.eval("fn f(x: number) -> number { return x + 1; }\nfn g(x: number) -> number { return f(x) * 10; }")
    assert (rt.call("f", 1.0), rt.call("g", 1.0)) == (2.0, 20.0)
    assert rt.jit_stats()["totals"]["code_bytes_held"] > 0
    rt.eval("fn f(x: number) -> number { return x + 2; }")
    assert rt.jit_stats()["totals"]["invalidations"] == 2  # f's unit, and g's (it holds a copy of f)
    assert (rt.call("f", 1.0), rt.call("g", 1.0), rt.eval("g(1);")) == (3.0, 30.0, 30.0)
    assert [f["tier"] for f in rt.jit_stats()["functions"] if f["name"] == "g"] == ["native"]
