"""The bytecode interpreter: tier 0, the reference for every behaviour.

One dispatch loop executes register bytecode (`atlas.compile.opcodes`). Atlas calls
never recurse in Python: frames are pushed on an explicit stack, so the call-depth limit
(AT0008) is ours to enforce. Builtins that call back into Atlas (`map`, `sort`, ...)
re-enter through `call_value`, sharing the depth count.

The VM counts calls per function and back-edges per loop; when a JIT engine is
attached it hands hot code to it and runs native code where it exists.

Statically typed instructions trust the checker, but gradual typing lets values of
the wrong kind reach them through `unknown`; any host-level failure that causes is
reported as AT0001 at the instruction's span (never a Python traceback).
"""

from __future__ import annotations

import math
import sys
from typing import Any

from ..compile.opcodes import INFO, TAG_ERR, TAG_NONE, TAG_OK, TAG_SOME, Op
from ..compile.proto import FunctionProto, Image, is_undefined_number
from ..limits import MAX_CALL_DEPTH, STACK_OVERFLOW_MESSAGE
from ..permissions import DENY_ALL, Permissions
from ..stdlib.registry import BUILTINS, METHOD_WRITEBACK, Builtin, method_as_builtin
from .errors import (
    AtlasRuntimeError,
    MemoryLimitExceeded,
    divide_by_zero,
    invalid_index,
    invalid_numeric,
    out_of_bounds,
    type_error,
    unknown_symbol,
)
from .values import (
    NONE,
    UNDEFINED,
    UNIQUE_REFS,
    Cell,
    Err,
    Function,
    HashMap,
    HashSet,
    Json,
    NoneValue,
    Ok,
    Queue,
    Some,
    Stack,
    kind_name,
    take_unique,
    values_equal,
)

CONTAINERS = (list, HashMap, HashSet, Queue, Stack)
HOST_FAILURES = (TypeError, ValueError, AttributeError, IndexError, KeyError, OverflowError)
TAG_TYPES = {TAG_SOME: Some, TAG_NONE: NoneValue, TAG_OK: Ok, TAG_ERR: Err}

# Methods callable on a receiver of unknown static type (reference 3.12), by runtime kind.
ARRAY_METHODS = {
    "push": "arrayPush", "pop": "arrayPop", "shift": "arrayShift", "unshift": "arrayUnshift",
    "reverse": "arrayReverse", "sort": "arraySort", "len": "len", "includes": "arrayIncludes",
    "indexOf": "arrayIndexOf", "lastIndexOf": "arrayLastIndexOf", "slice": "slice",
    "concat": "concat", "flatten": "flatten", "join": "join",
}  # fmt: skip
JSON_METHODS = {
    "as_string": "jsonAsString", "as_number": "jsonAsNumber", "as_bool": "jsonAsBool",
    "is_null": "jsonIsNull",
}  # fmt: skip


# Returned by a native function handed arguments of kinds its signature does not take
# (gradual typing let them through): the VM runs the call itself instead.
DECLINED = object()


def stack_overflow() -> AtlasRuntimeError:
    return AtlasRuntimeError("AT0008", STACK_OVERFLOW_MESSAGE)


def index_error(i: Any) -> AtlasRuntimeError:
    """AT0103 for a negative or fractional index, else AT0006 (out of bounds)."""
    if type(i) is not float or i != i or i in (math.inf, -math.inf) or i < 0 or i != int(i):
        return invalid_index()
    return out_of_bounds()


def check_index(lst: Any, i: Any) -> int:
    if type(lst) is not list:
        raise type_error(f"Cannot index into non-array type {kind_name(lst)}")
    if type(i) is float and 0.0 <= i < len(lst):
        k = int(i)
        if k == i:
            return k
    raise index_error(i)


def own_element(parent: list, i: Any) -> Any:
    """The element parent[i] made unique in place (for nested index assignment)."""
    k = check_index(parent, i)
    element = parent[k]
    if type(element) is not list:
        raise type_error(f"Cannot index into non-array type {kind_name(element)}")
    return take_unique(parent, k)


