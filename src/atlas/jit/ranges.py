"""Value ranges: the number facts that let native code skip checks.

A forward data-flow pass gives number registers, before each pc, a `Range`: an
interval their value lies in (never NaN) and whether it is a whole number. Registers
without a range may hold anything a number can (NaN and infinities from math builtins
included). The facts hold for every execution from the function's entry, so also for
the VM's registers when it enters a loop region.

Native code uses them in two ways:

- an arithmetic result whose range is finite needs no AT0007 check (`i + 1` for a
  loop counter, index arithmetic bounded by an array's length);
- an index known to be whole and within i64 needs no whole-number check: one signed
  conversion and one unsigned compare against the length check it.

Bounds are computed in doubles with the operation they bound. Rounding is monotonic,
so `fl(lo_x + lo_y) <= fl(x + y) <= fl(hi_x + hi_y)`: the computed bounds bound the
computed results exactly, including `fl(MAX + 1) == MAX` (a finite value plus a small
one never overflows). Ranges are sources of safety, so every rule errs wide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..compile.opcodes import Op, jump_targets, successors, written_registers

MAX = 1.7976931348623157e308  # the largest double
INF = math.inf

# No array or string is longer: each element takes at least a byte, and no address
# space has 2^53 bytes. (Lengths are exact in doubles up to there.)
MAX_LENGTH = float(2**53)

# Where a growing bound stops first when widened. 2^53 keeps counters: a whole number
# stepped by at most 1 never passes it (2^53 + 1 rounds back to 2^53), so a loop counter
# settles in [0, 2^53] whatever bounds the loop, and arithmetic on it stays finite.
THRESHOLDS = (MAX_LENGTH, MAX, INF)

# A register visited this often without settling loses its facts (a safety net: the
# widening below already makes every loop settle in a few rounds).
MAX_VISITS = 64

NO_WIDENING: set[int] = set()


@dataclass(frozen=True, slots=True)
class Range:
    """A number in [lo, hi] (the bounds may be infinite), never NaN."""

    lo: float
    hi: float
    whole: bool = False

    @property
    def finite(self) -> bool:
        return self.lo >= -MAX and self.hi <= MAX

    def hull(self, other: Range) -> Range:
        return Range(min(self.lo, other.lo), max(self.hi, other.hi), self.whole and other.whole)

    def meet(self, lo: float, hi: float, whole: bool = False) -> Range:
        return Range(max(self.lo, lo), min(self.hi, hi), self.whole or whole)


State = dict[int, Range]

FINITE = Range(-MAX, MAX)
ANY = Range(-INF, INF)  # any number but NaN
INDEX = Range(0.0, MAX_LENGTH, True)  # a valid index, and a length


def constant_range(value: object) -> Range | None:
    if type(value) is not float or math.isnan(value):
        return None
    return Range(value, value, value.is_integer())


def _bounds(candidates: list[float], whole: bool) -> Range | None:
    if any(math.isnan(c) for c in candidates):  # inf - inf, inf * 0: NaN is possible
        return None
    return Range(min(candidates), max(candidates), whole)


def arithmetic(op: int, x: Range, y: Range) -> Range | None:
    """The range of x op y for op in +, -, * (None if it may be NaN)."""
    whole = x.whole and y.whole  # a rounded result is >= 2^53, where all doubles are whole
    if op == Op.ADD:
        return _bounds([x.lo + y.lo, x.hi + y.hi], whole)
    if op == Op.SUB:
        return _bounds([x.lo - y.hi, x.hi - y.lo], whole)
    return _bounds([x.lo * y.lo, x.lo * y.hi, x.hi * y.lo, x.hi * y.hi], whole)


def quotient(x: Range, y: Range) -> Range | None:
    """The range of x / y for a divisor range without 0 (None where it has 0)."""
    if not excludes_zero(y):
        return None
    return _bounds([x.lo / y.lo, x.lo / y.hi, x.hi / y.lo, x.hi / y.hi], False)


def excludes_zero(r: Range | None) -> bool:
    return r is not None and (r.lo > 0 or r.hi < 0)


def remainder(x: Range, y: Range) -> Range:
    """fmod(x, y) for finite x and a finite divisor other than 0: finite, with x's sign
    and below |y| in magnitude."""
    m = max(-y.lo, y.hi)
    lo = 0.0 if x.lo >= 0 else max(x.lo, -m)
    hi = 0.0 if x.hi <= 0 else min(x.hi, m)
    return Range(lo, hi, x.whole and y.whole)


def _monotone(fn: object, x: Range, whole: bool) -> Range:
    ends = [e if math.isinf(e) else float(fn(e)) for e in (x.lo, x.hi)]  # type: ignore[operator]
    return Range(ends[0], ends[1], whole)


def builtin_range(name: str | None, args: list[Range | None]) -> Range | None:
    """The range of a math builtin's result, where it is certain (else None)."""
    if name is None or any(a is None for a in args):
        return None
    known: list[Range] = args  # type: ignore[assignment]
    x = known[0]
    if name == "floor":
        return _monotone(math.floor, x, True)
    if name == "ceil":
        return _monotone(math.ceil, x, True)
    if name == "round":
        return Range(_monotone(math.floor, x, True).lo, _monotone(math.ceil, x, True).hi, True)
    if name == "abs":
        lo = 0.0 if x.lo <= 0 <= x.hi else min(abs(x.lo), abs(x.hi))
        return Range(lo, max(abs(x.lo), abs(x.hi)), x.whole)
    if name == "sign":
        return Range(-1.0, 1.0, True)
    if name == "sqrt" and x.lo >= 0:
        return _monotone(math.sqrt, x, False)
    if name in ("min", "max"):
        y = known[1]
        pick = min if name == "min" else max
        return Range(pick(x.lo, y.lo), pick(x.hi, y.hi), x.whole and y.whole)
    return None


