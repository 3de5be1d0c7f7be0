"""What can be compiled: register types and supported instructions, per prototype.

A forward data-flow pass over the bytecode gives every register at every reachable pc a
native kind: F (number, a double), B (bool, an i1), or X (anything else: strings,
arrays, null, ...). An instruction is *native* when its operands have the kinds its
lowering needs; otherwise it is recorded with the reason it keeps that code in the VM.
The JIT lowers exactly the instructions this pass accepts, so the analysis and the
lowering (jit/lowering.py) share one table of supported opcodes.

Types come from the checker (parameter types, the types of constants) and from the
typed opcodes themselves, so native code needs no type guards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from ..check.types import BOOL, NULL, NUMBER, VOID, ArrayType, Type
from ..compile.opcodes import INFO, Op, jump_targets, read_registers, successors, written_registers
from ..compile.proto import FunctionProto, Image
from ..vm.values import Function
from .ranges import MAX, Range, Ranges, analyze_ranges

F, B, A, X = "f", "b", "a", "x"  # double, i1, number[] buffer, not native

# Builtins lowered to inline code or libm calls, with their arity.
MATH_INTRINSICS = {
    "abs": 1, "floor": 1, "ceil": 1, "round": 1, "sqrt": 1, "log": 1, "sin": 1, "cos": 1,
    "tan": 1, "asin": 1, "acos": 1, "atan": 1, "sign": 1, "min": 2, "max": 2, "pow": 2,
    "clamp": 3,
}  # fmt: skip

# Opcodes the lowering handles (given operands of the right kinds). Everything else
# stays in the VM; DESCRIPTIONS says what it is in fallback reasons.
NATIVE_OPS = frozenset(
    {Op.MOVE, Op.CLEAR, Op.GETNG, Op.SETNG, Op.GETBG, Op.SETBG, Op.ADD, Op.SUB, Op.MUL,
     Op.DIV, Op.MOD, Op.NEG, Op.LT, Op.LE, Op.EQP, Op.NEP, Op.NOT, Op.JMP, Op.JMPF, Op.JMPT,
     Op.IFLT, Op.IFLE, Op.IFEQP, Op.IFNEP, Op.LOOP, Op.CALLG, Op.CALLB, Op.RETURN, Op.RETNULL,
     Op.NEWARRAY, Op.NEWARRAYK, Op.INDEX, Op.SETIDX, Op.OWN, Op.LEN, Op.ITERGET, Op.GETG,
     Op.SETG, Op.OWNG}
)  # fmt: skip

# What a native opcode needs of its operands (the docs' coverage table shows these).
NATIVE_CONDITIONS: dict[int, str] = {
    Op.MOVE: "a number, bool or number[] value",
    Op.CLEAR: "any register",
    Op.GETG: "a number[] global", Op.SETG: "a number[] global", Op.OWNG: "a number[] global",
    Op.GETNG: "number global", Op.SETNG: "number global",
    Op.GETBG: "bool global", Op.SETBG: "bool global",
    Op.ADD: "numbers", Op.SUB: "numbers", Op.MUL: "numbers", Op.DIV: "numbers", Op.MOD: "numbers",
    Op.NEG: "a number", Op.LT: "numbers", Op.LE: "numbers",
    Op.EQP: "two numbers or two bools", Op.NEP: "two numbers or two bools", Op.NOT: "a bool",
    Op.JMP: "always", Op.JMPF: "a bool condition", Op.JMPT: "a bool condition",
    Op.IFLT: "numbers", Op.IFLE: "numbers",
    Op.IFEQP: "two numbers or two bools", Op.IFNEP: "two numbers or two bools",
    Op.LOOP: "always (checks the interrupt flag)",
    Op.CALLG: "a top-level function never reassigned, whose signature compiles",
    Op.CALLB: "a math intrinsic on numbers (listed below)",
    Op.RETURN: "a value of the function's return type", Op.RETNULL: "a void or null function",
    Op.NEWARRAY: "number elements", Op.NEWARRAYK: "number constants",
    Op.INDEX: "a number[] and a number index", Op.SETIDX: "a number[], index and value",
    Op.OWN: "a number[]", Op.LEN: "a number[] (not a string)",
    Op.ITERGET: "for-in over a number[]",
}  # fmt: skip

DESCRIPTIONS: dict[int, str] = {
    Op.NEWCELL: "a nested function",
    Op.GETCELL: "a nested function",
    Op.SETCELL: "a nested function",
    Op.CLOSURE: "a nested function",
    Op.CONCAT: "string concatenation",
    Op.ARITHX: "arithmetic on values of unknown type",
    Op.NEGX: "negation of a value of unknown type",
    Op.CMPX: "comparison of values of unknown type",
    Op.EQ: "equality of strings, arrays or other non-number values",
    Op.NE: "equality of strings, arrays or other non-number values",
    Op.CALL: "a call of a function value (not a top-level function)",
    Op.CALLM: "a method call on a value of unknown type",
    Op.EXTEND: "an array literal of more than 64 computed elements",
    Op.INDEXJ: "json indexing",
    Op.INDEXX: "indexing a value of unknown type",
    Op.OWNX: "mutation of a value of unknown type",
    Op.OWNIDX: "array element assignment",
    Op.TESTTAG: "match on Option/Result",
    Op.PAYLOAD: "Option/Result payloads",
    Op.TESTLEN: "an array pattern",
    Op.GETK: "an array pattern",
    Op.NOMATCH: "a match without a catch-all arm",
    Op.IFERR: "the ? operator",
    Op.ITERCHECK: "for-in over a value of unknown type",
}


def kind_of_type(t: Type) -> str:
    if t == NUMBER:
        return F
    if t == BOOL:
        return B
    if t == NUMBER_ARRAY:
        return A
    return X


NUMBER_ARRAY = ArrayType(NUMBER)


def kind_of_value(v: Any) -> str:
    if type(v) is float:
        return F
    if type(v) is bool:
        return B
    return X


def is_number_tuple(v: Any) -> bool:
    return type(v) is tuple and all(type(x) is float for x in v)


def returns_nothing(t: Type) -> bool:
    return t in (NULL, VOID)


@dataclass
class Unsupported:
    pc: int
    construct: str

    def reason(self, proto: FunctionProto) -> str:
        return f"line {line_of(proto, self.pc)}: {self.construct}"


def line_of(proto: FunctionProto, pc: int) -> int:
    """Source line of an instruction (of the nearest one before it that has a span)."""
    for p in range(pc, -1, -1):
        span = proto.spans[p]
        if span is not None:
            return proto.source.position(span.start)[0]
    return proto.line


@dataclass
class Analysis:
    """Per-pc register kinds of one prototype, and what keeps parts of it in the VM."""

    proto: FunctionProto
    kinds: list[dict[int, str] | None]  # register kinds before each pc (None: unreachable)
    unsupported: dict[int, Unsupported] = field(default_factory=dict)
    callees: dict[int, FunctionProto] = field(default_factory=dict)  # pc of CALLG -> callee
    intrinsics: dict[int, str] = field(default_factory=dict)  # pc of CALLB -> builtin name
    signature_problem: str | None = None  # why the whole function cannot be native
    global_arrays: dict[int, int] = field(default_factory=dict)  # pc -> number[] global slot
    ranges: Ranges | None = None  # number facts that spare checks (see jit/ranges.py)
    # pc of CALLG -> the analysis of a small callee that calls nothing and returns a
    # number: the range of its result is worked out for each call's argument ranges
    leaf_callees: dict[int, Analysis] = field(default_factory=dict)

    def reachable(self, pc: int) -> bool:
        return self.kinds[pc] is not None

    @cached_property
    def live(self) -> list[frozenset[int]]:
        """Per pc, the registers live before it (see live_registers): entry guards, a
        region's entries and its exits all read it."""
        return live_registers(self.proto)

    def global_array_use(self, pcs: range | None = None) -> GlobalArrayUse:
        """The number[] globals the instructions at `pcs` (default: all) read and change."""
        use = GlobalArrayUse()
        for pc, slot in self.global_arrays.items():
            if (pcs is None or pc in pcs) and self.reachable(pc):
                use.slots.add(slot)
                if self.proto.code[pc][0] in (Op.SETG, Op.OWNG):
                    use.written.add(slot)
        return use


