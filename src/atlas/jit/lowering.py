"""Lowering: bytecode -> LLVM IR, one instruction at a time.

Three kinds of native code come out of here, all with one calling convention:

- a *native function* per compiled prototype, with its real signature:
  `T f(ctx*, i64 depth, P0 p0, ...)` where each P and T is `double` (number), `i1`
  (bool) or an array pointer (number[]); void and null functions return a dummy 0.0.
  In a unit where some frame holds an array, `{T, i1 failed}` instead (see
  `UnitBuilder.unwinds` for how failures get back to the entry);
- an *entry trampoline* per native function, the only thing Python calls:
  `i64 entry(ctx*, i64* args, i64* result)` (each slot holds a double's bits or an array
  pointer) returning the context status, so one ctypes prototype serves every signature;
- a *loop region* per hot loop (on-stack replacement):
  `i64 region(ctx*, double* slots, i64* arrays, i64 entry)` covering a loop nest,
  entered at the header pc `entry` of any loop in the nest, with the live number/bool
  registers in `slots` and its number[] registers in `arrays`, returning the pc where the VM
  resumes (or -1 after an error), with everything it changed written back.

Each register of a kind is a stack slot; LLVM's mem2reg turns them into SSA values.
Every check the VM makes (zero divisors, NaN/inf results, call depth, undefined globals,
bad or out-of-bounds indices) is made here too, at the same instruction, reporting the
same site. Floating point uses LLVM's default semantics (no fast-math, no contraction),
so results are bit-for-bit the VM's.

number[] values are heap buffers `{i64 refcount, i64 length, double data[]}` with
exactly the VM's copy-on-write discipline: copying a value adds a reference, `OWN`
(which the compiler emits before every element store) copies a buffer that has more than
one reference, and a function releases its registers when it returns. The caller of a
function passes every array argument as a new reference and receives its result as one.
"""

from __future__ import annotations

import math
import struct
from typing import Any, NamedTuple

from llvmlite import ir

from ..compile.opcodes import Op, jump_targets, successors, written_registers
from ..compile.proto import UNDEFINED_NUMBER_BITS, FunctionProto
from ..limits import MAX_CALL_DEPTH
from . import runtime as rt
from .accumulators import Accumulator, accumulators, cannot_fail
from .analysis import (
    A,
    Analysis,
    B,
    F,
    LoopRegion,
    constant_number,
    hoisted_owns,
    is_number_tuple,
    kind_of_type,
    owned_after,
    owned_arrays,
    returns_nothing,
    short_loop_ends,
    spared_facts,
    specialised,
)
from .integers import EXACT_LIMIT, ChunkedLoop, chunked_loops, integer_registers
from .ranges import MAX, MAX_LENGTH, Range, excludes_zero
from .result_checks import retry_checks

DOUBLE = ir.DoubleType()
BOOL = ir.IntType(1)
I32 = ir.IntType(32)
I64 = ir.IntType(64)
I8PTR = ir.IntType(8).as_pointer()
DOUBLE_PTR = DOUBLE.as_pointer()
I64_PTR = I64.as_pointer()
ARRAY = ir.LiteralStructType([I64, I64, ir.ArrayType(DOUBLE, 0)])  # refcount, length, data
ARRAY_PTR = ARRAY.as_pointer()
NULL_ARRAY = ir.Constant(ARRAY_PTR, None)
I64_LIMIT = 2.0**63  # whole doubles strictly inside (-I64_LIMIT, I64_LIMIT) convert to i64 exactly
INDEX_CAP = 2.0**62  # above every array length, below I64_LIMIT
CTX_TYPE = ir.LiteralStructType([I64, I64, I64, I64, I64, DOUBLE_PTR, I64_PTR, I8PTR])
CTX_PTR = CTX_TYPE.as_pointer()

ENTRY_TYPE = ir.FunctionType(I64, [CTX_PTR, I64_PTR, I64_PTR])
REGION_TYPE = ir.FunctionType(I64, [CTX_PTR, DOUBLE_PTR, I64_PTR, I64])

LIBM_UNARY = {"tan": "tan", "asin": "asin", "acos": "acos", "atan": "atan"}
LLVM_UNARY = {
    "abs": "llvm.fabs", "floor": "llvm.floor", "ceil": "llvm.ceil", "sqrt": "llvm.sqrt",
    "log": "llvm.log", "sin": "llvm.sin", "cos": "llvm.cos",
}  # fmt: skip


# The kind of a number register held as an i64 (see jit/integers.py).
INT = "I"


def ir_kind(kind: str) -> ir.Type:
    return DOUBLE if kind == F else BOOL if kind == B else I64 if kind == INT else ARRAY_PTR


def native_function_type(proto: FunctionProto, unwinds: bool, integers: frozenset[int] = frozenset()) -> ir.FunctionType:
    """`{T, i1 failed} f(ctx*, i64 depth, P0 p0, ...)`: the real parameters after the two
    every native function takes (the context, and its call depth in a register); the
    result comes back with a flag that is set when the call failed (the status and site
    are then in the context). In a unit that unwinds, `T f(ctx*, i64 depth, P0 p0, ...)`:
    a failed call never returns (see `UnitBuilder.unwinds`). A number parameter is a
    double, or an i64 in a copy whose callers pass it whole numbers within ±2^53 that
    are not -0 (`integers`: see UnitBuilder.call_target)."""
    params = [I64 if i in integers else ir_kind(kind_of_type(t)) for i, t in enumerate(proto.param_types)]
    ret = result_type(proto) if unwinds else ir.LiteralStructType([result_type(proto), BOOL])
    return ir.FunctionType(ret, [CTX_PTR, I64, *params])


def holds_arrays(analysis: Analysis) -> bool:
    """Whether some register of the prototype holds a number[] somewhere."""
    return any(A in state.values() for state in analysis.kinds if state is not None)


def result_type(proto: FunctionProto) -> ir.Type:
    ret = proto.ret_type
    return DOUBLE if returns_nothing(ret) else ir_kind(kind_of_type(ret))


def symbol_of(proto: FunctionProto) -> str:
    return f"atlas_fn{proto.index}"


def entry_symbol(proto: FunctionProto) -> str:
    return f"atlas_entry{proto.index}"


def region_symbol(region: LoopRegion) -> str:
    return f"atlas_loop{region.proto.index}_{region.loop_id}"


# A failure in a unit that unwinds jumps back to its entry through `atlas_unwind_T(ctx)`,
# a function of the runtime unit, loaded once before any other. Being outside the unit,
# it is opaque to the optimiser, so a failing path ends like a return (`return
# atlas_unwind_T(ctx)`, a tail jump): the jump made inline clobbers the frame pointer,
# so every native function saved one more register, and a path LLVM knows never
# returns keeps its code generator from shrink-wrapping a prologue past an early return.
UNWIND_RESULT_TYPES = (DOUBLE, BOOL, I64)


def unwind_symbol(ret: ir.Type) -> str:
    return f"atlas_unwind_{ret}"


def runtime_module() -> ir.Module:
    """The runtime unit: `T atlas_unwind_T(ctx*)` for each result type a native
    function has in a unit that unwinds; each jumps to the buffer of the entry."""
    module = ir.Module(name="atlas_runtime")
    longjmp = ir.Function(module, ir.FunctionType(ir.VoidType(), [I8PTR]), name="llvm.eh.sjlj.longjmp")
    longjmp.attributes.add("noreturn")
    for ret in UNWIND_RESULT_TYPES:
        fn = ir.Function(module, ir.FunctionType(ret, [CTX_PTR]), name=unwind_symbol(ret))
        fn.attributes.add("noreturn")
        fn.attributes.add("nounwind")
        b = ir.IRBuilder(fn.append_basic_block("entry"))
        b.call(longjmp, [b.load(field_ptr(b, fn.args[0], rt.CTX_UNWIND))])
        b.unreachable()
    return module


def freeze(b: ir.IRBuilder, value: Any) -> Any:
    """LLVM's `freeze`: `value`, or if it is poison some fixed value of its type.
    llvmlite's builder has no method for it; the instruction's text is the generic one."""
    instruction = ir.Instruction(b.block, value.type, "freeze", [value])
    b._insert(instruction)  # how every builder method adds its instruction
    return instruction


def i64(value: int) -> ir.Constant:
    return ir.Constant(I64, value)


def field_ptr(b: ir.IRBuilder, struct_ptr: Any, index: int) -> Any:
    return b.gep(struct_ptr, [ir.Constant(I32, 0), ir.Constant(I32, index)])


class ArrayRuntime:
    """The number[] helpers of one module: small internal functions LLVM inlines."""

    def __init__(self, module: ir.Module) -> None:
        self.module = module
        void = ir.VoidType()
        self.malloc = ir.Function(module, ir.FunctionType(I8PTR, [I64]), name="malloc")
        self.free = ir.Function(module, ir.FunctionType(void, [I8PTR]), name="free")
        self.memcpy = ir.Function(module, ir.FunctionType(I8PTR, [I8PTR, I8PTR, I64]), name="memcpy")
        self.new = self._define("atlas_array_new", ARRAY_PTR, [I64], self._new)
        self.copy = self._define("atlas_array_copy", ARRAY_PTR, [ARRAY_PTR], self._copy)
        self.incref = self._define("atlas_array_incref", void, [ARRAY_PTR], self._incref)
        self.decref = self._define("atlas_array_decref", void, [ARRAY_PTR], self._decref)
        self.unique = self._define("atlas_array_unique", ARRAY_PTR, [ARRAY_PTR], self._unique)
        # Type-based alias information: a store to an element never changes a length,
        # so LLVM may keep lengths (and the index checks on them) out of loops.
        root = module.add_metadata([ir.MetaDataString(module, "atlas number[]")])
        self.length_tag = self._tbaa_tag(root, "length")
        self.element_tag = self._tbaa_tag(root, "element")

    def _tbaa_tag(self, root: Any, name: str) -> Any:
        node = self.module.add_metadata([ir.MetaDataString(self.module, name), root, i64(0)])
        return self.module.add_metadata([node, node, i64(0)])

    def length(self, b: ir.IRBuilder, array: Any) -> Any:
        """The length of `array` (an i64)."""
        value = b.load(field_ptr(b, array, 1))
        value.set_metadata("tbaa", self.length_tag)
        return value

    def load(self, b: ir.IRBuilder, array: Any, index: Any) -> Any:
        value = b.load(self.data(b, array, index))
        value.set_metadata("tbaa", self.element_tag)
        return value

    def store(self, b: ir.IRBuilder, value: Any, array: Any, index: Any) -> None:
        b.store(value, self.data(b, array, index)).set_metadata("tbaa", self.element_tag)

    def _define(self, name: str, ret: ir.Type, params: list[ir.Type], body: Any) -> ir.Function:
        fn = ir.Function(self.module, ir.FunctionType(ret, params), name=name)
        fn.linkage = "internal"
        body(fn, ir.IRBuilder(fn.append_basic_block("entry")))
        return fn

    def data(self, b: ir.IRBuilder, array: Any, index: Any) -> Any:
        """Address of element `index` (an i64)."""
        return b.gep(array, [ir.Constant(I32, 0), ir.Constant(I32, 2), index])

    def _new(self, fn: ir.Function, b: ir.IRBuilder) -> None:
        (n,) = fn.args
        room = b.select(b.icmp_signed(">", n, i64(0)), n, i64(1))  # a clamped index reads [0]
        raw = b.call(self.malloc, [b.add(i64(16), b.mul(room, i64(8)))])
        array = b.bitcast(raw, ARRAY_PTR)
        b.store(i64(1), field_ptr(b, array, 0))
        b.store(n, field_ptr(b, array, 1))
        b.ret(array)

    def _copy(self, fn: ir.Function, b: ir.IRBuilder) -> None:
        (src,) = fn.args
        n = b.load(field_ptr(b, src, 1))
        dst = b.call(self.new, [n])
        to = b.bitcast(self.data(b, dst, i64(0)), I8PTR)
        frm = b.bitcast(self.data(b, src, i64(0)), I8PTR)
        b.call(self.memcpy, [to, frm, b.mul(n, i64(8))])
        b.ret(dst)

    def _incref(self, fn: ir.Function, b: ir.IRBuilder) -> None:
        (p,) = fn.args
        bump, done = fn.append_basic_block("bump"), fn.append_basic_block("done")
        b.cbranch(b.icmp_unsigned("==", p, NULL_ARRAY), done, bump)
        b.position_at_end(bump)
        rc = field_ptr(b, p, 0)
        b.store(b.add(b.load(rc), i64(1)), rc)
        b.branch(done)
        b.position_at_end(done)
        b.ret_void()

    def _decref(self, fn: ir.Function, b: ir.IRBuilder) -> None:
        (p,) = fn.args
        drop, release, done = (fn.append_basic_block(n) for n in ("drop", "release", "done"))
        b.cbranch(b.icmp_unsigned("==", p, NULL_ARRAY), done, drop)
        b.position_at_end(drop)
        rc = field_ptr(b, p, 0)
        left = b.sub(b.load(rc), i64(1))
        b.store(left, rc)
        b.cbranch(b.icmp_signed("==", left, i64(0)), release, done)
        b.position_at_end(release)
        b.call(self.free, [b.bitcast(p, I8PTR)])
        b.branch(done)
        b.position_at_end(done)
        b.ret_void()

    def _unique(self, fn: ir.Function, b: ir.IRBuilder) -> None:
        """The buffer itself if this is its only reference, else a private copy."""
        (p,) = fn.args
        shared, alone = fn.append_basic_block("shared"), fn.append_basic_block("alone")
        rc = field_ptr(b, p, 0)
        b.cbranch(b.icmp_signed(">", b.load(rc), i64(1)), shared, alone)
        b.position_at_end(shared)
        copy = b.call(self.copy, [p])
        b.store(b.sub(b.load(rc), i64(1)), rc)
        b.ret(copy)
        b.position_at_end(alone)
        b.ret(p)


