"""The interactive prompt: `atlas` on a terminal, or `atlas repl`.

Every input is one more chunk of a single `Session`, so functions, types and globals
defined by one input are there for the next (redefining a function replaces it, and the
JIT drops native code compiled against the old one). The value of an input ending in an
expression statement is shown in the language's display format; errors are shown as
diagnostics and the prompt carries on.

An input continues on the next line while the project's lexer finds an open bracket or an
unterminated string or comment, or while the parser's only complaint is that it ended too
soon (`let y = 1 +`). A lone expression may leave out its final `;`. Lines that start
with `:` are commands (`:help` lists them).

On a terminal the prompt is prompt_toolkit's (history in a file, Atlas highlighting,
multi-line editing). Otherwise `atlas repl` reads the inputs from standard input with
the same rules, without prompts (`atlas repl < session.txt`), and exits with status 1 if
any of them failed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from . import __version__
from .check.prelude import known_builtins
from .compile.disasm import disassemble
from .compile.proto import FunctionProto
from .config import JitConfig
from .diagnostics import AtlasError, Diagnostic, print_diagnostics
from .pipeline import Session
from .source import SourceFile
from .syntax import ast
from .syntax.lexer import tokenize
from .syntax.parser import parse
from .syntax.tokens import KEYWORDS, Token, TokenKind
from .vm.errors import AtlasInterrupt
from .vm.executor import run_on_big_stack
from .vm.values import Function, display

if TYPE_CHECKING:
    from prompt_toolkit.filters import Filter
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

HISTORY_ENV = "ATLAS_HISTORY"  # the history file; empty keeps no history file
DEFAULT_HISTORY = os.path.join("~", ".atlas_history")
PROMPT, CONTINUATION = "atlas> ", "...    "
INDENT = "    "

CLOSER_OF = {
    TokenKind.LeftParen: TokenKind.RightParen,
    TokenKind.LeftBrace: TokenKind.RightBrace,
    TokenKind.LeftBracket: TokenKind.RightBracket,
}
CLOSERS = frozenset(CLOSER_OF.values())
UNFINISHED_CODES = frozenset({"AT1002", "AT1004"})  # unterminated string / comment


def needs_more_input(text: str) -> bool:
    """True while `text` is unfinished: the Atlas lexer finds an unclosed bracket, string
    or comment, or the parser's first complaint is that the input ended (`let y = 1 +`).

    A closing bracket that matches nothing ends the input: the parser reports it."""
    tokens, diagnostics = tokenize(SourceFile("<input>", text))
    if any(d.code in UNFINISHED_CODES for d in diagnostics):
        return True
    expected = unclosed_brackets(tokens)
    if expected is None:
        return False
    if expected:
        return True
    if diagnostics or with_statement_end(text) is not text:
        return False
    errors = parse(SourceFile("<input>", text))[1]
    first = min((d.span.start for d in errors if d.span is not None), default=-1)
    return first >= len(text)


def unclosed_brackets(tokens: list[Token]) -> list[TokenKind] | None:
    """The closers the open brackets of `tokens` wait for, innermost last (None: a closer
    that matches nothing)."""
    expected: list[TokenKind] = []
    for token in tokens:
        if token.kind in CLOSER_OF:
            expected.append(CLOSER_OF[token.kind])
        elif token.kind in CLOSERS:
            if not expected or expected.pop() is not token.kind:
                return None
    return expected


def indent_for(text_before: str) -> str:
    """The indentation of a new line after `text_before`: one level per open bracket."""
    tokens, _ = tokenize(SourceFile("<input>", text_before))
    return INDENT * len(unclosed_brackets(tokens) or ())


def with_statement_end(text: str) -> str:
    """`text`, or `text;` when only the missing `;` keeps it from parsing (`1 + 2`)."""
    if text.strip() and parse(SourceFile("<input>", text))[1]:
        completed = text.rstrip() + ";"
        if not parse(SourceFile("<input>", completed))[1]:
            return completed
    return text


def history_file() -> str | None:
    """Where the history is kept: $ATLAS_HISTORY, else ~/.atlas_history (None: nowhere)."""
    path = os.environ.get(HISTORY_ENV)
    if path is None:
        path = DEFAULT_HISTORY
    return os.path.expanduser(path) if path else None


class Repl:
    """Evaluates inputs and commands against one session, writing to out and err."""

    def __init__(
        self, jit: JitConfig, out: IO[str] | None = None, err: IO[str] | None = None
    ) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.jit_config = jit
        self.session = Session(jit=jit, write_stdout=self.write)
        self.inputs = 0
        self.failures = 0
        self.commands: dict[str, tuple[Callable[[str], bool], str]] = {
            "help": (self.command_help, "this list"),
            "type": (self.command_type, "EXPR  the static type of EXPR (it is not run)"),
            "disasm": (self.command_disasm, "NAME  the bytecode of function NAME"),
            "jit": (self.command_jit, "what the JIT has compiled so far, and why not the rest"),
            "quit": (self.command_quit, "leave (so do Ctrl-D and :q)"),
        }

    def known_words(self) -> list[str]:
        """What Tab completes: keywords, builtins and the names defined so far."""
        return sorted({*KEYWORDS, *known_builtins(), *self.session.prior_globals})

    def write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def handle(self, text: str) -> bool:
        """Evaluate one input or command; False when the REPL should end."""
        stripped = text.strip()
        if not stripped:
            return True
        if stripped.startswith(":"):
            return self.command(stripped[1:])
        self.evaluate(text)
        return True

    def evaluate(self, text: str) -> None:
        self.inputs += 1
        session = self.session
        try:
            modules = session.prepare_text(with_statement_end(text), f"<input {self.inputs}>")
            self.report(session.take_warnings())
            value = run_on_big_stack(session.execute, modules)
        except AtlasError as error:
            self.fail(error.diagnostics + session.take_warnings())
            return
        except (AtlasInterrupt, KeyboardInterrupt):
            self.complain("interrupted")
            return
        if value is not None:
            self.write(display(value) + "\n")

    def report(self, diagnostics: list[Diagnostic]) -> None:
        if diagnostics:
            self.out.flush()
            print_diagnostics(diagnostics, self.err)

    def fail(self, diagnostics: list[Diagnostic]) -> None:
        self.failures += 1
        self.report(diagnostics)

    def complain(self, message: str) -> None:
        self.failures += 1
        self.out.flush()
        self.err.write(f"error: {message}\n")
        self.err.flush()

    # -- commands

    def command(self, line: str) -> bool:
        name, *rest = line.split(None, 1) or [""]
        argument = rest[0] if rest else ""
        if name in ("q", "exit"):
            name = "quit"
        entry = self.commands.get(name)
        if entry is None:
            self.complain(f"unknown command ':{name}' (:help lists the commands)")
            return True
        return entry[0](argument.strip())

    def command_help(self, _: str) -> bool:
        lines = [f"  :{name:<7} {text}" for name, (_, text) in self.commands.items()]
        self.write(
            "Enter Atlas declarations, statements or an expression; its value is shown.\n"
            "An input with an open bracket, string or comment goes on over more lines\n"
            "(Esc Enter ends it anyway). Ctrl-C cancels the input or stops a running one.\n"
            "Commands:\n" + "\n".join(lines) + "\n"
        )
        return True

    def command_type(self, argument: str) -> bool:
        if not argument:
            self.complain("usage: :type EXPR")
            return True
        session = self.session
        source = with_statement_end(argument)
        try:
            modules = session.load_text(source, "<type>")
            items = modules[-1].program.items
            if len(items) != 1 or not isinstance(items[0], ast.ExprStmt):
                self.complain(":type takes one expression")
                return True
            session.check(modules)
        except AtlasError as error:
            self.fail(error.diagnostics)
            return True
        finally:
            session.take_warnings()
        self.write(f"{items[0].expr.ty}\n")
        return True

    def command_disasm(self, name: str) -> bool:
        if not name:
            self.complain("usage: :disasm NAME")
            return True
        proto = self.function_named(name)
        if proto is None:
            self.complain(f"no function named '{name}'")
            return True
        self.write(disassemble(proto, self.session.image) + "\n")
        return True

    def function_named(self, name: str) -> FunctionProto | None:
        """What `name` calls now: the global function bound to it, else (a method or a
        nested function) the latest function compiled under that name."""
        image = self.session.image
        symbol = self.session.prior_globals.get(name)
        slot = image.slots.get(symbol) if symbol is not None else None
        if slot is not None and slot[0] == "v":
            value = image.globals.values[slot[1]]
            if type(value) is Function:
                return value.proto
        named = [p for p in image.protos if p.name == name and not p.is_main]
        return named[-1] if named else None

    def command_jit(self, _: str) -> bool:
        from .jit.stats import collect, render

        session = self.session
        if session.jit is None:
            self.write("The JIT is off (ATLAS_JIT=0 or --no-jit): everything runs in the VM.\n")
        render(collect(session.image, session.jit, self.jit_config), self.out)
        self.out.flush()
        return True

    def command_quit(self, _: str) -> bool:
        return False


def run_interactive(repl: Repl, history_path: str | None) -> int:
    """The prompt_toolkit loop: Ctrl-C cancels the input, Ctrl-D (or :quit) ends it."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.application import get_app
    from prompt_toolkit.completion import WordCompleter
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.lexers import PygmentsLexer

    from .highlight import AtlasLexer

    unfinished = Condition(lambda: needs_more_input(get_app().current_buffer.text))
    prompt = PromptSession(
        history=open_history(history_path, repl.err),
        lexer=PygmentsLexer(AtlasLexer),
        # Enter inserts a new line while the input is unfinished, else submits it.
        multiline=unfinished,
        key_bindings=indentation_bindings(unfinished),
        completer=WordCompleter(repl.known_words),
        complete_while_typing=False,  # Tab completes
        prompt_continuation=lambda width, line_number, wrapped: CONTINUATION[:width].rjust(width),
    )
    repl.write(f"Atlas {__version__}. :help lists the commands, Ctrl-D leaves.\n")
    while True:
        try:
            text = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        try:
            if not repl.handle(text):
                break
        except KeyboardInterrupt:  # a Ctrl-C that arrived outside the running program
            repl.complain("interrupted")
    return 0