@dataclass
class GlobalArrayUse:
    """number[] globals some native code uses: the VM lends them for each native run."""

    slots: set[int] = field(default_factory=set)
    written: set[int] = field(default_factory=set)

    def add(self, other: GlobalArrayUse) -> bool:
        """Merge `other` in; True if that added anything."""
        before = (len(self.slots), len(self.written))
        self.slots |= other.slots
        self.written |= other.written
        return (len(self.slots), len(self.written)) != before


def native_signature_problem(proto: FunctionProto) -> str | None:
    """Why `proto` cannot be a native function with its real signature, if it can't."""
    if proto.is_main:
        return "top-level code is compiled per loop, not as a function"
    if proto.ncaptures:
        return "a nested function that captures variables"
    for name, t in zip(proto.reg_names, proto.param_types, strict=False):
        if kind_of_type(t) == X:
            return f"parameter '{name}' of type {t} (only number, bool and number[] compile)"
    ret = proto.ret_type
    if kind_of_type(ret) == X and not returns_nothing(ret):
        return f"return type {ret} (only number, bool, number[], null and void compile)"
    return None


class Analyzer:
    def __init__(self, image: Image, proto: FunctionProto) -> None:
        self.image = image
        self.proto = proto
        self.const_kinds = {
            r: kind_of_value(proto.tail[r - proto.nparams - proto.ncaptures])
            for r in range(proto.const_base, proto.nregs)
        }

    def entry_state(self) -> dict[int, str]:
        state = dict(self.const_kinds)
        for r, t in enumerate(self.proto.param_types):
            state[r] = kind_of_type(t)
        for r in range(self.proto.nparams, self.proto.nparams + self.proto.ncaptures):
            state[r] = X
        return state

    def run(self) -> Analysis:
        proto = self.proto
        code = proto.code
        result = Analysis(proto, [None] * len(code), signature_problem=native_signature_problem(proto))
        result.kinds[0] = self.entry_state()
        work = [0]
        while work:
            pc = work.pop()
            state = dict(result.kinds[pc])  # type: ignore[arg-type]
            instr = code[pc]
            self.transfer(pc, instr, state, result)
            for succ in successors(pc, instr, len(code)):
                if merge_into(result.kinds, succ, state):
                    work.append(succ)
        return result

    def callee_of(self, slot: int) -> FunctionProto | None:
        if slot in self.image.rebound_value_slots:
            return None
        value = self.image.globals.values[slot]
        return value.proto if type(value) is Function else None

    def transfer(self, pc: int, instr: tuple, s: dict[int, str], result: Analysis) -> None:
        op, a, b, c, d = instr

        def refuse(construct: str) -> None:
            result.unsupported.setdefault(pc, Unsupported(pc, construct))

        def need(reg: int, kind: str, what: str) -> None:
            if s.get(reg, X) != kind:
                refuse(what)

        if op == Op.MOVE:
            if s.get(b, X) == X:
                refuse("a value that is not a number, bool or number[]")
            s[a] = s.get(b, X)
        elif op == Op.CLEAR:
            s[a] = X
        elif op == Op.GETNG:
            s[a] = F
        elif op == Op.GETBG:
            s[a] = B
        elif op == Op.SETNG:
            need(b, F, "a number global assigned a non-number")
        elif op == Op.SETBG:
            need(b, B, "a bool global assigned a non-bool")
        elif op in (Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD):
            need(b, F, "arithmetic on non-numbers")
            need(c, F, "arithmetic on non-numbers")
            s[a] = F
        elif op == Op.NEG:
            need(b, F, "negation of a non-number")
            s[a] = F
        elif op in (Op.LT, Op.LE):
            need(b, F, "comparison of non-numbers")
            need(c, F, "comparison of non-numbers")
            s[a] = B
        elif op in (Op.EQP, Op.NEP):
            if not (s.get(b, X) == s.get(c, X) != X):
                refuse("equality of strings or other non-number values")
            s[a] = B
        elif op == Op.NOT:
            need(b, B, "'!' of a non-bool")
            s[a] = B
        elif op in (Op.JMPF, Op.JMPT):
            need(a, B, "a condition that is not a bool")
        elif op in (Op.IFLT, Op.IFLE):
            need(a, F, "comparison of non-numbers")
            need(b, F, "comparison of non-numbers")
        elif op in (Op.IFEQP, Op.IFNEP):
            if not (s.get(a, X) == s.get(b, X) != X):
                refuse("equality of strings or other non-number values")
        elif op == Op.CALLG:
            self.call(pc, instr, s, result, refuse)
        elif op == Op.CALLB:
            name = self.image.callables[b].name
            if MATH_INTRINSICS.get(name) == d and all(s.get(r, X) == F for r in range(c, c + d)):
                result.intrinsics[pc] = name
                s[a] = F
            else:
                refuse(f"a call of the builtin {name}()")
                s[a] = X
        elif op == Op.RETURN:
            ret = kind_of_type(self.proto.ret_type)
            if ret == X or s.get(a, X) != ret:
                refuse(f"returning a value of type {self.proto.ret_type}")
        elif op in (Op.JMP, Op.LOOP, Op.RETNULL):
            pass
        elif op in (Op.GETG, Op.SETG, Op.OWNG):
            slot = a if op == Op.SETG else b
            if self.image.value_types.get(slot) != NUMBER_ARRAY:
                name = self.image.globals.value_names[slot]
                refuse(f"the global '{name}', which is not a number, bool or number[]")
                if op != Op.SETG:
                    s[a] = X
            elif op == Op.SETG:
                need(b, A, "a number[] global assigned another kind of value")
                result.global_arrays[pc] = slot
            else:
                result.global_arrays[pc] = slot
                s[a] = A
        elif op == Op.NEWARRAYK:
            value = self.proto.tail[b - self.proto.nparams - self.proto.ncaptures]
            if is_number_tuple(value):
                s[a] = A
            else:
                refuse("an array of values that are not numbers")
                s[a] = X
        elif op == Op.NEWARRAY:
            if all(s.get(r, X) == F for r in range(b, b + c)):
                s[a] = A
            else:
                refuse("an array of values that are not numbers")
                s[a] = X
        elif op in (Op.INDEX, Op.ITERGET):
            need(b, A, "indexing an array that is not a number[]")
            need(c, F, "an index that is not a number")
            s[a] = F
        elif op == Op.SETIDX:
            need(a, A, "assigning into an array that is not a number[]")
            need(b, F, "an index that is not a number")
            need(c, F, "storing a value that is not a number into a number[]")
        elif op == Op.OWN:
            need(a, A, "mutating an array that is not a number[]")
        elif op == Op.LEN:
            need(b, A, "len() of a string or of an array that is not a number[]")
            s[a] = F
        else:
            refuse(DESCRIPTIONS.get(op, INFO[op].name.lower()))
            for i, kind in enumerate(INFO[op].operands):
                if kind == "W":
                    s[instr[i + 1]] = X

    def call(self, pc: int, instr: tuple, s: dict[int, str], result: Analysis, refuse: Any) -> None:
        _, a, b, c, d = instr
        callee = self.callee_of(b)
        s[a] = X
        if callee is None:
            name = self.image.globals.value_names[b]
            refuse(f"a call of '{name}', which is not a fixed top-level function")
            return
        problem = native_signature_problem(callee)
        if problem is not None:
            refuse(f"a call of '{callee.name}' ({problem})")
            return
        if d != callee.nparams:
            refuse(f"a call of '{callee.name}' with the wrong number of arguments")
            return
        for i, t in enumerate(callee.param_types):
            if s.get(c + i, X) != kind_of_type(t):
                refuse(f"a call of '{callee.name}' with an argument of the wrong type")
                return
        result.callees[pc] = callee
        s[a] = kind_of_type(callee.ret_type)


