"""Running Atlas source with and without the JIT, and reading the JIT's records."""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.config import JitConfig
from atlas.diagnostics import AtlasError
from atlas.jit.analysis import analyze
from atlas.pipeline import Session
from atlas.vm.executor import run_on_big_stack

EAGER = JitConfig(call_threshold=0, loop_threshold=0)


@dataclass
class Run:
    stdout: str
    error: tuple[str, str, int, int] | None
    session: Session

    @property
    def jit(self):
        return self.session.jit

    def function(self, name: str):
        proto = next(p for p in self.session.image.protos if p.name == name)
        return self.jit.function_record(proto)

    def loops(self, name: str) -> list:
        return [r for (p, _), r in sorted(self.jit.loops.items(), key=lambda kv: kv[0][1]) if p.name == name]


def run(source: str, jit: JitConfig | None = EAGER, *, keep_asm: bool = False) -> Run:
    """Run `source`; `keep_asm`: keep each unit's optimised IR and assembly too."""
    out: list[str] = []
    session = Session(jit=jit, write_stdout=out.append)
    error = None
    try:
        modules = session.prepare_text(source, "test.atl")
        if keep_asm:
            session.jit.backend.keep_asm = True
        run_on_big_stack(session.execute, modules)
    except AtlasError as exc:
        d = exc.diagnostics[0]
        error = (d.code, d.message, d.line, d.column)
    return Run("".join(out), error, session)


def unit_ir(source: str, jit: JitConfig = EAGER) -> str:
    """The IR the JIT wrote for every unit a run of `source` compiled, in order."""
    return "\n".join(unit.loaded.ir_text for unit in run(source, jit).jit.cache.units)


def listing(source: str, part: str, jit: JitConfig = EAGER) -> str:
    """Every compiled unit's `optimized_ir` or `asm_text` (the `part` of LoadedUnit)."""
    return "\n".join(getattr(unit.loaded, part) for unit in run(source, jit, keep_asm=True).jit.cache.units)


def analysed(source: str, name: str):
    """The prototype of the function `name` in `source`, and the JIT's analysis of it."""
    session = Session()
    session.prepare_text(source, "test.atl")
    proto = next(p for p in session.image.protos if p.name == name)
    return proto, analyze(session.image, proto)


def pcs_of(proto, op: int) -> list[int]:
    return [pc for pc, instr in enumerate(proto.code) if instr[0] == op]


def function_ir(module_text: str, name: str) -> str:
    """The definition of one function in an IR listing."""
    lines = module_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("define") and f'@"{name}"(' in line)
    end = lines.index("}", start)
    return "\n".join(lines[start:end])


BLOCK_LABEL = re.compile(r'^"?([\w.]+)"?:', re.M)


def blocks(ir_text: str) -> list[tuple[str, str]]:
    """The basic blocks of an IR listing in order: (label, its text up to the next)."""
    marks = list(BLOCK_LABEL.finditer(ir_text))
    ends = [m.start() for m in marks[1:]] + [len(ir_text)]
    return [(m.group(1), ir_text[m.start() : end]) for m, end in zip(marks, ends, strict=True)]


def same(source: str, jit: JitConfig = EAGER) -> Run:
    """Run `source` with the JIT and in the VM; assert identical behaviour."""
    native = run(source, jit)
    vm = run(source, None)
    assert (native.stdout, native.error) == (vm.stdout, vm.error)
    return native


# A sum over a number[] parameter, in a counted loop (tests of guards and sums).
SUM_OF_PRODUCTS = """
fn total(a: number[], n: number, x: number) -> number {
    var s = 0;
    for (var j = 0; j < n; j++) {
        s = s + a[j] * x;
    }
    return s;
}
"""
