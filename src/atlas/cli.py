"""The `atlas` command: run, test, check and disassemble programs; the REPL.

`atlas` alone starts the REPL when standard input and output are a terminal, and prints
usage otherwise.

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
from .config import SETTINGS, ConfigError, JitConfig, ResolvedConfig, parse_value, resolve
from .diagnostics import AtlasError, Diagnostic, print_diagnostics
from .limits import MEMORY_LIMIT_CODE, TIME_LIMIT_CODE
from .permissions import Permissions
from .pipeline import Session
from .vm.errors import AtlasInterrupt
from .vm.executor import RunLimits, run_on_big_stack
from .vm.values import display

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="atlas", description="Atlas: a statically typed scripting language with a JIT."
    )
    parser.add_argument("--version", action="version", version=f"atlas {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="run a program", epilog=PERMISSIONS_HELP)
    run.add_argument("file", help="the .atl file to run")
    run.add_argument("--json", action="store_true", help="diagnostics as JSON lines on stderr")
    add_permission_flags(run)
    add_jit_flags(run)
    run.add_argument(
        "--jit-stats", action="store_true", help="print what the JIT compiled to stderr after the run"
    )
    run.add_argument(
        "--jit-stats-json", metavar="PATH", help="write the JIT statistics as JSON to PATH"
    )
    run.add_argument(
        "--timeout", metavar="SECONDS", type=positive_float,
        help=f"stop the program with {TIME_LIMIT_CODE} after SECONDS (VM or native code)",
    )  # fmt: skip
    run.add_argument(
        "--max-memory", metavar="MB", type=positive_float,
        help=f"stop the program with {MEMORY_LIMIT_CODE} when the process holds more than MB megabytes",
    )  # fmt: skip
    run.add_argument(
        "--jit-log", action="store_true",
        help="print a line to stderr whenever code compiles, falls back, is evicted or is entered by OSR",
    )  # fmt: skip

    check = commands.add_parser("check", help="check a program without running it")
    check.add_argument("file")
    check.add_argument("--json", action="store_true", help="diagnostics as JSON lines on stderr")

    disasm = commands.add_parser("disasm", help="print the bytecode of every function")
    disasm.add_argument("file")
    disasm.add_argument("--fn", metavar="NAME", help="only the function NAME")
    disasm.add_argument("--ir", action="store_true", help="also the LLVM IR the JIT compiles it to")
    disasm.add_argument("--asm", action="store_true", help="also the machine code the JIT produces")
    disasm.add_argument("--json", action="store_true", help="diagnostics as JSON lines on stderr")

    repl = commands.add_parser(
        "repl", help="the interactive prompt (what `atlas` alone starts on a terminal)"
    )
    add_jit_flags(repl)

    test = commands.add_parser(
        "test",
        help="run the test functions of Atlas test files",
        description="Run every top-level function named test... (no parameters) of the given "
        "files, and of the *_test.atl and test_*.atl files below the given directories, each "
        "in a fresh program. Exit status 0: all passed; 1: a test failed or a file has "
        "errors; 2: no tests found.",
        epilog=PERMISSIONS_HELP,
    )
    test.add_argument("paths", nargs="+", metavar="PATH", help="a test file or a directory")
    add_permission_flags(test)
    add_jit_flags(test)

    jit = commands.add_parser("jit", help="JIT settings")
    jit_commands = jit.add_subparsers(dest="jit_command", metavar="WHAT", required=True)
    config = jit_commands.add_parser(
        "config", help="print the effective JIT configuration and where each value came from"
    )
    add_jit_flags(config)
    config.add_argument("--json", action="store_true", help="print it as JSON")
    return parser


PERMISSIONS_HELP = (
    "Permissions: programs may not use the file system, environment variables or other "
    "programs unless granted with --allow-io and --allow-process (denied by default)."
)


def add_permission_flags(parser: argparse.ArgumentParser) -> None:
    """The grants of atlas.permissions (everything is denied without them)."""
    parser.add_argument(
        "--allow-io", action="store_true",
        help="let the program read and write files and environment variables",
    )  # fmt: skip
    parser.add_argument(
        "--allow-process", action="store_true", help="let the program run other programs"
    )


def permissions(args: argparse.Namespace) -> Permissions:
    return Permissions(allow_io=args.allow_io, allow_process=args.allow_process)


def add_jit_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per JitConfig setting, named and explained by the setting itself."""
    for f in SETTINGS:
        meta = f.metadata
        env = meta["env"]
        if f.type in (bool, "bool"):  # the flag turns a default-on feature off
            parser.add_argument(
                meta["flag"], dest=f.name, action="store_const", const=False, default=None,
                help=f"{meta['flag_help']} [env {env}=0]",
            )  # fmt: skip
        else:
            parser.add_argument(
                meta["flag"], dest=f.name, metavar="N", default=None, type=flag_parser(f),
                help=f"{meta['help']} (default {f.default:,}) [env {env}]",
            )  # fmt: skip


def flag_parser(f: object) -> object:
    def parse(text: str) -> object:
        try:
            return parse_value(f, text, f.metadata["flag"])  # type: ignore[attr-defined]
        except ConfigError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
    return value