@dataclass
class Ranges:
    """Per pc, the ranges of registers before it, and the pcs whose arithmetic result is
    certain to be finite (no AT0007 check needed)."""

    before: list[State | None]
    finite_results: set[int]
    constants: dict[int, Range]  # constant registers (never in a state)

    def of(self, pc: int, reg: int) -> Range | None:
        state = self.before[pc]
        return None if state is None else self.constants.get(reg, state.get(reg))


class RangeAnalysis:
    def __init__(self, code: list[tuple], constants: dict[int, Range], intrinsics: dict[int, str],
                 reachable: list[bool], entry: State | None = None,
                 call_results: dict[int, Range] | None = None,
                 unchecked: frozenset[int] = frozenset()) -> None:  # fmt: skip
        self.code = code
        # Arithmetic an unchecked copy leaves unchecked (jit/result_checks.py): no fact
        # follows from a check that is not made.
        self.unchecked = unchecked
        self.entry = entry or {}
        self.call_results = call_results or {}
        self.constants = constants
        self.intrinsics = intrinsics
        self.reachable = reachable
        # Every cycle of the control-flow graph has a backward jump: its targets widen,
        # the registers written in the loop only. One the loop leaves alone grows only
        # as its value on entry does, which the loops around settle: widening it would
        # lose a parameter's bound (its range on entry) for nothing.
        self.widen_at: dict[int, set[int]] = {}
        self.jump_targets: set[int] = set()  # where straight-line code may be entered
        for pc, instr in enumerate(code):
            for t in jump_targets(instr):
                self.jump_targets.add(t)
                if t <= pc:
                    written = self.widen_at.setdefault(t, set())
                    written.update(r for i in range(t, pc + 1) for r in written_registers(code[i]))

    def fact(self, state: State, reg: int) -> Range | None:
        found = self.constants.get(reg)
        return found if found is not None else state.get(reg)

    def run(self) -> Ranges:
        code = self.code
        result = Ranges([None] * len(code), set(), self.constants)
        visits = [0] * len(code)
        if not code:
            return result
        result.before[0] = dict(self.entry)
        work = [0]
        while work:
            pc = work.pop()
            state = dict(result.before[pc])  # type: ignore[arg-type]
            for succ, out in self.transfer(pc, code[pc], state, result):
                if not self.reachable[succ] or any(r.lo > r.hi for r in out.values()):
                    continue  # an empty range: a check that cannot pass (-MAX * 3) ends the path
                old = result.before[succ]
                new = out if old is None else self.join(old, out, self.widen_at.get(succ, NO_WIDENING))
                visits[succ] += 1
                if visits[succ] > MAX_VISITS:
                    new = {}
                if new != old:
                    result.before[succ] = new
                    work.append(succ)
        # Decide on the settled states only (earlier rounds saw narrower ones).
        result.finite_results.clear()
        for pc, state in enumerate(result.before):
            if state is not None:
                self.transfer(pc, code[pc], dict(state), result)
        return result

    @staticmethod
    def join(old: State, new: State, widen: set[int]) -> State:
        joined: State = {}
        for reg, a in old.items():
            b = new.get(reg)
            if b is None:
                continue
            hull = a.hull(b)
            if reg in widen and hull != a:  # still growing around a loop: jump to a threshold
                lo = hull.lo if hull.lo >= a.lo else -next(t for t in THRESHOLDS if -hull.lo <= t)
                hi = hull.hi if hull.hi <= a.hi else next(t for t in THRESHOLDS if hull.hi <= t)
                hull = Range(lo, hi, hull.whole)
            joined[reg] = hull
        return joined

    def transfer(self, pc: int, instr: tuple, s: State, result: Ranges) -> list[tuple[int, State]]:
        op, a, b, c, d = instr
        value: Range | None = None
        if op == Op.MOVE:
            value = self.fact(s, b)
        elif op in (Op.ADD, Op.SUB, Op.MUL):
            x, y = self.fact(s, b), self.fact(s, c)
            value = arithmetic(op, x, y) if x is not None and y is not None else None
            if value is not None and value.finite:
                result.finite_results.add(pc)
            elif pc in self.unchecked:
                value = None
            else:  # checked: finite once it passes, and so were both operands
                value = FINITE if value is None else value.meet(-MAX, MAX)
                self.refine(s, b, FINITE)
                self.refine(s, c, FINITE)
            if op == Op.MUL and b == c and value is not None:  # a square: never below 0 (-0 * -0 is 0)
                value = value.meet(0.0, INF)
        elif op == Op.MOD:
            x, y = self.fact(s, b), self.fact(s, c)
            if x is not None and y is not None and x.finite and y.finite:
                result.finite_results.add(pc)
                value = remainder(x, y)
            elif pc in self.unchecked:
                value = None
            else:  # fmod(inf, y) and fmod(x, NaN) are NaN; fmod(x, inf) is x
                value = FINITE
                self.refine(s, b, FINITE)
                self.refine(s, c, ANY)
        elif op == Op.DIV:
            x, y = self.fact(s, b), self.fact(s, c)
            value = quotient(x, y) if x is not None and y is not None else None
            if value is not None and value.finite:
                result.finite_results.add(pc)
            elif pc in self.unchecked:
                value = None
            else:  # x / inf is 0: only the dividend is known finite after
                value = FINITE if value is None else value.meet(-MAX, MAX)
                self.refine(s, b, FINITE)
        elif op == Op.NEG:
            x = self.fact(s, b)
            value = None if x is None else Range(-x.hi, -x.lo, x.whole)
        elif op == Op.LEN:
            value = INDEX
        elif op in (Op.INDEX, Op.ITERGET):
            if op == Op.INDEX:
                self.refine_index(s, c)
            value = self.fact(s, b)  # a number[]'s range bounds its elements
        elif op in (Op.SETIDX, Op.OWN):
            if op == Op.SETIDX:
                self.refine_index(s, b)
            s.pop(a, None)  # a store may put anything there (OWN comes before stores)
        elif op == Op.CALLG:
            value = self.call_results.get(pc)
        elif op == Op.CALLB:
            args = [self.fact(s, r) for r in range(c, c + d)]
            value = builtin_range(self.intrinsics.get(pc), args)
        for reg in written_registers(instr):
            s.pop(reg, None)
        if value is not None:
            s[a] = value
        return self.edges(pc, instr, s)

    def refine_index(self, s: State, reg: int) -> None:
        """After an index check passes, the index is a whole number in [0, MAX_LENGTH)."""
        self.refine(s, reg, INDEX)

    def refine(self, s: State, reg: int, bound: Range) -> None:
        """`reg` is within `bound` from here on (a check on it passed)."""
        if reg in self.constants:
            return
        known = s.get(reg)
        s[reg] = bound if known is None else known.meet(bound.lo, bound.hi, bound.whole)

    def edges(self, pc: int, instr: tuple, s: State) -> list[tuple[int, State]]:
        """Each successor with the state on its edge (a compare's two edges differ)."""
        found = successors(pc, instr, len(self.code))
        if instr[0] not in (Op.IFLT, Op.IFLE):
            return [(succ, s) for succ in found]
        x, y = instr[1], instr[2]  # falls through when x < y (or <=) holds
        edges = []
        for i, succ in enumerate(found):
            holds = i == 0 and succ == pc + 1
            strict = holds == (instr[0] == Op.IFLT)  # x < y holds, or x <= y fails
            out = self.compared(s, x, y, holds, strict)
            if out is not None:
                for reg in (x, y):
                    self.bound_squares(pc, out, reg)
            edges.append((succ, out))
        return [(succ, out) for succ, out in edges if out is not None]

    def bound_squares(self, pc: int, s: State, reg: int) -> None:
        """A compare bounds `reg` from above: bound what it was computed from in the
        straight-line code just before `pc`, where that is a square `z * z` or a sum of
        two numbers >= 0 (`zr * zr + zi * zi <= 4`, an escape test): each term is at
        most the sum (rounding is monotonic), and fl(z * z) <= h only if |z| <= sqrt(h),
        give or take rounding (see root_bound)."""
        known = s.get(reg)
        if known is None or not 0 <= known.hi <= MAX:
            return
        found = self.definition(pc, reg)
        if found is None:
            return
        op, _, b, c, _ = found
        if op == Op.MUL and b == c:
            bound = root_bound(known.hi)
            self.refine(s, b, Range(-bound, bound))
        elif op == Op.ADD:
            terms = [self.fact(s, r) for r in (b, c)]
            if all(t is not None and t.lo >= 0 for t in terms):
                for term in {b, c}:
                    if term not in self.constants:
                        self.refine(s, term, Range(0.0, known.hi))
                        self.bound_squares(pc, s, term)

    def definition(self, pc: int, reg: int) -> tuple | None:
        """The instruction that last wrote `reg` before `pc`, if it is in the same
        straight-line code (no jump lands between it and `pc`) and none of its operands
        was written since (so the facts about its result speak about them too)."""
        code = self.code
        for def_pc in range(pc - 1, -1, -1):
            if def_pc + 1 in self.jump_targets:
                return None
            if reg in written_registers(code[def_pc]):
                op, _, b, c, _ = code[def_pc]
                if op not in (Op.ADD, Op.MUL) or reg in (b, c):
                    return None
                if any(r in written_registers(code[i]) for i in range(def_pc + 1, pc) for r in (b, c)):
                    return None
                return code[def_pc]
        return None

    def compared(self, s: State, x_reg: int, y_reg: int, less: bool, strict: bool) -> State | None:
        """The state on one edge of `x < y` (or <=): x below y when it holds; x at least
        y when it fails and neither is NaN. `strict`: the edge's order is strict (x < y
        holds, or x <= y fails), so a whole number on the lower side is at least 1 below
        the other's bound (`i < 5` leaves i <= 4). None if the ranges rule the edge out
        (as far as the analysis has got: it comes back here when they grow)."""
        x, y = self.fact(s, x_reg), self.fact(s, y_reg)
        out = dict(s)
        if less:  # an ordered compare held: neither is NaN
            low, high = (x or ANY), (y or ANY)
        elif x is not None and y is not None:
            low, high = y, x
        else:
            return out
        below = low.meet(-INF, strictly_below(high.hi, low.whole) if strict else high.hi)
        above = high.meet(strictly_above(low.lo, high.whole) if strict else low.lo, INF)
        x_new, y_new = (below, above) if less else (above, below)
        for reg, new in ((x_reg, x_new), (y_reg, y_new)):
            if new.lo > new.hi:
                return None
            if reg not in self.constants:
                out[reg] = new
        return out


