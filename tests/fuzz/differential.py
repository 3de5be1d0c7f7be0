"""Run one program in the VM and with the JIT compiling everything at once; compare.

Observable behaviour is stdout, and the first error's code, message, line and column
(or no error). A Python exception other than `AtlasError` escaping either run is
recorded as a crash, and a run still going after `timeout` seconds as a timeout: both
are failures even when the two tiers agree.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from atlas.config import JitConfig
from atlas.diagnostics import AtlasError
from atlas.limits import TIME_LIMIT_CODE, ensure_recursion_headroom
from atlas.pipeline import Session
from atlas.vm.executor import RunLimits, run_on_big_stack

# Raised once here rather than during a hypothesis example (which warns when a test
# changes the recursion limit).
ensure_recursion_headroom()

# The JIT compiles every function on its first call and every loop on its first back-edge.
EAGER = JitConfig(call_threshold=0, loop_threshold=0)
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Outcome:
    stdout: str
    error: tuple[str, str, int, int] | None  # code, message, line, column
    crash: str | None = None  # a Python exception that escaped, or "timeout"
    phase: str = "run"  # where the error came from: "front" (load/check/compile) or "run"

    @property
    def failed(self) -> bool:
        return self.error is not None or self.crash is not None

    def observable(self) -> tuple:
        return (self.stdout, self.error, self.failed, self.crash is not None)


def run(source: str, jit: JitConfig | None, timeout: float = TIMEOUT_SECONDS) -> Outcome:
    out: list[str] = []
    session = Session(jit=jit, write_stdout=out.append)
    phase = "front"
    try:
        modules = session.prepare_text(source, "fuzz.atl")
        phase = "run"
        run_on_big_stack(session.execute, modules, limits=RunLimits(seconds=timeout))
    except AtlasError as exc:
        first = next(d for d in exc.diagnostics if d.level == "error")
        if first.code == TIME_LIMIT_CODE:
            return Outcome("".join(out), None, "timeout", phase)
        return Outcome(
            "".join(out), (first.code, first.message, first.line, first.column), None, phase
        )
    except Exception as exc:  # a crash of the implementation: reported, not raised
        crash = "".join(traceback.format_exception_only(exc)).strip()
        return Outcome("".join(out), None, crash, phase)
    return Outcome("".join(out), None, None, phase)


@dataclass(frozen=True)
class Comparison:
    source: str
    vm: Outcome
    jit: Outcome

    @property
    def mismatch(self) -> bool:
        return self.vm.observable() != self.jit.observable()

    @property
    def invalid(self) -> bool:
        """The generator's fault: the program did not get past the front end."""
        return self.vm.phase == "front"

    @property
    def crashed(self) -> bool:
        return self.vm.crash is not None or self.jit.crash is not None

    @property
    def ok(self) -> bool:
        return not (self.mismatch or self.invalid or self.crashed)

    def signature(self) -> str:
        """What differs, coarsely: groups mismatches that likely share a cause."""
        if self.invalid:
            return f"invalid program: {self.vm.error}"
        if self.crashed:
            which = self.jit.crash if self.jit.crash else self.vm.crash
            return f"crash: {which.splitlines()[-1][:120]}"
        vm_code = self.vm.error[0] if self.vm.error else "ok"
        jit_code = self.jit.error[0] if self.jit.error else "ok"
        if vm_code != jit_code:
            return f"error code: vm {vm_code}, jit {jit_code}"
        if self.vm.error != self.jit.error:
            return f"error position or message ({vm_code})"
        return "stdout"

    def describe(self) -> str:
        return (
            f"{self.signature()}\n"
            f"vm:  error={self.vm.error} crash={self.vm.crash}\n"
            f"jit: error={self.jit.error} crash={self.jit.crash}\n"
            f"stdout diff:\n{stdout_diff(self.vm.stdout, self.jit.stdout)}"
        )


def stdout_diff(vm: str, jit: str, context: int = 2) -> str:
    a, b = vm.splitlines(), jit.splitlines()
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "<none>"
        y = b[i] if i < len(b) else "<none>"
        if x != y:
            start = max(0, i - context)
            shown = [
                f"  line {j + 1}: vm {a[j] if j < len(a) else '<none>'!r} jit {b[j] if j < len(b) else '<none>'!r}"
                for j in range(start, i + 1)
            ]
            return "\n".join(shown)
    return "  (same)"


def compare(source: str, jit: JitConfig = EAGER, timeout: float = TIMEOUT_SECONDS) -> Comparison:
    return Comparison(source, run(source, None, timeout), run(source, jit, timeout))
