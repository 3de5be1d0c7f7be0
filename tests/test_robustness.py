"""Robustness: broken, truncated and hostile programs never crash the implementation.

Every example program and every program under tests/programs is cut short at many
places and garbled in many deterministic ways, and each variant goes through the whole
pipeline in-process (load, check, compile, execute on the big-stack executor with a
time limit). A variant must either run, or fail with an `AtlasError` whose diagnostics
all carry a code `ATnnnn`, a message and a real position; a run that hits the time limit
(a garbled loop condition can loop forever) is a clean outcome too. Nothing else -- no
Python exception of any other kind -- may escape.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from atlas.diagnostics import AtlasError, Diagnostic
from atlas.limits import TIME_LIMIT_CODE
from atlas.pipeline import Session
from atlas.vm.executor import RunLimits, run_on_big_stack

REPO = Path(__file__).resolve().parents[1]
SEED = 20240611
EXEC_TIMEOUT = 1.5  # seconds of execution per variant before a (clean) timeout
CODE = re.compile(r"AT\d{4}")
N_CUTS = 10  # character cuts per file
N_TOKEN_CUTS = 10  # cuts at token boundaries per file
N_GARBLES = 16  # garbled variants per file
TOKEN = re.compile(r'\s+|//[^\n]*|"(?:\\.|[^"\\\n])*"?|\d+(?:\.\d+)?|\w+|->|=>|[-+*/%=!<>&|]=?|.', re.S)
PUNCT = [*"{}()[];,.:<>=!+-*/%&|?\"'\\@#_$`~^", "->", "=>", "&&", "||", "==", "++", "--"]
WORDS = [
    "fn", "let", "var", "if", "else", "while", "for", "in", "return", "break", "continue",
    "match", "import", "export", "from", "type", "trait", "impl", "own", "borrow", "shared",
    "null", "true", "false", "None", "Some", "Ok", "Err", "number", "string", "bool", "json",
    "unknown", "len", "print", "x", "_", "0", "-1", "1e308", "0.5", '""', '"s"', "[]", "[1, 2]",
]  # fmt: skip


# ---------------------------------------------------------------- the programs


def single_files() -> list[Path]:
    """Every program that is one file (multi-file program directories are separate)."""
    found = sorted(REPO.glob("examples/*.atl"))
    programs = REPO / "tests" / "programs"
    if programs.is_dir():
        found += sorted(p for p in programs.rglob("*.atl") if not in_multi_file_program(p))
    return found


def in_multi_file_program(path: Path) -> bool:
    for directory in path.parents:
        if (directory / "main.atl").is_file():
            return True
        if directory == REPO:
            break
    return False


def multi_file_programs() -> list[Path]:
    """Directories with a `main.atl` entry point (examples/modules, tests/programs/...)."""
    roots = [REPO / "examples", REPO / "tests" / "programs"]
    return sorted({p.parent for root in roots if root.is_dir() for p in root.rglob("main.atl")})


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


# ---------------------------------------------------------------- the variants


def truncations(text: str) -> Iterator[str]:
    step = max(1, len(text) // N_CUTS)
    for i in range(0, len(text), step):
        yield text[:i]


def token_cuts(text: str) -> Iterator[str]:
    ends = [m.end() for m in TOKEN.finditer(text) if not m.group().isspace()]
    step = max(1, len(ends) // N_TOKEN_CUTS)
    for i in range(0, len(ends), step):
        yield text[: ends[i]]
        yield text[: ends[i]] + "\n"


def garble(text: str, rng: random.Random) -> str:
    """One to four random edits of one kind."""
    kind = rng.randrange(10)
    chars = list(text)
    lines = text.split("\n")
    tokens = [m.group() for m in TOKEN.finditer(text)]
    for _ in range(rng.randint(1, 4)):
        if kind == 0 and chars:  # insert punctuation
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(PUNCT))
        elif kind == 1 and chars:  # delete a character
            del chars[rng.randrange(len(chars))]
        elif kind == 2 and chars:  # swap two characters
            i, j = rng.randrange(len(chars)), rng.randrange(len(chars))
            chars[i], chars[j] = chars[j], chars[i]
        elif kind == 3 and chars:  # overwrite with punctuation
            chars[rng.randrange(len(chars))] = rng.choice(PUNCT)
        elif kind == 4 and chars:  # insert any character (controls, non-ASCII)
            chars.insert(rng.randrange(len(chars) + 1), chr(rng.choice([rng.randrange(0, 32), rng.randrange(32, 0x3000)])))
        elif kind == 5:  # duplicate a line
            k = rng.randrange(len(lines))
            lines.insert(k, lines[k])
        elif kind == 6:  # delete a line
            if len(lines) > 1:
                del lines[rng.randrange(len(lines))]
        elif kind == 7 and tokens:  # replace a token by a keyword, type or literal
            tokens[rng.randrange(len(tokens))] = rng.choice(WORDS)
        elif kind == 8 and tokens:  # delete a token
            del tokens[rng.randrange(len(tokens))]
        elif kind == 9 and len(tokens) > 1:  # swap two tokens
            i, j = rng.randrange(len(tokens)), rng.randrange(len(tokens))
            tokens[i], tokens[j] = tokens[j], tokens[i]
    if kind in (5, 6):
        return "\n".join(lines)
    if kind in (7, 8, 9):
        return "".join(tokens)
    return "".join(chars)


def variants(text: str, seed: str) -> list[str]:
    rng = random.Random(f"{SEED}:{seed}")
    out = list(truncations(text)) + list(token_cuts(text))
    out += [garble(text, rng) for _ in range(N_GARBLES)]
    return list(dict.fromkeys(out))  # unique, in order


# ---------------------------------------------------------------- the checks


def discard(_text: str) -> None:
    pass


def assert_clean(diags: list[Diagnostic], context: str) -> None:
    for i, d in enumerate(diags):
        where = f"{context}: {d!r}"
        assert CODE.fullmatch(d.code), where
        assert isinstance(d.message, str) and d.message.strip(), where
        assert d.level in ("error", "warning"), where
        if d.level == "error":
            assert d.kind in ("syntax", "type", "runtime"), where
        line, column = d.line, d.column
        assert isinstance(line, int) and isinstance(column, int), where
        assert line >= 1 and column >= 1, where
        if d.source is not None and d.span is not None:
            assert line <= d.source.line_count, where
            assert column <= len(d.source.line_text(line)) + 1, where
        if i < 50:  # the human form and the JSON record never fail either
            d.render()
            d.to_json()


def outcome(session: Session, load: Callable[[], list]) -> str:
    """Run one program through every pass; 'ok', 'timeout' or the error's kind."""
    try:
        modules = load()
        session.check(modules)
        session.compile(modules)
        run_on_big_stack(session.execute, modules, limits=RunLimits(seconds=EXEC_TIMEOUT))
    except AtlasError as error:
        assert_clean(error.diagnostics, "error")
        return "timeout" if error.code == TIME_LIMIT_CODE else error.kind
    assert_clean(session.take_warnings(), "warning")
    return "ok"