class UnitBuilder:
    """One LLVM module: the native functions, trampolines and regions of one unit."""

    def __init__(
        self, name: str, analyses: dict[FunctionProto, Analysis], region: Analysis | None = None, fma: bool = False
    ) -> None:
        self.module = ir.Module(name=name)
        self.analyses = analyses
        self.fma = fma  # the host has fused multiply-add (see FunctionLowering.fused)
        # A failure must get back to the entry Python called. Native functions return it
        # as a flag their callers test after every call, so that each frame on the way
        # releases the arrays it holds. A unit where no frame holds an array has nothing
        # to release: it unwinds instead. Its entries set a jump buffer, and a failure
        # stores its status and site and jumps straight back there (LLVM's SjLj
        # intrinsics, `__builtin_setjmp`): calls return bare results, with no test after
        # each, and the error paths are dead ends LLVM keeps out of the hot code.
        self.unwinds = not any(holds_arrays(a) for a in [*analyses.values(), *([region] if region else [])])
        self.functions: dict[FunctionProto, ir.Function] = {}
        # Copies of small callees specialised to the argument ranges of their call
        # sites, by (callee, ranges by parameter), and those still to be lowered.
        self.specialisations: dict[tuple, ir.Function] = {}
        self._unlowered: list[tuple[ir.Function, FunctionProto, Analysis, frozenset[int]]] = []
        # Unchecked copies of functions entered from the VM (jit/result_checks.py), and
        # their analyses (ranges that draw no fact from the checks they leave out).
        self.unchecked: dict[FunctionProto, ir.Function] = {}
        self.unchecked_analyses: dict[FunctionProto, Analysis] = {}
        self.copy_analyses: dict[ir.Function, Analysis] = {}
        self._recursive: dict[FunctionProto, bool] = {}
        self._intrinsics: dict[str, ir.Function] = {}
        self._arrays: ArrayRuntime | None = None
        self._constants = 0
        # Branch weights: checks almost never fail (and the cold path almost always
        # finds a real failure once it runs).
        weights = ir.MetaDataString(self.module, "branch_weights")
        i32 = ir.IntType(32)
        self.unlikely = self.module.add_metadata([weights, ir.Constant(i32, 1), ir.Constant(i32, 2000)])
        self.likely = self.module.add_metadata([weights, ir.Constant(i32, 2000), ir.Constant(i32, 1)])

    @property
    def arrays(self) -> ArrayRuntime:
        if self._arrays is None:
            self._arrays = ArrayRuntime(self.module)
        return self._arrays

    def constant_array(self, values: tuple[float, ...]) -> Any:
        data = ir.Constant(ir.ArrayType(DOUBLE, len(values)), list(values))
        g = ir.GlobalVariable(self.module, data.type, name=f"atlas_const{self._constants}")
        self._constants += 1
        g.global_constant = True
        g.linkage = "internal"
        g.initializer = data
        return g

    def declare(self, proto: FunctionProto) -> ir.Function:
        """A native function of this unit (the hot one, or a private copy of a callee).
        All are internal: Python enters through the entry trampolines, so calls between
        functions are direct (no PLT), and LLVM may give them a faster calling
        convention, inline them or drop them."""
        fn = ir.Function(self.module, native_function_type(proto, self.unwinds), name=symbol_of(proto))
        fn.linkage = "internal"
        self.functions[proto] = fn
        return fn

    def intrinsic(self, name: str, arity: int = 1) -> ir.Function:
        fn = self._intrinsics.get(name)
        if fn is None:
            fnty = ir.FunctionType(DOUBLE, [DOUBLE] * arity)
            symbol = f"{name}.f64" if name.startswith("llvm.") else name
            fn = ir.Function(self.module, fnty, name=symbol)
            self._intrinsics[name] = fn
        return fn

    def not_finite(self, b: ir.IRBuilder, value: Any) -> Any:
        """True if `value` is NaN or infinite: |x| equals infinity or is unordered (one
        compare and one branch, and no add on the busy FP adders)."""
        magnitude = b.call(self.intrinsic("llvm.fabs"), [value])
        return b.fcmp_unordered("==", magnitude, ir.Constant(DOUBLE, math.inf))

    def fptosi_sat(self) -> ir.Function:
        """llvm.fptosi.sat.i64.f64: double -> i64, saturating (defined for NaN and huge)."""
        fn = self._intrinsics.get("fptosi.sat")
        if fn is None:
            fnty = ir.FunctionType(I64, [DOUBLE])
            fn = ir.Function(self.module, fnty, name="llvm.fptosi.sat.i64.f64")
            self._intrinsics["fptosi.sat"] = fn
        return fn

    def lower_function(self, proto: FunctionProto, analysis: Analysis, lengths: dict[int, int] | None = None) -> None:
        """Lower `proto` (with twins if it calls itself); `lengths`: the least lengths of
        number[] parameters that its entry from the VM assures (a root no unit calls)."""
        if lengths:
            FunctionLowering(self, proto, analysis, self.functions[proto], lengths=lengths).lower()
            return
        self.lower_with_twins(self.functions[proto], proto, analysis)

    def lower_with_twins(
        self, fn: ir.Function, proto: FunctionProto, analysis: Analysis, left: frozenset[int] = frozenset()
    ) -> None:
        """Lower `proto` into `fn`, with twins if it calls itself: `fn`'s calls to
        itself go to the first twin, each twin's to the next, the last's to `fn`. LLVM
        inlines the twins, which unrolls the recursion (it never inlines a function
        into itself). Only `fn` polls for Ctrl-C on entry: any recursion passes through
        it every RECURSION_COPIES calls. `left`: the checks an unchecked copy leaves to
        its result (jit/result_checks.py)."""
        if proto not in analysis.callees.values():
            FunctionLowering(self, proto, analysis, fn, left_to_result=left).lower()
            return
        chain = [fn]
        for k in range(1, RECURSION_COPIES):
            twin = ir.Function(self.module, fn.function_type, name=f"{fn.name}_twin{k}")
            twin.linkage = "internal"
            chain.append(twin)
        last = fn
        if has_early_return(proto) and not holds_arrays(analysis):
            # The last twin's calls go through the head (`fib`'s `n < 2` test), which
            # LLVM inlines: a call that returns at once costs no call at all.
            last = ir.Function(self.module, fn.function_type, name=f"{fn.name}_head")
            last.linkage = "internal"
            FunctionLowering(self, proto, analysis, last, poll_on_entry=False, rest=fn, left_to_result=left).lower()
        for k, copy in enumerate(chain):
            calls = chain[k + 1] if k + 1 < len(chain) else last
            FunctionLowering(
                self, proto, analysis, copy, redirect={fn: calls}, poll_on_entry=k == 0, left_to_result=left
            ).lower()

    def call_target(
        self,
        callee: FunctionProto,
        arguments: list[Range | None],
        integers: frozenset[int] = frozenset(),
        left: frozenset[int] = frozenset(),
    ) -> ir.Function | None:
        """A copy of `callee` for calls passing arguments in these ranges (None where a
        parameter may hold any number), if the ranges spare checks in it: the range
        analysis of one function does not see its callers, so a callee's arithmetic on
        its parameters is checked unless a copy learns, from the call site, that a loop
        counter is passed. Small callees only, a few per unit (compile time); one that
        may call itself learns only which arguments are finite (or whole), so its copy
        calls itself rather than asking for a copy per level of recursion.

        `integers`: the arguments the caller holds as i64 (whole, within ±2^53, never
        -0). Those the copy would hold in integer registers too are passed as they are
        (its parameter is an i64): `n - 1` in `is_even(n)` is then an integer step, not
        a floating-point one with its latency, and a recursion through such calls never
        converts its counter. `left`: the caller is an unchecked copy, and so is the
        copy (jit/result_checks.py)."""
        parameters = {i: r for i, r in enumerate(arguments) if r is not None}
        exact = Range(-float(EXACT_LIMIT), float(EXACT_LIMIT), True)
        for i in integers:
            known = parameters.get(i, exact)
            parameters[i] = known.meet(exact.lo, exact.hi, True)
        if self.recursive(callee):  # only "finite" (and "whole"): copies call themselves
            parameters = {
                i: exact if i in integers else Range(-MAX, MAX, r.whole) for i, r in parameters.items() if r.finite
            }  # fmt: skip
        if not parameters or len(callee.code) > MAX_SPECIALISED_CODE:
            return None
        key = (callee, tuple(sorted(parameters.items())), integers, bool(left))
        if key in self.specialisations:
            return self.specialisations[key]
        found = None
        copies = sum(fn is not None for fn in self.specialisations.values())
        if copies < MAX_SPECIALISATIONS:
            generic = self.unchecked_analyses[callee] if left else self.analyses[callee]
            analysis = specialised(generic, parameters, left)
            held = integers & integer_registers(analysis, integers).registers
            if held or spared_facts(analysis) != spared_facts(generic):
                name = f"{symbol_of(callee)}_s{copies}{'_unchecked' if left else ''}"
                found = ir.Function(self.module, native_function_type(callee, self.unwinds, held), name=name)
                found.linkage = "internal"
                self._unlowered.append((found, callee, analysis, left))
                self.copy_analyses[found] = analysis
        self.specialisations[key] = found
        return found

    def recursive(self, proto: FunctionProto) -> bool:
        """Whether `proto` may call itself, directly or through others."""
        if proto not in self._recursive:
            seen: set[FunctionProto] = set()
            stack = list(self.analyses[proto].callees.values())
            while stack and proto not in seen:
                callee = stack.pop()
                if callee not in seen:
                    seen.add(callee)
                    stack.extend(self.analyses[callee].callees.values())
            self._recursive[proto] = proto in seen
        return self._recursive[proto]

    def lower_specialisations(self) -> None:
        """Lower the specialised copies the lowered code calls (copies may ask for more)."""
        while self._unlowered:
            self.lower_with_twins(*self._unlowered.pop(0))

    def lower_entry(self, proto: FunctionProto) -> str:
        """`i64 entry(ctx*, i64* args, i64* result)` calling the native function."""
        fn = ir.Function(self.module, ENTRY_TYPE, name=entry_symbol(proto))
        ctx, args, out = fn.args
        b = ir.IRBuilder(fn.append_basic_block("entry"))
        values = []
        for i, t in enumerate(proto.param_types):
            bits = b.load(b.gep(args, [i64(i)]))
            kind = kind_of_type(t)
            if kind == A:
                values.append(b.inttoptr(bits, ARRAY_PTR))  # a new reference the callee owns
                continue
            value = b.bitcast(bits, DOUBLE)
            values.append(value if kind == F else b.fcmp_unordered("!=", value, ir.Constant(DOUBLE, 0.0)))
        depth = b.load(field_ptr(b, ctx, rt.CTX_DEPTH))
        unchecked = self.unchecked_copy(proto)
        if unchecked is None:
            outcome = self.call_unwinding_here(b, ctx, self.functions[proto], [ctx, depth, *values])
        else:
            outcome = self.call_with_retry(b, ctx, unchecked, self.functions[proto], [ctx, depth, *values])
        result = outcome if self.unwinds else b.extract_value(outcome, 0)
        if result.type == BOOL:
            result = b.select(result, ir.Constant(DOUBLE, 1.0), ir.Constant(DOUBLE, 0.0))
        bits = b.ptrtoint(result, I64) if result.type == ARRAY_PTR else b.bitcast(result, I64)
        b.store(bits, out)
        b.ret(b.load(field_ptr(b, ctx, rt.CTX_STATUS)))
        return fn.name

    def unchecked_copy(self, proto: FunctionProto) -> ir.Function | None:
        """The unchecked copy of `proto` (jit/result_checks.py), lowered with its
        twins, or None if it may not have one."""
        left = retry_checks(self.analyses[proto])
        if not left:
            return None
        # (no guards to keep: a function that calls itself is compiled for any arguments)
        analysis = self.unchecked_analyses[proto] = specialised(self.analyses[proto], None, left)
        fn = self.functions[proto]
        copy = self.unchecked[proto] = ir.Function(self.module, fn.function_type, name=f"{fn.name}_unchecked")
        copy.linkage = "internal"
        self.lower_with_twins(copy, proto, analysis, left)
        return copy

    def call_with_retry(self, b: ir.IRBuilder, ctx: Any, unchecked: ir.Function, checked: ir.Function, args: list[Any]) -> Any:
        """Call the unchecked copy; if it failed (not for an interrupt) or its result is
        not finite, clear the status and call the checked copy, which finds the first
        failure, if there is one, exactly where the VM would."""
        first = self.call_unwinding_here(b, ctx, unchecked, args)
        status = b.load(field_ptr(b, ctx, rt.CTX_STATUS))
        value = first if self.unwinds else b.extract_value(first, 0)
        returned, failed, retry, done = (b.append_basic_block(name) for name in ("returned", "failed", "retry", "settled"))
        b.cbranch(b.icmp_signed("==", status, i64(0)), returned, failed)
        b.position_at_end(returned)
        b.cbranch(self.not_finite(b, value), retry, done).set_metadata("prof", self.unlikely)
        b.position_at_end(failed)
        b.cbranch(b.icmp_signed("==", status, i64(rt.STATUS_INTERRUPTED)), done, retry)
        b.position_at_end(retry)
        b.store(i64(0), field_ptr(b, ctx, rt.CTX_STATUS))
        second = self.call_unwinding_here(b, ctx, checked, args)
        retried = b.block
        b.branch(done)
        b.position_at_end(done)
        outcome = b.phi(first.type)
        outcome.add_incoming(first, returned)
        outcome.add_incoming(first, failed)
        outcome.add_incoming(second, retried)
        return outcome

    def lower_region(self, region: LoopRegion, analysis: Analysis) -> str:
        fn = ir.Function(self.module, REGION_TYPE, name=region_symbol(region))
        if not self.unwinds or not any(region.contains(pc) for pc in analysis.callees):
            FunctionLowering(self, region.proto, analysis, fn, region).lower()
            return fn.name
        # The region's own failures return -1; its callees' unwind to `fn`, which
        # sets the jump buffer and calls the region's body.
        body = ir.Function(self.module, REGION_TYPE, name=f"{fn.name}_body")
        body.linkage = "internal"
        FunctionLowering(self, region.proto, analysis, body, region).lower()
        b = ir.IRBuilder(fn.append_basic_block("entry"))
        b.ret(self.call_unwinding_here(b, fn.args[0], body, list(fn.args), unwound=i64(-1)))
        return fn.name

    def call_unwinding_here(self, b: ir.IRBuilder, ctx: Any, callee: ir.Function, args: list[Any], unwound: Any = None) -> Any:
        """Call `callee` from an entry. In a unit that unwinds, a failure under the call
        comes back here through the jump buffer set for it, and the value is `unwound`
        (the caller then looks at the context's status, not at the value)."""
        if not self.unwinds:
            return b.call(callee, args)
        buffer = b.alloca(ir.ArrayType(I8PTR, 5), name="unwind")  # fp, resume address, sp
        b.store(b.call(self.sjlj("llvm.frameaddress.p0", I8PTR, [I32]), [ir.Constant(I32, 0)]), b.gep(buffer, [i64(0), i64(0)]))
        b.store(b.call(self.sjlj("llvm.stacksave.p0", I8PTR, []), []), b.gep(buffer, [i64(0), i64(2)]))
        slot = field_ptr(b, ctx, rt.CTX_UNWIND)
        outer = b.load(slot)  # nothing nests today; restoring costs nothing
        b.store(b.bitcast(buffer, I8PTR), slot)
        jumped = b.call(self.sjlj("llvm.eh.sjlj.setjmp", I32, [I8PTR]), [b.bitcast(buffer, I8PTR)])
        run = b.append_basic_block("run")
        back = b.append_basic_block("unwound")
        done = b.append_basic_block("done")
        b.cbranch(b.icmp_signed("==", jumped, ir.Constant(I32, 0)), run, back)
        b.position_at_end(run)
        value = b.call(callee, args)
        b.branch(done)
        b.position_at_end(back)
        b.branch(done)
        b.position_at_end(done)
        result = b.phi(value.type)
        result.add_incoming(value, run)
        result.add_incoming(unwound if unwound is not None else ir.Constant(value.type, None), back)
        b.store(outer, slot)
        return result

    def unwind_function(self, ret: ir.Type) -> ir.Function:
        """The runtime unit's `atlas_unwind_T` (see `runtime_module`), declared here."""
        name = unwind_symbol(ret)
        fn = self._intrinsics.get(name)
        if fn is None:
            fn = ir.Function(self.module, ir.FunctionType(ret, [CTX_PTR]), name=name)
            fn.attributes.add("cold")
            fn.attributes.add("nounwind")  # it jumps; it throws nothing
            self._intrinsics[name] = fn
        return fn

    def sjlj(self, name: str, ret: ir.Type, params: list[ir.Type]) -> ir.Function:
        """One of the intrinsics that set the jump buffer (the runtime unit takes it)."""
        fn = self._intrinsics.get(name)
        if fn is None:
            fn = ir.Function(self.module, ir.FunctionType(ret, params), name=name)
            self._intrinsics[name] = fn
        return fn