def merge_into(kinds: list[dict[int, str] | None], pc: int, state: dict[int, str]) -> bool:
    """Merge `state` into the state before `pc`; True if that changed it.

    A register unset on one path takes the other path's kind: the checker guarantees a
    variable is assigned before it is read, so only real conflicts become X."""
    old = kinds[pc]
    if old is None:
        kinds[pc] = dict(state)
        return True
    changed = False
    for r, kind in state.items():
        prev = old.get(r)
        if prev is None:
            old[r] = kind
            changed = True
        elif prev != kind and prev != X:
            old[r] = X
            changed = True
    return changed


def analyze(image: Image, proto: FunctionProto) -> Analysis:
    analysis = Analyzer(image, proto).run()
    analysis.leaf_callees = {
        pc: Analyzer(image, callee).run() for pc, callee in analysis.callees.items() if summarised(callee)
    }
    analysis.ranges = function_ranges(analysis)
    return analysis


# Callees up to this many instructions have the ranges of their results worked out.
MAX_SUMMARISED_CODE = 64


def summarised(callee: FunctionProto) -> bool:
    return (
        len(callee.code) <= MAX_SUMMARISED_CODE
        and kind_of_type(callee.ret_type) == F
        and not any(op in (Op.CALLG, Op.CALL, Op.CALLM) for op, *_ in callee.code)
    )