def root_bound(h: float) -> float:
    """A bound on |z| wherever fl(z * z) <= h (h >= 0): sqrt(h), widened by 2^-40
    relative for rounding, and never below 2^-500 (a square below 2^-1075 rounds to 0,
    so z * z <= 0 holds for |z| up to about 2^-537)."""
    return max(math.sqrt(h) * (1 + 2.0**-40), 2.0**-500)


def strictly_below(bound: float, whole: bool) -> float:
    """The largest a number can be that is below `bound` (whole if `whole`)."""
    if whole and abs(bound) < MAX_LENGTH:
        return math.ceil(bound) - 1.0
    return bound


def strictly_above(bound: float, whole: bool) -> float:
    """The least a number can be that is above `bound` (whole if `whole`)."""
    if whole and abs(bound) < MAX_LENGTH:
        return math.floor(bound) + 1.0
    return bound


def analyze_ranges(code: list[tuple], constants: dict[int, object], intrinsics: dict[int, str],
                   reachable: list[bool], entry: State | None = None,
                   call_results: dict[int, Range] | None = None,
                   unchecked: frozenset[int] = frozenset()) -> Ranges:  # fmt: skip
    """Ranges of `code`, given the values of its constant registers and, for a copy
    specialised to its callers, the ranges its registers hold on entry (parameters);
    `call_results`: the ranges of what some calls return, by pc; `unchecked`: the
    arithmetic an unchecked copy does not check."""
    known = {reg: r for reg, v in constants.items() if (r := constant_range(v)) is not None}
    return RangeAnalysis(code, known, intrinsics, reachable, entry, call_results, unchecked).run()