class FunctionLowering:
    """Lowers one prototype (or one loop region of it) into an ir.Function."""

    def __init__(
        self,
        unit: UnitBuilder,
        proto: FunctionProto,
        analysis: Analysis,
        fn: ir.Function,
        region: LoopRegion | None = None,
        redirect: dict[ir.Function, ir.Function] | None = None,
        poll_on_entry: bool = True,
        rest: ir.Function | None = None,
        lengths: dict[int, int] | None = None,
        left_to_result: frozenset[int] = frozenset(),
    ) -> None:
        self.unit = unit
        # An unchecked copy (jit/result_checks.py): the checks it leaves to its result.
        self.left_to_result = left_to_result
        # number[] parameter -> the length its entry guard assures (at least)
        self.lengths = region.lengths if region is not None else lengths or {}
        # Lowering a head (see `has_early_return`): where the head's instructions end,
        # the call is made again, in full, by `rest`.
        self.rest = rest
        self.redirect = redirect or {}  # calls to a function that go to another (a twin)
        self.poll_on_entry = poll_on_entry
        self.proto = proto
        self.analysis = analysis
        assert analysis.ranges is not None
        self.ranges = analysis.ranges
        self.fn = fn
        self.region = region
        entries = [0] if region is None else sorted(region.entries)
        # Array registers made unique, with no reference taken since, per pc; some
        # are made unique on entering a loop (in its preheader) rather than in it.
        self.hoisted = hoisted_owns(analysis, self.pcs())
        self.owned = owned_arrays(analysis, self.pcs(), entries, self.hoisted)
        self.preheaders: dict[tuple[int, frozenset[int]], ir.Block] = {}
        self.short_loop_ends = short_loop_ends(analysis)  # back-edges that need no poll
        # Parameters passed as i64 (in a copy: see UnitBuilder.call_target).
        self.integer_parameters = frozenset(
            i for i, t in enumerate(fn.function_type.args[2:]) if region is None and t == I64
        )  # fmt: skip
        self.integers = integer_registers(analysis, self.integer_parameters)  # number registers held as i64
        self.ints = self.integers.registers
        self.chunked = chunked_loops(analysis, self.integers, self.short_loop_ends)  # poll per chunk
        self.chunk_resets: dict[tuple[int, str], ir.Block] = {}
        # Accumulators whose checks wait (jit/accumulators.py), by loop header; the one
        # added to in the current batch of checks: (its value before, its pc).
        self.accumulators = accumulators(analysis, self.chunked, self.ints, self.call_cannot_fail)
        self.sunk_at = {acc.pc: acc for acc in self.accumulators.values()}
        self.added: tuple[Any, int] | None = None
        self.accumulator_exits: dict[tuple[int, int, int], ir.Block] = {}
        self.pc = -1  # the instruction being lowered (-1: the entry block, in no loop)
        self.ctx = fn.args[0]
        self.alloca_block = fn.append_basic_block("registers")
        self.b = ir.IRBuilder()
        self.slots: dict[tuple[int, str], ir.AllocaInstr] = {}
        self.blocks: dict[int, ir.Block] = {}
        self.exits: dict[int, ir.Block] = {}
        self.errors: dict[tuple[int, int], ir.Block] = {}
        self.fail_block: ir.Block | None = None
        self.pending: list[Check] = []  # deferred checks, in program order
        # The value last written to each number register in the current block: reading
        # it again gives the same SSA value (what mem2reg would give), which lets
        # `covered_checks` follow a value from one instruction to the next.
        self.known: dict[int, Any] = {}
        # Products by a power of two in the current block (see `fused`), by id.
        self.scalings: dict[int, tuple[Any, Any, ir.Constant, float]] = {}
        self.globals_ptr: Any = None
        self.depth: Any = None  # this frame's call depth (an i64 value)

    # ------------------------------------------------------------ structure

    def pcs(self) -> range:
        if self.region is not None:
            return range(self.region.header, self.region.end + 1)
        return range(len(self.proto.code))

    def inside(self, pc: int) -> bool:
        return self.region is None or self.region.contains(pc)

    def leaders(self) -> set[int]:
        pcs = self.pcs()
        found = {pcs.start}
        if self.region is not None:  # every header is an entry (even of a loop left at once)
            found.update(self.region.entries)
        for pc in pcs:
            if not self.analysis.reachable(pc):
                continue
            instr = self.proto.code[pc]
            targets = jump_targets(instr)
            found.update(t for t in targets if self.inside(t))
            if targets or instr[0] in (Op.RETURN, Op.RETNULL):
                found.add(pc + 1)
        return {pc for pc in found if pc in pcs}

    def block_for(self, pc: int, source_pc: int) -> ir.Block:
        """Where control goes for pc from source_pc: its block (or the preheader of a
        loop entered from outside), or (in a region) an exit to the VM."""
        leaving = next((acc for acc in self.accumulators.values() if acc.contains(source_pc) and not acc.contains(pc)), None)
        if leaving is not None:
            return self.accumulator_exit(leaving, pc, source_pc)
        if not self.inside(pc) or pc >= len(self.proto.code):
            return self.exit_block(pc)
        if pc in self.chunked and not pc <= source_pc <= self.chunked[pc].end:
            return self.chunk_reset(pc, source_pc)
        return self.loop_entry(pc, source_pc)

    def accumulator_exit(self, acc: Accumulator, pc: int, source_pc: int) -> ir.Block:
        """Leaving the loop of a waiting accumulator: AT0007 at its addition if it is
        NaN or infinite, else on to pc."""
        key = (acc.header, pc, source_pc)
        block = self.accumulator_exits.get(key)
        if block is None:
            block = self.accumulator_exits[key] = self.fn.append_basic_block(f"leave{acc.header}_to{pc}")
            eb = ir.IRBuilder(block)
            outer = self.accumulators
            self.accumulators = {}  # the target as seen from outside the loop
            target = self.block_for(pc, source_pc)
            self.accumulators = outer
            bad = self.not_finite(eb.load(self.slot(acc.register, F)), eb)
            eb.cbranch(bad, self.error_block(rt.STATUS_INVALID_NUMERIC, acc.pc), target).set_metadata(
                "prof", self.unit.unlikely
            )
        return block

    def call_cannot_fail(self, pc: int) -> bool:
        """Whether the function the call at pc calls (the copy for its argument ranges,
        if any) cannot fail."""
        callee = self.analysis.callees.get(pc)
        if callee is None or not self.inside(pc):
            return False
        target = self.unit.call_target(callee, *self.call_arguments(pc, callee))
        analysis = self.unit.copy_analyses.get(target) if target is not None else self.unit.analyses.get(callee)
        return analysis is not None and cannot_fail(analysis)

    def loop_entry(self, pc: int, source_pc: int) -> ir.Block:
        """Entering the loop at pc from source_pc: through a preheader that makes the
        loop's hoisted arrays unique, unless they already are (an inner loop entered
        from an outer one that made them so)."""
        if pc in self.hoisted and source_pc < pc:
            maybe_shared = self.hoisted[pc] - self.unique_after(source_pc)
            if maybe_shared:
                return self.preheader(pc, maybe_shared)
        return self.blocks[pc]

    def unique_after(self, pc: int) -> frozenset[int]:
        """The arrays certain to be unique after the instruction at pc (none before the
        entry block's code, where the VM may share any)."""
        if pc < 0 or not self.inside(pc) or self.owned[pc] is None:
            return frozenset()
        return owned_after(self.proto.code[pc], self.owned[pc])

    def chunk_reset(self, header: int, source_pc: int) -> ir.Block:
        """Entering a chunked loop: the first chunk ends at min(bound, k + CHUNK). (No
        poll: the code around the loop polls, and the loop polls after a chunk.)"""
        entry = self.loop_entry(header, source_pc)
        block = self.chunk_resets.get((header, entry.name))
        if block is None:
            block = self.chunk_resets[header, entry.name] = self.fn.append_basic_block(f"chunks{header}")
            rb = ir.IRBuilder(block)
            self.next_chunk(rb, self.chunked[header], self.read_int(self.chunked[header].counter, rb))
            rb.branch(entry)
        return block

    def chunk_limit(self, b: ir.IRBuilder, loop: ChunkedLoop) -> Any:
        """The i64 L with k < bound iff k < L (k <= bound iff k < L) for whole k."""
        if self.is_int(loop.bound):
            limit = self.read_int(loop.bound, b)
        else:  # ceil(v) for k < v, floor(v) (+ 1 below) for k <= v; read from its slot,
            # as this may be emitted away from the current block
            value = self.constant(loop.bound)
            v = ir.Constant(DOUBLE, value) if value is not None else b.load(self.slot(loop.bound, F))
            limit = self.integer_bound_of(b, v, self.ranges.of(loop.header, loop.bound),
                                          up=not loop.or_equal, right=True)  # fmt: skip
        return b.add(limit, i64(1)) if loop.or_equal else limit

    def next_chunk(self, b: ir.IRBuilder, loop: ChunkedLoop, k: Any) -> Any:
        """Store the end of the chunk starting at k, min(limit, k + CHUNK); return the limit."""
        limit = self.chunk_limit(b, loop)
        ahead = b.add(k, i64(loop.chunk))
        b.store(b.select(b.icmp_signed("<", limit, ahead), limit, ahead), self.chunk_end_slot(loop.header))
        return limit

    def chunked_header(self, pc: int, loop: ChunkedLoop, exit_pc: int) -> None:
        """`k < chunk end`, and at a chunk's end: the loop's own test, a poll for Ctrl-C
        and the next chunk's end."""
        b = self.b
        k = self.read_int(loop.counter)
        body = self.block_for(pc + 1, pc)
        boundary = self.fn.append_basic_block(f"chunk_end{pc}")
        chunk_end = b.load(self.chunk_end_slot(pc))
        b.cbranch(b.icmp_signed("<", k, chunk_end), body, boundary).set_metadata("prof", self.unit.likely)
        b.position_at_end(boundary)
        refill = self.fn.append_basic_block(f"next_chunk{pc}")
        b.cbranch(b.icmp_signed("<", k, self.chunk_limit(b, loop)), refill, self.block_for(exit_pc, pc))
        b.position_at_end(refill)
        acc = self.accumulators.get(pc)
        if acc is not None:  # at most a chunk's iterations run past its failure
            self.guard(self.not_finite(b.load(self.slot(acc.register, F))), rt.STATUS_INVALID_NUMERIC, acc.pc)
        self.poll_interrupt(loop.end)
        self.next_chunk(b, loop, k)
        b.branch(self.blocks[pc])  # the header again (into the body would make the loop irreducible)

    def preheader(self, header: int, arrays: frozenset[int]) -> ir.Block:
        """Entering the loop at `header`: make `arrays` unique (an empty register, on
        a path that never reaches the loop's OWN, stays empty)."""
        block = self.preheaders.get((header, arrays))
        if block is None:
            block = self.preheaders[header, arrays] = self.fn.append_basic_block(f"pre{header}")
            pb = ir.IRBuilder(block)
            for reg in sorted(arrays):
                slot = self.slot(reg, A)
                array = pb.load(slot)
                with pb.if_then(pb.icmp_unsigned("!=", array, NULL_ARRAY)):
                    pb.store(pb.call(self.unit.arrays.unique, [array]), slot)
            pb.branch(self.blocks[header])
        return block

    def array_registers(self) -> list[int]:
        """Registers that hold a number[] somewhere (their slots exist before any return
        is lowered, so every return releases them)."""
        found: set[int] = set()
        for state in self.analysis.kinds:
            if state is not None:
                found.update(r for r, kind in state.items() if kind == A and r < self.proto.const_base)
        return sorted(found)

    def lower(self) -> None:
        b = self.b
        for pc in sorted(self.leaders()):
            self.blocks[pc] = self.fn.append_basic_block(f"pc{pc}")
        b.position_at_end(self.alloca_block)
        self.globals_ptr = b.load(field_ptr(b, self.ctx, rt.CTX_GLOBALS), name="globals")
        if self.region is None:
            self.depth = self.fn.args[1]
        else:
            self.depth = b.load(field_ptr(b, self.ctx, rt.CTX_DEPTH), name="depth")
        for reg in self.array_registers():
            self.slot(reg, A)
        self.enter()
        for pc in self.pcs():
            if pc in self.blocks:
                if not b.block.is_terminated:
                    self.flush()
                    b.branch(self.block_for(pc, pc - 1))
                b.position_at_end(self.blocks[pc])
                self.known = {}
                self.scalings = {}
                self.added = None
            if not self.analysis.reachable(pc):
                if not b.block.is_terminated:
                    b.unreachable()
                continue
            if b.block.is_terminated:
                continue
            instr = self.proto.code[pc]
            self.pc = pc
            if self.rest is not None and not in_head(self.proto, pc):
                self.leave_head()
                continue
            if instr[0] not in DEFERRING_OPS:
                self.flush()
            self.instruction(pc, instr)
        if not b.block.is_terminated:
            self.flush()
            b.branch(self.block_for(self.pcs().stop, self.pcs().stop - 1))

    def leave_head(self) -> None:
        """End of a head: nothing the program can observe has happened, so the whole
        call starts again in `rest`, with the same arguments and depth. Checks still
        waiting are dropped: `rest` makes them again, in the same order."""
        self.pending = []
        outcome = self.b.call(self.rest, list(self.fn.args), tail=True)
        self.b.ret(outcome)

    def enter(self) -> None:
        """Entry block: parameters (or region slots) into their stack slots."""
        b = self.b
        if self.region is None:
            for i, t in enumerate(self.proto.param_types):
                value, kind = self.fn.args[i + 2], kind_of_type(t)
                if i in self.integer_parameters:
                    kind = INT if i in self.ints else F
                    value = value if kind == INT else b.sitofp(value, DOUBLE)
                b.store(value, self.slot(i, kind))
            # Recursion without loops must stop on Ctrl-C too: a function that calls
            # polls the flag on entry. A leaf runs its code once (loops poll), so it
            # need not, and a hot loop calling a small leaf is spared the poll.
            if self.analysis.callees and self.poll_on_entry:
                self.poll_interrupt(0)
            b.branch(self.block_for(0, -1))
            return
        kinds = self.region.kinds
        numbers, arrays = self.fn.args[1], self.fn.args[2]
        for index, reg in enumerate(self.region.registers):
            kind = kinds[reg]
            if kind == A:
                value = b.inttoptr(b.load(b.gep(arrays, [i64(index)])), ARRAY_PTR)
            else:
                value = b.load(b.gep(numbers, [i64(index)]))
                if kind == B:
                    value = b.fcmp_unordered("!=", value, ir.Constant(DOUBLE, 0.0))
                elif reg in self.ints:  # whole and within ±2^53 once written: exact
                    # (saturating: a register the loop writes before reading may still
                    # hold anything, even NaN, on entry)
                    value, kind = b.call(self.unit.fptosi_sat(), [value]), INT
            b.store(value, self.slot(reg, kind))
        # Entered at an inner header, the loops around it are already running: each
        # chunked one starts a chunk from its counter's value (the others, entered later,
        # start theirs as they are entered).
        for loop in self.chunked.values():
            self.next_chunk(b, loop, self.read_int(loop.counter))
        entry = b.switch(self.fn.args[3], self.block_for(self.region.header, -1))
        for header in self.region.entries:
            entry.add_case(i64(header), self.block_for(header, -1))

    # --------------------------------------------------------- registers

    def slot(self, reg: int, kind: str) -> ir.AllocaInstr:
        return self.stack_slot((reg, kind), ir_kind(kind), f"r{reg}{kind}")

    def chunk_end_slot(self, header: int) -> ir.AllocaInstr:
        return self.stack_slot((header, "chunk"), I64, f"chunk_end{header}")

    def stack_slot(self, key: tuple[int, str], type_: ir.Type, name: str) -> ir.AllocaInstr:
        """The stack slot for `key`, made in the entry block the first time."""
        found = self.slots.get(key)
        if found is None:
            saved = self.b.block
            self.b.position_at_start(self.alloca_block)
            found = self.b.alloca(type_, name=name)
            if key[1] == A:  # array slots start empty: releasing them is then always safe
                self.b.position_after(found)
                self.b.store(NULL_ARRAY, found)
            self.slots[key] = found
            self.b.position_at_end(saved)
        return found

    def kind(self, pc: int, reg: int) -> str:
        return self.analysis.kinds[pc][reg]  # type: ignore[index]

    def read(self, pc: int, reg: int, kind: str | None = None) -> Any:
        kind = kind or self.kind(pc, reg)
        proto = self.proto
        if kind == F and reg in self.known:
            return self.known[reg]
        if reg >= proto.const_base:
            value = proto.tail[reg - proto.nparams - proto.ncaptures]
            return ir.Constant(DOUBLE, value) if kind == F else ir.Constant(BOOL, int(bool(value)))
        if kind == F and reg in self.ints:
            return self.b.sitofp(self.read_int(reg), DOUBLE)
        return self.b.load(self.slot(reg, kind))

    def read_int(self, reg: int, b: ir.IRBuilder | None = None, raw: bool = False) -> Any:
        """An integer register, or a whole constant, as an i64 (a lazily clamped
        register clamped, unless `raw`)."""
        b = b or self.b
        value = self.constant(reg)
        if value is not None:
            return i64(int(value))
        loaded = b.load(self.slot(reg, INT))
        bound = self.integers.lazy.get(reg)
        if bound is None or raw:
            return loaded
        return b.select(b.icmp_signed(">" if bound > 0 else "<", loaded, i64(bound)), i64(bound), loaded)

    def is_int(self, reg: int) -> bool:
        """Held as an i64, or a whole constant within ±2^53 that an i64 holds exactly
        (not -0, whose sign it would lose)."""
        value = self.constant(reg)
        if value is None:
            return reg in self.ints
        return value.is_integer() and abs(value) <= EXACT_LIMIT and math.copysign(1.0, value) > 0

    def write(self, reg: int, kind: str, value: Any) -> None:
        """Store into a register; an array register releases the array it held."""
        slot = self.slot(reg, kind)
        if kind == A:
            self.b.call(self.unit.arrays.decref, [self.b.load(slot)])
        elif kind == F:
            self.known[reg] = value
        self.b.store(value, slot)

    # ------------------------------------------------------------ errors

    def ctx_field(self, index: int) -> Any:
        return field_ptr(self.b, self.ctx, index)

    def default_return(self, b: ir.IRBuilder) -> None:
        """Return after an error, handing back or releasing every array held."""
        ret = self.fn.function_type.return_type
        if self.region is not None:
            self.store_region_arrays(b)  # the VM releases them
            b.ret(i64(-1))
            return
        if self.unit.unwinds:  # straight back to the entry: no frame holds an array
            b.ret(b.call(self.unit.unwind_function(ret), [self.ctx], tail=True))
            return
        self.release_arrays(b)
        b.ret(ir.Constant(ret, [ir.Constant(ret.elements[0], None), ir.Constant(BOOL, 1)]))

    def return_value(self, value: Any) -> None:
        if self.unit.unwinds:
            self.b.ret(value)
            return
        ret = self.fn.function_type.return_type
        result = self.b.insert_value(ir.Constant(ret, [ir.Constant(ret.elements[0], None), ir.Constant(BOOL, 0)]), value, 0)
        self.b.ret(result)

    def error_block(self, status: int, pc: int) -> ir.Block:
        key = (status, pc)
        block = self.errors.get(key)
        if block is None:
            block = self.fn.append_basic_block(f"err{status}_pc{pc}")
            eb = ir.IRBuilder(block)
            eb.store(i64(status), field_ptr(eb, self.ctx, rt.CTX_STATUS))
            eb.store(i64(rt.make_site(self.proto.index, pc)), field_ptr(eb, self.ctx, rt.CTX_SITE))
            self.default_return(eb)
            self.errors[key] = block
        return block

    def propagate_block(self) -> ir.Block:
        """Return at once: a callee already stored the status and site."""
        if self.fail_block is None:
            self.fail_block = self.fn.append_basic_block("propagate")
            self.default_return(ir.IRBuilder(self.fail_block))
        return self.fail_block

    # Checks are deferred while only register arithmetic runs (DEFERRING_OPS), and made
    # together, with one branch, before anything with an effect (a call, a branch, a
    # return): nothing the program can observe has happened in between, and on failure
    # the cold path tests them one by one in program order, so the error and its site
    # are exactly the VM's. Fewer branches let LLVM optimise across them. A function's
    # element stores may go first: OWN made the array unique to the frame, and a
    # runtime error ends the frame (Atlas has no catch), so no one sees the stored
    # values. (Index checks never wait: a bad index must not reach memory.)

    def poll_interrupt(self, pc: int) -> None:
        """Stop with the interrupt status if the context's flag is set."""
        # An atomic load: LLVM may not hoist it out of a loop that never stores.
        interrupt = self.b.load_atomic(self.ctx_field(rt.CTX_INTERRUPT), "monotonic", 8)
        self.guard(self.b.icmp_signed("!=", interrupt, i64(0)), rt.STATUS_INTERRUPTED, pc)

    def guard(self, bad: Any, status: int, pc: int) -> None:
        """Branch to the error for `status` at `pc` when `bad` (an i1) is true."""
        self.defer(bad, status, pc)
        self.flush()

    def defer(self, bad: Any, what: Any, pc: int) -> None:
        self.pending.append(Check(bad, pc, what))
        if len(self.pending) >= MAX_DEFERRED_CHECKS:
            self.flush()

    def flush(self) -> None:
        """Make the deferred checks: one branch to the cold path if any may have failed.

        Finiteness checks cost one add each: the checked values are summed (in a tree,
        so the sum's latency stays short), and a sum is finite only if every term is (an
        infinity or NaN term makes it infinite or NaN). A finite sum proves them all; a
        sum that overflowed with finite terms only sends the cold path, which tests each
        check on its own, back to the hot path."""
        if not self.pending:
            return
        b = self.b
        pending, self.pending = self.pending, []
        skipped = covered_checks(pending) | implied_zero_checks(pending)  # the cold path still makes them
        flags = [check.bad for i, check in enumerate(pending) if check.bad.type == BOOL and i not in skipped]
        terms = [check.bad for i, check in enumerate(pending) if check.bad.type == DOUBLE and i not in skipped]
        while len(terms) > 1:
            pairs = [b.fadd(terms[i], terms[i + 1]) for i in range(0, len(terms) - 1, 2)]
            terms = pairs + terms[len(pairs) * 2 :]
        if terms:
            flags.append(self.not_finite(terms[0]))
        any_bad = flags[0]
        for bad in flags[1:]:
            any_bad = b.or_(any_bad, bad)
        self.branch_to_cold_path(any_bad, pending)
        self.added = None

    def check_now(self, bad: Any, what: Any, pc: int) -> None:
        """Branch at once if `bad`, without ending the batch of deferred checks: its cold
        path tests those before this one first, so the error is still the first."""
        self.branch_to_cold_path(bad, [*self.pending, Check(bad, pc, what)])

    def branch_to_cold_path(self, any_bad: Any, checks: list[Check]) -> None:
        """Go on if `any_bad` is false. Else the cold path picks the first failed check
        with selects (no block per check: LLVM's code generator slows down with many
        blocks), stores its status and site and leaves as after any error, or comes
        back if none failed after all (an overflowing sum)."""
        b = self.b
        last_pc = checks[-1].pc
        checks = self.with_accumulator(checks)
        cont = self.fn.append_basic_block(f"ok_pc{last_pc}")
        cold = self.fn.append_basic_block(f"failed_pc{last_pc}")
        b.cbranch(any_bad, cold, cont).set_metadata("prof", self.unit.unlikely)
        b.position_at_end(cold)
        status, site, failed_any = i64(0), i64(0), ir.Constant(BOOL, 0)
        for bad, pc, what in reversed(checks):
            failed = self.not_finite(bad) if bad.type == DOUBLE else bad
            status = b.select(failed, self.failed_status(what), status)
            site = b.select(failed, i64(rt.make_site(self.proto.index, pc)), site)
            failed_any = b.or_(failed_any, failed)
        report = self.fn.append_basic_block(f"report_pc{last_pc}")
        b.cbranch(failed_any, report, cont).set_metadata("prof", self.unit.likely)
        b.position_at_end(report)
        b.store(status, self.ctx_field(rt.CTX_STATUS))
        b.store(site, self.ctx_field(rt.CTX_SITE))
        b.branch(self.propagate_block())
        b.position_at_end(cont)

    def with_accumulator(self, checks: list[Check]) -> list[Check]:
        """`checks` in a loop whose accumulator's check waits: that check goes first
        (a failure of an earlier iteration), or, if the addition is in this batch, both
        around it: its value before the addition first, after it at its place."""
        acc = next((acc for acc in self.accumulators.values() if acc.contains(self.pc)), None)
        if acc is None:
            return checks
        status = rt.STATUS_INVALID_NUMERIC
        if self.added is None:
            return [Check(self.b.load(self.slot(acc.register, F)), acc.pc, status), *checks]
        before, pc = self.added
        after = self.b.load(self.slot(acc.register, F))
        return [
            Check(before, pc, status),
            *(check for check in checks if check.pc < pc),
            Check(after, pc, status),
            *(check for check in checks if check.pc > pc),
        ]

    def not_finite(self, value: Any, b: ir.IRBuilder | None = None) -> Any:
        return self.unit.not_finite(b or self.b, value)

    def failed_status(self, what: Any) -> Any:
        """The status of a failed check: its own, or for an index AT0006 if it is a
        whole number >= 0 (so only too big) and AT0103 otherwise."""
        if isinstance(what, int):
            return i64(what)
        b, x = self.b, what
        zero = ir.Constant(DOUBLE, 0.0)
        whole = b.fcmp_ordered("==", b.call(self.unit.intrinsic("llvm.floor"), [x]), x)
        finite = b.not_(self.not_finite(x))
        out_of_bounds = b.and_(b.and_(whole, finite), b.fcmp_ordered(">=", x, zero))
        return b.select(out_of_bounds, i64(rt.STATUS_OUT_OF_BOUNDS), i64(rt.STATUS_INVALID_INDEX))

    def finite(self, value: Any, pc: int) -> Any:
        """AT0007 unless `value` is finite, where the operands' ranges do not already
        prove it."""
        if pc in self.ranges.finite_results or pc in self.left_to_result:
            return value
        self.defer(value, rt.STATUS_INVALID_NUMERIC, pc)
        return value

    def exit_block(self, target: int) -> ir.Block:
        """Region exit: write back the registers, return the pc where the VM resumes.

        Number and bool registers it changed and the VM may read from `target` on go
        back into `slots` (a temporary the loop wrote last is not kept alive, or
        converted, for nothing); every array register goes back into `arrays` (the VM
        takes over those references)."""
        block = self.exits.get(target)
        if block is not None:
            return block
        block = self.fn.append_basic_block(f"exit_pc{target}")
        self.exits[target] = block
        eb = ir.IRBuilder(block)
        numbers, arrays = self.fn.args[1], self.fn.args[2]
        kinds = self.region.kinds
        region = self.region
        assert region is not None
        live = self.analysis.live
        read_later = live[target] if target < len(live) else frozenset()
        for index, reg in enumerate(region.registers):
            kind = kinds[reg]
            if kind != A and (reg not in region.written or reg not in read_later):
                continue
            value = self.read_int(reg, eb) if kind == F and reg in self.ints else eb.load(self.slot(reg, kind))
            if kind == A:
                eb.store(eb.ptrtoint(value, I64), eb.gep(arrays, [i64(index)]))
                continue
            if kind == B:
                value = eb.select(value, ir.Constant(DOUBLE, 1.0), ir.Constant(DOUBLE, 0.0))
            elif value.type == I64:
                value = eb.sitofp(value, DOUBLE)
            eb.store(value, eb.gep(numbers, [i64(index)]))
        eb.ret(i64(target))
        return block

    # ------------------------------------------------------ instructions

    def branch_if(self, cond: Any, pc: int, target: int, *, jump_when: bool) -> None:
        """Jump to `target` when `cond` equals `jump_when`, else fall through to pc+1."""
        taken = self.block_for(target, pc)
        fall = self.block_for(pc + 1, pc)
        if jump_when:
            self.b.cbranch(cond, taken, fall)
        else:
            self.b.cbranch(cond, fall, taken)

    def instruction(self, pc: int, instr: tuple) -> None:
        op, a, b_, c, d = instr
        b = self.b
        arrays = self.unit.arrays if op in ARRAY_OPS else None
        if op == Op.MOVE and a in self.ints:
            b.store(self.read_int(b_), self.slot(a, INT))
        elif op == Op.MOVE:
            kind = self.kind(pc, b_)
            value = self.read(pc, b_, kind)
            if kind == A:
                b.call(self.unit.arrays.incref, [value])
            self.write(a, kind, value)
        elif op == Op.CLEAR:
            if (a, A) in self.slots:
                self.write(a, A, NULL_ARRAY)
        elif op in (Op.ADD, Op.SUB, Op.MUL) and a in self.ints:
            self.integer_arithmetic(pc, op, a, b_, c)
        elif op in (Op.ADD, Op.SUB, Op.MUL):
            x, y = self.read(pc, b_, F), self.read(pc, c, F)
            value = self.fused(op, x, y)
            if value is None:
                value = b.fadd(x, y) if op == Op.ADD else b.fsub(x, y) if op == Op.SUB else b.fmul(x, y)
            if op == Op.MUL:
                self.note_scaling(value, b_, c, x, y)
            if pc in self.sunk_at:  # an accumulator: its check waits (jit/accumulators.py)
                self.added = (x if b_ == a else y, pc)
                self.write(a, F, value)
            else:
                self.write(a, F, self.finite(value, pc))
        elif op in (Op.DIV, Op.MOD):
            x, y = self.read(pc, b_, F), self.read(pc, c, F)
            if not excludes_zero(self.ranges.of(pc, c)):
                self.defer(b.fcmp_ordered("==", y, ir.Constant(DOUBLE, 0.0)), rt.STATUS_DIVIDE_BY_ZERO, pc)
            value = b.fdiv(x, y) if op == Op.DIV else b.frem(x, y)
            self.write(a, F, self.finite(value, pc))
        elif op == Op.NEG:
            self.write(a, F, b.fneg(self.read(pc, b_, F)))
        elif op in (Op.LT, Op.LE):
            self.write(a, B, self.less(pc, b_, c, op == Op.LE))
        elif op in (Op.EQP, Op.NEP):
            self.write(a, B, self.equal(pc, b_, c, op == Op.EQP))
        elif op == Op.NOT:
            self.write(a, B, b.xor(self.read(pc, b_, B), ir.Constant(BOOL, 1)))
        elif op == Op.JMP:
            b.branch(self.block_for(a, pc))
        elif op == Op.LOOP:
            if pc not in self.short_loop_ends and a not in self.chunked:
                self.poll_interrupt(pc)
            b.branch(self.block_for(a, pc))
        elif op in (Op.JMPF, Op.JMPT):
            self.branch_if(self.read(pc, a, B), pc, b_, jump_when=op == Op.JMPT)
        elif op in (Op.IFLT, Op.IFLE) and pc in self.chunked:
            self.chunked_header(pc, self.chunked[pc], c)
        elif op in (Op.IFLT, Op.IFLE):
            self.branch_if(self.less(pc, a, b_, op == Op.IFLE), pc, c, jump_when=False)
        elif op in (Op.IFEQP, Op.IFNEP):
            self.branch_if(self.equal(pc, a, b_, op == Op.IFEQP), pc, c, jump_when=False)
        elif op == Op.GETNG:
            value = b.load(b.gep(self.globals_ptr, [i64(b_)]))
            bits = b.bitcast(value, I64)
            undefined = b.icmp_unsigned("==", bits, i64(UNDEFINED_NUMBER_BITS))
            self.guard(undefined, rt.STATUS_UNDEFINED_GLOBAL, pc)
            self.write(a, F, value)
        elif op == Op.SETNG:
            b.store(self.read(pc, b_, F), b.gep(self.globals_ptr, [i64(a)]))
        elif op == Op.GETBG:
            value = b.load(b.gep(self.globals_ptr, [i64(b_)]))
            is_true = b.fcmp_ordered("==", value, ir.Constant(DOUBLE, 1.0))
            is_false = b.fcmp_ordered("==", value, ir.Constant(DOUBLE, 0.0))
            self.guard(b.not_(b.or_(is_true, is_false)), rt.STATUS_UNDEFINED_GLOBAL, pc)
            self.write(a, B, is_true)
        elif op == Op.SETBG:
            value = b.select(self.read(pc, b_, B), ir.Constant(DOUBLE, 1.0), ir.Constant(DOUBLE, 0.0))
            b.store(value, b.gep(self.globals_ptr, [i64(a)]))
        elif op == Op.CALLG:
            self.call(pc, a, c, d)
        elif op == Op.CALLB:
            args = [self.read(pc, r, F) for r in range(c, c + d)]
            self.write(a, F, self.intrinsic(self.analysis.intrinsics[pc], args))
        elif op in (Op.RETURN, Op.RETNULL):
            self.return_(pc, op, a)
        elif op == Op.NEWARRAYK:
            values = self.proto.tail[b_ - self.proto.nparams - self.proto.ncaptures]
            assert is_number_tuple(values)
            array = b.call(arrays.new, [i64(len(values))])
            if values:
                source = b.bitcast(self.unit.constant_array(values), I8PTR)
                target = b.bitcast(arrays.data(b, array, i64(0)), I8PTR)
                b.call(arrays.memcpy, [target, source, i64(8 * len(values))])
            self.write(a, A, array)
        elif op == Op.NEWARRAY:
            array = b.call(arrays.new, [i64(c)])
            for i in range(c):
                arrays.store(b, self.read(pc, b_ + i, F), array, i64(i))
            self.write(a, A, array)
        elif op in (Op.INDEX, Op.ITERGET):
            array = self.read(pc, b_, A)
            if op == Op.INDEX:
                k = self.index(pc, array, c, b_)
            else:
                k = self.read_int(c) if c in self.ints else b.fptosi(self.read(pc, c, F), I64)
            self.write(a, F, arrays.load(b, array, k))
        elif op == Op.SETIDX:
            array = self.read(pc, a, A)
            k = self.index(pc, array, b_, a)
            if self.proto.is_main:
                self.flush()  # a top-level array may outlive an error (the REPL keeps going)
            arrays.store(b, self.read(pc, c, F), array, k)
        elif op == Op.OWN:
            if a not in self.owned[pc]:  # type: ignore[operator]
                slot = self.slot(a, A)
                b.store(b.call(arrays.unique, [b.load(slot)]), slot)
        elif op == Op.LEN:
            length = arrays.length(b, self.read(pc, b_, A))
            if a in self.ints:
                b.store(length, self.slot(a, INT))
            else:
                self.write(a, F, b.sitofp(length, DOUBLE))
        elif op in (Op.GETG, Op.OWNG, Op.SETG):
            self.global_array(pc, op, a, b_)
        else:  # pragma: no cover - the analysis refuses every other opcode
            raise AssertionError(f"no lowering for {op}")

    def note_scaling(self, product: Any, x_reg: int, y_reg: int, x: Any, y: Any) -> None:
        """Remember a product by a power of two, 2^k, for `fused`: (product, the other
        factor, 2^k, the least |other factor| whose product is not subnormal, or 0 for
        k >= 0)."""
        for reg, other in ((y_reg, x), (x_reg, y)):
            factor = self.constant(reg)
            if factor is not None and factor != 0 and math.isfinite(factor):
                mantissa, exponent = math.frexp(factor)  # factor = mantissa * 2^exponent
                if abs(mantissa) == 0.5:
                    k = exponent - 1
                    smallest = 2.0 ** (-1022 - k) if k < 0 else 0.0
                    self.scalings[id(product)] = (product, other, ir.Constant(DOUBLE, factor), smallest)
                    return

    def fused(self, op: int, x: Any, y: Any) -> Any:
        """`s * 2^k + y` (or `x - s * 2^k`, ...) as one fused multiply-add where the
        product is exact: fl(fl(s * 2^k) + y) is then fl(s * 2^k + y), what fma computes,
        with the latency of one instruction, not two (loop_sum's `s = s * 0.5 + i`).
        The product is exact unless it overflows (its own check then fails first, or
        the ranges proved it cannot) or is subnormal: for k < 0, |s| below 2^(-1022-k)
        (0 included) takes a branch to the two instructions. None: no such product
        here, or no FMA instruction on this host."""
        if op == Op.MUL or not self.unit.fma:
            return None
        b = self.b
        if (found := self.scalings.get(id(x))) is not None:  # s * c + y, s * c - y
            operands = [found[1], found[2], y if op == Op.ADD else b.fneg(y)]
        elif (found := self.scalings.get(id(y))) is not None:  # x + s * c, x - s * c
            operands = [found[1], found[2] if op == Op.ADD else ir.Constant(DOUBLE, -found[2].constant), x]
        else:
            return None
        fma = self.unit.intrinsic("llvm.fma", 3)
        s, smallest = operands[0], found[3]
        if smallest == 0:
            return b.call(fma, operands)
        plain = b.fadd(x, y) if op == Op.ADD else b.fsub(x, y)
        # |s| >= 2^(-1022-k), NaN and infinities (their product fails its own check)
        # compared in the exponent's bits: an integer test, off the FP chain
        exponent = b.and_(b.bitcast(s, I64), i64(0x7FF0000000000000))
        exact = b.icmp_unsigned(">=", exponent, i64(int.from_bytes(struct.pack("<d", smallest), "little")))
        start = b.block
        fast = self.fn.append_basic_block(f"fused_pc{self.pc}")
        join = self.fn.append_basic_block(f"fused_end_pc{self.pc}")
        b.cbranch(exact, fast, join).set_metadata("prof", self.unit.likely)
        b.position_at_end(fast)
        value = b.call(fma, operands)
        b.branch(join)
        b.position_at_end(join)
        phi = b.phi(DOUBLE)
        phi.add_incoming(value, fast)
        phi.add_incoming(plain, start)
        return phi

    def integer_arithmetic(self, pc: int, op: int, a: int, x: int, y: int) -> None:
        """`a = x + y`, `x - y` or `x * y` in i64: exact, or clamped where the double
        rounds (sums only)."""
        b = self.b
        clamp = self.integers.clamps.get(pc)
        lazy = clamp is not None and self.integers.lazy.get(a) == clamp
        # A step of 1 into a lazily clamped register adds to the raw count of a
        # register clamped the same way (see IntegerPlan).
        left = self.read_int(x, raw=lazy and self.integers.lazy.get(x) == clamp)
        right = self.read_int(y, raw=lazy and self.integers.lazy.get(y) == clamp)
        value = b.add(left, right) if op == Op.ADD else b.sub(left, right) if op == Op.SUB else b.mul(left, right)
        if clamp is not None and not lazy:
            limit = i64(clamp)
            beyond = b.icmp_signed(">" if clamp > 0 else "<", value, limit)
            value = b.select(beyond, limit, value)
        b.store(value, self.slot(a, INT))

    def less(self, pc: int, x: int, y: int, or_equal: bool) -> Any:
        """x < y (or <=) on numbers: in i64 when either is an integer register."""
        b = self.b
        predicate = "<=" if or_equal else "<"
        if self.is_int(x) and self.is_int(y):
            return b.icmp_signed(predicate, self.read_int(x), self.read_int(y))
        if x in self.ints:
            bound = self.integer_bound(pc, y, up=not or_equal, right=True)
            bound, n = self.against_raw(x, bound, strict=not or_equal)
            return b.icmp_signed(predicate, n, bound)
        if y in self.ints:
            bound = self.integer_bound(pc, x, up=or_equal, right=False)
            bound, n = self.against_raw(y, bound, strict=or_equal)
            return b.icmp_signed(predicate, bound, n)
        return b.fcmp_ordered(predicate, self.read(pc, x, F), self.read(pc, y, F))

    def against_raw(self, reg: int, bound: Any, *, strict: bool) -> tuple[Any, Any]:
        """(bound, n) to compare instead of `bound` and the integer in `reg`: for a
        lazily clamped register, its raw count and a bound that gives the same answer.
        Against min(raw, L) (L = 2^53), a bound beyond L (at L for some compares: not
        `strict`) always gives one answer, which i64 max gives against the raw count too;
        against max(raw, -L), likewise below -L with i64 min. Elsewhere the raw count
        compares as its clamped value."""
        limit = self.integers.lazy.get(reg)
        if limit is None:
            return bound, self.read_int(reg)
        b = self.b
        if limit > 0:
            beyond = b.icmp_signed(">" if strict else ">=", bound, i64(limit))
            extreme = i64(2**63 - 1)
        else:
            beyond = b.icmp_signed("<=" if strict else "<", bound, i64(limit))
            extreme = i64(-(2**63))
        return b.select(beyond, extreme, bound), self.read_int(reg, raw=True)

    def integer_bound(self, pc: int, reg: int, *, up: bool, right: bool) -> Any:
        """An i64 that compares with every whole n in ±2^53 as the double v in `reg`
        does: n < v iff n < ceil(v), n <= v iff n <= floor(v), v < n iff floor(v) < n and
        v <= n iff ceil(v) <= n (`up` picks ceil; `right`: v is the right operand).
        Infinities map beyond ±2^53 (to ±2^54), and NaN, for which every compare is
        false, to the side that makes it false. A v the ranges prove whole and within
        ±2^53 is its own bound. Loop-invariant for a loop's bound, so LLVM computes it
        once, before the loop."""
        return self.integer_bound_of(self.b, self.read(pc, reg, F), self.ranges.of(pc, reg), up=up, right=right)

    def integer_bound_of(self, b: ir.IRBuilder, value: Any, known: Range | None, *, up: bool, right: bool) -> Any:
        """integer_bound for a double `value` in range `known`, emitted with `b`."""
        if known is not None and known.whole and -EXACT_LIMIT <= known.lo <= known.hi <= EXACT_LIMIT:
            return self.whole_to_int(value, b)
        rounded = b.call(self.unit.intrinsic("llvm.ceil" if up else "llvm.floor"), [value])
        low, high = -2.0 * EXACT_LIMIT, 2.0 * EXACT_LIMIT  # beyond every n, and exact doubles
        nan = b.fcmp_unordered("uno", value, value)
        nan_bound = ir.Constant(DOUBLE, low if right else high)
        at_least_low = self.min_max(rounded, ir.Constant(DOUBLE, low), False, b)
        capped = self.min_max(at_least_low, ir.Constant(DOUBLE, high), True, b)
        return b.fptosi(b.select(nan, nan_bound, capped), I64)

    def index(self, pc: int, array: Any, reg: int, array_reg: int) -> Any:
        """The i64 index in register `reg`, checked as the VM checks it (AT0103 unless a
        whole number >= 0, then AT0006 unless below the length). The check branches at
        once (the access needs it) but leaves the batch of deferred checks open."""
        b = self.b
        proven = self.proven_index(pc, reg, array_reg)
        if proven is not None:
            return proven
        x = self.read(pc, reg, F)
        length = self.unit.arrays.length(b, array)
        known = self.ranges.of(pc, reg)
        offset = self.offset_index(pc, reg)
        if reg in self.ints:  # whole and within ±2^53 already
            # A lazily clamped count indexes as its clamped value: beyond the clamp
            # both are out of bounds (or negative), and below it they are equal.
            k = self.read_int(reg, raw=True)
            ok = b.icmp_unsigned("<", k, length)
        elif offset is not None:
            # `base + k`: the base converts exactly and the offset adds in i64, so
            # s[a], s[a + 1], ... share one conversion (and address arithmetic).
            base, k_offset = offset
            base_value = self.read_int(base) if base in self.ints else self.whole_to_int(self.read(pc, base, F))
            k = b.add(base_value, i64(k_offset))
            ok = b.icmp_unsigned("<", k, length)
        elif known is not None and known.whole and known.lo > -I64_LIMIT:
            # Whole: capped below 2^62 (longer than any array) the conversion is exact,
            # and one unsigned compare (negatives wrap to huge) checks the range.
            capped = x
            if known.hi >= INDEX_CAP:
                cap = ir.Constant(DOUBLE, INDEX_CAP)
                capped = b.select(b.fcmp_ordered("<", x, cap), x, cap)
            k = self.whole_to_int(capped)
            ok = b.icmp_unsigned("<", k, length)
        else:
            # A saturating conversion that converts back to `x` proves it whole; one
            # unsigned compare proves it in range.
            k = b.call(self.unit.fptosi_sat(), [x])
            whole = b.fcmp_ordered("==", b.sitofp(k, DOUBLE), x)
            ok = b.and_(whole, b.icmp_unsigned("<", k, length))
        self.check_now(b.not_(ok), x, pc)
        return k

    def proven_index(self, pc: int, reg: int, array_reg: int) -> Any:
        """The index, with no check, if the ranges put it, whole, within the length the
        entry guard assures for the array (`LoopRegion.lengths`, or a function's). The ranges
        assume every check before passes: an integer register holds an exact value no
        waiting check can spoil, but a double may be one that fails a check still
        waiting in the batch (a NaN), so it needs an empty batch. A range that is empty
        (a path the ranges rule out) proves nothing."""
        least = self.lengths.get(array_reg)
        known = self.ranges.of(pc, reg)
        if least is None or known is None or not (known.whole and 0 <= known.lo <= known.hi < least):
            return None
        b = self.b
        if reg in self.ints:  # raw: a lazily clamped count differs only beyond 2^53
            return self.read_int(reg, raw=True)
        offset = self.offset_index(pc, reg)
        if offset is not None and offset[0] in self.ints:
            base, k = offset
            return b.add(self.read_int(base, raw=True), i64(k))
        if self.pending:
            return None
        if offset is not None:  # s[a], s[a + 1], ... share one conversion
            base, k = offset
            return b.add(b.fptosi(self.read(pc, base, F), I64), i64(k))
        return b.fptosi(self.read(pc, reg, F), I64)

    def whole_to_int(self, value: Any, b: ir.IRBuilder | None = None) -> Any:
        """The i64 of a double the ranges prove whole and within ±2^62 (emitted with
        `b`, by default the current builder). The ranges assume every check before
        passes; while some still wait in the batch, `value` may be one that fails them
        (NaN, say, after a `% 0` that always fails), and a plain conversion of it is
        poison, which no branch may see (an index check's, or a compare's that a later
        branch tests): then the conversion is frozen (any fixed i64; no instruction).
        The cold path tests the waiting checks first, so the error is theirs."""
        b = b or self.b
        k = b.fptosi(value, I64)
        return freeze(b, k) if self.pending else k

    def offset_index(self, pc: int, reg: int) -> tuple[int, int] | None:
        """(base, k) when the index in `reg` was computed, in this block, as `base + k`
        or `base - k` for a whole constant k (|k| <= 2^53) and a whole base below 2^62 in
        magnitude, not written since. Then fptosi(base) + k is the index: equal to it
        when the sum is exact in doubles (below 2^53), and otherwise, like it, negative
        or beyond every array's length (the error then comes from the double)."""
        code = self.proto.code
        for def_pc in range(pc - 1, self.pcs().start - 1, -1):
            instr = code[def_pc]
            if reg in written_registers(instr):
                return self._offset_form(def_pc, instr, pc)
            if def_pc in self.blocks:
                return None
        return None

    def _offset_form(self, def_pc: int, instr: tuple, pc: int) -> tuple[int, int] | None:
        op, _, x, y, _ = instr
        if op not in (Op.ADD, Op.SUB):
            return None
        base, k = (x, self.constant(y)) if op == Op.SUB or self.constant(x) is None else (y, self.constant(x))
        if k is None or not k.is_integer() or abs(k) > MAX_LENGTH:
            return None
        known = self.ranges.of(def_pc, base)
        if known is None or not known.whole or not -INDEX_CAP < known.lo <= known.hi < INDEX_CAP:
            return None
        if any(base in written_registers(self.proto.code[p]) for p in range(def_pc + 1, pc)):
            return None
        return base, int(-k if op == Op.SUB else k)

    def constant(self, reg: int) -> float | None:
        return constant_number(self.proto, reg)

    def global_array(self, pc: int, op: int, a: int, b_: int) -> None:
        """number[] globals live, while native code runs, in the context's array table
        (indexed by global slot; the VM fills it on entry and takes it back on exit)."""
        b = self.b
        arrays = self.unit.arrays
        slot = self.analysis.global_arrays[pc]
        entry = b.gep(b.load(self.ctx_field(rt.CTX_ARRAY_GLOBALS)), [i64(slot)])
        held = b.inttoptr(b.load(entry), ARRAY_PTR)
        if op != Op.SETG:  # an empty entry: the global's declaration has not run yet
            self.guard(b.icmp_unsigned("==", held, NULL_ARRAY), rt.STATUS_UNDEFINED_GLOBAL, pc)
        if op == Op.SETG:
            value = self.read(pc, b_, A)
            b.call(arrays.incref, [value])
            b.call(arrays.decref, [held])
            b.store(b.ptrtoint(value, I64), entry)
            return
        if op == Op.OWNG:
            held = b.call(arrays.unique, [held])
            b.store(b.ptrtoint(held, I64), entry)
        b.call(arrays.incref, [held])
        self.write(a, A, held)

    def equal(self, pc: int, x_reg: int, y_reg: int, equal: bool) -> Any:
        kind = self.kind(pc, x_reg)
        x, y = self.read(pc, x_reg, kind), self.read(pc, y_reg, kind)
        if kind == F:
            return self.b.fcmp_ordered("==", x, y) if equal else self.b.fcmp_unordered("!=", x, y)
        return self.b.icmp_unsigned("==" if equal else "!=", x, y)

    def release_arrays(self, b: ir.IRBuilder | None = None) -> None:
        """Drop this frame's references to arrays (at a function's return)."""
        b = b or self.b
        for (_, kind), slot in list(self.slots.items()):
            if kind == A:
                b.call(self.unit.arrays.decref, [b.load(slot)])

    def store_region_arrays(self, b: ir.IRBuilder) -> None:
        """Put every array register of a region into its `arrays` entry."""
        region = self.region
        assert region is not None
        kinds = self.region.kinds
        for index, reg in enumerate(region.registers):
            if kinds[reg] == A:
                value = b.load(self.slot(reg, A))
                b.store(b.ptrtoint(value, I64), b.gep(self.fn.args[2], [i64(index)]))

    def return_(self, pc: int, op: int, reg: int) -> None:
        b = self.b
        if self.region is not None:
            b.branch(self.exit_block(pc))  # the VM executes the return itself
            return
        ret = self.proto.ret_type
        kind = kind_of_type(ret)
        if returns_nothing(ret):
            self.release_arrays()
            self.return_value(ir.Constant(DOUBLE, 0.0))
        elif op == Op.RETNULL:
            b.branch(self.error_block(rt.STATUS_UNREACHABLE, pc))
        else:
            value = self.read(pc, reg, kind)
            if kind == A:
                b.call(self.unit.arrays.incref, [value])  # the caller's new reference
            self.release_arrays()
            self.return_value(value)

    def call(self, pc: int, dest: int, first: int, count: int) -> None:
        b = self.b
        callee = self.analysis.callees[pc]
        left = self.left_to_result
        functions = self.unit.unchecked if left else self.unit.functions
        target = self.unit.call_target(callee, *self.call_arguments(pc, callee), left) or functions[callee]
        target = self.redirect.get(target, target)
        args = []
        for i, t in enumerate(callee.param_types):
            kind = kind_of_type(t)
            if target.function_type.args[i + 2] == I64:
                args.append(self.read_int(first + i))
                continue
            value = self.read(pc, first + i, kind)
            if kind == A:
                b.call(self.unit.arrays.incref, [value])  # the callee's own reference
            args.append(value)
        depth = self.depth
        self.guard(b.icmp_signed(">=", depth, i64(MAX_CALL_DEPTH)), rt.STATUS_STACK_OVERFLOW, pc)
        outcome = b.call(target, [self.ctx, b.add(depth, i64(1)), *args])
        if self.is_tail_call(pc, dest, outcome):
            b.ret(outcome)  # the callee's result (and failure flag) are this function's
            return
        if self.unit.unwinds:  # a failed call does not come back
            result = outcome
        else:
            cont = self.fn.append_basic_block(f"called_pc{pc}")
            b.cbranch(b.extract_value(outcome, 1), self.propagate_block(), cont)
            b.position_at_end(cont)
            result = b.extract_value(outcome, 0)
        kind = kind_of_type(callee.ret_type)
        if left and pc not in left:
            # An unchecked result the code does not pass on to its own: a NaN or
            # infinity here sends the entry to the checked copy (jit/result_checks.py).
            self.defer(result, rt.STATUS_INVALID_NUMERIC, pc)
        if kind in (F, B, A):
            self.write(dest, kind, result)

    def call_arguments(self, pc: int, callee: FunctionProto) -> tuple[list[Range | None], frozenset[int]]:
        """The ranges of the arguments of the call at pc, and which it holds as i64
        (integer registers, and whole constants within ±2^53 other than -0)."""
        first = self.proto.code[pc][3]
        ranges = [self.ranges.of(pc, first + i) for i in range(len(callee.param_types))]
        integers = frozenset(
            i for i, t in enumerate(callee.param_types) if kind_of_type(t) == F and self.is_int(first + i)
        )  # fmt: skip
        return ranges, integers

    def is_tail_call(self, pc: int, dest: int, outcome: Any) -> bool:
        """`return f(...)` in a function holding no arrays, where f returns a number or
        bool like this function: its outcome can be returned as it is. LLVM then sees a
        tail call, and turns (mutual, once inlined) recursion through it into a loop;
        the depth still grows by one per call and is checked at each, as in the VM."""
        code = self.proto.code
        return (
            self.region is None
            and pc + 1 < len(code)
            and code[pc + 1][0] == Op.RETURN
            and code[pc + 1][1] == dest
            and kind_of_type(self.proto.ret_type) in (F, B)
            and outcome.type == self.fn.function_type.return_type
            and not any(kind == A for _, kind in self.slots)
        )

    # --------------------------------------------------------- intrinsics

    def intrinsic(self, name: str, args: list[Any]) -> Any:
        b = self.b
        unit = self.unit
        zero, one, half = (ir.Constant(DOUBLE, v) for v in (0.0, 1.0, 0.5))
        if name in LLVM_UNARY:
            return b.call(unit.intrinsic(LLVM_UNARY[name]), args)
        if name in LIBM_UNARY:
            return b.call(unit.intrinsic(LIBM_UNARY[name]), args)
        if name == "pow":
            return b.call(unit.intrinsic("llvm.pow", 2), args)
        if name == "sign":
            (x,) = args
            positive = b.select(b.fcmp_ordered(">", x, zero), one, x)
            return b.select(b.fcmp_ordered("<", x, zero), ir.Constant(DOUBLE, -1.0), positive)
        if name == "round":
            (x,) = args
            floor = b.call(unit.intrinsic("llvm.floor"), [x])
            finite = b.fcmp_ordered("!=", b.call(unit.intrinsic("llvm.fabs"), [x]), ir.Constant(DOUBLE, float("inf")))
            keep = b.or_(b.not_(finite), b.fcmp_ordered("==", floor, x))
            frac = b.fsub(x, floor)
            up = b.fadd(floor, one)
            even = b.fcmp_ordered("==", b.frem(floor, ir.Constant(DOUBLE, 2.0)), zero)
            tie = b.select(even, floor, up)
            above = b.select(b.fcmp_ordered(">", frac, half), up, tie)
            rounded = b.select(b.fcmp_ordered("<", frac, half), floor, above)
            return b.select(keep, x, rounded)
        if name in ("min", "max"):
            return self.min_max(args[0], args[1], name == "min")
        if name == "clamp":
            x, lo, hi = args
            clamped = self.min_max(self.min_max(x, lo, False), hi, True)
            return b.select(b.fcmp_ordered(">", lo, hi), ir.Constant(DOUBLE, float("nan")), clamped)
        raise AssertionError(f"no intrinsic {name}")

    def min_max(self, x: Any, y: Any, smaller: bool, b: ir.IRBuilder | None = None) -> Any:
        """The stdlib's ieee_min / ieee_max exactly: NaN yields the other operand, and
        between zeros min prefers -0 and max +0."""
        b = b or self.b
        zero = ir.Constant(DOUBLE, 0.0)
        x_negative = b.icmp_signed("<", b.bitcast(x, I64), i64(0))
        both_zero = b.and_(b.fcmp_ordered("==", x, zero), b.fcmp_ordered("==", y, zero))
        pick_x_zero = x_negative if smaller else b.not_(x_negative)
        ordered = b.fcmp_ordered("<" if smaller else ">", x, y)
        result = b.select(both_zero, b.select(pick_x_zero, x, y), b.select(ordered, x, y))
        result = b.select(b.fcmp_unordered("uno", y, y), x, result)
        return b.select(b.fcmp_unordered("uno", x, x), y, result)