def own_shared_global(image: Image, slot: int) -> Any:
    """OWNG's slow path: copy a shared container into its global slot; other values
    need no copy, but a global whose declaration has not run is AT0002."""
    values = image.globals.values
    v = values[slot]
    if v is UNDEFINED:
        raise unknown_symbol(image.globals.value_names[slot])
    if isinstance(v, CONTAINERS):
        values[slot] = v = v.copy()
    return v


def copy_if_container(v: Any) -> Any:
    return v.copy() if isinstance(v, CONTAINERS) else v


def number_result(x: float) -> float:
    if x - x != 0.0:
        raise invalid_numeric()
    return x


def arith_any(x: Any, y: Any, op: int) -> Any:
    """ARITHX: an arithmetic operator on values whose types were unknown statically."""
    if type(x) is float and type(y) is float:
        if op == 0:
            return number_result(x + y)
        if op == 1:
            return number_result(x - y)
        if op == 2:
            return number_result(x * y)
        if y == 0.0:
            raise divide_by_zero()
        if op == 3:
            return number_result(x / y)
        try:
            return number_result(math.fmod(x, y))
        except ValueError:
            raise invalid_numeric() from None
    if op == 0 and type(x) is str and type(y) is str:
        return x + y
    if op == 0:
        raise type_error(f"'+' requires matching types, found {kind_name(x)} and {kind_name(y)}")
    raise type_error(
        f"Arithmetic operator requires number operands, found {kind_name(x)} and {kind_name(y)}"
    )


def compare_any(x: Any, y: Any, op: int) -> bool:
    if type(x) is not float or type(y) is not float:
        raise type_error(
            f"Comparison requires number operands, found {kind_name(x)} and {kind_name(y)}"
        )
    if op == 0:
        return x < y
    if op == 1:
        return x <= y
    if op == 2:
        return x > y
    return x >= y


def negate_any(x: Any) -> float:
    if type(x) is not float:
        raise type_error(f"Unary '-' requires number operand, found {kind_name(x)}")
    return -x


def logical_not(x: Any) -> bool:
    if x is True:
        return False
    if x is False:
        return True
    raise type_error(f"Unary '!' requires bool operand, found {kind_name(x)}")


def not_a_bool(x: Any) -> AtlasRuntimeError:
    return type_error(f"Condition must be bool, found {kind_name(x)}")


def json_index(target: Json, key: Any) -> Json:
    """Index a json value: never fails; anything missing is json null (reference 4.13)."""
    data = target.data
    if type(key) is str:
        return Json(data.get(key)) if isinstance(data, dict) else Json(None)
    if type(key) is float and isinstance(data, list) and 0.0 <= key < len(data) and key == int(key):
        return Json(data[int(key)])
    return Json(None)


def index_any(target: Any, key: Any) -> Any:
    if type(target) is list:
        return target[check_index(target, key)]
    if type(target) is Json:
        return json_index(target, key)
    raise type_error(f"Cannot index into type {kind_name(target)}")


def describe_host_failure(op: int, instr: tuple, regs: list) -> str:
    """AT0001 detail for a host-level failure: the operand kinds the op was given."""
    kinds = INFO[op].operands
    seen = [kind_name(regs[instr[i + 1]]) for i, k in enumerate(kinds) if k == "R"]
    name = INFO[op].name.lower()
    return f"Type error: unexpected {' and '.join(seen) or 'value'} in {name}"


def store_mismatch(expected: str, value: Any) -> AtlasRuntimeError:
    """A number/bool global slot given a value of another kind (through `unknown`)."""
    return type_error(f"Type mismatch: expected {expected}, found {kind_name(value)}")


def _raise_store_mismatch(expected: str, value: Any) -> None:
    raise store_mismatch(expected, value)