def function_ranges(
    analysis: Analysis, parameters: dict[int, Range] | None = None, unchecked: frozenset[int] = frozenset()
) -> Ranges:
    """The value ranges of `analysis.proto`'s registers, for any call or (given
    `parameters`, ranges by parameter register) for calls passing values within them;
    `unchecked`: the arithmetic an unchecked copy leaves unchecked."""
    proto = analysis.proto
    constants = {r: proto.tail[r - proto.nparams - proto.ncaptures] for r in range(proto.const_base, proto.nregs)}
    reachable = [state is not None for state in analysis.kinds]
    found = analyze_ranges(proto.code, constants, analysis.intrinsics, reachable, parameters, None, unchecked)
    results = call_results(analysis, found)
    if not results:
        return found
    narrower = analyze_ranges(proto.code, constants, analysis.intrinsics, reachable, parameters, results, unchecked)
    # The results hold for the arguments of the first pass; the second must not pass
    # wider ones (it would not, but for a state given up on after MAX_VISITS).
    return narrower if call_results(analysis, narrower, within=found) is not None else found


def call_results(analysis: Analysis, ranges: Ranges, within: Ranges | None = None) -> dict[int, Range] | None:
    """pc of CALLG -> the range of what the (leaf) callee returns, for the argument
    ranges `ranges` gives the call (with no call's result known, these are at least as
    wide as the ranges that use the results: what comes back holds).
    With `within`: None if some argument's range is not within the one there."""
    found = {}
    for pc, callee in analysis.leaf_callees.items():
        if ranges.before[pc] is None:
            continue
        _, _, _, first, count = analysis.proto.code[pc]
        arguments = {i: r for i in range(count) if (r := ranges.of(pc, first + i)) is not None}
        if within is not None:
            wide = {i: r for i in range(count) if (r := within.of(pc, first + i)) is not None}
            if any(i not in arguments or not contains(r, arguments[i]) for i, r in wide.items()):
                return None
            continue
        result = returned_range(callee, function_ranges(callee, arguments))
        if result is not None:
            found[pc] = result
    return found


