"""Hostile source for the front end, and the judge of how the `atlas` command takes it.

Inputs are bytes: random bytes, token soups, and truncations and byte-, token- and
line-level mutations of the example and test programs (`HostileSource`), plus a fixed
list of structural extremes: 10,000 levels of nesting of every nestable construct,
operator chains of 100,000, megabyte lines, literals and files (`structural_inputs`).

Each input goes through `atlas check` and `atlas run` (`atlas.cli.main` in-process, or
the real command in a subprocess) and is judged: the command must end with status 0
or 1, with every problem reported as a diagnostic that has a code, a message and a
position inside the file (checked on the JSON records with --json, on the headers of
the human form otherwise), never a Python traceback, a crash or a hang. A program that
runs forever is not a fault: its execution is stopped after a time limit.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atlas import cli
from atlas.limits import MAX_NESTING_DEPTH
from atlas.vm.executor import RunLimits, run_on_big_stack

REPO = Path(__file__).resolve().parents[2]

CODE = re.compile(r"AT\d{4}")
HEADER = re.compile(r"^(error|warning)\[(AT\d{4})\]: \S")
HEADER_START = re.compile(r"^(error|warning)\b")

# Atlas tokens, for soups and insertions.
TOKENS = (
    "let", "var", "fn", "type", "if", "else", "while", "for", "in", "return", "break",
    "continue", "true", "false", "null", "import", "export", "from", "extern", "match", "as",
    "extends", "is", "own", "borrow", "shared", "trait", "impl", "x", "y", "f", "print",
    "len", "Some", "None", "Ok", "Err", "number", "string", "bool", "void", "json",
    "Option", "Result", "HashMap", "0", "1", "-1", "1e308", "1e309", "0.5", "5e-324", "1e",
    '""', '"s"', '"\\q"', '"open', "/*", "*/", "//", "+", "-", "*", "/", "%", "+=", "-=",
    "*=", "/=", "%=", "++", "--", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "=",
    "->", "=>", "|", "&", "?", ".", "(", ")", "{", "}", "[", "]", ";", ",", ":", "_",
    "@", "#", "$", "~", "^", "`", "'", "\\", "\n", " ", "\t",
)  # fmt: skip
ODD_CHARACTERS = (
    "\x00", "\x01", "\x1b", "\x7f", "\r", "\r\n", "\f", "\v", "\ufeff", "\u00a0", "\u2028",
    "\u2029", "\u200b", "\u202e", "\u0301", "é", "ß", "İ", "ﬁ", "𝔘", "😀", "中", "\uffff",
    "\U0010ffff", "٣", "Ⅻ", "²", "ǅ",
)  # fmt: skip


# ---------------------------------------------------------------- the corpus


def corpus_files() -> list[Path]:
    """Every example and test program (files of multi-file programs too)."""
    found = sorted((REPO / "examples").rglob("*.atl"))
    programs = REPO / "tests" / "programs"
    if programs.is_dir():
        found += sorted(programs.rglob("*.atl"))
    return found


@functools.cache
def corpus() -> tuple[bytes, ...]:
    return tuple(path.read_bytes() for path in corpus_files())


# ---------------------------------------------------------------- random inputs


class HostileSource:
    """Random hostile inputs, each named by the family that made it."""

    def __init__(self, seed: int | str, programs: tuple[bytes, ...] | None = None) -> None:
        self.rng = random.Random(seed)
        self.programs = programs if programs is not None else corpus()
        self.families: list[tuple[int, Callable[[], bytes]]] = [
            (4, self.random_bytes),
            (3, self.printable),
            (10, self.token_soup),
            (10, self.truncation),
            (4, self.byte_truncation),
            (14, self.byte_edits),
            (24, self.token_edits),
            (10, self.line_edits),
            (5, self.splice),
            (6, self.odd_characters),
            (3, self.repetition),
            (3, self.deep_wrap),
        ]

    def next(self) -> tuple[str, bytes]:
        weights = [w for w, _ in self.families]
        make = self.rng.choices([f for _, f in self.families], weights=weights)[0]
        return make.__name__.replace("_", "-"), make()

    # -- helpers

    def program(self) -> bytes:
        return self.rng.choice(self.programs)

    def text(self) -> str:
        return self.program().decode("utf-8")

    def size(self, most: int) -> int:
        """Log-uniform: mostly small, sometimes large."""
        return int(2 ** self.rng.uniform(0, max(1.0, most.bit_length() - 1)))

    def token(self) -> str:
        return self.rng.choice(TOKENS)

    # -- families

    def random_bytes(self) -> bytes:
        return self.rng.randbytes(self.size(8192))

    def printable(self) -> bytes:
        alphabet = [chr(c) for c in range(32, 127)] + ["\n", "\t"]
        return "".join(self.rng.choices(alphabet, k=self.size(8192))).encode()

    def token_soup(self) -> bytes:
        words = [self.token() for _ in range(self.size(2048))]
        return " ".join(words).encode()

    def truncation(self) -> bytes:
        text = self.text()
        return text[: self.rng.randint(0, len(text))].encode()

    def byte_truncation(self) -> bytes:
        data = self.program()
        return data[: self.rng.randint(0, len(data))]

    def byte_edits(self) -> bytes:
        data = bytearray(self.program())
        for _ in range(self.rng.randint(1, 8)):
            at = self.rng.randint(0, len(data))
            kind = self.rng.randrange(5)
            if kind == 0 and at < len(data):
                data[at] ^= 1 << self.rng.randrange(8)
            elif kind == 1 and at < len(data):
                data[at] = self.rng.randrange(256)
            elif kind == 2:
                data[at:at] = bytes([self.rng.randrange(256)])
            elif kind == 3:
                del data[at : at + self.rng.randint(1, 16)]
            else:
                chunk = data[at : at + self.rng.randint(1, 64)]
                data[at:at] = chunk * self.rng.randint(1, 8)
        return bytes(data)

    def token_edits(self) -> bytes:
        tokens = tokenize(self.text())
        for _ in range(self.rng.randint(1, 6)):
            if not tokens:
                tokens.append(self.token())
                continue
            i = self.rng.randrange(len(tokens))
            kind = self.rng.randrange(6)
            if kind == 0:
                del tokens[i]
            elif kind == 1:
                tokens.insert(i, tokens[i])
            elif kind == 2:
                j = self.rng.randrange(len(tokens))
                tokens[i], tokens[j] = tokens[j], tokens[i]
            elif kind == 3:
                tokens[i] = self.token()
            elif kind == 4:
                tokens.insert(i, " " + self.token() + " ")
            else:  # move a run of tokens elsewhere
                run = tokens[i : i + self.rng.randint(1, 20)]
                del tokens[i : i + len(run)]
                k = self.rng.randint(0, len(tokens))
                tokens[k:k] = run
        return "".join(tokens).encode()

    def line_edits(self) -> bytes:
        lines = self.text().split("\n")
        other = self.text().split("\n")
        for _ in range(self.rng.randint(1, 5)):
            i = self.rng.randrange(len(lines))
            kind = self.rng.randrange(5)
            if kind == 0 and len(lines) > 1:
                del lines[i]
            elif kind == 1:
                lines.insert(i, lines[i])
            elif kind == 2:
                j = self.rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            elif kind == 3:
                lines.insert(i, self.rng.choice(other))
            else:
                lines[i] = lines[i][::-1]
        return "\n".join(lines).encode()

    def splice(self) -> bytes:
        a, b = self.text(), self.text()
        return (a[: self.rng.randint(0, len(a))] + b[self.rng.randint(0, len(b)) :]).encode()

    def odd_characters(self) -> bytes:
        chars = list(self.text())
        for _ in range(self.rng.randint(1, 6)):
            chars.insert(self.rng.randint(0, len(chars)), self.rng.choice(ODD_CHARACTERS))
        return "".join(chars).encode("utf-8", errors="surrogatepass")

    def repetition(self) -> bytes:
        """A run of tokens repeated many times: long chains and deep nests."""
        tokens = tokenize(self.text())
        if not tokens:
            return b""
        i = self.rng.randrange(len(tokens))
        run = "".join(tokens[i : i + self.rng.randint(1, 6)])
        times = self.size(4096)
        return ("".join(tokens[:i]) + run * times + "".join(tokens[i:])).encode()

    def deep_wrap(self) -> bytes:
        """Part of a program wrapped in many levels of one bracket kind."""
        text = self.text()
        a, b = sorted((self.rng.randint(0, len(text)), self.rng.randint(0, len(text))))
        opening, closing = self.rng.choice(
            [("(", ")"), ("[", "]"), ("{", "}"), ("-(", ")"), ("!(", ")"), ("f(", ")")]
        )
        depth = self.rng.choice(
            [MAX_NESTING_DEPTH - 1, MAX_NESTING_DEPTH, MAX_NESTING_DEPTH + 1, self.size(3000)]
        )
        return (text[:a] + opening * depth + text[a:b] + closing * depth + text[b:]).encode()


TOKEN = re.compile(
    r'\s+|//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\])*"?|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\w+|->|=>|&&|\|\||[-+*/%=!<>]=|\+\+|--|.',
    re.S,
)


def tokenize(text: str) -> list[str]:
    """Text cut into Atlas-like tokens (whitespace and comments kept), for mutations."""
    return TOKEN.findall(text)


# ---------------------------------------------------------------- structural extremes


def nest(opening: str, middle: str, closing: str, depth: int) -> str:
    return opening * depth + middle + closing * depth


def structural_inputs(levels: int = 10_000) -> Iterator[tuple[str, str]]:
    """(name, source) of deep nesting, long chains, long lines and huge literals."""
    n = levels
    yield "parentheses", f"let x = {nest('(', '1', ')', n)};\nprint(x);\n"
    yield "unary-minus", "let x = " + "- " * n + "1;\nprint(x);\n"
    yield "unary-minus-parenthesised", f"let x = {nest('-(', '1', ')', n)};\nprint(x);\n"
    yield "unary-minus-run", "let x = " + "-" * n + "1;\n"
    yield "not", "let x = " + "!" * n + "true;\nprint(x);\n"
    yield "arrays", f"let x = {nest('[', '1', ']', n)};\nprint(len(x));\n"
    yield "blocks", nest("{\n", "print(1);\n", "}\n", n)
    yield "ifs", nest("if (true) {\n", "print(1);\n", "}\n", n)
    yield "if-else-chain", nest("if (false) { print(0); } else {\n", "print(1);\n", "}\n", n)
    yield "whiles", "var i = 0;\n" + nest("while (i < 1) {\n", "i++;\n", "}\n", n)
    yield "fors", nest("for (var i = 0; i < 1; i++) {\n", "print(i);\n", "}\n", n)
    yield "for-ins", nest("for x in [1] {\n", "print(x);\n", "}\n", n)
    yield "functions", nest("fn f() {\n", "print(1);\n", "}\n", n)
    yield (
        "calls",
        "fn f(x: number) -> number { return x; }\nprint(" + nest("f(", "1", ")", n) + ");\n",
    )
    yield "indexes", "let a = [0];\nprint(" + nest("a[", "0", "]", n) + ");\n"
    yield "matches", f"let x = {nest('match 1 { _ => ', '1', ' }', n)};\nprint(x);\n"
    yield "constructors", f"let x = {nest('Some(', '1', ')', n)};\n"
    yield "array-types", "let x: number" + "[]" * n + " = [];\n"
    yield "long-array-types", "fn f(a: number" + "[]" * (40 * n) + ") {}\n"
    yield "generic-types", f"let x: {nest('Option<', 'number', '>', n)} = None;\n"
    yield "function-types", "let x: " + "(number) -> " * n + "number = 1;\n"
    yield "grouped-types", f"let x: {nest('(', 'number', ')', n)} = 1;\n"
    yield "structural-types", f"let x: {nest('{ a: ', 'number', ' }', n)} = 1;\n"
    yield "array-patterns", "let x = match [1] { " + nest("[", "_", "]", n) + " => 1, _ => 2 };\n"
    yield (
        "constructor-patterns",
        "let x = match Some(1) { " + nest("Some(", "_", ")", n) + " => 1, _ => 2 };\n",
    )
    yield "method-chain", "let x = [1]" + ".len()" * n + ";\n"
    yield (
        "try-chain",
        "fn f() -> Result<number, string> {\n    let x = Ok(1)"
        + "?" * n
        + ";\n    return Ok(x);\n}\n",
    )
    yield "long-index-chain", "let a = [0];\nlet x = a" + "[0]" * (10 * n) + ";\n"
    yield "long-call-chain", "fn f() -> number { return 1; }\nlet x = f" + "()" * (10 * n) + ";\n"
    yield "long-method-chain", "let x = [1]" + ".len()" * (10 * n) + ";\n"
    yield "long-property-chain", "let x = [1]" + ".len" * (10 * n) + ";\n"
    yield (
        "long-try-chain",
        "fn f() -> Result<number, string> {\n    let x = Ok(1)"
        + "?" * (10 * n)
        + ";\n    return Ok(x);\n}\n",
    )
    yield "open-parentheses", "(" * (10 * n)
    yield "open-braces", "{" * (10 * n)
    yield "open-brackets", "let x = " + "[" * (10 * n)
    yield "close-braces", "}" * (10 * n)
    for op, operand in (
        ("+", "1"),
        ("-", "1"),
        ("*", "1"),
        ("<", "1"),
        ("==", "1"),
        ("&&", "true"),
        ("||", "false"),
        ("+", '"s"'),
    ):
        yield f"chain-{op}", f"let x = {f' {op} '.join([operand] * (10 * n))};\n"
    yield "statements", "var x = 0;\n" + "x = x + 1;\n" * (10 * n) + "print(x);\n"
    yield "arguments", "print(" + ", ".join(["1"] * (10 * n)) + ");\n"
    yield "parameters", "fn f(" + ", ".join(f"p{i}: number" for i in range(n)) + ") {}\n"
    deep = "let a0 = [1];\n" + "".join(f"let a{i} = [a{i - 1}];\n" for i in range(1, n))
    yield (
        "deep-array-values",
        deep + f"print(a{n - 1} == a{n - 1});\nprint(len(toJSON(a{n - 1})));\n",
    )
    yield "array-literal", "let a = [" + ", ".join(["1"] * (10 * n)) + "];\nprint(len(a));\n"


def huge_inputs() -> Iterator[tuple[str, str]]:
    """(name, source) of megabyte lines and literals."""
    yield "one-megabyte-line", "var x = 0; " + "x = x + 1; " * 95_000 + "print(x);\n"
    yield "hundred-thousand-digit-number", "let x = " + "7" * 100_000 + ";\nprint(x);\n"
    yield "hundred-thousand-digit-fraction", "let x = 0." + "7" * 100_000 + ";\nprint(x);\n"
    yield "hundred-thousand-digit-exponent", "let x = 1e" + "9" * 100_000 + ";\n"
    yield "megabyte-string", 'let s = "' + "ab" * 500_000 + '";\nprint(len(s));\n'
    yield "megabyte-string-of-escapes", 'let s = "' + "\\n" * 500_000 + '";\nprint(len(s));\n'
    yield "megabyte-unterminated-string", 'let s = "' + "x" * 1_000_000
    yield "megabyte-bad-escapes", 'let s = "' + "\\q" * 500_000 + '";\n'
    yield "megabyte-identifier", "let " + "a" * 1_000_000 + " = 1;\n"
    yield "megabyte-comment", "// " + "x" * 1_000_000 + "\nprint(1);\n"
    yield "megabyte-unterminated-comment", "/* " + "x" * 1_000_000
    yield "megabyte-whitespace", " " * 1_000_000 + "print(1);\n"
    yield "million-newlines", "\n" * 1_000_000 + "print(1);\n"
    yield "megabyte-of-bad-characters", "@" * 1_000_000
    yield "megabyte-of-bad-characters-lines", "@\n" * 500_000
    yield "megabyte-of-syntax-errors", "let ;" * 200_000
    yield "megabyte-of-syntax-errors-lines", "let ;\n" * 170_000
    yield "megabyte-of-type-errors", 'let x: number = "s";\n' * 50_000
    yield "megabyte-of-type-errors-one-line", 'let x: number = "s"; ' * 50_000
    yield (
        "megabyte-of-warnings",
        "fn f(" + ", ".join(f"p{i}: number" for i in range(70_000)) + ") {}\n",
    )
    yield "megabyte-of-bad-numbers", "let x = 1e;" * 100_000
    yield (
        "hundred-thousand-declarations",
        "".join(f"let v{i} = {i};\n" for i in range(100_000)) + "print(v99999);\n",
    )


# ---------------------------------------------------------------- running and judging


class FrontEndHang(BaseException):
    """The command did not finish in time (outside the program's own execution)."""


@dataclass
class Verdict:
    status: int | str  # exit status, or "timeout" (the program ran past the limit)
    stdout: str
    stderr: str
    problem: str | None = None  # what is wrong, when something is

    @property
    def ok(self) -> bool:
        return self.problem is None


def judge(status: int | str, stdout: str, stderr: str, as_json: bool, source: bytes) -> str | None:
    """What is wrong with how the command ended, or None."""
    if "Traceback (most recent call last)" in stderr:
        return "a Python traceback on stderr"
    if status == "timeout":
        return None  # the program ran too long: stopped, which is fine
    if status not in (0, 1):
        return f"exit status {status}"
    lines = source.decode("utf-8", errors="replace").split("\n")
    errors = 0
    if as_json:
        for text in stderr.split("\n"):  # JSON lines end at \n only (a message may hold U+2028)
            if not text:
                continue
            try:
                record = json.loads(text)
            except ValueError:
                return f"stderr line is not a JSON record: {text[:200]!r}"
            if not CODE.fullmatch(str(record.get("code"))):
                return f"diagnostic without a code: {text[:200]}"
            if (
                record.get("level") not in ("error", "warning")
                or not str(record.get("message", "")).strip()
            ):
                return f"malformed diagnostic: {text[:200]}"
            line, column = record.get("line", 0), record.get("column", 0)
            if not (1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1):
                return f"diagnostic outside the file: {text[:200]}"
            errors += record["level"] == "error"
    else:
        for text in stderr.split("\n"):
            if HEADER_START.match(text) and not HEADER.match(text):
                return f"diagnostic header without a code: {text[:200]!r}"
            errors += text.startswith("error[")
    if status == 1 and errors == 0:
        return f"status 1 without an error diagnostic: {stderr[:300]!r}"
    if status == 0 and errors:
        return "status 0 with an error diagnostic"
    return None


@contextlib.contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Raise FrontEndHang in the main thread after `seconds` (POSIX only)."""

    def ring(_signum: int, _frame: object) -> None:
        raise FrontEndHang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_in_process(
    path: Path, command: str, *, as_json: bool = False, limit: float = 120.0, run_limit: float = 2.0
) -> Verdict:
    """`atlas <command> <path>` through `atlas.cli.main` in this process.

    The program's execution is stopped after `run_limit` seconds (a clean outcome);
    anything else still going after `limit` seconds is a hang."""
    argv = [command, str(path)] + (["--json"] if as_json else [])
    out, err = io.StringIO(), io.StringIO()
    def limited(fn: Any, *args: Any, limits: RunLimits | None = None) -> Any:
        return run_on_big_stack(fn, *args, limits=RunLimits(seconds=run_limit))

    status: int | str
    problem = None
    try:
        with alarm(limit), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            saved = cli.run_on_big_stack
            cli.run_on_big_stack = limited
            try:
                status = cli.main(argv)
            except TimeoutError:
                status = "timeout"
            finally:
                cli.run_on_big_stack = saved
    except FrontEndHang as hang:
        return Verdict("hang", out.getvalue(), err.getvalue(), f"hang: {hang}")
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        status = "exception"
        problem = "exception escaped: " + "".join(traceback.format_exception(exc))[-3000:]
    if problem is None:
        problem = judge(status, out.getvalue(), err.getvalue(), as_json, path.read_bytes())
    return Verdict(status, out.getvalue(), err.getvalue(), problem)


def atlas_command() -> list[str]:
    """The installed `atlas` command (next to this interpreter), else `python -m atlas`."""
    script = Path(sys.executable).with_name("atlas")
    found = str(script) if script.exists() else shutil.which("atlas")
    return [found] if found else [sys.executable, "-m", "atlas"]


def run_subprocess(
    path: Path, command: str, *, as_json: bool = False, limit: float = 300.0
) -> Verdict:
    """The real `atlas <command> <path>` in a child process."""
    argv = [*atlas_command(), command, str(path)] + (["--json"] if as_json else [])
    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    try:
        proc = subprocess.run(
            argv,
            capture_output=True,
            timeout=limit,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=path.parent,
        )
    except subprocess.TimeoutExpired:
        return Verdict("hang", "", "", f"hang: no result after {limit} s")
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    if proc.returncode < 0:
        return Verdict(
            proc.returncode,
            stdout,
            stderr,
            f"killed by signal {-proc.returncode}: {stderr[-2000:]}",
        )
    if "Fatal Python error" in stderr:
        return Verdict(proc.returncode, stdout, stderr, f"fatal error: {stderr[-2000:]}")
    return Verdict(
        proc.returncode,
        stdout,
        stderr,
        judge(proc.returncode, stdout, stderr, as_json, path.read_bytes()),
    )