def _len_any(value: Any) -> None:
    BUILTINS["len"].impl(value)


def _arith_form(op_index: int) -> Any:
    return lambda r, a, b, c: arith_any(r[b], r[c], op_index)


# The generic (unknown-type) form of each statically typed operation, called with
# (regs, a, b, c): it raises the error the operation gives operands of the wrong kind.
GENERIC_FORMS: dict[int, Any] = {
    Op.ADD.value: _arith_form(0),
    Op.SUB.value: _arith_form(1),
    Op.MUL.value: _arith_form(2),
    Op.DIV.value: _arith_form(3),
    Op.MOD.value: _arith_form(4),
    Op.CONCAT.value: _arith_form(0),
    Op.NEG.value: lambda r, a, b, c: negate_any(r[b]),
    Op.LT.value: lambda r, a, b, c: compare_any(r[b], r[c], 0),
    Op.LE.value: lambda r, a, b, c: compare_any(r[b], r[c], 1),
    Op.IFLT.value: lambda r, a, b, c: compare_any(r[a], r[b], 0),
    Op.IFLE.value: lambda r, a, b, c: compare_any(r[a], r[b], 1),
    Op.INDEX.value: lambda r, a, b, c: index_any(r[b], r[c]),
    Op.LEN.value: lambda r, a, b, c: _len_any(r[b]),
    Op.SETNG.value: lambda r, a, b, c: _raise_store_mismatch("number", r[b]),
}


def host_failure(instr: tuple, regs: list) -> AtlasRuntimeError:
    """The error for a statically typed instruction that gradual typing (through
    `unknown`) handed a value of the wrong kind, making the host operation fail: what
    the operation's generic form says about those operands, else AT0001 naming them."""
    op, a, b, c, _ = instr
    generic = GENERIC_FORMS.get(op)
    try:
        if generic is not None:
            generic(regs, a, b, c)
    except AtlasRuntimeError as error:
        return error
    return AtlasRuntimeError("AT0001", describe_host_failure(op, instr, regs))