def run_limits(args: argparse.Namespace) -> RunLimits:
    memory = None if args.max_memory is None else int(args.max_memory * 1024 * 1024)
    return RunLimits(seconds=args.timeout, memory_bytes=memory)


def jit_settings(args: argparse.Namespace) -> ResolvedConfig:
    return resolve({f.name: getattr(args, f.name, None) for f in SETTINGS})


def report(diags: list[Diagnostic], as_json: bool) -> None:
    sys.stdout.flush()
    print_diagnostics(diags, sys.stderr, as_json=as_json)


def command_run(args: argparse.Namespace) -> int:
    config = jit_settings(args).config
    session = Session(jit=config, permissions=permissions(args))
    if args.jit_log and session.jit is not None:
        session.jit.log = lambda line: sys.stderr.write(line + "\n")
    try:
        status = run_program(session, args)
    finally:
        if args.jit_stats or args.jit_stats_json:
            write_jit_stats(session, args)
    return status


def run_program(session: Session, args: argparse.Namespace) -> int:
    try:
        modules = session.prepare_file(args.file)
        report(session.take_warnings(), args.json)
        value = run_on_big_stack(session.execute, modules, limits=run_limits(args))
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


def write_jit_stats(session: Session, args: argparse.Namespace) -> None:
    import json

    from .jit.stats import collect, render

    sys.stdout.flush()
    stats = collect(session.image, session.jit, session.jit_config)
    if args.jit_stats:
        render(stats, sys.stderr)
    if args.jit_stats_json:
        with open(args.jit_stats_json, "w", encoding="utf-8") as out:
            json.dump(stats, out, indent=2)
            out.write("\n")


def command_jit(args: argparse.Namespace) -> int:
    import json

    described = jit_settings(args).describe()
    if args.json:
        sys.stdout.write(json.dumps(described, indent=2) + "\n")
        return EXIT_OK
    width = max(len(name) for name in described)
    sys.stdout.write(f"{'setting':<{width}}  {'value':>10}  {'default':>10}  source  set by\n")
    for f in SETTINGS:
        item = described[f.name]
        where = f"{f.metadata['env']} / {f.metadata['flag']}"
        value, default = (format_setting(item[k]) for k in ("value", "default"))
        sys.stdout.write(f"{f.name:<{width}}  {value:>10}  {default:>10}  {item['source']:<7} {where}\n")
    return EXIT_OK


def format_setting(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else f"{value:,}"


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
    from .compile.disasm import disassemble

    session = Session(jit=JitConfig() if args.ir or args.asm else None)
    try:
        session.prepare_file(args.file)
    except AtlasError as error:
        report(error.diagnostics, args.json)
        return EXIT_ERROR
    protos = [p for p in session.image.protos if args.fn is None or p.name == args.fn]
    if not protos:
        sys.stderr.write(f"error: no function named '{args.fn}'\n")
        return EXIT_ERROR
    parts = []
    for proto in protos:
        parts.append(disassemble(proto, session.image))
        if session.jit is not None:
            parts.extend(native_listings(session, proto, args))
    sys.stdout.write("\n\n".join(parts) + "\n")
    return EXIT_OK


def native_listings(session: Session, proto: object, args: argparse.Namespace) -> list[str]:
    """The LLVM IR (after optimisation) and machine code of `proto` as the JIT compiles
    it: the whole function, or else each of its loop nests; or why it stays in the VM."""
    listings = []
    for title, unit in session.jit.inspect(proto):  # type: ignore[union-attr]
        if isinstance(unit, str) or unit is None:
            listings.append(f";; {title}: stays in the VM: {unit}")
            continue
        if args.ir:
            listings.append(f";; {title}: LLVM IR after optimisation\n{unit.optimized_ir.rstrip()}")
        if args.asm:
            listings.append(f";; {title}: machine code ({unit.code_bytes} bytes)\n{unit.asm_text.rstrip()}")
    return listings


def command_repl(args: argparse.Namespace) -> int:
    from .repl import main as repl_main

    return repl_main(jit_settings(args).config)


def command_test(args: argparse.Namespace) -> int:
    from .testing import TestRunner

    runner = TestRunner(
        sys.stdout, sys.stderr, jit=jit_settings(args).config, permissions=permissions(args)
    )
    return runner.run(args.paths)


COMMANDS = {
    "run": command_run, "check": command_check, "disasm": command_disasm, "jit": command_jit,
    "repl": command_repl, "test": command_test,
}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # On a terminal, the REPL; otherwise usage, so a script never waits on its input.
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            parser.print_help()
            return EXIT_USAGE
        args.command = "repl"
    try:
        return COMMANDS[args.command](args)
    except ConfigError as error:  # a bad ATLAS_JIT_* environment variable
        sys.stderr.write(f"error: {error}\n")
        return EXIT_USAGE
    except (AtlasInterrupt, KeyboardInterrupt):  # Ctrl-C while loading or checking
        sys.stderr.write("error: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `atlas run prog.atl | head`: the reader went away
        # Point stdout at /dev/null so the flush at exit cannot fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK
