"""Integer registers: number registers native code keeps in 64-bit integers.

Atlas numbers are doubles, but a register that only ever holds whole numbers within
±2^53 (and never -0) holds exactly what an i64 holds: loop counters, lengths, and their
sums and differences. Native code steps, compares and indexes with such registers in
integer instructions and converts them (exactly) where a double is needed. The facts
come from the value ranges (jit/ranges.py); docs/jit.md describes the lowering.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..compile.opcodes import CALL_OPS, Op, read_registers, written_registers
from ..compile.proto import FunctionProto
from .analysis import Analysis, constant_number, counted_loop, is_innermost, loop_extent

# Whole numbers up to this magnitude are exact in doubles: registers proven to hold
# only such numbers can live in 64-bit integers (see integer_registers).
EXACT_LIMIT = 2**53


@dataclass(frozen=True)
class IntegerPlan:
    """Registers held in i64 rather than double, and for each ADD/SUB that writes one
    and may leave the exact range, the bound its result is clamped to (how the double
    sum rounds there: `2^53 + 1` is 2^53).

    A register whose clamped writes all share one bound is clamped when read instead
    (`lazy`): it holds a raw count that may pass the bound, its value is the count
    clamped, and a step of 1 adds to the raw count (min(r + 1, L) is min(min(r, L) + 1,
    L)). A loop counter's step is then one integer add, not an add and a compare; the
    raw count would need 2^63 - 2^53 steps (centuries) to overflow."""

    registers: frozenset[int] = frozenset()
    clamps: dict[int, int] = field(default_factory=dict)
    lazy: dict[int, int] = field(default_factory=dict)  # register -> the bound of its reads


def integer_registers(analysis: Analysis, parameters: frozenset[int] = frozenset()) -> IntegerPlan:
    """The registers whose every write yields a whole number within ±2^53 that is not
    -0: constants, len, copies of such registers, their sums and differences where the
    exact result stays within ±2^53 (or is a step of 1, which rounds to the limit
    exactly as a clamp does), and their products where both are >= 0 and the product
    stays within 2^53. Integer arithmetic on them is the double arithmetic
    exactly; reading one as a number converts it (exactly). `parameters`: parameters
    whose arguments arrive as such numbers (in i64: see UnitBuilder.call_target); they
    count as written once, on entry, with an integer."""
    proto = analysis.proto
    code = proto.code
    writes: dict[int, list[int]] = {}
    for pc, instr in enumerate(code):
        if analysis.reachable(pc):
            for reg in written_registers(instr):
                writes.setdefault(reg, []).append(pc)
    candidates = {r for r in writes if proto.nparams <= r < proto.const_base} | set(parameters)
    innermost = _innermost_loops(proto)
    while True:
        clamps: dict[int, int] = {}
        dropped = {
            r for r in candidates
            if not all(_integer_write(analysis, pc, candidates, clamps) for pc in writes.get(r, ()))
        }  # fmt: skip
        if not dropped:
            # A register converted to a double in the loop that changes it (nbody's
            # `6 * j`) is clamped when written, not at each read.
            converted = _number_reads(analysis, candidates)
            eager = {
                r for r, pcs in converted.items()
                if {innermost[pc] for pc in pcs} & {innermost[pc] for pc in writes.get(r, ())} - {None}
            }  # fmt: skip
            lazy = {r: bound for r, bound in _lazy_clamps(code, clamps).items() if r not in eager}
            return IntegerPlan(frozenset(candidates), clamps, lazy)
        candidates -= dropped


def _innermost_loops(proto: FunctionProto) -> list[int | None]:
    """Per pc, the header of the innermost loop around it (None outside loops)."""
    found: list[int | None] = [None] * len(proto.code)
    extents = sorted((loop_extent(proto, i) for i in range(len(proto.loop_headers))), key=lambda e: e[0] - e[1])
    for header, end in extents:  # outermost first: inner loops overwrite
        for pc in range(header, end + 1):
            found[pc] = header
    return found


def _number_reads(analysis: Analysis, ints: set[int]) -> dict[int, list[int]]:
    """Where each integer register is read as a double (converted): any read but a
    compare, an index, or a sum or copy into another integer register."""
    found: dict[int, list[int]] = {}
    for pc, instr in enumerate(analysis.proto.code):
        if not analysis.reachable(pc):
            continue
        op, a, _, c, _ = instr
        if op in (Op.IFLT, Op.IFLE, Op.LT, Op.LE, Op.INDEX, Op.ITERGET):
            reads = []
        elif op == Op.SETIDX:
            reads = [c]  # the value stored
        elif op in (Op.ADD, Op.SUB, Op.MUL, Op.MOVE) and a in ints:
            reads = []
        else:
            reads = read_registers(instr) or []  # (CLOSURE, which reads any, is never native)
        for reg in reads:
            if reg in ints:
                found.setdefault(reg, []).append(pc)
    return found


def _lazy_clamps(code: list[tuple], clamps: dict[int, int]) -> dict[int, int]:
    bounds: dict[int, set[int]] = {}
    for pc, bound in clamps.items():
        bounds.setdefault(code[pc][1], set()).add(bound)
    return {reg: found.pop() for reg, found in bounds.items() if len(found) == 1}


def _integer_write(analysis: Analysis, pc: int, ints: set[int], clamps: dict[int, int]) -> bool:
    op, _, b, c, _ = analysis.proto.code[pc]
    if op == Op.LEN:
        return True
    if op == Op.MOVE:
        return _exact_interval(analysis, pc, b, ints) is not None
    if op not in (Op.ADD, Op.SUB, Op.MUL):
        return False
    x, y = _exact_interval(analysis, pc, b, ints), _exact_interval(analysis, pc, c, ints)
    if x is None or y is None:
        return False
    if op == Op.MUL:
        # Exact below 2^53; operands >= 0 (never -0) make a product that is never -0
        # (unlike -3 * 0).
        return x[0] >= 0 and y[0] >= 0 and x[1] * y[1] <= EXACT_LIMIT
    lo, hi = (x[0] + y[0], x[1] + y[1]) if op == Op.ADD else (x[0] - y[1], x[1] - y[0])
    if lo >= -EXACT_LIMIT and hi <= EXACT_LIMIT:
        return True
    # A step of +1 (or -1) from within ±2^53 leaves the range only at 2^53 + 1, which
    # rounds to 2^53 (ties to even), exactly the clamp.
    steps = [y, x] if op == Op.ADD else [(-y[1], -y[0])]
    if (1, 1) in steps:
        clamps[pc] = EXACT_LIMIT
        return True
    if (-1, -1) in steps:
        clamps[pc] = -EXACT_LIMIT
        return True
    return False


def _exact_interval(analysis: Analysis, pc: int, reg: int, ints: set[int]) -> tuple[int, int] | None:
    """[lo, hi] (exact integers) of a whole constant other than -0, or of an integer
    register before `pc` (within ±2^53), else None."""
    proto = analysis.proto
    if reg >= proto.const_base:
        value = constant_number(proto, reg)
        if value is None or not value.is_integer() or abs(value) > EXACT_LIMIT:
            return None
        if value == 0 and math.copysign(1.0, value) < 0:
            return None
        return int(value), int(value)
    if reg not in ints:
        return None
    known = analysis.ranges.of(pc, reg) if analysis.ranges else None
    lo = -EXACT_LIMIT if known is None or known.lo < -EXACT_LIMIT else math.ceil(known.lo)
    hi = EXACT_LIMIT if known is None or known.hi > EXACT_LIMIT else math.floor(known.hi)
    return (lo, hi) if lo <= hi else (-EXACT_LIMIT, EXACT_LIMIT)


# A loop stepped by an integer counter polls for Ctrl-C once per this many counts (at
# most that many iterations) rather than on every back-edge (see chunked_loops). A loop
# around such loops polls once per OUTER_CHUNK counts: between two polls run at most
# OUTER_CHUNK * CHUNK iterations of the loops inside (each polls after a chunk of its own).
CHUNK = 4096
OUTER_CHUNK = 64


@dataclass(frozen=True)
class ChunkedLoop:
    """A loop `for (; k < bound; k += step)` (or <=) whose iterations run in chunks: the
    header compares k with the chunk's end, min(bound, start + chunk), and only at a
    chunk's end compares with the bound itself and polls for Ctrl-C."""

    header: int
    end: int  # its back-edge (LOOP), whose pc is the poll's site
    counter: int
    bound: int
    or_equal: bool
    chunk: int  # counts per chunk: CHUNK, or OUTER_CHUNK for a loop with loops inside