def make_run():
    """Build the dispatch loop with opcode numbers bound as closure constants."""
    MOVE, CLEAR, GETG, SETG = Op.MOVE.value, Op.CLEAR.value, Op.GETG.value, Op.SETG.value
    GETNG, SETNG, GETBG, SETBG = Op.GETNG.value, Op.SETNG.value, Op.GETBG.value, Op.SETBG.value
    NEWCELL, GETCELL, SETCELL = Op.NEWCELL.value, Op.GETCELL.value, Op.SETCELL.value
    CLOSURE = Op.CLOSURE.value
    ADD, SUB, MUL, DIV, MOD = Op.ADD.value, Op.SUB.value, Op.MUL.value, Op.DIV.value, Op.MOD.value
    NEG, CONCAT, ARITHX, NEGX = Op.NEG.value, Op.CONCAT.value, Op.ARITHX.value, Op.NEGX.value
    LT, LE, CMPX = Op.LT.value, Op.LE.value, Op.CMPX.value
    EQP, NEP, EQ, NE, NOT = Op.EQP.value, Op.NEP.value, Op.EQ.value, Op.NE.value, Op.NOT.value
    JMP, JMPF, JMPT = Op.JMP.value, Op.JMPF.value, Op.JMPT.value
    IFLT, IFLE, IFEQP, IFNEP = Op.IFLT.value, Op.IFLE.value, Op.IFEQP.value, Op.IFNEP.value
    LOOP = Op.LOOP.value
    CALL, CALLG, CALLB, CALLM = Op.CALL.value, Op.CALLG.value, Op.CALLB.value, Op.CALLM.value
    RETURN, RETNULL = Op.RETURN.value, Op.RETNULL.value
    NEWARRAY, NEWARRAYK, EXTEND = Op.NEWARRAY.value, Op.NEWARRAYK.value, Op.EXTEND.value
    INDEX, INDEXJ, INDEXX, SETIDX = Op.INDEX.value, Op.INDEXJ.value, Op.INDEXX.value, Op.SETIDX.value
    OWN, OWNX, OWNG, OWNIDX = Op.OWN.value, Op.OWNX.value, Op.OWNG.value, Op.OWNIDX.value
    LEN, TESTTAG, PAYLOAD = Op.LEN.value, Op.TESTTAG.value, Op.PAYLOAD.value
    TESTLEN, GETK, NOMATCH, IFERR = Op.TESTLEN.value, Op.GETK.value, Op.NOMATCH.value, Op.IFERR.value
    ITERCHECK, ITERGET = Op.ITERCHECK.value, Op.ITERGET.value
    # The table lists opcodes by kind; the loop picks the kind by number first (one to
    # three tests), then the opcode, most frequent first (counted over the test
    # programs, the conformance corpus and the benchmark kernels): CPython tests the
    # branches of a chain one by one, some 10 ns each.
    GROUP_ARITHMETIC, GROUP_CONTROL, GROUP_CONTAINERS = ADD, JMP, NEWARRAY

    getrefcount = sys.getrefcount
    unique_refs = UNIQUE_REFS
    fmod = math.fmod
    max_depth = MAX_CALL_DEPTH
    float_ = float
    len_ = len

    def run(vm: VM, proto: FunctionProto, regs: list) -> Any:
        image = vm.image
        G = image.globals.values
        NG = image.globals.numbers
        impls = vm.bound_callables()
        protos = image.protos
        jit = vm.jit
        entry_depth = vm.depth
        depth = entry_depth
        stack: list = []
        code = proto.code
        pc = 0
        instr: Any = None
        try:
            while True:
                instr = code[pc]
                op, a, b, c, d = instr
                pc += 1
                if op < GROUP_ARITHMETIC:  # registers, globals and cells
                    if op == MOVE:
                        regs[a] = regs[b]
                    elif op == CLEAR:
                        regs[a] = None
                    elif op == GETG:
                        v = G[b]
                        if v is UNDEFINED:
                            raise unknown_symbol(image.globals.value_names[b])
                        regs[a] = v
                    elif op == SETG:
                        G[a] = regs[b]
                    elif op == SETNG:
                        NG[a] = regs[b]
                    elif op == GETNG:
                        x = NG[b]
                        if x != x and is_undefined_number(x):
                            raise unknown_symbol(image.globals.number_names[b])
                        regs[a] = x
                    elif op == GETCELL:
                        v = regs[b].value
                        if v is UNDEFINED:
                            raise unknown_symbol(regs[b].name)
                        regs[a] = v
                    elif op == NEWCELL:
                        regs[a] = Cell(regs[b])
                    elif op == SETCELL:
                        regs[a].value = regs[b]
                    elif op == CLOSURE:
                        nested = protos[b]
                        regs[a] = Function(nested, [regs[i] for i in nested.capture_from])
                    elif op == SETBG:
                        v = regs[b]
                        if v is True:
                            NG[a] = 1.0
                        elif v is False:
                            NG[a] = 0.0
                        else:
                            raise store_mismatch("bool", v)
                    elif op == GETBG:
                        x = NG[b]
                        if x == 1.0:
                            regs[a] = True
                        elif x == 0.0:
                            regs[a] = False
                        else:
                            raise unknown_symbol(image.globals.number_names[b])
                    else:  # pragma: no cover - every opcode is handled
                        raise AssertionError(f"unknown opcode {op}")
                elif op < GROUP_CONTROL:  # arithmetic and comparisons
                    if op == ADD:
                        x = regs[b] + regs[c]
                        if x - x != 0.0:
                            raise invalid_numeric()
                        regs[a] = x
                    elif op == MUL:
                        x = regs[b] * regs[c]
                        if x - x != 0.0:
                            raise invalid_numeric()
                        regs[a] = x
                    elif op == SUB:
                        x = regs[b] - regs[c]
                        if x - x != 0.0:
                            raise invalid_numeric()
                        regs[a] = x
                    elif op == DIV:
                        y = regs[c]
                        if y == 0.0:
                            raise divide_by_zero()
                        x = regs[b] / y
                        if x - x != 0.0:
                            raise invalid_numeric()
                        regs[a] = x
                    elif op == MOD:
                        y = regs[c]
                        if y == 0.0:
                            raise divide_by_zero()
                        try:
                            x = fmod(regs[b], y)
                        except ValueError:
                            raise invalid_numeric() from None
                        if x - x != 0.0:
                            raise invalid_numeric()
                        regs[a] = x
                    elif op == CONCAT:
                        regs[a] = regs[b] + regs[c]
                    elif op == NEG:
                        regs[a] = -regs[b]
                    elif op == EQ:
                        regs[a] = values_equal(regs[b], regs[c])
                    elif op == LT:
                        regs[a] = regs[b] < regs[c]
                    elif op == EQP:
                        regs[a] = regs[b] == regs[c]
                    elif op == ARITHX:
                        regs[a] = arith_any(regs[b], regs[c], d)
                    elif op == NOT:
                        regs[a] = logical_not(regs[b])
                    elif op == LE:
                        regs[a] = regs[b] <= regs[c]
                    elif op == NEP:
                        regs[a] = regs[b] != regs[c]
                    elif op == NEGX:
                        regs[a] = negate_any(regs[b])
                    elif op == CMPX:
                        regs[a] = compare_any(regs[b], regs[c], d)
                    elif op == NE:
                        regs[a] = not values_equal(regs[b], regs[c])
                    else:  # pragma: no cover - every opcode is handled
                        raise AssertionError(f"unknown opcode {op}")
                elif op < GROUP_CONTAINERS:  # jumps, calls and returns
                    if op == CALLB:
                        vm.depth = depth
                        regs[a] = impls[b](*regs[c : c + d])
                    elif op == IFLT:
                        if not regs[a] < regs[b]:
                            pc = c
                    elif op == LOOP:
                        if jit is not None:
                            region = proto.loop_regions[b]
                            if region is None:
                                counts = proto.loop_counts
                                n = counts[b] + 1
                                counts[b] = n
                                if n == jit.loop_trigger:
                                    vm.depth = depth
                                    jit.on_hot_loop(proto, b, regs)
                                    region = proto.loop_regions[b]
                            if region is not None:
                                vm.depth = depth
                                # pc still names this LOOP while native code runs: an error
                                # raised on the way in or out is reported at the loop.
                                pc = region.run(vm, regs, a)
                                continue
                        pc = a
                    elif op == RETURN or op == RETNULL:  # noqa: SIM109
                        result = regs[a] if op == RETURN else None
                        if not stack:
                            return result
                        proto, code, regs, pc, a = stack.pop()
                        regs[a] = result
                        depth -= 1
                    elif op == CALLG or op == CALL:  # noqa: SIM109 (no tuple per dispatch)
                        fn = G[b] if op == CALLG else regs[b]
                        if type(fn) is Function:
                            callee = fn.proto
                            if op == CALL and d != callee.nparams:
                                raise type_error(
                                    f"Function {callee.name} expects {callee.nparams} arguments, got {d}"
                                )
                            if jit is not None:
                                native = callee.native
                                if native is None:
                                    callee.calls += 1
                                    if callee.calls == jit.call_trigger:
                                        vm.depth = depth
                                        jit.on_hot_function(callee, regs[c : c + d])
                                        native = callee.native
                                if native is not None:
                                    if depth >= max_depth:
                                        raise stack_overflow()
                                    vm.depth = depth
                                    result = native.call(vm, regs[c : c + d])
                                    if result is not DECLINED:
                                        regs[a] = result
                                        continue
                            new = regs[c : c + d]
                            if callee.ncaptures:
                                new += fn.captures
                            new += callee.tail
                            depth += 1
                            if depth > max_depth:
                                raise stack_overflow()
                            stack.append((proto, code, regs, pc, a))
                            proto = callee
                            code = callee.code
                            regs = new
                            pc = 0
                        else:
                            vm.depth = depth
                            regs[a] = vm.call_value(fn, regs[c : c + d])
                    elif op == IFEQP:
                        if regs[a] != regs[b]:
                            pc = c
                    elif op == IFLE:
                        if not regs[a] <= regs[b]:
                            pc = c
                    elif op == JMP:
                        pc = a
                    elif op == JMPF:
                        v = regs[a]
                        if v is not True:
                            if v is not False:
                                raise not_a_bool(v)
                            pc = b
                    elif op == IFNEP:
                        if regs[a] == regs[b]:
                            pc = c
                    elif op == JMPT:
                        v = regs[a]
                        if v is not False:
                            if v is not True:
                                raise not_a_bool(v)
                            pc = b
                    elif op == CALLM:
                        vm.depth = depth
                        regs[a] = vm.call_method(regs[b], regs[c : c + d])
                    else:  # pragma: no cover - every opcode is handled
                        raise AssertionError(f"unknown opcode {op}")
                else:  # arrays, patterns and iteration
                    if op == INDEX:
                        v = regs[b]
                        x = regs[c]
                        if 0.0 <= x < len_(v):
                            k = int(x)
                            if k == x:
                                regs[a] = v[k]
                                continue
                        regs[a] = index_any(v, x)  # raises the error (AT0103/AT0006/AT0001)
                    elif op == NEWARRAY:
                        regs[a] = regs[b : b + c]
                    elif op == LEN:
                        regs[a] = float_(len_(regs[b]))
                    elif op == NEWARRAYK:
                        regs[a] = list(regs[b])
                    elif op == OWN:
                        v = regs[a]
                        if getrefcount(v) > unique_refs:
                            regs[a] = v = v.copy()
                    elif op == SETIDX:
                        v = regs[a]
                        x = regs[b]
                        if type(v) is list and 0.0 <= x < len_(v):
                            k = int(x)
                            if k == x:
                                v[k] = regs[c]
                                continue
                        raise index_error(x) if type(v) is list else type_error(
                            f"Cannot index into non-array type {kind_name(v)}"
                        )
                    elif op == OWNG:
                        v = G[b]
                        if getrefcount(v) > unique_refs:
                            v = own_shared_global(image, b)
                        regs[a] = v
                    elif op == INDEXJ:
                        regs[a] = json_index(regs[b], regs[c])
                    elif op == ITERGET:
                        regs[a] = regs[b][int(regs[c])]
                    elif op == TESTTAG:
                        regs[a] = type(regs[b]) is TAG_TYPES[c]
                    elif op == PAYLOAD:
                        regs[a] = regs[b].value
                    elif op == OWNIDX:
                        regs[a] = own_element(regs[b], regs[c])
                    elif op == TESTLEN:
                        v = regs[b]
                        regs[a] = type(v) is list and len_(v) == c
                    elif op == IFERR:
                        v = regs[a]
                        if type(v) is Err:
                            pc = b
                        elif type(v) is not Ok:
                            raise type_error("? operator requires Result<T, E> type")
                    elif op == INDEXX:
                        regs[a] = index_any(regs[b], regs[c])
                    elif op == GETK:
                        regs[a] = regs[b][c]
                    elif op == ITERCHECK:
                        if type(regs[a]) is not list:
                            raise type_error(f"for-in requires an array, found {kind_name(regs[a])}")
                    elif op == NOMATCH:
                        raise type_error("Non-exhaustive pattern match - no arm matched")
                    elif op == OWNX:
                        v = regs[a]
                        if isinstance(v, CONTAINERS) and getrefcount(v) > unique_refs:
                            regs[a] = v = v.copy()
                    elif op == EXTEND:
                        regs[a].extend(regs[b : b + c])
                    else:  # pragma: no cover - every opcode is handled
                        raise AssertionError(f"unknown opcode {op}")
        except AtlasRuntimeError as error:
            raise error.at(proto.spans[pc - 1], proto.source) from None
        except RecursionError:
            raise stack_overflow().at(proto.spans[pc - 1], proto.source) from None
        except MemoryError:
            raise MemoryLimitExceeded().at(proto.spans[pc - 1], proto.source) from None
        except HOST_FAILURES:
            raise host_failure(instr, regs).at(proto.spans[pc - 1], proto.source) from None
        finally:
            vm.depth = entry_depth

    return run