def contains(outer: Range, inner: Range) -> bool:
    return outer.lo <= inner.lo and inner.hi <= outer.hi and (inner.whole or not outer.whole)


def returned_range(analysis: Analysis, ranges: Ranges) -> Range | None:
    """The hull of what the function's returns return (None if any is unknown)."""
    hull: Range | None = None
    for pc, (op, a, *_) in enumerate(analysis.proto.code):
        if op == Op.RETNULL and analysis.reachable(pc):
            return None
        if op != Op.RETURN or not analysis.reachable(pc):
            continue
        returned = ranges.of(pc, a)
        if returned is None:
            return None
        hull = returned if hull is None else hull.hull(returned)
    return hull


def specialised(
    analysis: Analysis, parameters: dict[int, Range] | None, unchecked: frozenset[int] = frozenset()
) -> Analysis:
    """`analysis` for a copy of its function called with parameters in these ranges
    (None: any), and for an unchecked copy the arithmetic it leaves unchecked."""
    return replace(analysis, ranges=function_ranges(analysis, parameters, unchecked))


def spared_facts(analysis: Analysis) -> tuple:
    """The range facts native code uses: which results need no finiteness check, and
    the ranges of divisors, indices and call arguments (equal facts, equal code)."""
    ranges = analysis.ranges
    assert ranges is not None
    used: list[Range | None] = []
    for pc, (op, _, b, c, d) in enumerate(analysis.proto.code):
        if op in (Op.DIV, Op.MOD, Op.INDEX):
            used.append(ranges.of(pc, c))
        elif op == Op.SETIDX:
            used.append(ranges.of(pc, b))
        elif op == Op.CALLG:
            used.extend(ranges.of(pc, r) for r in range(c, c + d))
    return frozenset(ranges.finite_results), tuple(used)


@dataclass
class LoopRegion:
    """A loop compiled as an OSR region: entered at its header from the VM."""

    proto: FunctionProto
    loop_id: int
    header: int
    end: int  # last pc inside the loop (its last back-edge)
    registers: list[int] = field(default_factory=list)  # F/B/A registers it reads or writes
    written: list[int] = field(default_factory=list)  # the ones it may change
    entries: dict[int, int] = field(default_factory=dict)  # header pc -> loop id, nested loops too
    kinds: dict[int, str] = field(default_factory=dict)  # register -> its one kind in the region
    guards: dict[int, Range] = field(default_factory=dict)  # parameter -> the range entries need
    lengths: dict[int, int] = field(default_factory=dict)  # number[] parameter -> length entries need at least

    def contains(self, pc: int) -> bool:
        return self.header <= pc <= self.end


# The parameter range an OSR region may assume from the value it saw (see entry_guards):
# whole numbers up to this magnitude, whose products of two stay exact in doubles.
SMALL_WHOLE = float(2**26)


# How much an OSR region assumes about its parameters (see entry_guards), from most to
# nothing; each entry whose values break the assumptions compiles it one level down.
GUARD_OBSERVED, GUARD_SMALL, GUARD_NONE = 2, 1, 0


def entry_guards(analysis: Analysis, region: LoopRegion, registers: list, level: int) -> None:
    """Set the assumptions to compile `region` for (`region.guards`, `region.lengths`),
    from the values the VM holds as it gets hot, for parameters the function never
    changes (element stores and OWN keep an array's length). Each entry checks them, in
    the VM; one that breaks them compiles the region again a level down.

    - GUARD_SMALL: a number holding a whole number within ±SMALL_WHOLE stays there (an
      array size, a count): loops bounded by it get integer counters and products
      (sieve's `i * i`).
    - GUARD_OBSERVED: besides, a whole number >= 0 stays at most what it holds, and a
      number[] at least as long as it is: a loop `j < nb` indexing `s[6 * j + 5]`
      with nb = 5 and 30 elements needs no bounds check (nbody). A number[] the code
      never stores into whose elements are all finite stays so (its guard is the range
      FINITE, which for a number[] bounds its elements): `entry(i, j) * x[j]` needs
      no check (spectral_norm).
    """
    read = set().union(*(analysis.live[header] for header in region.entries))
    region.guards, region.lengths = parameter_guards(analysis, registers, level, read, region.kinds)


def function_guards(analysis: Analysis, args: list, level: int) -> tuple[dict[int, Range], dict[int, int]]:
    """(guards, lengths) to compile a function for, as `entry_guards` does for a region,
    from the arguments of the call that made it hot; each call from the VM checks them."""
    proto = analysis.proto
    kinds = {reg: kind_of_type(t) for reg, t in enumerate(proto.param_types)}
    return parameter_guards(analysis, args, level, set(analysis.live[0]), kinds)


def parameter_guards(
    analysis: Analysis, values: list, level: int, read: set[int], kinds: dict[int, str]
) -> tuple[dict[int, Range], dict[int, int]]:
    """The guards (ranges by number parameter) and lengths (by number[] parameter) of
    `level` for these parameter values, for parameters the code reads and never writes."""
    guards: dict[int, Range] = {}
    lengths: dict[int, int] = {}
    if level == GUARD_NONE:
        return guards, lengths
    proto = analysis.proto
    written = {r for pc, instr in enumerate(proto.code) if analysis.reachable(pc) for r in written_registers(instr)}
    stored = {a for op, a, *_ in proto.code if op in (Op.SETIDX, Op.OWN)}
    for reg in range(min(proto.nparams, len(values))):
        value = values[reg]
        if reg in written or reg not in read:
            continue
        kind = kinds.get(reg)
        if kind == A and level == GUARD_OBSERVED and type(value) is list and value:
            lengths[reg] = len(value)
            if reg not in stored and within_guard(value, -MAX, MAX):
                guards[reg] = Range(-MAX, MAX)
        elif kind == F and type(value) is float and value.is_integer() and abs(value) <= SMALL_WHOLE:
            high = value if level == GUARD_OBSERVED and value >= 0 else SMALL_WHOLE
            guards[reg] = Range(0.0 if value >= 0 else -SMALL_WHOLE, high, True)
    return guards, lengths


def within_guard(value: Any, lo: float, hi: float) -> bool:
    """Does a parameter's value meet its entry guard? A number: whole, within [lo, hi];
    a number[] (guarded only with the range of all finite numbers): every element
    finite (their sum is finite only then, or, rarely, when it overflows: a false no)."""
    if type(value) is list:
        try:
            return math.isfinite(sum(value))
        except TypeError:  # gradual typing let something else in
            return False
    return type(value) is float and lo <= value <= hi and value.is_integer()


def live_registers(proto: FunctionProto) -> list[frozenset[int]]:
    """Per pc, the registers live before it: read on some path from there before they
    are written. (Backward data flow; a may-write, like a write-back call's, kills
    nothing.)"""
    code = proto.code
    n = len(code)
    every = frozenset(range(proto.nregs))
    reads: list[frozenset[int]] = []
    kills: list[frozenset[int]] = []
    for op, *operands in code:
        found = read_registers((op, *operands))  # type: ignore[arg-type]
        reads.append(every if found is None else frozenset(found))
        kills.append(frozenset(operands[i] for i, kind in enumerate(INFO[op].operands) if kind == "W"))
    live: list[frozenset[int]] = [frozenset()] * n
    changed = True
    while changed:
        changed = False
        for pc in range(n - 1, -1, -1):
            after = frozenset().union(*(live[succ] for succ in successors(pc, code[pc], n)))
            before = reads[pc] | (after - kills[pc])
            if before != live[pc]:
                live[pc] = before
                changed = True
    return live


def loop_extent(proto: FunctionProto, loop_id: int) -> tuple[int, int]:
    """(header, last back-edge) of a loop: the pcs from one to the other are its body."""
    ends = [pc for pc, ins in enumerate(proto.code) if ins[0] == Op.LOOP and ins[2] == loop_id]
    return proto.loop_headers[loop_id], max(ends)


# An innermost loop proven to run at most this many times per entry skips the Ctrl-C
# poll on its back-edge (see short_loop_ends).
MAX_UNPOLLED_TRIPS = 4096


def counted_loop(proto: FunctionProto, header: int, end: int) -> tuple[int, int, int] | None:
    """(counter, bound, step) of a loop [header, end] that tests `counter < bound` (or
    <=) at its header and adds `step` to the counter just before its one back-edge, which
    every way around the loop takes, the counter written nowhere else; else None."""
    code = proto.code
    op, r, bound, _, _ = code[header]
    if end - header < 2 or op not in (Op.IFLT, Op.IFLE) or r >= proto.const_base:
        return None
    step_op, written, x, y, _ = code[end - 1]
    if step_op != Op.ADD or written != r or r not in (x, y) or x == y:
        return None  # `r = r + s` (`r = 1 + j` steps nothing)
    if not _steps_once(code, header, end, r):
        return None
    return r, bound, y if x == r else x


def is_innermost(proto: FunctionProto, header: int, end: int) -> bool:
    return not any(header < h <= end for h in proto.loop_headers)