# Operations whose result is NaN or infinite whenever the given operand is (x * 0 is NaN
# for an infinite x): operand positions, by LLVM opcode. Not a divisor (x / inf is 0).
PROPAGATING_OPERANDS = {"fadd": (0, 1), "fsub": (0, 1), "fmul": (0, 1), "fdiv": (0,), "frem": (0,)}


class Check(NamedTuple):
    """A deferred check. `bad` is an i1 that is true on failure, or for a finiteness
    check the double that must be finite; `what` is the status, or for an index the
    index value."""

    bad: Any
    pc: int
    what: Any

    @property
    def finite_value(self) -> Any:
        """The value a finiteness check is about (None for other checks)."""
        return self.bad if self.bad.type == DOUBLE else None


def covered_checks(pending: list[Check]) -> set[int]:
    """The finiteness checks of a batch that the hot path may skip: a value that is an
    operand of a later checked value of the batch, through an operation that turns a
    NaN or infinite operand into a NaN or infinite result. If it is not finite, neither
    is that later value, and so on down to a value that is checked; the cold path still
    tests every check in order, so the error reported is the first, as in the VM."""
    values = [check.finite_value for check in pending]
    index_of = {id(value): i for i, value in enumerate(values) if value is not None}
    covered: set[int] = set()
    for value in values:
        for position in PROPAGATING_OPERANDS.get(getattr(value, "opname", ""), ()):
            i = index_of.get(id(value.operands[position]))
            if i is not None and values[i] is not value:
                covered.add(i)
    return covered


