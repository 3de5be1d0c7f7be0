"""NaN/Infinity checks a pure function can leave to its result.

`fib`'s `fib(n - 1) + fib(n - 2)` is checked for NaN and infinity at every call. But
the sum is returned, and its caller adds it to another sum and returns that: if any
sum along the way is not finite, neither is the final result (`inf + x`, `inf - inf`,
`inf * 0` and anything with a NaN are NaN or infinite). So a function with no effect
the program could see gets a second, *unchecked* copy that leaves out every check whose
value reaches its result that way (`result_bound`). The entry from the VM runs that
copy first. If it failed (but for an interrupt) or its result is not finite, the entry
runs the checked copy from the start, with the same arguments and depth. That run
takes the same path up to the first failure, so the error and its site are the VM's,
and a function that really returns an infinity returns it. The first run had no effect
to undo: no stores, no global writes, no calls but to itself (`retry_checks`). With
no loops, and the depth limit on its recursion, it ends.

Inside the unchecked copy, a call to itself whose result does not reach the result
that way (it is compared, say) gets its result checked instead: a failure there sends
the entry to the checked copy too.
"""

from __future__ import annotations

from ..compile.opcodes import Op, successors, written_registers
from ..compile.proto import FunctionProto
from .analysis import A, Analysis, F, kind_of_type

# Operands whose NaN or infinity always reaches the instruction's result: both of
# `+`, `-` and `*` (`inf * 0` is NaN), and the dividend of `/` and `%`, not the divisor
# (`x / inf` is 0). A zero divisor fails, which sends the entry to the checked copy.
PASSED_ON: dict[int, tuple[int, ...]] = {
    Op.ADD: (2, 3), Op.SUB: (2, 3), Op.MUL: (2, 3), Op.DIV: (2,), Op.MOD: (2,),
    Op.NEG: (2,), Op.MOVE: (2,),
}  # fmt: skip

# Instructions whose value is checked (arithmetic) or may come from an unchecked run
# (a call to the function itself).
CHECKED_RESULTS = frozenset({Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.CALLG})

# Instructions with an effect a second run would repeat.
EFFECTS = frozenset({Op.SETNG, Op.SETBG, Op.SETG, Op.OWNG, Op.SETIDX})


def result_bound(proto: FunctionProto) -> frozenset[int]:
    """The pcs of checked instructions whose value, if NaN or infinite, makes the
    function's result NaN or infinite (or the call fail) on every path from there.
    Empty for a function with a loop: an unchecked run must end.

    A backward pass: before each pc, the registers whose value reaches the result
    that way. None stands for every register: a path that fails (a `return` without
    a value in a function returning a number) is as good as a non-finite result."""
    code = proto.code
    n = len(code)
    reaching: list[frozenset[int] | None] = [None] * n
    found: set[int] = set()
    for pc in range(n - 1, -1, -1):
        instr = code[pc]
        op, dest = instr[0], instr[1]
        following = successors(pc, instr, n)
        if any(succ <= pc for succ in following):
            return frozenset()
        if op == Op.RETURN:
            reaching[pc] = frozenset({dest})
            continue
        after: frozenset[int] | None = None  # the meet of the successors' (None: every)
        for succ in following:
            known = reaching[succ]
            after = known if after is None else after if known is None else after & known
        reaches = after is None or dest in after
        if op in CHECKED_RESULTS and reaches:
            found.add(pc)
        if after is not None:
            before = after - frozenset(written_registers(instr))
            reaching[pc] = (before | {instr[i] for i in PASSED_ON.get(op, ())}) if reaches else before
    return frozenset(found)


def retry_checks(analysis: Analysis) -> frozenset[int]:
    """The checks an unchecked copy of the function leaves out (see the module's
    docstring); empty if it may not have one: it must return a number, hold no arrays,
    change no global, call itself and nothing else and run no loop, and the copy must
    spare an arithmetic check somewhere. (A function that does not call itself spares a
    check or two per call from the VM, which costs far more.)"""
    proto = analysis.proto
    if kind_of_type(proto.ret_type) != F or set(analysis.callees.values()) != {proto}:
        return frozenset()
    for pc, instr in enumerate(proto.code):
        state = analysis.kinds[pc]
        if state is not None and (instr[0] in EFFECTS or A in state.values()):
            return frozenset()
    bound = result_bound(proto)
    assert analysis.ranges is not None
    arithmetic = [pc for pc in bound if proto.code[pc][0] != Op.CALLG]
    return bound if any(pc not in analysis.ranges.finite_results for pc in arithmetic) else frozenset()