def short_loop_ends(analysis: Analysis) -> set[int]:
    """The back-edges (LOOP pcs) of innermost loops that run at most MAX_UNPOLLED_TRIPS
    times per entry: native code need not poll for Ctrl-C there, as the code around
    them polls (an enclosing loop, or a caller's loop or entry).

    Such a loop is counted (see counted_loop) against a constant K with a constant step
    >= 1, and its counter enters it no lower than its range says."""
    proto = analysis.proto
    found: set[int] = set()
    for loop_id, header in enumerate(proto.loop_headers):
        _, end = loop_extent(proto, loop_id)
        counted = counted_loop(proto, header, end)
        if counted is None or not is_innermost(proto, header, end) or not analysis.reachable(header):
            continue
        r, bound, step = counted
        k, c = constant_number(proto, bound), constant_number(proto, step)
        start = analysis.ranges.of(header, r) if analysis.ranges else None
        if k is None or c is None or c < 1 or start is None or not start.lo > -math.inf:
            continue
        if (k - start.lo) / c + 2 <= MAX_UNPOLLED_TRIPS:
            found.add(end)
    return found


def constant_number(proto: FunctionProto, reg: int) -> float | None:
    """The value of a finite constant number register (None for any other register)."""
    if reg < proto.const_base:
        return None
    value = proto.tail[reg - proto.nparams - proto.ncaptures]
    return value if type(value) is float and math.isfinite(value) else None


def _steps_once(code: list[tuple], header: int, end: int, r: int) -> bool:
    """Every way around the loop [header, end] passes the step at end - 1 (no jump
    lands on the back-edge, or back on the header) and nothing else writes `r`."""
    for pc in range(header, end - 1):
        instr = code[pc]
        if any(t in (header, end) for t in jump_targets(instr)):
            return False
        if r in written_registers(instr):
            return False
    return True


def hot_loop_region(
    analysis: Analysis, loop_id: int, declined: frozenset[int] = frozenset()
) -> tuple[LoopRegion | None, str | None]:
    """The region to compile when loop `loop_id` gets hot: the outermost loop around it
    that compiles as a whole (so one compilation serves the whole nest and the program
    leaves the VM once), or the reason the hot loop itself stays in the VM. Loops in
    `declined` (their region met a value native code cannot take) are passed over."""
    proto = analysis.proto
    header, end = loop_extent(proto, loop_id)
    enclosing = []
    for other in range(len(proto.loop_headers)):
        if other in declined and other != loop_id:
            continue
        other_header, other_end = loop_extent(proto, other)
        if other_header <= header and end <= other_end:
            enclosing.append((other_end - other_header, other))
    for _, candidate in sorted(enclosing, reverse=True):
        region, reason = loop_region(analysis, candidate)
        if region is not None or candidate == loop_id:
            return region, reason
    raise AssertionError("a loop encloses itself")  # pragma: no cover


def loop_region(analysis: Analysis, loop_id: int) -> tuple[LoopRegion | None, str | None]:
    """The loop `loop_id` as a region, or the reason it stays in the VM."""
    proto = analysis.proto
    region = LoopRegion(proto, loop_id, *loop_extent(proto, loop_id))
    for inner in range(len(proto.loop_headers)):
        inner_header, inner_end = loop_extent(proto, inner)
        if region.contains(inner_header) and region.contains(inner_end):
            region.entries[inner_header] = inner
    touched: set[int] = set()
    written: set[int] = set()
    for pc in range(region.header, region.end + 1):
        if not analysis.reachable(pc):
            continue
        problem = analysis.unsupported.get(pc)
        if problem is not None:
            return None, problem.reason(proto)
        instr = proto.code[pc]
        for i, kind in enumerate(INFO[instr[0]].operands):
            reg = instr[i + 1]
            if kind in "RW" and reg < proto.const_base:
                touched.add(reg)
                if kind == "W" or instr[0] in (Op.SETIDX, Op.OWN):
                    written.add(reg)
    region.kinds = _region_kinds(analysis, region, touched)
    region.registers = sorted(region.kinds)
    region.written = sorted(r for r in written if r in region.kinds)
    _drop_conflicting_entries(analysis, region)
    problem = _exit_conflict(analysis, region)
    if problem is not None:
        return None, problem
    return region, None


def _region_kinds(analysis: Analysis, region: LoopRegion, touched: set[int]) -> dict[int, str]:
    """The one kind (F, B or A) each register is held in for the whole region: its kind
    at the outermost header, else at an inner header, else the first kind it is given
    inside. Registers that never hold F/B/A stay out."""
    headers = [region.header, *sorted(h for h in region.entries if h != region.header)]
    kinds: dict[int, str] = {}
    for reg in sorted(touched):
        kind = next((k for h in headers if (k := (analysis.kinds[h] or {}).get(reg)) in (F, B, A)), None)
        kind = kind or _kind_written(analysis, reg, region)
        if kind in (F, B, A):
            kinds[reg] = kind
    return kinds


def _drop_conflicting_entries(analysis: Analysis, region: LoopRegion) -> None:
    """An inner loop header where a register holds another kind than the region's cannot
    be entered from the VM (its value would land in the wrong slot): that inner loop
    then runs natively only when entered through the outer one."""
    for header in sorted(region.entries):
        if header == region.header:
            continue
        state = analysis.kinds[header] or {}
        if any(_holds_other_kind(state, r, k) for r, k in region.kinds.items()):
            del region.entries[header]


