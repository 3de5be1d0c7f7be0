"""The `atlas` command: run, test, check and disassemble programs.

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
from .config import SETTINGS, ConfigError, ResolvedConfig, parse_value, resolve
from .diagnostics import AtlasError, Diagnostic, print_diagnostics
from .permissions import Permissions
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

    check = commands.add_parser("check", help="check a program without running it")
    check.add_argument("file")
    check.add_argument("--json", action="store_true", help="diagnostics as JSON lines on stderr")

    disasm = commands.add_parser("disasm", help="print the bytecode of every function")
    disasm.add_argument("file")
    disasm.add_argument("--fn", metavar="NAME", help="only the function NAME")
    disasm.add_argument("--json", action="store_true", help="diagnostics as JSON lines on stderr")

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


def jit_settings(args: argparse.Namespace) -> ResolvedConfig:
    return resolve({f.name: getattr(args, f.name, None) for f in SETTINGS})


def report(diags: list[Diagnostic], as_json: bool) -> None:
    sys.stdout.flush()
    print_diagnostics(diags, sys.stderr, as_json=as_json)


def command_run(args: argparse.Namespace) -> int:
    config = jit_settings(args).config
    session = Session(jit=config, permissions=permissions(args))
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


def command_test(args: argparse.Namespace) -> int:
    from .testing import TestRunner

    runner = TestRunner(
        sys.stdout, sys.stderr, jit=jit_settings(args).config, permissions=permissions(args)
    )
    return runner.run(args.paths)


COMMANDS = {
    "run": command_run,
    "check": command_check,
    "disasm": command_disasm,
    "jit": command_jit,
    "test": command_test,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
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
