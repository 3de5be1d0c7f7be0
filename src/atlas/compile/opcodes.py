"""The instruction set, defined once.

Atlas bytecode is register based (like Lua's): every instruction is a 5-tuple
`(op, a, b, c, d)` of small integers, pre-decoded so that the VM unpacks it in one
step. Registers are the slots of a frame: parameters, captured values, nested-function
cells, locals, temporaries, and the function's constants (constants live in registers
too, so every value operand is just a register index).

Each entry of `TABLE` names an opcode, the kinds of its four operands and what it does.
The VM (`atlas.vm.interpreter`), the disassembler (`atlas.compile.disasm`), the
compiler's register relocation and the JIT lowering (`atlas.jit.lowering`) are all
written against this table; tests check that each of them covers every opcode.

Operand kinds:
    R  register read          W  register written
    J  jump target (pc)       G  global slot
    B  callable index (builtins and array methods, `Image.callables`)
    P  prototype index        N  integer immediate (count, kind tag, loop id, ...)
    -  unused (0)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


@dataclass(frozen=True, slots=True)
class OpInfo:
    name: str
    operands: str  # four kind letters, e.g. "WRR-"
    doc: str


TABLE: tuple[OpInfo, ...] = (
    # -- data movement
    OpInfo("MOVE", "WR--", "R[A] = R[B]"),
    OpInfo("CLEAR", "W---", "R[A] = null (drops a reference so copy-on-write sees fewer holders)"),
    # -- globals: generic slots, and number/bool slots in native-visible storage
    OpInfo("GETG", "WG--", "R[A] = G[B]; AT0002 if not yet defined"),
    OpInfo("SETG", "GR--", "G[A] = R[B]"),
    OpInfo("GETNG", "WG--", "R[A] = NG[B] (number global); AT0002 if not yet defined"),
    OpInfo("SETNG", "GR--", "NG[A] = R[B] (number global)"),
    OpInfo("GETBG", "WG--", "R[A] = NG[B] != 0 (bool global); AT0002 if not yet defined"),
    OpInfo("SETBG", "GR--", "NG[A] = 1.0 / 0.0 for R[B] true / false (bool global)"),
    # -- nested functions
    OpInfo("NEWCELL", "WR--", "R[A] = a new empty cell for the nested function named R[B]"),
    OpInfo("GETCELL", "WR--", "R[A] = value of cell R[B]; AT0002 if its declaration has not run"),
    OpInfo("SETCELL", "RR--", "value of cell R[A] = R[B]"),
    OpInfo("CLOSURE", "WP--", "R[A] = function of proto B, capturing its capture registers"),
    # -- number arithmetic (AT0005 on a zero divisor, AT0007 on a NaN/inf result)
    OpInfo("ADD", "WRR-", "R[A] = R[B] + R[C]"),
    OpInfo("SUB", "WRR-", "R[A] = R[B] - R[C]"),
    OpInfo("MUL", "WRR-", "R[A] = R[B] * R[C]"),
    OpInfo("DIV", "WRR-", "R[A] = R[B] / R[C]"),
    OpInfo("MOD", "WRR-", "R[A] = fmod(R[B], R[C])"),
    OpInfo("NEG", "WR--", "R[A] = -R[B] (never traps)"),
    OpInfo("CONCAT", "WRR-", "R[A] = R[B] + R[C] (strings)"),
    OpInfo("ARITHX", "WRRN", "R[A] = R[B] <op D> R[C] on operands of unknown type, checked at run time"),
    OpInfo("NEGX", "WR--", "R[A] = -R[B] on an operand of unknown type"),
    # -- comparisons and logic (> and >= are < and <= with operands swapped)
    OpInfo("LT", "WRR-", "R[A] = R[B] < R[C] (numbers)"),
    OpInfo("LE", "WRR-", "R[A] = R[B] <= R[C] (numbers)"),
    OpInfo("CMPX", "WRRN", "R[A] = R[B] <cmp D> R[C] on operands of unknown type"),
    OpInfo("EQP", "WRR-", "R[A] = R[B] == R[C] (both of one primitive type)"),
    OpInfo("NEP", "WRR-", "R[A] = R[B] != R[C] (both of one primitive type)"),
    OpInfo("EQ", "WRR-", "R[A] = R[B] == R[C] (structural equality)"),
    OpInfo("NE", "WRR-", "R[A] = R[B] != R[C] (structural equality)"),
    OpInfo("NOT", "WR--", "R[A] = !R[B]"),
    # -- control flow
    OpInfo("JMP", "J---", "pc = A"),
    OpInfo("JMPF", "RJ--", "if !R[A]: pc = B"),
    OpInfo("JMPT", "RJ--", "if R[A]: pc = B"),
    OpInfo("IFLT", "RRJ-", "if !(R[A] < R[B]): pc = C (numbers)"),
    OpInfo("IFLE", "RRJ-", "if !(R[A] <= R[B]): pc = C (numbers)"),
    OpInfo("IFEQP", "RRJ-", "if !(R[A] == R[B]): pc = C (primitives)"),
    OpInfo("IFNEP", "RRJ-", "if !(R[A] != R[B]): pc = C (primitives)"),
    OpInfo("LOOP", "JN--", "pc = A: a loop back-edge; B is the loop's index for hotness counting"),
    # -- calls
    OpInfo("CALL", "WRRN", "R[A] = R[B](R[C] .. R[C+D-1]) (any callable value)"),
    OpInfo("CALLG", "WGRN", "R[A] = G[B](R[C] .. R[C+D-1]) (a global function)"),
    OpInfo("CALLB", "WBRN", "R[A] = callables[B](R[C] .. R[C+D-1]) (count checked statically); a write-back builtin owns R[C]"),
    OpInfo("CALLM", "WRRN", "R[A] = R[C].<method named R[B]>(R[C+1] .. R[C+D-1]) on an unknown receiver"),
    OpInfo("RETURN", "R---", "return R[A]"),
    OpInfo("RETNULL", "----", "return null"),
    # -- arrays
    OpInfo("NEWARRAY", "WRN-", "R[A] = [R[B] .. R[B+C-1]]"),
    OpInfo("NEWARRAYK", "WR--", "R[A] = a new array of the elements of the constant tuple R[B]"),
    OpInfo("EXTEND", "RRN-", "append R[B] .. R[B+C-1] to the new array R[A]"),
    OpInfo("INDEX", "WRR-", "R[A] = R[B][R[C]] (array; AT0103 bad index, AT0006 out of bounds)"),
    OpInfo("INDEXJ", "WRR-", "R[A] = R[B][R[C]] (json; never fails)"),
    OpInfo("INDEXX", "WRR-", "R[A] = R[B][R[C]] on a target of unknown type"),
    OpInfo("SETIDX", "RRR-", "R[A][R[B]] = R[C] where R[A] is an array owned by this frame"),
    OpInfo("OWN", "R---", "make the container in R[A] uniquely owned (copy it if shared)"),
    OpInfo("OWNX", "R---", "like OWN for a value of unknown kind (no-op for non-containers)"),
    OpInfo("OWNG", "WG--", "make G[B] uniquely owned (copy if a shared container); R[A] = it"),
    OpInfo("OWNIDX", "WRR-", "make element R[B][R[C]] uniquely owned; R[A] = it"),
    OpInfo("LEN", "WR--", "R[A] = len(R[B]) (array or string)"),
    # -- match, Option/Result, `?`
    OpInfo("TESTTAG", "WRN-", "R[A] = R[B] is Some/None/Ok/Err (C = 0/1/2/3)"),
    OpInfo("PAYLOAD", "WR--", "R[A] = payload of the Some/Ok/Err in R[B]"),
    OpInfo("TESTLEN", "WRN-", "R[A] = R[B] is an array of length C"),
    OpInfo("GETK", "WRN-", "R[A] = R[B][C] (constant index, known to be in range)"),
    OpInfo("NOMATCH", "----", "AT0001: no match arm matched"),
    OpInfo("IFERR", "RJ--", "`?`: Err in R[A] -> pc = B; Ok continues; anything else AT0001"),
    # -- for-in
    OpInfo("ITERCHECK", "R---", "AT0001 unless R[A] is an array (for-in over an unknown value)"),
    OpInfo("ITERGET", "WRR-", "R[A] = R[B][int(R[C])] (for-in element; index known valid)"),
)

Op = IntEnum("Op", [(info.name, i) for i, info in enumerate(TABLE)])  # type: ignore[misc]

INFO: dict[int, OpInfo] = {i: info for i, info in enumerate(TABLE)}

# Operator numbers for ARITHX / CMPX (operand D).
ARITH_OPS = ("+", "-", "*", "/", "%")
CMP_OPS = ("<", "<=", ">", ">=")

# TESTTAG kinds (operand C).
TAG_SOME, TAG_NONE, TAG_OK, TAG_ERR = range(4)

JUMP_OPS = frozenset(op for op in Op if "J" in INFO[op].operands)


def jump_targets(instr: tuple[int, int, int, int, int]) -> list[int]:
    """The pcs an instruction may jump to."""
    kinds = INFO[instr[0]].operands
    return [instr[i + 1] for i, k in enumerate(kinds) if k == "J"]


def successors(pc: int, instr: tuple[int, int, int, int, int], n: int) -> list[int]:
    """The pcs control may reach after the instruction at `pc` of `n`: the next one
    first (unless it jumps or returns), then its jump targets."""
    op = instr[0]
    if op in (Op.RETURN, Op.RETNULL, Op.NOMATCH):
        return []
    targets = jump_targets(instr)
    if op in (Op.JMP, Op.LOOP):
        return targets
    following = [pc + 1] if pc + 1 < n else []
    return following + targets


# Calls, and the calls that may replace their first argument register (a write-back
# builtin, reached directly or as a value; a global Atlas function never does).
CALL_OPS = frozenset({Op.CALL, Op.CALLG, Op.CALLB, Op.CALLM})
WRITE_BACK_OPS = frozenset({Op.CALL, Op.CALLB, Op.CALLM})


def written_registers(instr: tuple[int, int, int, int, int]) -> list[int]:
    """The registers an instruction may write."""
    op, _, _, c, d = instr
    found = [instr[i + 1] for i, kind in enumerate(INFO[op].operands) if kind == "W"]
    if op in WRITE_BACK_OPS and d:
        found.append(c)
    return found


# Instructions that read a run of registers: operand positions (0..3 for A..D) of the
# run's first register and of its length.
REGISTER_RUNS = {
    Op.CALL: (2, 3), Op.CALLG: (2, 3), Op.CALLB: (2, 3), Op.CALLM: (2, 3),
    Op.NEWARRAY: (1, 2), Op.EXTEND: (1, 2),
}  # fmt: skip

# Instructions whose reads depend on more than their operands (CLOSURE reads the
# registers its prototype captures): treated as reading every register.
OPAQUE_READS = frozenset({Op.CLOSURE})


def read_registers(instr: tuple[int, int, int, int, int]) -> list[int] | None:
    """The registers an instruction may read (None: any register)."""
    op = instr[0]
    if op in OPAQUE_READS:
        return None
    found = [instr[i + 1] for i, kind in enumerate(INFO[op].operands) if kind == "R"]
    run = REGISTER_RUNS.get(op)
    if run is not None:
        first, count = instr[run[0] + 1], instr[run[1] + 1]
        found.extend(range(first, first + count))
    return found


def register_operands(op: int) -> list[int]:
    """Operand positions (0..3 for A..D) that name registers."""
    return [i for i, k in enumerate(INFO[op].operands) if k in "RW"]
