"""docs/jit.md matches the code: its generated tables are what the code says today."""

from __future__ import annotations

from pathlib import Path

from atlas.compile.opcodes import Op
from atlas.config import SETTINGS
from atlas.jit.analysis import DESCRIPTIONS, NATIVE_CONDITIONS, NATIVE_OPS
from atlas.jit.doc_tables import TABLES, sections, update

DOC = Path(__file__).resolve().parents[2] / "docs" / "jit.md"


def test_generated_tables_are_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert set(sections(text)) == set(TABLES)
    assert update(text) == text, "docs/jit.md is stale: run python -m atlas.jit.doc_tables docs/jit.md"


def test_every_opcode_is_either_native_with_its_conditions_or_has_a_fallback_reason() -> None:
    for op in Op:
        if op in NATIVE_OPS:
            assert op in NATIVE_CONDITIONS, op.name
        else:
            assert op in DESCRIPTIONS, op.name


def test_every_setting_is_in_the_docs_with_its_flag_and_environment_variable() -> None:
    text = DOC.read_text(encoding="utf-8")
    for f in SETTINGS:
        assert f"`{f.name}`" in text
        assert f"`{f.metadata['env']}`" in text
        assert f"`{f.metadata['flag']}`" in text


def test_the_jits_internal_limits_are_quoted_as_the_code_has_them() -> None:
    from atlas.jit.analysis import MAX_UNPOLLED_TRIPS
    from atlas.jit.lowering import MAX_DEFERRED_CHECKS, MAX_SPECIALISATIONS, MAX_SPECIALISED_CODE

    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"made together (up to {MAX_DEFERRED_CHECKS})" in text
    assert f"(at most {MAX_SPECIALISED_CODE} instructions, at most {MAX_SPECIALISATIONS} copies per unit)" in text
    assert f"run at most {MAX_UNPOLLED_TRIPS:,} times per entry" in text


def test_the_chunk_of_a_counted_loop_is_quoted_as_the_code_has_it() -> None:
    from atlas.jit.integers import CHUNK, OUTER_CHUNK

    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"runs in chunks of at most {CHUNK:,} counts" in text
    assert f"`min(bound, start + {CHUNK:,})`" in text
    assert f"runs in chunks of {OUTER_CHUNK} counts: between two polls run at most {OUTER_CHUNK} * {CHUNK:,}" in text


def test_the_entry_guard_range_is_quoted_as_the_code_has_it() -> None:
    from atlas.jit.analysis import SMALL_WHOLE

    text = " ".join(DOC.read_text(encoding="utf-8").split())
    exponent = int(SMALL_WHOLE).bit_length() - 1
    assert 2.0**exponent == SMALL_WHOLE
    assert f"a number holding a whole number from 0 to 2^{exponent} is assumed to stay between 0 and" in text
    assert f"a whole number within ±2^{exponent} stays within ±2^{exponent}" in text
    assert f"(0 to 2^{exponent} if it is not negative)" in text


def test_the_number_of_copies_of_a_recursive_function_is_quoted_as_the_code_has_it() -> None:
    from atlas.jit.lowering import RECURSION_COPIES

    words = {2: "twice", 3: "three times", 4: "four times"}
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"A function that calls itself is lowered {words[RECURSION_COPIES]}" in text
    assert f"`fib` makes {['', '', 'four', 'eight', 'sixteen'][RECURSION_COPIES]} calls per native body" in text
