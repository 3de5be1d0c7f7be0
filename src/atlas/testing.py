"""`atlas test`: run the test functions of Atlas test files.

Discovery: a file named on the command line is a test file whatever its name; a
directory contributes every `*_test.atl` and `test_*.atl` below it (hidden directories
skipped), in path order. A test is a top-level function whose name starts with `test`
and that takes no parameters; it passes when it returns and fails when it raises a
runtime error (an assertion of reference 7.9, or any other).

Isolation: every test runs in a fresh program, so one test's globals, output and
failures never reach another: its file is loaded, its top-level code run, then the
test function called. What the test printed is shown only when it fails.

Exit status: 0 when every test passed, 1 when one failed or a file could not be
loaded (syntax or type errors), 2 when there is nothing to run (a path that does not
exist, no test files, no test functions), 130 when interrupted.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from .config import JitConfig
from .diagnostics import AtlasError, Diagnostic, sort_diagnostics
from .permissions import DENY_ALL, Permissions
from .pipeline import Session, runtime_diagnostic
from .syntax import ast
from .vm.errors import AtlasRuntimeError
from .vm.executor import run_on_big_stack

EXIT_OK, EXIT_FAILED, EXIT_NO_TESTS = 0, 1, 2
TEST_PREFIX = "test"


def is_test_file(name: str) -> bool:
    return name.endswith(".atl") and (name.endswith("_test.atl") or name.startswith("test_"))


def discover(path: str) -> list[str]:
    """The test files `path` names (FileNotFoundError when it does not exist)."""
    if os.path.isfile(path):
        return [path]
    if not os.path.isdir(path):
        raise FileNotFoundError(path)
    found: list[str] = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            os.path.normpath(os.path.join(folder, f)) for f in sorted(files) if is_test_file(f)
        )
    return found


@dataclass(frozen=True)
class TestCase:
    __test__ = False  # not a pytest test class, whatever its name

    file: str
    name: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class TestOutcome:
    __test__ = False

    case: TestCase
    error: Diagnostic | None = None  # None: passed
    output: str = ""

    @property
    def passed(self) -> bool:
        return self.error is None


@dataclass
class TestRun:
    """What one `atlas test` found and how it went."""

    __test__ = False

    outcomes: list[TestOutcome] = field(default_factory=list)
    file_errors: list[tuple[str, list[Diagnostic]]] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def failed(self) -> int:
        return len(self.outcomes) - self.passed

    def summary(self, seconds: float) -> str:
        """`3 passed, 1 failed, 1 error in 0.12s` (zero counts left out)."""
        errors = len(self.file_errors)
        parts = [f"{self.passed} passed"] if self.passed else []
        if self.failed:
            parts.append(f"{self.failed} failed")
        if errors:
            parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        return f"{', '.join(parts) or 'no tests ran'} in {seconds:.2f}s"

    @property
    def exit_status(self) -> int:
        if self.failed or self.file_errors:
            return EXIT_FAILED
        return EXIT_OK if self.outcomes else EXIT_NO_TESTS


class TestRunner:
    """Runs test files with one JIT configuration and one set of permissions."""

    __test__ = False

    def __init__(
        self,
        stream: IO[str],
        errors: IO[str],
        *,
        jit: JitConfig | None = None,
        permissions: Permissions = DENY_ALL,
    ) -> None:
        self.stream = stream  # the report
        self.errors = errors  # usage errors
        self.jit = jit
        self.permissions = permissions

    def session(self, output: list[str] | None = None) -> Session:
        write = output.append if output is not None else None
        return Session(jit=self.jit, write_stdout=write, permissions=self.permissions)

    def collect(self, file: str) -> list[TestCase]:
        """The tests of `file`, after loading and checking it (AtlasError if it fails)."""
        session = self.session()
        modules = session.load_file(file)
        session.check(modules)
        program = modules[-1].program  # the entry module comes last
        cases = []
        for item in program.items:
            if is_test_function(item):
                line = program.source.position(item.name_span.start)[0]
                cases.append(TestCase(file, item.name, line))
        return cases

    def run_case(self, case: TestCase) -> TestOutcome:
        """Load, run and call one test in a program of its own."""
        output: list[str] = []
        session = self.session(output)
        outcome = TestOutcome(case)
        try:
            modules = session.prepare_file(case.file)
            run_on_big_stack(session.execute, modules)
            run_on_big_stack(call_test, session, modules[-1].program, case.name)
        except AtlasError as error:
            outcome.error = sort_diagnostics(error.diagnostics)[0]
        except AtlasRuntimeError as error:
            outcome.error = runtime_diagnostic(error)
        outcome.output = "".join(output)
        return outcome

    def run(self, paths: Iterable[str]) -> int:
        started = time.perf_counter()
        files: list[str] = []
        for path in paths:
            try:
                files.extend(discover(path))
            except FileNotFoundError:
                self.errors.write(f"error: no such file or directory: {path}\n")
                return EXIT_NO_TESTS
        result = TestRun()
        for file in files:
            try:
                cases = self.collect(file)
            except AtlasError as error:
                result.file_errors.append((file, error.diagnostics))
                self.report_file_error(file, error.diagnostics)
                continue
            for case in cases:
                outcome = self.run_case(case)
                result.outcomes.append(outcome)
                self.report(outcome)
        if not result.outcomes and not result.file_errors:
            self.errors.write(
                "error: no tests found (test files are named *_test.atl or test_*.atl; tests\n"
                "are their top-level functions whose names start with 'test', without parameters)\n"
            )
            return EXIT_NO_TESTS
        self.stream.write(result.summary(time.perf_counter() - started) + "\n")
        self.stream.flush()
        return result.exit_status

    # -- reporting

    def report(self, outcome: TestOutcome) -> None:
        case = outcome.case
        if outcome.passed:
            self.stream.write(f"PASS  {case.name} ({case.where})\n")
            return
        self.stream.write(f"FAIL  {case.name} ({case.where})\n")
        assert outcome.error is not None
        self.stream.write(indent(outcome.error.render(), 6))
        if outcome.output:
            self.stream.write("      captured output:\n" + indent(outcome.output, 8))
        self.stream.flush()

    def report_file_error(self, file: str, diagnostics: list[Diagnostic]) -> None:
        self.stream.write(f"ERROR {file}: could not be loaded\n")
        errors = [d for d in sort_diagnostics(diagnostics) if d.level == "error"]
        for d in errors:
            self.stream.write(indent(d.render(), 6))
        self.stream.flush()


def is_test_function(item: Any) -> bool:
    return isinstance(item, ast.FnDecl) and item.name.startswith(TEST_PREFIX) and not item.params


def call_test(session: Session, program: ast.Program, name: str) -> Any:
    """Call the top-level function `name` of `program` (already run) with no arguments."""
    decl = next(i for i in program.items if isinstance(i, ast.FnDecl) and i.name == name)
    _space, index = session.image.slot(decl.symbol)
    return session.vm.call_value(session.image.globals.values[index], [])


def indent(text: str, width: int) -> str:
    pad = " " * width
    return "".join(pad + line + "\n" for line in text.splitlines())