def run_text(text: str, name: str = "fuzz.atl") -> str:
    session = Session(write_stdout=discard)
    try:
        return outcome(session, lambda: session.load_text(text, name))
    except AssertionError:
        raise
    except BaseException as exc:
        pytest.fail(
            f"{type(exc).__name__} escaped for this program:\n{text[:3000]!r}\n\n"
            + "".join(traceback.format_exception(exc))
        )


def run_file(path: Path) -> str:
    session = Session(write_stdout=discard)
    try:
        return outcome(session, lambda: session.load_file(str(path)))
    except AssertionError:
        raise
    except BaseException as exc:
        pytest.fail(f"{type(exc).__name__} escaped for {path}:\n" + "".join(traceback.format_exception(exc)))


# ---------------------------------------------------------------- every program, garbled


@pytest.mark.parametrize("path", single_files(), ids=rel)
def test_variants_of_program(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert run_text(text, path.name) in ("ok", "syntax", "type", "runtime", "timeout")
    for variant in variants(text, rel(path)):
        run_text(variant, path.name)


@pytest.mark.parametrize("directory", multi_file_programs(), ids=rel)
def test_variants_of_multi_file_program(directory: Path, tmp_path: Path) -> None:
    files = sorted(p.relative_to(directory) for p in directory.rglob("*.atl"))
    assert run_file(directory / "main.atl") in ("ok", "syntax", "type", "runtime")
    for target in files:  # garble one file at a time, the others intact
        text = (directory / target).read_text(encoding="utf-8")
        for n, variant in enumerate(variants(text, f"{rel(directory)}/{target}")):
            copy = tmp_path / f"{target.stem}-{n}"
            shutil.copytree(directory, copy)
            (copy / target).write_text(variant, encoding="utf-8")
            run_file(copy / "main.atl")


# ---------------------------------------------------------------- hostile inputs


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", " \t\r\n  \r\n", "// c", "/* block */", "/// doc\n// x\n/* a\nb */\n"])
def test_empty_whitespace_and_comment_only(text: str) -> None:
    assert run_text(text) == "ok"


def test_random_bytes() -> None:
    rng = random.Random(SEED)
    for size in (1, 7, 100, 5000):
        for _ in range(6):
            data = bytes(rng.randrange(256) for _ in range(size))
            run_text(data.decode("latin-1"))
            run_text(data.decode("utf-8", errors="replace"))
            run_text("".join(chr(rng.randrange(32, 127)) for _ in range(size)))


def test_one_megabyte_single_line() -> None:
    statement = "x = x + 1234567890123;"
    line = "var x = 0; " + statement * (1_000_000 // len(statement)) + " print(x);"
    assert "\n" not in line and len(line) >= 1_000_000
    assert run_text(line) == "ok"
    # and a megabyte of garbage on one line
    assert run_text("let ; " * 170_000) == "syntax"


@pytest.mark.parametrize(
    ("opening", "middle", "closing"),
    [
        ("(", "1", ")"),
        ("[", "1", "]"),
        ("len(", "1", ")"),
        ("-(", "1", ")"),
        ("Some(", "1", ")"),
        ("(1 + ", "1", ")"),
    ],
    ids=["parens", "arrays", "calls", "negated-parens", "constructors", "sums"],
)
def test_ten_thousand_deep_nested_expression(opening: str, middle: str, closing: str) -> None:
    text = "let x = " + opening * 10_000 + middle + closing * 10_000 + ";\n"
    assert run_text(text) == "syntax"


def test_deep_nesting_just_under_the_limit_runs() -> None:
    assert run_text("let x = " + "(" * 500 + "1" + ")" * 500 + ";\nprint(x);") == "ok"


def test_ten_thousand_deep_blocks_and_types() -> None:
    assert run_text("{" * 10_000 + "}" * 10_000) == "syntax"
    assert run_text("fn f() -> number {\n" + "if (true) {\n" * 10_000 + "}" * 10_000 + "return 1; }") == "syntax"
    assert run_text("let x: " + "Option<" * 10_000 + "number" + ">" * 10_000 + " = None;") == "syntax"
    assert run_text("let x = a" + "[0]" * 10_000 + ";") in ("syntax", "type")
    assert run_text("let x = " + "match 1 { _ => " * 3_000 + "1" + " }" * 3_000 + ";") == "syntax"


@pytest.mark.parametrize(
    "text",
    [
        "let x = " + "- " * 10_000 + "1;",
        "let x = " + "-" * 10_001 + "1;",
        "let x = " + "!" * 100_000 + "true;",
        "let x = " + "! " * 999 + "true;",
        "let x = " + "-" * 999 + "1;",
    ],
    ids=["minus-spaced", "minus-run", "not-100k", "not-999", "minus-999"],
)
def test_deep_unary_chains(text: str) -> None:
    assert run_text(text) in ("ok", "syntax")


def test_unary_chain_under_the_limit_runs() -> None:
    assert run_text("let x = " + "- " * 400 + "1;\nprint(x);") == "ok"


def test_hundred_thousand_digit_number_literal() -> None:
    assert run_text("let x = " + "7" * 100_000 + ";\nprint(x);") == "syntax"  # not finite
    assert run_text("let x = 0." + "7" * 100_000 + ";\nprint(x);") == "ok"
    assert run_text("let x = 1e" + "9" * 100_000 + ";") in ("syntax",)
    assert run_text("let x = " + "0" * 100_000 + "1;\nprint(x);") == "ok"


def test_huge_string_literal() -> None:
    body = "ab\\n" * 250_000
    assert run_text('let s = "' + body + '";\nprint(len(s));') == "ok"
    assert run_text('let s = "' + "x" * 1_000_000) == "syntax"  # unterminated


def test_many_declarations_and_parameters() -> None:
    params = ", ".join(f"a{i}: number" for i in range(2_000))
    args = ", ".join("1" for _ in range(2_000))
    assert run_text(f"fn f({params}) -> number {{ return a0 + a1999; }}\nprint(f({args}));") == "ok"
    assert run_text("".join(f"let g{i} = {i};\n" for i in range(5_000)) + "print(g4999);") == "ok"


def test_odd_characters() -> None:
    for text in ["let x = 1;\x00print(x);", "\ufefflet x = 1;", 'let s = "\ud800";', "let é = 1;\nprint(é);", "\r\r\r", "let x = 1;\r\nprint(x);\r\n"]:
        run_text(text)


# ---------------------------------------------------------------- through the real command


def cli_variants() -> list[tuple[str, str]]:
    """A handful of deterministic variants of the examples (those that end in-process)."""
    chosen: list[tuple[str, str]] = []
    for name in ("primes.atl", "accounts.atl", "words.atl"):
        path = REPO / "examples" / name
        if not path.is_file():
            continue
        all_variants = variants(path.read_text(encoding="utf-8"), rel(path))
        chosen += [(f"{name}-{i}", all_variants[i]) for i in (3, len(all_variants) // 2, len(all_variants) - 1)]
    chosen.append(("random-bytes", bytes(random.Random(SEED).randrange(256) for _ in range(300)).decode("latin-1")))
    return chosen


@pytest.mark.parametrize(("name", "text"), cli_variants(), ids=[n for n, _ in cli_variants()])
def test_variants_through_the_cli(name: str, text: str, tmp_path: Path) -> None:
    if run_text(text) == "timeout":
        pytest.skip("this variant does not end")
    (tmp_path / "prog.atl").write_text(text, encoding="utf-8")
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-m", "atlas", "run", "prog.atl"],
        cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=120,
        stdin=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr


def test_raw_bytes_through_the_cli(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    (tmp_path / "prog.atl").write_bytes(bytes(rng.randrange(256) for _ in range(2000)))
    proc = subprocess.run(
        [sys.executable, "-m", "atlas", "run", "prog.atl"],
        cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=120,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    assert "error[AT" in proc.stderr


def test_deep_nesting_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "deep.atl").write_text("let x = " + "(" * 10_000 + "1" + ")" * 10_000 + ";\n")
    (tmp_path / "ok.atl").write_text("let x = " + "(" * 900 + "1" + ")" * 900 + ";\nprint(x);\n")
    for name, status in (("deep.atl", 1), ("ok.atl", 0)):
        proc = subprocess.run(
            [sys.executable, "-m", "atlas", "run", name],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert "Traceback" not in proc.stderr
        assert proc.returncode == status, proc.stderr[:500]