def _exit_conflict(analysis: Analysis, region: LoopRegion) -> str | None:
    """Every exit hands registers back in the region's kinds: a register the VM holds in
    another kind after some exit keeps the loop in the VM."""
    proto = analysis.proto
    for pc in range(region.header, region.end + 1):
        if not analysis.reachable(pc):
            continue
        op, returned = proto.code[pc][:2]
        if op == Op.RETURN and returned in region.kinds:
            # The VM runs the return on the value handed back: the register must be
            # in the region's kind there (its frame ends, so the others do not matter).
            if _holds_other_kind(analysis.kinds[pc] or {}, returned, region.kinds[returned]):
                return f"register r{returned} leaves the loop as another kind than it has inside"
        for target in successors(pc, proto.code[pc], len(proto.code)):
            if region.contains(target) or target >= len(proto.code):
                continue
            state = analysis.kinds[target] or {}
            for reg, kind in region.kinds.items():
                if reg in region.written and _holds_other_kind(state, reg, kind):
                    return f"register r{reg} leaves the loop as another kind than it has inside"
    return None


def _holds_other_kind(state: dict[int, str], reg: int, kind: str) -> bool:
    """Does `reg` hold an F, B or A value of another kind than `kind` in `state`?"""
    held = state.get(reg, kind)
    return held in (F, B, A) and held != kind


def _kind_written(analysis: Analysis, reg: int, region: LoopRegion) -> str:
    """The kind a register gets inside the region (for registers unset at the header)."""
    for pc in range(region.header, region.end + 1):
        state = analysis.kinds[pc]
        if state is not None and state.get(reg) in (F, B, A):
            return state[reg]
    return X


def hoisted_owns(analysis: Analysis, pcs: range) -> dict[int, frozenset[int]]:
    """Per loop header in `pcs`, the array registers its loop makes unique (OWN) and
    never writes nor shares: native code makes them unique once, on entering the loop,
    instead of checking at every store. (A copy made early is invisible: arrays are
    values, and one of them is copied at most once more than the VM would.)"""
    ends: dict[int, int] = {}
    for pc in pcs:
        instr = analysis.proto.code[pc]
        if instr[0] == Op.LOOP and instr[1] in pcs and analysis.reachable(pc):
            ends[instr[1]] = max(ends.get(instr[1], pc), pc)
    hoisted = {}
    for header, end in ends.items():
        owns, spoiled = set(), set()
        for pc in range(header, end + 1):
            instr = analysis.proto.code[pc]
            if instr[0] == Op.OWN:
                owns.add(instr[1])
            spoiled |= _spoiled(instr)
        kinds = analysis.kinds[header] or {}
        regs = frozenset(r for r in owns - spoiled if kinds.get(r) == A)
        if regs:
            hoisted[header] = regs
    return hoisted


def _spoiled(instr: tuple) -> set[int]:
    """Registers whose array an instruction replaces or gives another reference."""
    op, _, b, c, d = instr
    found = {instr[i + 1] for i, kind in enumerate(INFO[op].operands) if kind == "W"}
    if op in (Op.MOVE, Op.SETG):
        found.add(b)
    elif op in (Op.CALLG, Op.CALLB, Op.CALL, Op.CALLM):
        found.update(range(c, c + d))
    return found


def owned_after(instr: tuple, owned: frozenset[int]) -> frozenset[int]:
    """The arrays certain to be unique after `instr`, from those before it."""
    found = owned | {instr[1]} if instr[0] == Op.OWN else owned
    return found - _spoiled(instr)


def owned_arrays(analysis: Analysis, pcs: range, entries: list[int],
                 hoisted: dict[int, frozenset[int]]) -> list[frozenset[int] | None]:  # fmt: skip
    """Per pc of `pcs`, the array registers certain to hold a buffer this code made
    unique (by OWN, or on entering a loop: `hoisted`) with no reference taken since:
    OWN there has nothing to check.

    Native code is entered with nothing known (the VM may share any array), and facts
    die where a register is written or its array gets another reference (a copy, a
    call argument, a global)."""
    code = analysis.proto.code
    facts: list[frozenset[int] | None] = [None] * len(code)
    work = []
    for pc in entries:
        facts[pc] = hoisted.get(pc, frozenset())
        work.append(pc)
    while work:
        pc = work.pop()
        instr = code[pc]
        owned = owned_after(instr, facts[pc])  # type: ignore[arg-type]
        for succ in successors(pc, instr, len(code)):
            if succ not in pcs or not analysis.reachable(succ):
                continue
            arriving = owned | hoisted[succ] if succ > pc and succ in hoisted else owned
            old = facts[succ]
            new = frozenset(arriving) if old is None else old & arriving
            if new != old:
                facts[succ] = new
                work.append(succ)
    return facts
