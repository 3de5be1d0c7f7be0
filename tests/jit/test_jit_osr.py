"""Hot loops tier up through on-stack replacement: at top level, in functions called
once, nested, and next to code the JIT cannot compile."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.compile.opcodes import Op
from atlas.config import JitConfig
from atlas.limits import ensure_recursion_headroom

from .jit_support import SUM_OF_PRODUCTS, blocks, same, unit_ir

DEFAULT = JitConfig()
SOON = JitConfig(call_threshold=5, loop_threshold=50)


def test_top_level_loop_on_globals() -> None:
    src = """
var total = 0;
var i = 0;
while (i < 20000) {
    if (i % 3 == 0) { total = total + i; }
    i = i + 1;
}
print(total);
"""
    result = same(src, DEFAULT)
    assert result.stdout == "66663333\n"
    (loop,) = result.loops("<main>")
    assert loop.tier == "native" and loop.entries == 1


def test_loop_in_function_called_once_with_print_after() -> None:
    src = """
fn work(n: number) -> number {
    var s = 0;
    var k = 0;
    while (k < n) {
        s = s * 0.5 + k;
        k = k + 1;
    }
    print("done: " + str(floor(s)));
    return s;
}
print(floor(work(50000)));
"""
    result = same(src, DEFAULT)
    assert result.stdout == "done: 99996\n99996\n"
    assert result.function("work").tier == "vm"  # called once, and it prints
    (loop,) = result.loops("work")
    assert loop.tier == "native"


def test_nested_loops_compile_inside_out() -> None:
    src = """
fn grid(n: number) -> number {
    var total = 0;
    for (var y = 0; y < n; y++) {
        for (var x = 0; x < n; x++) {
            var it = 0;
            while (it < 20 && (x + y + it) % 7 != 0) { it = it + 1; }
            total = total + it;
        }
    }
    return total;
}
print(grid(120));
"""
    result = same(src, SOON)
    loops = result.loops("grid")
    assert [loop.tier for loop in loops] == ["native", "native", "native"]


def test_break_continue_and_return_inside_a_region() -> None:
    src = """
fn seek(limit: number) -> number {
    var i = 0;
    while (true) {
        i = i + 1;
        if (i % 2 == 0) { continue; }
        if (i > limit) { return i; }
    }
    return -1;
}
var stop = 0;
for (var j = 0; j < 100000; j++) {
    if (j * j > 5000) { stop = j; break; }
}
print(seek(7777));
print(stop);
"""
    result = same(src, SOON)
    assert result.stdout == "7779\n71\n"


def test_loop_variables_are_written_back_to_the_vm() -> None:
    src = """
var a = 0;
var b = true;
var i = 0;
while (i < 5000) {
    a = a + 2;
    b = !b;
    i = i + 1;
}
let s = "a=" + str(a) + " b=" + str(b) + " i=" + str(i);
print(s);
"""
    assert same(src, SOON).stdout == "a=10000 b=true i=5000\n"


# A loop whose counter and temporary are dead after it: only `last` is read later.
DEAD_AFTER_THE_LOOP = """
fn f(n: number) -> number {
    var last = 0;
    var t = 0;
    for (var i = 0; i < n; i++) {
        t = i * 3;
        last = t + 1;
    }
    return last;
}
print(f(5000));
"""


def test_a_region_writes_back_only_what_the_vm_reads_after_it() -> None:
    # The counter and `t` would each cost a conversion and a store at the exit, and
    # keep a double alive through the loop for nothing.
    exits = [text for label, text in blocks(unit_ir(DEAD_AFTER_THE_LOOP, SOON)) if label.startswith("exit_pc")]
    assert exits
    for block in exits:
        assert block.count("store double") == 1, block
    assert same(DEAD_AFTER_THE_LOOP, SOON).stdout == "14998\n"


@pytest.mark.parametrize("n", [0, 1, 400, 5000])
def test_a_register_dead_at_one_exit_and_read_at_another_behaves_as_the_vm(n: int) -> None:
    src = f"""
fn g(n: number) -> number {{
    var t = -1;
    var i = 0;
    while (i < n) {{
        t = i * 2;
        if (t > 777) {{ return t; }}
        i = i + 1;
    }}
    return i;
}}
var total = 0;
for (var k = 0; k < 300; k++) {{ total = total + g({n}); }}
print(total);
"""
    same(src, SOON)


def test_errors_inside_regions_keep_their_position() -> None:
    src = """
var n = 1000;
var acc = 1;
while (n > -5) {
    acc = acc + 100 / n;
    n = n - 1;
}
"""
    result = same(src, SOON)
    assert result.error[:3] == ("AT0005", "Divide by zero", 5)


def test_loop_with_unsupported_body_falls_back_with_reason() -> None:
    src = """
var words = "";
for (var i = 0; i < 3000; i++) {
    words = words + "x";
}
print(len(words));
"""
    result = same(src, SOON)
    (loop,) = result.loops("<main>")
    assert loop.tier == "fallback"
    assert loop.fallback_reason == "line 4: the global 'words', which is not a number, bool or number[]"


def test_variables_not_yet_assigned_do_not_keep_a_nest_in_the_vm() -> None:
    # The inner loop gets hot in the first pass, before `later` and `square` were ever
    # assigned: they hold nothing yet, but neither is read before it is written, so
    # the nest is entered natively all the same.
    src = """
fn f(flags: number[], passes: number) -> number {
    var found = 0;
    for (var pass = 0; pass < passes; pass++) {
        for (var k = 0; k < len(flags); k++) { flags[k] = k; }
        for (var later = 2; later < 0; later++) {
            var square = later * later;
            found = found + square;
        }
        found = found + flags[3];
    }
    return found;
}
print(f([0, 0, 0, 0, 0, 0, 0, 0], 400));
"""
    result = same(src, SOON)
    assert result.stdout == "1200\n"
    outer, inner, _ = result.loops("f")
    assert inner.tier == outer.tier == "native" and inner.entries == 1
    assert outer.compilations == 1 and outer.fallback_reason is None


def test_a_declined_nest_leaves_its_inner_loops_free_to_tier_up() -> None:
    # `text` is declared a number but holds a string (through unknown), and is live at
    # the outer header: the nest declines that entry and its outer loop stays in the VM,
    # while the inner loop, which never reads `text`, is compiled on its own.
    src = """
let m = hashMapNew();
hashMapPut(m, "k", "a string");
fn f(text: number) -> number {
    var total = 0;
    for (var pass = 0; pass < 40; pass++) {
        for (var k = 0; k < 100; k++) { total = total + k; }
        if (pass < 0) { total = total + text; }
    }
    return total;
}
print(f(unwrap(hashMapGet(m, "k"))));
"""
    result = same(src, SOON)
    assert result.stdout == "198000\n"
    outer, inner = result.loops("f")
    assert outer.tier == "fallback" and outer.declined
    assert outer.fallback_reason == "a number[] or number value of another kind (through unknown)"
    assert inner.tier == "native" and inner.compilations == 1 and inner.entries > 0
    assert inner.earlier_back_edges == SOON.loop_threshold  # counted before the restart


def test_a_region_compiled_for_a_parameter_range_is_compiled_again_when_it_leaves() -> None:
    # `str` keeps the function in the VM, so every call enters the loop nest through
    # OSR. The nest is first compiled for n within ±2^26 (i * i in integers); 1e17 is
    # not, so that entry compiles it again for any n, which later entries keep using.
    src = """
fn squares(n: number, limit: number) -> number {
    var c = 0;
    let label = "squares below " + str(n);
    for (var pass = 0; pass < 3; pass++) {
        for (var i = 1; i < n && i <= limit; i++) {
            var m = i * i;
            while (m < n && c < 20000) { c = c + 1; m = m + i; }
        }
    }
    return c + len(label);
}
print(squares(2000, 2000));
print(squares(1e17, 3));
print(squares(2000, 2000));
print(squares(2.5, 3));
"""
    result = same(src, SOON)
    assert result.stdout.split() == ["20018", "20032", "20018", "23"]
    outer = result.loops("squares")[0]
    assert outer.tier == "native" and outer.compilations == 2


def test_function_fallback_reasons_name_the_construct_and_line() -> None:
    src = """