def indentation_bindings(unfinished: Filter) -> KeyBindings:
    """Enter in an unfinished input indents the new line by its open brackets; a closing
    brace typed at the start of a line takes one level off."""
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter", filter=unfinished)
    def new_line(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        buffer.insert_text("\n" + indent_for(buffer.document.text_before_cursor))

    @bindings.add("}")
    def close_block(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        before = buffer.document.current_line_before_cursor
        if before and not before.strip() and before.endswith(INDENT):
            buffer.delete_before_cursor(len(INDENT))
        buffer.insert_text("}")

    return bindings


def open_history(path: str | None, err: IO[str]) -> object:
    """A FileHistory at `path`, or one in memory when there is none or it is unwritable."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    if path is None:
        return InMemoryHistory()
    try:
        with open(path, "ab"):
            pass
    except OSError as error:
        err.write(f"warning: history not saved: cannot write {path} ({error.strerror})\n")
        return InMemoryHistory()
    return FileHistory(path)


def run_piped(repl: Repl, lines: IO[str]) -> int:
    """Inputs read from a stream, split as the prompt would; 1 if any of them failed."""
    pending = ""
    for line in lines:
        pending += line
        if needs_more_input(pending):
            continue
        text, pending = pending, ""
        if not repl.handle(text):
            break
    else:
        if pending.strip():  # the stream ended inside an input: report what it lacks
            repl.handle(pending)
    return 1 if repl.failures else 0


def main(jit: JitConfig, interactive: bool | None = None) -> int:
    """Run the REPL; `interactive` defaults to whether standard input and output are a
    terminal (line editing needs both)."""
    repl = Repl(jit)
    if interactive is None:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if interactive:
        return run_interactive(repl, history_file())
    return run_piped(repl, sys.stdin)