def implied_zero_checks(pending: list[Check]) -> set[int]:
    """The zero-divisor checks of a batch that the hot path may skip: those whose
    quotient (or remainder) is checked for finiteness in the same batch. Any number
    divided by ±0 is infinite or NaN (and `x % 0` is NaN), so that test fails too; the
    cold path tests the zero check first, so the error is still AT0005 at its site."""
    finite_at = {check.pc for check in pending if check.finite_value is not None}
    return {
        i for i, check in enumerate(pending)
        if check.finite_value is None and check.pc in finite_at
        and isinstance(check.what, int) and check.what == rt.STATUS_DIVIDE_BY_ZERO
    }  # fmt: skip


# A function that calls itself is lowered this many times, each copy calling the next
# (see UnitBuilder.lower_with_twins): fib's native body then makes eight calls, not two.
RECURSION_COPIES = 3

# The instructions a head may run: effects on registers only, and no loop. A recursive
# function whose code returns after a few of them (a base case: `if (n < 2) { return
# n; }`) gets a head, a copy of that code that calls the whole function where it ends.
HEAD_OPS = frozenset(
    {Op.MOVE, Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.NEG, Op.LT, Op.LE, Op.EQP, Op.NEP,
     Op.NOT, Op.JMP, Op.JMPF, Op.JMPT, Op.IFLT, Op.IFLE, Op.IFEQP, Op.IFNEP, Op.RETURN, Op.RETNULL}
)  # fmt: skip
MAX_HEAD = 8  # instructions on the way to the early return