fn shout(n: number) -> number {
    let s = "n";
    print(s);
    return n;
}
fn uses(n: number) -> number {
    return shout(n) + 1;
}
for (var i = 0; i < 10; i++) { uses(i); }
"""
    result = same(src, SOON)
    assert result.function("shout").tier == "fallback"
    assert result.function("shout").fallback_reason == "line 3: a value that is not a number, bool or number[]"
    reason = result.function("uses").fallback_reason
    assert reason.startswith("calls 'shout', which stays in the VM (line 3:")


GUARDED_LENGTH = """
fn total(s: number[], n: number) -> number {
    var t = 0;
    let label = "sum of " + str(n);
    for (var pass = 0; pass < 40; pass++) {
        for (var i = 0; i < n; i++) { t = t + s[2 * i + 1]; }
    }
    return t + len(label);
}
let ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
let six = [1, 2, 3, 4, 5, 6];
print(total(ten, 5));
print(total(ten, 4));
"""


def test_a_region_compiled_for_the_lengths_it_saw_needs_no_bounds_checks_until_they_change() -> None:
    # `str` keeps the function in the VM, so every call enters the nest through OSR. The
    # first entries see n = 5 and 10 elements: the nest is compiled for n <= 5 and at
    # least 10 elements, so s[2 * i + 1] (at most s[9]) has no bounds check. A shorter
    # array breaks that: the nest is compiled again for n within ±2^26 and any length,
    # and an index past the end is then the VM's AT0006, at the same place.
    src = GUARDED_LENGTH + "print(total(six, 3));\nprint(total(ten, 5));\nprint(total(six, 4));\n"
    result = same(src, SOON)
    assert result.stdout.split() == ["1208", "808", "488", "1208"]
    assert result.error[:3] == ("AT0006", "Array index out of bounds", 6)
    outer = result.loops("total")[0]
    assert outer.compilations == 2
    proto = next(p for p in result.session.image.protos if p.name == "total")
    (index,) = [pc for pc, instr in enumerate(proto.code) if instr[0] == Op.INDEX]
    first, second = (u.loaded.ir_text for u in result.jit.cache.units)
    assert f"failed_pc{index}" not in first and f"failed_pc{index}" in second


@pytest.mark.parametrize("call", ["total(ten, 6)", "total(six, 5)", "total(ten, 5.5)", "total(ten, -1)", "total([], 0)"])
def test_entries_that_break_the_assumed_lengths_behave_as_the_vm(call: str) -> None:
    same(GUARDED_LENGTH + f"print({call});\nprint(total(ten, 5));\n", SOON)


# Raised before any hypothesis example runs (an example that changes it is warned about).
ensure_recursion_headroom()


@settings(max_examples=25, deadline=None)
@given(
    step=st.integers(1, 3),
    offset=st.integers(-1, 2),
    calls=st.lists(st.tuples(st.integers(0, 7), st.integers(-2, 3)), min_size=2, max_size=5),
)
def test_regions_compiled_for_lengths_and_counts_behave_as_the_vm_for_any_later_call(
    step: int, offset: int, calls: list[tuple[int, int]]
) -> None:
    # Each call enters the nest through OSR (`str` keeps the function in the VM) with a
    # count and an array about as long as the count needs (`spare` elements more, or
    # fewer); the first compiles the nest for both, and later ones may break either
    # guard, or read past the end (AT0006) or before the start (AT0103).
    source = f"""
fn walk(s: number[], n: number) -> number {{
    var t = 0;
    let label = str(n);
    for (var pass = 0; pass < 30; pass++) {{
        for (var i = 0; i < n; i++) {{ t = t + s[{step} * i + {offset}] * (pass + 1); }}
        for (var j = 0; j <= n - 1; j++) {{ t = t - s[j]; }}
    }}
    return t + len(label);
}}
"""
    for n, spare in calls:
        length = max(0, step * (n - 1) + offset + 1 + spare)
        values = ", ".join(str(k % 7 + 1) for k in range(length))
        source += f"print(walk([{values}], {n}));\n"
    same(source, SOON)


# ------------------------------------------------------------- functions compiled for their arguments

TOTAL = SUM_OF_PRODUCTS


@pytest.mark.parametrize(
    "jit",
    [JitConfig(call_threshold=2, loop_threshold=3), JitConfig(call_threshold=5, loop_threshold=10**9)],
    ids=["small", "calls"],
)
def test_a_function_compiled_for_its_arguments_compiles_again_when_they_change(jit: JitConfig) -> None:
    """A function made hot by a call from the VM is compiled for that call's arguments
    (n at most 4, a at least 4 long: no bounds check); a call that breaks them compiles
    it again a guard level down, and errors stay the VM's."""
    source = TOTAL + (
        "var t = 0;\nfor (var r = 0; r < 8; r++) { t = t + total([1, 2, 3, 4], 4, r); }\nprint(t);\n"
        "print(total([1, 2, 3, 4, 5, 6], 6, 1));\n"  # longer array, larger n: guards broken
        "print(total([1, 2, 3], 3, 1.5));\n"
        "print(total([1, 2], 3, 1));\n"  # AT0006 at a[j], as in the VM
    )
    result = same(source, jit=jit)
    record = result.function("total")
    assert record.compilations >= 2 and record.guard_level < 2


def test_a_function_its_unit_calls_is_not_compiled_for_its_arguments() -> None:
    """A recursive function's own calls would not check the guards: none."""
    source = "fn f(n: number) -> number { if (n < 1) { return 0; } return f(n - 1) + 1; }\nprint(f(50));\nprint(f(90));"
    result = same(source, jit=JitConfig(call_threshold=2, loop_threshold=3))
    assert result.function("f").guard_level == 2 and result.function("f").compilations == 1