def chunked_loops(analysis: Analysis, plan: IntegerPlan, short: set[int]) -> dict[int, ChunkedLoop]:
    """Header pc -> ChunkedLoop for the counted loops (see counted_loop; not among the
    poll-free `short` ones) whose counter is an integer register never clamped and whose
    step is at least 1 (a constant, or a register whose range says so), so the counter
    grows by at least 1 per iteration, exactly, towards a bound the loop never changes.
    Innermost loops, and loops whose loops inside are all such innermost loops and that
    call nothing (a call's work is not bounded by a count)."""
    proto = analysis.proto
    extents = [loop_extent(proto, loop_id) for loop_id in range(len(proto.loop_headers))]
    found: dict[int, ChunkedLoop] = {}
    for header, end in extents:  # innermost first
        if is_innermost(proto, header, end) and end not in short:
            _add_chunked(analysis, plan, header, end, CHUNK, found)
    for header, end in extents:
        inner = [h for h, _ in extents if header < h <= end]
        if inner and all(h in found and found[h].chunk == CHUNK for h in inner) and not any(
            proto.code[pc][0] in CALL_OPS for pc in range(header, end + 1)
        ):
            _add_chunked(analysis, plan, header, end, OUTER_CHUNK, found)
    return found


def _add_chunked(analysis: Analysis, plan: IntegerPlan, header: int, end: int, chunk: int,
                 found: dict[int, ChunkedLoop]) -> None:  # fmt: skip
    proto = analysis.proto
    counted = counted_loop(proto, header, end)
    if counted is None or not analysis.reachable(header) or analysis.ranges is None:
        return
    k, bound, step = counted
    if k not in plan.registers or k in plan.lazy or k == bound or (end - 1) in plan.clamps:
        return
    amount = constant_number(proto, step)
    known = analysis.ranges.of(end - 1, step)
    if not ((amount is not None and amount >= 1) or (known is not None and known.lo >= 1)):
        return
    if any(bound in written_registers(proto.code[pc]) for pc in range(header, end + 1)):
        return  # a chunk's end is computed from the bound once
    found[header] = ChunkedLoop(header, end, k, bound, proto.code[header][0] == Op.IFLE, chunk)