def in_head(proto: FunctionProto, pc: int) -> bool:
    instr = proto.code[pc]
    return (
        instr[0] in HEAD_OPS
        and pc not in proto.loop_headers
        and all(target > pc for target in jump_targets(instr))
    )


def has_early_return(proto: FunctionProto) -> bool:
    """Whether a return is reached from the entry within MAX_HEAD instructions of a
    head (HEAD_OPS, jumping forward only)."""
    code = proto.code
    seen: set[int] = set()
    stack = [0]
    while stack:
        pc = stack.pop()
        if pc in seen or pc >= len(code) or not in_head(proto, pc):
            continue
        if code[pc][0] in (Op.RETURN, Op.RETNULL):
            return True
        seen.add(pc)
        if len(seen) > MAX_HEAD:
            return False
        stack.extend(successors(pc, code[pc], len(code)))
    return False


# Specialised copies of callees (see UnitBuilder.call_target): callees up to this many
# instructions, this many copies per unit at most.
MAX_SPECIALISED_CODE = 64
MAX_SPECIALISATIONS = 8

# Checks made together at most: more would keep every checked value alive until the
# branch (register pressure, and LLVM's passes slow down on long chains).
MAX_DEFERRED_CHECKS = 32

# Instructions with no effect but on registers and frame-local arrays (OWN's copy is
# invisible; SETIDX flushes itself in top-level code): checks before them may wait.
DEFERRING_OPS = frozenset(
    {Op.MOVE, Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.NEG, Op.LT, Op.LE, Op.EQP, Op.NEP,
     Op.NOT, Op.CALLB, Op.INDEX, Op.ITERGET, Op.LEN, Op.SETIDX, Op.OWN}
)  # fmt: skip

ARRAY_OPS = frozenset(
    {Op.NEWARRAYK, Op.NEWARRAY, Op.INDEX, Op.ITERGET, Op.SETIDX, Op.OWN, Op.LEN, Op.GETG, Op.OWNG, Op.SETG}
)