_run = make_run()


class VM:
    """Executes an Image. Also the `CallContext` intrinsics receive."""

    def __init__(
        self,
        image: Image,
        write_stdout: Any = None,
        jit: Any = None,
        permissions: Permissions = DENY_ALL,
    ) -> None:
        self.image = image
        self.jit = jit
        self.permissions = permissions
        self.depth = 0
        self._write = write_stdout or sys.stdout.write
        self._impls: list = []

    # -- CallContext

    def write_stdout(self, text: str) -> None:
        self._write(text)

    def call(self, fn: Any, args: list) -> Any:
        return self.call_value(fn, list(args))

    # -- execution

    def bound_callables(self) -> list:
        """CALLB targets as plain callables (context-taking builtins bound to this VM)."""
        callables = self.image.callables
        impls = self._impls
        while len(impls) < len(callables):
            b = callables[len(impls)]
            impls.append(b.impl if not b.needs_ctx else _bind(b.impl, self))
        return impls

    def run_main(self, proto: FunctionProto) -> Any:
        return _run(self, proto, list(proto.tail))

    def call_value(self, fn: Any, args: list) -> Any:
        """Call any Atlas callable value with evaluated arguments."""
        t = type(fn)
        if t is Function:
            proto = fn.proto
            if len(args) != proto.nparams:
                raise type_error(f"Function {proto.name} expects {proto.nparams} arguments, got {len(args)}")
            if self.depth >= MAX_CALL_DEPTH:
                raise stack_overflow()
            jit = self.jit
            if jit is not None:
                native = proto.native
                if native is None:
                    proto.calls += 1
                    if proto.calls == jit.call_trigger:
                        jit.on_hot_function(proto, args)
                        native = proto.native
                if native is not None:
                    result = native.call(self, args)
                    if result is not DECLINED:
                        return result
            regs = args + list(fn.captures) + proto.tail if proto.ncaptures else args + proto.tail
            self.depth += 1
            try:
                return _run(self, proto, regs)
            finally:
                self.depth -= 1
        if t is Builtin:
            fn.check_arity(len(args))
            if fn.writeback is not None and args:
                args[0] = copy_if_container(args[0])
            if fn.needs_ctx:
                return fn.impl(self, *args)
            return fn.impl(*args)
        if t is NoneValue:
            if not args:
                return NONE
            raise type_error("Cannot call non-function type Option")
        if fn is UNDEFINED:
            raise type_error("Cannot call an undefined value")
        raise type_error(f"Cannot call non-function type {kind_name(fn)}")

    def call_method(self, name: str, args: list) -> Any:
        """A method call on a receiver of unknown static type (args[0] is owned)."""
        from ..stdlib import BUILTINS

        receiver = args[0]
        if type(receiver) is list:
            if name in METHOD_WRITEBACK:
                method = method_as_builtin(name)
                method.check_arity(len(args))
                return method.impl(*args)
            target = ARRAY_METHODS.get(name)
        elif type(receiver) is Json:
            target = JSON_METHODS.get(name)
        else:
            target = None
        if target is None:
            raise type_error(f"Cannot call method '{name}' on value of this type")
        return self.call_value(BUILTINS[target], args)


def _bind(impl: Any, vm: VM) -> Any:
    def bound(*args: Any) -> Any:
        return impl(vm, *args)

    return bound
