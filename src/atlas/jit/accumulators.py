"""Accumulators whose NaN/Infinity check waits until their loop is left.

`sum = sum + e` in a loop is checked at every iteration, though once the sum is NaN or
infinite it stays so (`inf + finite` is `inf`, `inf - inf` and `NaN + x` are NaN): the
value at any later point tells whether some earlier addition failed, and every addition
fails at the same site. So a loop whose only reader of `sum` is that addition may test
`sum` later, at the points where the failure could be observed:

- on every way out of the loop (before anything after it runs);
- at each chunk end of the loop (a counted, chunked loop: see jit/integers.py), so that
  it runs at most a chunk's iterations past the failure, and always ends;
- first, in the cold path of any other check in the loop: a later failure must not be
  reported before the earlier one (see FunctionLowering.with_accumulator).

Anything else that could fail or be observed in the loop rules it out: effects (stores,
prints, returns), builtins, and calls to functions that might fail (their failure would
leave straight from the callee). The loop must be innermost and chunked, and `sum` a
double (not an integer register).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..compile.opcodes import Op, read_registers, written_registers
from .analysis import Analysis, F
from .integers import CHUNK, ChunkedLoop
from .ranges import MAX, excludes_zero

# What an accumulator's loop may run: register code, jumps, reads of arrays, calls.
LOOP_OPS = frozenset(
    {Op.MOVE, Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.NEG, Op.LT, Op.LE, Op.EQP, Op.NEP, Op.NOT,
     Op.JMP, Op.JMPF, Op.JMPT, Op.IFLT, Op.IFLE, Op.IFEQP, Op.IFNEP, Op.LOOP, Op.INDEX, Op.LEN, Op.CALLG}
)  # fmt: skip

# What a callee that cannot fail may run (its arithmetic proven finite, its divisors
# non-zero): no loop, no call, no array.
SAFE_CALLEE_OPS = frozenset(
    {Op.MOVE, Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.NEG, Op.LT, Op.LE, Op.EQP, Op.NEP, Op.NOT,
     Op.JMP, Op.JMPF, Op.JMPT, Op.IFLT, Op.IFLE, Op.IFEQP, Op.IFNEP, Op.RETURN, Op.RETNULL}
)  # fmt: skip


class Accumulator(NamedTuple):
    register: int
    pc: int  # the one addition (or subtraction) that writes it in the loop
    header: int
    end: int

    def contains(self, pc: int) -> bool:
        return self.header <= pc <= self.end


def cannot_fail(analysis: Analysis) -> bool:
    """Whether every run of the function returns, without any check failing."""
    ranges = analysis.ranges
    assert ranges is not None
    for pc, (op, _, _, c, _) in enumerate(analysis.proto.code):
        if not analysis.reachable(pc):
            continue
        if op not in SAFE_CALLEE_OPS:
            return False
        if op in (Op.ADD, Op.SUB, Op.MUL, Op.DIV) and pc not in ranges.finite_results:
            return False
        if op == Op.DIV and not excludes_zero(ranges.of(pc, c)):
            return False
    return True


def accumulators(
    analysis: Analysis, chunked: dict[int, ChunkedLoop], integers: set[int], safe_call: Callable[[int], bool]
) -> dict[int, Accumulator]:
    """Header pc -> the accumulator of that loop whose check may wait (one per loop).
    `safe_call(pc)`: whether the callee of the call at pc cannot fail."""
    code = analysis.proto.code
    found: dict[int, Accumulator] = {}
    for header, loop in chunked.items():
        if loop.chunk != CHUNK:  # innermost loops only
            continue
        body = [pc for pc in range(header, loop.end + 1) if analysis.reachable(pc)]
        if any(code[pc][0] not in LOOP_OPS for pc in body):
            continue
        sums = ((pc, reg) for pc in body if (reg := accumulator_at(analysis, header, pc, body, integers)) is not None)
        first = next(sums, None)
        if first is None or any(code[pc][0] == Op.CALLG and not safe_call(pc) for pc in body):
            continue  # (a call's safety is asked only once a sum is found: see call_target)
        pc, reg = first
        found[header] = Accumulator(reg, pc, header, loop.end)
    return found


def accumulator_at(analysis: Analysis, header: int, pc: int, body: list[int], integers: set[int]) -> int | None:
    """The register `s` if `code[pc]` is `s = s + e`, `s = e + s` or `s = s - e` on
    doubles, `s` is finite at the loop's header (a NaN or infinity from a builtin
    before the loop fails the first addition, if any runs), and nothing else in `body`
    reads or writes `s`."""
    op, a, b, c, _ = analysis.proto.code[pc]
    if op not in (Op.ADD, Op.SUB) or a in integers or (b == a) == (c == a) or (op == Op.SUB and b != a):
        return None
    assert analysis.ranges is not None
    entering = analysis.ranges.of(header, a)
    if entering is None or entering.lo < -MAX or entering.hi > MAX:
        return None
    kinds = analysis.kinds[pc]
    if kinds is None or kinds.get(a) != F:
        return None
    for other in body:
        if other == pc:
            continue
        instr = analysis.proto.code[other]
        reads = read_registers(instr)
        if reads is None or a in reads or a in written_registers(instr):
            return None
    return a
