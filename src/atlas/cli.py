"""The `atlas` command: run, check and disassemble programs.

Exit status: 0 on success, 1 on any syntax, type or runtime error, 2 on bad usage,
130 when interrupted. Program output goes to stdout; diagnostics go to stderr (human
form, coloured on a terminal; `--json` for one JSON record per line).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .diagnostics import AtlasError, Diagnostic, print_diagnostics
from .pipeline import Session
from .vm.errors import AtlasInterrupt
from .vm.executor import run_on_big_stack
from .vm.values import display

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="atlas", description="Atlas: a statically typed scripting language with a JIT."
    )
    parser.add_argument("--version", action="version", version=f"atlas {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="run a program")
    run.add_argument("file", help="the .atl file to run")
    run.add_argument("--json", action="store_true", help="diagnostics as JSON lines on stderr")
    run.add_argument("--no-jit", action="store_true", help="run everything in the bytecode VM")

    check = commands.add_parser("check", help="check a program without running it")
    check.add_argument("file")
    check.add_argument("--json", action="store_true", help="diagnostics as JSON lines on stderr")

    disasm = commands.add_parser("disasm", help="print the bytecode of every function")
    disasm.add_argument("file")
    disasm.add_argument("--fn", metavar="NAME", help="only the function NAME")
    disasm.add_argument("--json", action="store_true", help="diagnostics as JSON lines on stderr")
    return parser


def report(diags: list[Diagnostic], as_json: bool) -> None:
    sys.stdout.flush()
    print_diagnostics(diags, sys.stderr, as_json=as_json)


def command_run(args: argparse.Namespace) -> int:
    session = Session()
    try:
        modules = session.prepare_file(args.file)
        report(session.take_warnings(), args.json)
        value = run_on_big_stack(session.execute, modules)
    except AtlasError as error:
        report(error.diagnostics + session.take_warnings(), args.json)
        return EXIT_ERROR
    except (AtlasInterrupt, KeyboardInterrupt):
        sys.stdout.flush()
        sys.stderr.write("error: interrupted\n")
        return EXIT_INTERRUPTED
    if value is not None:
        sys.stdout.write(display(value) + "\n")
    sys.stdout.flush()
    return EXIT_OK


def command_check(args: argparse.Namespace) -> int:
    session = Session()
    try:
        session.check(session.load_file(args.file))
    except AtlasError as error:
        report(error.diagnostics + session.take_warnings(), args.json)
        return EXIT_ERROR
    report(session.take_warnings(), args.json)
    return EXIT_OK


def command_disasm(args: argparse.Namespace) -> int:
    from .compile.disasm import disassemble_image

    session = Session()
    try:
        session.prepare_file(args.file)
    except AtlasError as error:
        report(error.diagnostics, args.json)
        return EXIT_ERROR
    text = disassemble_image(session.image, args.fn)
    if not text:
        sys.stderr.write(f"error: no function named '{args.fn}'\n")
        return EXIT_ERROR
    sys.stdout.write(text + "\n")
    return EXIT_OK


COMMANDS = {"run": command_run, "check": command_check, "disasm": command_disasm}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except (AtlasInterrupt, KeyboardInterrupt):  # Ctrl-C while loading or checking
        sys.stderr.write("error: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `atlas run prog.atl | head`: the reader went away
        # Point stdout at /dev/null so the flush at exit cannot fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK
