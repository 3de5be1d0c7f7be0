"""Compiler: a checked AST -> register bytecode, one FunctionProto per function.

Register layout of a frame (see `FunctionProto`):

    [params][captured values and cells][own nested-function cells][locals][temps][constants]

Every local symbol has a fixed register of its declared type (what the JIT lowers);
temporaries are allocated like a stack within a statement; constants are allocated in
a separate numbering while compiling and relocated behind the temporaries at the end.

Copy-on-write needs one discipline from the compiler: a temporary that held an array or
collection is cleared when the statement that used it ends, so that a stale reference
in a dead temporary never makes a later mutation copy needlessly.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ..check.symbols import FunctionInfo, Symbol, SymbolKind
from ..check.types import (
    BOOL,
    JSON,
    NULL,
    NUMBER,
    STRING,
    UNKNOWN,
    ArrayType,
    PrimType,
    Type,
    TypeVar,
)
from ..source import SourceFile, Span
from ..stdlib import BUILTINS
from ..stdlib.registry import Builtin, method_as_builtin
from ..syntax import ast
from ..vm.values import NONE, Function
from .opcodes import ARITH_OPS, CMP_OPS, INFO, TAG_ERR, TAG_NONE, TAG_OK, TAG_SOME, Op
from .proto import SPACE_BOOL, SPACE_NUMBER, FunctionProto, Image

CONST_BASE = 1 << 24  # provisional numbers of constant registers until relocation
ARRAY_CHUNK = 64  # elements per NEWARRAY/EXTEND when an array literal is built piecewise

PRIMITIVES = (NUMBER, STRING, BOOL, NULL)
VARIABLE_KINDS = frozenset(
    {SymbolKind.LOCAL, SymbolKind.PARAM, SymbolKind.LOOP_VAR, SymbolKind.MATCH_BINDING,
     SymbolKind.GLOBAL_VAR, SymbolKind.IMPORT}
)  # fmt: skip
TAGS = {"Some": TAG_SOME, "None": TAG_NONE, "Ok": TAG_OK, "Err": TAG_ERR}

# Array methods whose in-place implementation writes back to a plain-variable receiver.
WRITEBACK_METHODS = {
    "arrayPush": "push", "arrayPop": "pop", "arrayShift": "shift",
    "arrayUnshift": "unshift", "arrayReverse": "reverse",
}  # fmt: skip


def type_of(node: Any) -> Type:
    ty = getattr(node, "ty", None)
    return UNKNOWN if ty is None else ty


def holds_reference(ty: Type) -> bool:
    """Whether a value of this static type may be a container (worth clearing)."""
    # Only a named type can be `void`: displaying any other type takes time linear in its
    # depth, and this runs for every expression (deep array types made it quadratic).
    return ty not in PRIMITIVES and not (isinstance(ty, PrimType | TypeVar) and ty.display() == "void")


def const_key(value: Any) -> tuple:
    t = type(value)
    if t is float:
        return ("f", struct.pack("<d", value))
    if t is bool or t is str or value is None:
        return (t.__name__, value)
    return ("o", id(value))


class Label:
    __slots__ = ("patches", "pc")

    def __init__(self) -> None:
        self.pc = -1
        self.patches: list[tuple[int, int]] = []  # (instruction index, operand position)


class Loop:
    __slots__ = ("break_label", "continue_label", "is_while", "loop_id")

    def __init__(self, loop_id: int, continue_label: Label, break_label: Label, is_while: bool):
        self.loop_id = loop_id
        self.continue_label = continue_label
        self.break_label = break_label
        self.is_while = is_while


class FunctionCompiler:
    """Compiles one function body (or a module's top-level code)."""

    def __init__(
        self,
        unit: ModuleCompiler,
        info: FunctionInfo,
        name: str,
        span: Span,
        params: list[Symbol],
        ret: Type,
    ) -> None:
        self.unit = unit
        self.image = unit.image
        self.source = unit.source
        self.info = info
        self.code: list[list[int]] = []
        self.spans: list[Span | None] = []
        self.regs: dict[Symbol, int] = {}
        self.cells: dict[Symbol, int] = {}
        self.reg_types: list[Type | None] = []
        self.reg_names: list[str | None] = []
        self.const_index: dict[tuple, int] = {}
        self.const_values: list[Any] = []
        self.loops: list[Loop] = []
        self.loop_headers: list[int] = []
        self.dirty: set[int] = set()
        self.proto = FunctionProto(
            name, self.source, span, len(params), tuple(p.ty for p in params), ret,
            is_main=info.is_main,
        )  # fmt: skip
        for sym in params:
            self.regs[sym] = self.fixed(sym.name, sym.ty)
        for sym in info.captures:
            if sym.kind is SymbolKind.NESTED_FN:
                self.cells[sym] = self.fixed(sym.name, None)
            else:
                self.regs[sym] = self.fixed(sym.name, sym.ty)
        self.proto.ncaptures = len(info.captures)
        for sym in info.nested:
            self.cells[sym] = self.fixed(sym.name, None)
        for sym in info.locals:
            if sym not in self.regs:
                self.regs[sym] = self.fixed(sym.name, sym.ty)
        self.temp_base = len(self.reg_types)
        self.top = self.temp_base
        self.max_top = self.top

    def capture_source(self, sym: Symbol) -> int:
        """The register of this (enclosing) function that a nested function captures."""
        if sym.kind is SymbolKind.NESTED_FN:
            return self.cells[sym]
        return self.regs[sym]

    # ------------------------------------------------------------------ registers

    def fixed(self, name: str, ty: Type | None) -> int:
        self.reg_types.append(ty)
        self.reg_names.append(name)
        return len(self.reg_types) - 1

    def temp(self, ty: Type | None = None) -> int:
        r = self.top
        self.top += 1
        self.max_top = max(self.max_top, self.top)
        if ty is not None and holds_reference(ty):
            self.dirty.add(r)
        return r

    def temps(self, n: int) -> int:
        base = self.top
        self.top += n
        self.max_top = max(self.max_top, self.top)
        return base

    def release(self, mark: int) -> None:
        """Free temporaries above `mark`, clearing those that held containers."""
        for r in sorted(r for r in self.dirty if r >= mark):
            self.emit(Op.CLEAR, r)
            self.dirty.discard(r)
        self.top = mark

    def dest(self, want: int | None, ty: Type) -> int:
        return self.temp(ty) if want is None else want

    def const(self, value: Any) -> int:
        key = const_key(value)
        idx = self.const_index.get(key)
        if idx is None:
            idx = len(self.const_values)
            self.const_values.append(value)
            self.const_index[key] = idx
        return CONST_BASE + idx

    def move(self, want: int | None, src: int, span: Span | None = None) -> int:
        if want is None or want == src:
            return src
        self.emit(Op.MOVE, want, src, span=span)
        return want

    # --------------------------------------------------------------- emission

    def emit(self, op: int, a: int = 0, b: int = 0, c: int = 0, d: int = 0, span: Span | None = None) -> int:
        self.code.append([op, a, b, c, d])
        self.spans.append(span)
        return len(self.code) - 1

    def emit_jump(self, op: int, label: Label, *regs: int, span: Span | None = None) -> None:
        operands = [*regs]
        position = INFO[op].operands.index("J")
        while len(operands) < position:
            operands.append(0)
        operands.append(label.pc)
        pc = self.emit(op, *operands, span=span)
        if label.pc < 0:
            label.patches.append((pc, position + 1))

    def place(self, label: Label) -> None:
        label.pc = len(self.code)
        for pc, pos in label.patches:
            self.code[pc][pos] = label.pc
        label.patches.clear()

    def finish(self) -> FunctionProto:
        """Relocate constants behind the temporaries and seal the prototype."""
        first_const = self.max_top
        proto = self.proto
        code: list[tuple[int, int, int, int, int]] = []
        for instr in self.code:
            kinds = INFO[instr[0]].operands
            for i, kind in enumerate(kinds):
                if kind in "RW" and instr[i + 1] >= CONST_BASE:
                    instr[i + 1] = first_const + instr[i + 1] - CONST_BASE
            code.append(tuple(instr))  # type: ignore[arg-type]
        proto.code = code
        proto.spans = self.spans
        proto.nregs = first_const + len(self.const_values)
        fixed = proto.nparams + proto.ncaptures
        proto.tail = [None] * (first_const - fixed) + self.const_values
        proto.reg_types = self.reg_types + [None] * (proto.nregs - len(self.reg_types))
        proto.reg_names = self.reg_names + [None] * (proto.nregs - len(self.reg_names))
        proto.const_base = first_const
        proto.loop_headers = self.loop_headers
        proto.loop_counts = [0] * len(self.loop_headers)
        proto.loop_regions = [None] * len(self.loop_headers)
        self.image.add_proto(proto)
        return proto

    # ---------------------------------------------------------------- globals

    def get_global(self, sym: Symbol, want: int | None, span: Span) -> int:
        space, idx = self.image.slot(sym)
        d = self.dest(want, sym.ty)
        op = Op.GETNG if space == SPACE_NUMBER else Op.GETBG if space == SPACE_BOOL else Op.GETG
        self.emit(op, d, idx, span=span)
        return d

    def set_global(self, sym: Symbol, src: int, span: Span | None) -> None:
        space, idx = self.image.slot(sym)
        op = Op.SETNG if space == SPACE_NUMBER else Op.SETBG if space == SPACE_BOOL else Op.SETG
        if op == Op.SETG:
            self.image.rebound_value_slots.add(idx)
        self.emit(op, idx, src, span=span)

    # ------------------------------------------------------------- statements

    def block(self, stmts: list[ast.Stmt]) -> None:
        # The nested functions declared in this block get fresh cells each time the
        # block is entered (a loop body is a new scope per iteration), so a function
        # made in one iteration keeps calling that iteration's siblings.
        for stmt in stmts:
            if isinstance(stmt, ast.FnDecl) and stmt.symbol.kind is SymbolKind.NESTED_FN:
                self.emit(Op.NEWCELL, self.cells[stmt.symbol], self.const(stmt.symbol.name))
        for stmt in stmts:
            self.stmt(stmt)

    def stmt(self, s: ast.Stmt) -> None:
        mark = self.top
        handler = STMT_HANDLERS.get(type(s))
        if handler is not None:
            handler(self, s)
        self.release(mark)

    def s_block(self, s: ast.Block) -> None:
        self.block(s.stmts)

    def s_var(self, s: ast.VarDecl) -> None:
        sym = s.symbol
        if sym.is_global:
            r = self.expr(s.init)
            self.set_global(sym, r, s.span)
        else:
            self.expr(s.init, self.regs[sym])

    def s_fn(self, s: ast.FnDecl) -> None:
        sym = s.symbol
        if sym.kind is not SymbolKind.NESTED_FN:
            return  # top-level functions and impl methods are bound before the program runs
        proto_index = self.unit.compile_function(s, self)
        t = self.temp(UNKNOWN)
        self.emit(Op.CLOSURE, t, proto_index, span=s.name_span)
        self.emit(Op.SETCELL, self.cells[sym], t, span=s.name_span)

    def s_expr(self, s: ast.ExprStmt) -> None:
        self.expr(s.expr)

    def s_assign(self, s: ast.Assign) -> None:
        target = s.target
        if isinstance(target, ast.Ident):
            sym = target.symbol
            if sym.is_global:
                r = self.expr(s.value)
                self.set_global(sym, r, s.span)
            else:
                self.expr(s.value, self.regs[sym])
            return
        path, root = self.index_path(target)
        root_reg = self.root_value(root)
        index_regs = [self.expr(i) for i in path]
        value = self.expr(s.value)
        self.store_path(root, root_reg, index_regs, value, target)

    def s_compound(self, s: ast.CompoundAssign) -> None:
        self.update(s.target, ARITH_OPS.index(s.op), s.value, s.span)

    def s_incdec(self, s: ast.IncDec) -> None:
        self.update(s.target, 0 if s.op == "++" else 1, None, s.span)

    def update(self, target: ast.Expr, op_index: int, value: ast.Expr | None, span: Span) -> None:
        """`target op= value` (or `target++`/`--` when value is None)."""
        numeric = type_of(target) == NUMBER and (value is None or type_of(value) == NUMBER)
        if isinstance(target, ast.Ident):
            sym = target.symbol
            if sym.is_global:
                cur = self.get_global(sym, None, target.span)
            else:
                cur = self.regs[sym]
            operand = self.const(1.0) if value is None else self.expr(value)
            result = cur if not sym.is_global else self.temp(type_of(target))
            self.arith(result, cur, operand, op_index, numeric, span)
            if sym.is_global:
                self.set_global(sym, result, span)
            return
        path, root = self.index_path(target)
        root_reg = self.root_value(root)
        index_regs = [self.expr(i) for i in path]
        cur = self.read_path(root, root_reg, index_regs, target)
        operand = self.const(1.0) if value is None else self.expr(value)
        self.arith(cur, cur, operand, op_index, numeric, span)
        self.store_path(root, root_reg, index_regs, cur, target)

    def arith(self, d: int, a: int, b: int, op_index: int, numeric: bool, span: Span) -> None:
        if numeric:
            op = (Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD)[op_index]
            self.emit(op, d, a, b, span=span)
        else:
            self.emit(Op.ARITHX, d, a, b, op_index, span=span)

    def index_path(self, target: ast.Index) -> tuple[list[ast.Expr], ast.Expr]:
        """Split `root[i][j]...` into ([i, j, ...], root)."""
        path: list[ast.Expr] = []
        node: ast.Expr = target
        while isinstance(node, ast.Index):
            path.append(node.index)
            node = node.target
        path.reverse()
        return path, node

    def index_op(self, container_ty: Type) -> int:
        if isinstance(container_ty, ArrayType):
            return Op.INDEX
        return Op.INDEXJ if container_ty == JSON else Op.INDEXX

    def root_value(self, root: ast.Expr) -> int | None:
        """Evaluate an assignment root that is not a variable (it comes first, reference
        4.4); a variable root is only read when the store happens."""
        if isinstance(root, ast.Ident) and root.symbol.kind in VARIABLE_KINDS:
            return None
        return self.expr(root, self.temp(type_of(root)))

    def read_path(
        self, root: ast.Expr, root_reg: int | None, index_regs: list[int], target: ast.Index
    ) -> int:
        """Read the element `root[i]...` (for compound assignment) into a fresh temp."""
        nodes: list[ast.Index] = []
        node: ast.Expr = target
        while isinstance(node, ast.Index):
            nodes.append(node)
            node = node.target
        nodes.reverse()
        cur = self.expr(root) if root_reg is None else root_reg
        for node, reg in zip(nodes, index_regs, strict=True):
            t = self.temp(type_of(node))
            self.emit(self.index_op(type_of(node.target)), t, cur, reg, span=node.span)
            cur = t
        return cur

    def store_path(
        self, root: ast.Expr, root_reg: int | None, index_regs: list[int], value: int, target: ast.Index
    ) -> None:
        """Store `value` at root[i0]...[in]: own each container along the path, then set."""
        nodes: list[ast.Index] = []
        node: ast.Expr = target
        while isinstance(node, ast.Index):
            nodes.append(node)
            node = node.target
        nodes.reverse()
        if root_reg is None:
            cur = self.own_root(root)
        else:
            cur = root_reg
            self.emit(Op.OWNX if type_of(root) == UNKNOWN else Op.OWN, cur, span=root.span)
        for node, reg in zip(nodes[:-1], index_regs[:-1], strict=True):
            t = self.temp(type_of(node))
            self.emit(Op.OWNIDX, t, cur, reg, span=node.span)
            cur = t
        self.emit(Op.SETIDX, cur, index_regs[-1], value, span=target.span)

    def own_root(self, root: ast.Expr, write_back: bool = True) -> int:
        """A register holding the container `root` names, made unique, such that mutating
        it in place updates that variable (for non-variables, or without `write_back`: a
        private copy)."""
        ty = type_of(root)
        own = Op.OWNX if ty == UNKNOWN else Op.OWN
        if write_back and isinstance(root, ast.Ident) and root.symbol.kind in VARIABLE_KINDS:
            sym = root.symbol
            if sym.is_global:
                t = self.temp(ty)
                self.emit(Op.OWNG, t, self.image.slot(sym)[1], span=root.span)
                return t
            self.emit(own, self.regs[sym], span=root.span)
            return self.regs[sym]
        r = self.expr(root, self.temp(ty))
        self.emit(own, r, span=root.span)
        return r

    def s_if(self, s: ast.If) -> None:
        else_label = Label()
        self.cond_false(s.cond, else_label)
        self.block(s.then.stmts)
        if s.else_ is None:
            self.place(else_label)
            return
        end = Label()
        self.emit_jump(Op.JMP, end)
        self.place(else_label)
        self.block(s.else_.stmts)
        self.place(end)

    def begin_loop(self, continue_label: Label, break_label: Label, is_while: bool) -> Loop:
        loop = Loop(len(self.loop_headers), continue_label, break_label, is_while)
        self.loop_headers.append(-1)
        self.loops.append(loop)
        return loop

    def back_edge(self, loop: Loop, head: Label, span: Span | None) -> None:
        self.loop_headers[loop.loop_id] = head.pc
        self.emit(Op.LOOP, head.pc, loop.loop_id, span=span)

    def s_while(self, s: ast.While) -> None:
        head, end = Label(), Label()
        self.place(head)
        loop = self.begin_loop(head, end, is_while=True)
        self.cond_false(s.cond, end)
        self.block(s.body.stmts)
        self.back_edge(loop, head, s.span)
        self.loops.pop()
        self.place(end)

    def s_for(self, s: ast.For) -> None:
        if s.init is not None:
            self.stmt(s.init)
        head, cont, end = Label(), Label(), Label()
        self.place(head)
        loop = self.begin_loop(cont, end, is_while=False)
        if s.cond is not None:
            self.cond_false(s.cond, end)
        self.block(s.body.stmts)
        self.place(cont)
        if s.step is not None:
            self.stmt(s.step)
        self.back_edge(loop, head, s.span)
        self.loops.pop()
        self.place(end)

    def s_for_in(self, s: ast.ForIn) -> None:
        ty = type_of(s.iterable)
        items = self.expr(s.iterable, self.temp(ty if ty != UNKNOWN else ArrayType(UNKNOWN)))
        self.dirty.add(items)
        if not isinstance(ty, ArrayType):
            self.emit(Op.ITERCHECK, items, span=s.iterable.span)
        index = self.temp(NUMBER)
        count = self.temp(NUMBER)
        self.emit(Op.MOVE, index, self.const(0.0))
        self.emit(Op.LEN, count, items, span=s.iterable.span)
        head, cont, end = Label(), Label(), Label()
        self.place(head)
        loop = self.begin_loop(cont, end, is_while=False)
        self.emit_jump(Op.IFLT, end, index, count)
        self.emit(Op.ITERGET, self.regs[s.symbol], items, index)
        self.block(s.body.stmts)
        self.place(cont)
        self.emit(Op.ADD, index, index, self.const(1.0), span=s.span)
        self.back_edge(loop, head, s.span)
        self.loops.pop()
        self.place(end)

    def s_return(self, s: ast.Return) -> None:
        if s.value is None:
            self.emit(Op.RETNULL, span=s.span)
        else:
            self.emit(Op.RETURN, self.expr(s.value), span=s.span)

    def s_break(self, s: ast.Break) -> None:
        self.emit_jump(Op.JMP, self.loops[-1].break_label, span=s.span)

    def s_continue(self, s: ast.Continue) -> None:
        loop = self.loops[-1]
        if loop.is_while:
            # `continue` in a while loop is a back-edge too: count it like one.
            self.emit(Op.LOOP, loop.continue_label.pc, loop.loop_id, span=s.span)
        else:
            self.emit_jump(Op.JMP, loop.continue_label, span=s.span)

    def bind_import(self, s: ast.Import) -> None:
        """Copy each imported value into this module's slot (its dependencies have run)."""
        for name in s.names:
            sym = name.symbol
            if sym is None or sym.target is None:
                continue
            r = self.get_global(sym.target, None, name.span)
            self.set_global(sym, r, name.span)

    def s_nothing(self, s: ast.Stmt) -> None:
        """Imports (bound before the module's code), type aliases, traits, impls
        (methods are compiled as globals), externs."""

    # ------------------------------------------------------------- conditions

    def cond_false(self, e: ast.Expr, false_label: Label) -> None:
        """Fall through when `e` is true; jump to `false_label` when it is false."""
        if isinstance(e, ast.Binary):
            op = e.op
            if op == "&&":
                self.cond_false(e.left, false_label)
                self.cond_false(e.right, false_label)
                return
            if op == "||":
                true_label = Label()
                self.cond_true(e.left, true_label)
                self.cond_false(e.right, false_label)
                self.place(true_label)
                return
            lt, rt = type_of(e.left), type_of(e.right)
            if op in ("<", "<=", ">", ">=") and lt == NUMBER and rt == NUMBER:
                mark = self.top
                a = self.expr(e.left)
                b = self.expr(e.right)
                if op in (">", ">="):
                    a, b = b, a
                jop = Op.IFLT if op in ("<", ">") else Op.IFLE
                self.emit_jump(jop, false_label, a, b, span=e.span)
                self.top = mark
                return
            if op in ("==", "!=") and lt == rt and lt in PRIMITIVES:
                mark = self.top
                a = self.expr(e.left)
                b = self.expr(e.right)
                self.emit_jump(Op.IFEQP if op == "==" else Op.IFNEP, false_label, a, b, span=e.span)
                self.top = mark
                return
        if isinstance(e, ast.Unary) and e.op == "!":
            true_label = Label()
            self.cond_true(e.operand, false_label)
            self.place(true_label)
            return
        mark = self.top
        r = self.expr(e)
        self.emit_jump(Op.JMPF, false_label, r, span=e.span)
        self.top = mark

    def cond_true(self, e: ast.Expr, true_label: Label) -> None:
        """Fall through when `e` is false; jump to `true_label` when it is true."""
        if isinstance(e, ast.Binary) and e.op in ("&&", "||"):
            if e.op == "||":
                self.cond_true(e.left, true_label)
                self.cond_true(e.right, true_label)
            else:
                false_label = Label()
                self.cond_false(e.left, false_label)
                self.cond_true(e.right, true_label)
                self.place(false_label)
            return
        if isinstance(e, ast.Unary) and e.op == "!":
            self.cond_false(e.operand, true_label)
            return
        mark = self.top
        r = self.expr(e)
        self.emit_jump(Op.JMPT, true_label, r, span=e.span)
        self.top = mark

    # ------------------------------------------------------------ expressions

    def expr(self, e: ast.Expr, want: int | None = None) -> int:
        return EXPR_HANDLERS[type(e)](self, e, want)

    def e_literal(self, e: Any, want: int | None) -> int:
        value = None if isinstance(e, ast.NullLit) else e.value
        return self.move(want, self.const(value), e.span)

    def e_ident(self, e: ast.Ident, want: int | None) -> int:
        sym: Symbol = e.symbol
        kind = sym.kind
        if sym in self.regs:
            return self.move(want, self.regs[sym], e.span)
        if kind is SymbolKind.NESTED_FN:
            d = self.dest(want, sym.ty)
            self.emit(Op.GETCELL, d, self.cells[sym], span=e.span)
            return d
        if kind is SymbolKind.BUILTIN:
            value = NONE if sym.name == "None" else BUILTINS[sym.name]
            return self.move(want, self.const(value))
        if sym.constant is not None:
            return self.move(want, self.const(float(sym.constant)))
        return self.get_global(sym, want, e.span)

    def e_array(self, e: ast.ArrayLit, want: int | None) -> int:
        elements = e.elements
        literal_types = (ast.NumberLit, ast.StringLit, ast.BoolLit)
        if elements and all(isinstance(x, literal_types) for x in elements):
            d = self.dest(want, type_of(e))
            self.emit(Op.NEWARRAYK, d, self.const(tuple(x.value for x in elements)), span=e.span)
            return d
        if len(elements) <= ARRAY_CHUNK:
            d = self.dest(want, type_of(e))
            mark = self.top
            base = self.args_block(elements)
            self.emit(Op.NEWARRAY, d, base, len(elements), span=e.span)
            self.release(mark)
            return d
        result = self.temp(type_of(e))
        for start in range(0, len(elements), ARRAY_CHUNK):
            mark = self.top
            chunk = elements[start : start + ARRAY_CHUNK]
            base = self.temps(len(chunk))
            for i, x in enumerate(chunk):
                self.expr(x, base + i)
            op = Op.NEWARRAY if start == 0 else Op.EXTEND
            self.emit(op, result, base, len(chunk), span=e.span)
            self.release(mark)
        return self.move(want, result)

    def e_unary(self, e: ast.Unary, want: int | None) -> int:
        mark = self.top
        r = self.expr(e.operand)
        self.top = mark
        d = self.dest(want, type_of(e))
        if e.op == "!":
            self.emit(Op.NOT, d, r, span=e.span)
        elif type_of(e.operand) == NUMBER:
            self.emit(Op.NEG, d, r, span=e.span)
        else:
            self.emit(Op.NEGX, d, r, span=e.span)
        return d

    def e_binary(self, e: ast.Binary, want: int | None) -> int:
        op = e.op
        if op in ("&&", "||"):
            t = self.temp(BOOL)
            end = Label()
            self.expr(e.left, t)
            self.emit_jump(Op.JMPF if op == "&&" else Op.JMPT, end, t, span=e.left.span)
            self.expr(e.right, t)
            self.place(end)
            return self.move(want, t)
        d = self.dest(want, type_of(e))
        mark = self.top
        a = self.expr(e.left)
        b = self.expr(e.right)
        self.top = mark
        lt, rt = type_of(e.left), type_of(e.right)
        numeric = lt == NUMBER and rt == NUMBER
        if op in ARITH_OPS:
            if op == "+" and lt == STRING and rt == STRING:
                self.emit(Op.CONCAT, d, a, b, span=e.span)
            else:
                self.arith(d, a, b, ARITH_OPS.index(op), numeric, e.span)
        elif op in CMP_OPS:
            if numeric:
                if op in (">", ">="):
                    a, b = b, a
                self.emit(Op.LT if op in ("<", ">") else Op.LE, d, a, b, span=e.span)
            else:
                self.emit(Op.CMPX, d, a, b, CMP_OPS.index(op), span=e.span)
        elif lt == rt and lt in PRIMITIVES:
            self.emit(Op.EQP if op == "==" else Op.NEP, d, a, b, span=e.span)
        else:
            self.emit(Op.EQ if op == "==" else Op.NE, d, a, b, span=e.span)
        return d

    def args_block(self, args: list[ast.Expr], reserve: int = 0) -> int:
        """Evaluate `args` into consecutive fresh temporaries after `reserve` empty ones."""
        base = self.temps(reserve + len(args))
        for i, arg in enumerate(args):
            r = base + reserve + i
            self.expr(arg, r)
            if holds_reference(type_of(arg)):
                self.dirty.add(r)
        return base

    def e_call(self, e: ast.Call, want: int | None) -> int:
        callee = e.callee
        sym = callee.symbol if isinstance(callee, ast.Ident) else None
        if sym is not None and sym.kind is SymbolKind.BUILTIN and sym.name != "None":
            return self.builtin_call(BUILTINS[sym.name], e.args, want, e.span, type_of(e))
        if sym is not None and sym.kind in (SymbolKind.GLOBAL_FN, SymbolKind.IMPL_METHOD):
            d = self.dest(want, type_of(e))
            mark = self.top
            base = self.args_block(e.args)
            self.emit(Op.CALLG, d, self.image.slot(sym)[1], base, len(e.args), span=e.span)
            self.release(mark)
            return d
        d = self.dest(want, type_of(e))
        mark = self.top
        fn = self.expr(callee, self.temp(UNKNOWN))
        base = self.args_block(e.args)
        self.emit(Op.CALL, d, fn, base, len(e.args), span=e.span)
        self.release(mark)
        return d

    def builtin_call(
        self, b: Builtin, args: list[ast.Expr], want: int | None, span: Span, ret: Type = UNKNOWN
    ) -> int:
        if b.name == "len" and len(args) == 1:
            arg_ty = type_of(args[0])
            if isinstance(arg_ty, ArrayType) or arg_ty == STRING:
                mark = self.top
                r = self.expr(args[0])
                self.top = mark
                d = self.dest(want, NUMBER)
                self.emit(Op.LEN, d, r, span=span)
                return d
        return self.callable_call(b, b.writeback is not None, args, None, want, span, ret)

    def callable_call(
        self,
        fn: Any,
        owns_first: bool,
        args: list[ast.Expr],
        receiver: ast.Expr | None,
        want: int | None,
        span: Span,
        ret_ty: Type = UNKNOWN,
        write_back: bool = True,
    ) -> int:
        """CALLB of a builtin or array method. With `owns_first`, the first argument (the
        receiver if given) is made unique first and, with `write_back`, written back when
        it is a variable (otherwise the callee gets a private copy)."""
        d = self.dest(want, ret_ty)
        mark = self.top
        all_args = ([receiver] if receiver is not None else []) + list(args)
        if not fn.accepts(len(all_args)):
            # CALLB trusts the count; a generic CALL raises the builtin's arity error
            # when (and only if) the call is reached.
            base = self.args_block(all_args)
            self.emit(Op.CALL, d, self.const(fn), base, len(all_args), span=span)
            self.release(mark)
            return d
        if owns_first and all_args:
            base = self.args_block(all_args[1:], reserve=1)
            root = self.own_root(all_args[0], write_back)
            self.emit(Op.MOVE, base, root)
            self.dirty.add(base)
        else:
            base = self.args_block(all_args)
        self.emit(Op.CALLB, d, self.image.callable_index(fn), base, len(all_args), span=span)
        self.release(mark)
        return d

    def e_index(self, e: ast.Index, want: int | None) -> int:
        mark = self.top
        t = self.expr(e.target)
        i = self.expr(e.index)
        self.top = mark
        d = self.dest(want, type_of(e))
        self.emit(self.index_op(type_of(e.target)), d, t, i, span=e.span)
        return d

    def e_method(self, e: ast.MethodCall, want: int | None) -> int:
        kind, target = e.resolved if e.resolved else ("dynamic", None)
        if kind == "impl":
            d = self.dest(want, type_of(e))
            mark = self.top
            base = self.args_block([e.target, *e.args])
            self.emit(Op.CALLG, d, self.image.slot(target)[1], base, len(e.args) + 1, span=e.span)
            self.release(mark)
            return d
        if kind == "builtin":
            method = WRITEBACK_METHODS.get(target)
            if method is not None:
                impl = method_as_builtin(method)
                return self.callable_call(impl, True, e.args, e.target, want, e.span, type_of(e))
            b = BUILTINS[target]
            if b.writeback is not None:
                # e.g. `v.flatten()`: an in-place builtin, but methods other than the five
                # of WRITEBACK_METHODS never write back (reference 4.10 rule 1).
                return self.callable_call(b, True, e.args, e.target, want, e.span, type_of(e), False)
            return self.builtin_call(b, [e.target, *e.args], want, e.span, type_of(e))
        d = self.dest(want, type_of(e))
        mark = self.top
        base = self.args_block(e.args, reserve=1)
        root = self.own_root(e.target)
        self.emit(Op.MOVE, base, root)
        self.dirty.add(base)
        self.emit(Op.CALLM, d, self.const(e.name), base, len(e.args) + 1, span=e.span)
        self.release(mark)
        return d

    def e_try(self, e: ast.Try, want: int | None) -> int:
        mark = self.top
        r = self.expr(e.operand)
        err, done = Label(), Label()
        self.emit_jump(Op.IFERR, err, r, span=e.span)
        self.top = mark
        d = self.dest(want, type_of(e))
        self.emit(Op.PAYLOAD, d, r, span=e.span)
        self.emit_jump(Op.JMP, done)
        self.place(err)
        self.emit(Op.RETURN, r, span=e.span)
        self.place(done)
        return d

    def e_match(self, e: ast.Match, want: int | None) -> int:
        result = self.temp(type_of(e))
        scrutinee = self.expr(e.scrutinee, self.temp(type_of(e.scrutinee)))
        end = Label()
        for arm in e.arms:
            next_arm = Label()
            mark = self.top
            self.pattern(arm.pattern, scrutinee, type_of(e.scrutinee), next_arm)
            if arm.guard is not None:
                self.cond_false(arm.guard, next_arm)
            self.expr(arm.body, result)
            self.release(mark)
            self.emit_jump(Op.JMP, end)
            self.place(next_arm)
        self.emit(Op.NOMATCH, span=e.span)
        self.place(end)
        return self.move(want, result)

    def pattern(self, p: ast.Pattern, s: int, s_ty: Type, fail: Label) -> None:
        """Test the value in register `s` against `p`, binding on success, else jump."""
        if isinstance(p, ast.WildcardPattern):
            return
        if isinstance(p, ast.BindingPattern):
            self.emit(Op.MOVE, self.regs[p.symbol], s)
            return
        if isinstance(p, ast.LiteralPattern):
            k = self.const(p.value)
            t = self.temp(BOOL)
            self.emit(Op.EQ, t, s, k, span=p.span)
            self.emit_jump(Op.JMPF, fail, t)
            return
        if isinstance(p, ast.ConstructorPattern):
            t = self.temp(BOOL)
            self.emit(Op.TESTTAG, t, s, TAGS[p.name], span=p.span)
            self.emit_jump(Op.JMPF, fail, t)
            if p.args:
                inner = self.temp(UNKNOWN)
                self.dirty.add(inner)
                self.emit(Op.PAYLOAD, inner, s, span=p.span)
                self.pattern(p.args[0], inner, UNKNOWN, fail)
            return
        if isinstance(p, ast.ArrayPattern):
            t = self.temp(BOOL)
            self.emit(Op.TESTLEN, t, s, len(p.elements), span=p.span)
            self.emit_jump(Op.JMPF, fail, t)
            for i, sub in enumerate(p.elements):
                element = self.temp(UNKNOWN)
                self.dirty.add(element)
                self.emit(Op.GETK, element, s, i)
                self.pattern(sub, element, UNKNOWN, fail)
            return
        if isinstance(p, ast.OrPattern):
            matched = Label()
            for alt in p.alternatives[:-1]:
                next_alt = Label()
                self.pattern(alt, s, s_ty, next_alt)
                self.emit_jump(Op.JMP, matched)
                self.place(next_alt)
            self.pattern(p.alternatives[-1], s, s_ty, fail)
            self.place(matched)
            return
        raise AssertionError(f"unknown pattern {p!r}")


STMT_HANDLERS: dict[type, Callable[[FunctionCompiler, Any], None]] = {
    ast.Block: FunctionCompiler.s_block,
    ast.VarDecl: FunctionCompiler.s_var,
    ast.FnDecl: FunctionCompiler.s_fn,
    ast.ExprStmt: FunctionCompiler.s_expr,
    ast.Assign: FunctionCompiler.s_assign,
    ast.CompoundAssign: FunctionCompiler.s_compound,
    ast.IncDec: FunctionCompiler.s_incdec,
    ast.If: FunctionCompiler.s_if,
    ast.While: FunctionCompiler.s_while,
    ast.For: FunctionCompiler.s_for,
    ast.ForIn: FunctionCompiler.s_for_in,
    ast.Return: FunctionCompiler.s_return,
    ast.Break: FunctionCompiler.s_break,
    ast.Continue: FunctionCompiler.s_continue,
    ast.Import: FunctionCompiler.s_nothing,
    ast.TypeAlias: FunctionCompiler.s_nothing,
    ast.TraitDecl: FunctionCompiler.s_nothing,
    ast.ImplBlock: FunctionCompiler.s_nothing,
    ast.ExternDecl: FunctionCompiler.s_nothing,
}

EXPR_HANDLERS: dict[type, Callable[[FunctionCompiler, Any, int | None], int]] = {
    ast.NumberLit: FunctionCompiler.e_literal,
    ast.StringLit: FunctionCompiler.e_literal,
    ast.BoolLit: FunctionCompiler.e_literal,
    ast.NullLit: FunctionCompiler.e_literal,
    ast.Ident: FunctionCompiler.e_ident,
    ast.ArrayLit: FunctionCompiler.e_array,
    ast.Unary: FunctionCompiler.e_unary,
    ast.Binary: FunctionCompiler.e_binary,
    ast.Call: FunctionCompiler.e_call,
    ast.Index: FunctionCompiler.e_index,
    ast.MethodCall: FunctionCompiler.e_method,
    ast.Try: FunctionCompiler.e_try,
    ast.Match: FunctionCompiler.e_match,
}


class ModuleCompiler:
    """Compiles one checked module into an Image: its functions and its top-level code."""

    def __init__(self, image: Image, source: SourceFile) -> None:
        self.image = image
        self.source = source

    def compile_function(self, decl: ast.FnDecl, parent: FunctionCompiler | None) -> int:
        """Compile a function declaration; returns its proto index in the image."""
        info: FunctionInfo = decl.scope
        params = [p.symbol for p in decl.params]
        fc = FunctionCompiler(self, info, decl.name, decl.name_span, params, info.ret)
        if decl.symbol is not None and decl.symbol.is_global:
            fc.proto.symbol = decl.symbol
            fc.proto.name = decl.symbol.name
        fc.block(decl.body.stmts)
        fc.emit(Op.RETNULL, span=decl.body.span)
        proto = fc.finish()
        if parent is not None:
            proto.capture_from = [parent.capture_source(sym) for sym in info.captures]
        return len(self.image.protos) - 1

    def compile_main(self, program: ast.Program, info: FunctionInfo) -> FunctionProto:
        fc = FunctionCompiler(self, info, "<main>", Span(0, 0), [], UNKNOWN)
        items = program.items
        # Imported names exist before any code, like hoisted functions (reference 8.3).
        for item in items:
            if isinstance(item, ast.Import):
                fc.bind_import(item)
        last = items[-1] if items else None
        for item in items:
            if item is last and isinstance(item, ast.ExprStmt):
                mark = fc.top
                r = fc.expr(item.expr)
                fc.emit(Op.RETURN, r, span=item.span)
                fc.release(mark)
            else:
                fc.stmt(item)
        fc.emit(Op.RETNULL)
        return fc.finish()


def compile_module(program: ast.Program, check: Any, image: Image) -> FunctionProto:
    """Compile a checked module into `image`; returns the proto of its top-level code.

    Top-level functions and impl methods are bound into their global slots here, before
    anything runs (reference 4.7: full hoisting)."""
    unit = ModuleCompiler(image, program.source)
    functions = [s for s in check.globals if s.kind in (SymbolKind.GLOBAL_FN, SymbolKind.IMPL_METHOD)]
    for sym in functions:
        image.slot(sym)
    for item in program.items:
        decls = item.methods if isinstance(item, ast.ImplBlock) else [item]
        for decl in decls:
            if isinstance(decl, ast.FnDecl) and decl.symbol is not None and decl.symbol.is_global:
                index = unit.compile_function(decl, None)
                image.bind_function(image.slot(decl.symbol)[1], Function(image.protos[index]))
    return unit.compile_main(program, check.main)
