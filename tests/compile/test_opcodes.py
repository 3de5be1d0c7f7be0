"""The opcode table, and that the interpreter and the disassembler cover all of it."""

from __future__ import annotations

import inspect
import re

import pytest

from atlas.check.types import NUMBER, UNKNOWN
from atlas.compile.disasm import disassemble, disassemble_image
from atlas.compile.opcodes import (
    INFO,
    JUMP_OPS,
    OPAQUE_READS,
    REGISTER_RUNS,
    TABLE,
    Op,
    jump_targets,
    read_registers,
    register_operands,
)
from atlas.compile.proto import FunctionProto, Image
from atlas.source import SourceFile, Span
from atlas.stdlib import BUILTINS
from atlas.vm import interpreter

NAMES = [info.name for info in TABLE]
LINE = re.compile(r"^\s*(?:loop>)?\s*(\d+)\s+(\d*)\s+([A-Z]+)\s*(.*)$")


def test_table_is_well_formed() -> None:
    assert len(set(NAMES)) == len(NAMES)
    for info in TABLE:
        assert re.fullmatch(r"[RWJGBPN-]{4}", info.operands), info
        assert info.doc.strip(), info
        assert info.name.isupper(), info


def test_enum_follows_the_table() -> None:
    assert [op.name for op in Op] == NAMES
    for i, info in enumerate(TABLE):
        assert Op[info.name] == i
        assert INFO[i] is info


def test_operand_helpers() -> None:
    assert {INFO[op].name for op in JUMP_OPS} == {i.name for i in TABLE if "J" in i.operands}
    assert register_operands(Op.ADD) == [0, 1, 2]
    assert register_operands(Op.JMP) == []
    assert register_operands(Op.CALLG) == [0, 2]
    assert jump_targets((Op.IFLT, 1, 2, 9, 0)) == [9]
    assert jump_targets((Op.JMP, 4, 0, 0, 0)) == [4]
    assert jump_targets((Op.ADD, 1, 2, 3, 0)) == []


def test_register_runs_follow_the_docs() -> None:
    # An instruction reads a run of registers exactly when its doc names one
    # ("R[C] .. R[C+D-1]", or a receiver R[C] and "R[C+1] .. R[C+D-1]").
    letters = "ABCD"
    for op in Op:
        found = re.search(r"R\[([A-D])(?:\+1)?\] \.\. R\[\1\+([A-D])-1\]", INFO[op].doc)
        if found is None:
            assert op not in REGISTER_RUNS, INFO[op].name
        else:
            first, count = (letters.index(x) for x in found.groups())
            assert REGISTER_RUNS[op] == (first, count), INFO[op].name
    assert {INFO[op].name for op in OPAQUE_READS} == {"CLOSURE"}


def test_read_registers() -> None:
    assert read_registers((Op.ADD, 1, 2, 3, 0)) == [2, 3]
    assert sorted(set(read_registers((Op.CALLG, 1, 7, 4, 3)))) == [4, 5, 6]
    assert sorted(set(read_registers((Op.CALL, 1, 2, 4, 2)))) == [2, 4, 5]
    assert sorted(set(read_registers((Op.NEWARRAY, 1, 5, 3, 0)))) == [5, 6, 7]
    assert read_registers((Op.SETIDX, 1, 2, 3, 0)) == [1, 2, 3]
    assert read_registers((Op.MOVE, 1, 2, 0, 0)) == [2]
    assert read_registers((Op.CLOSURE, 1, 0, 0, 0)) is None


@pytest.mark.parametrize("name", NAMES)
def test_interpreter_handles_opcode(name: str) -> None:
    source = inspect.getsource(interpreter.make_run)
    assert re.search(rf"\bop == {name}\b", source), f"the dispatch loop has no case for {name}"
    assert re.search(rf"\bOp\.{name}\.value\b", source), f"{name} is not bound from the table"


def test_interpreter_dispatches_only_table_opcodes() -> None:
    source = inspect.getsource(interpreter.make_run)
    handled = set(re.findall(r"\bop == ([A-Z]+)\b", source))
    assert handled == set(NAMES)


# ---------------------------------------------------------------- the disassembler

SRC = SourceFile("t.atl", "fn helper() -> number { return 1; }\nlet n = 1;\n")
CONSTANTS = [2.5, "s", True, None, (1.0, 2.0)]


def synthetic_image() -> tuple[Image, FunctionProto]:
    """A proto with one instruction of every opcode, each operand chosen by its kind."""
    image = Image()
    helper = FunctionProto("helper", SRC, Span(0, 35), 0, (), NUMBER)
    helper.code = [(Op.RETNULL, 0, 0, 0, 0)]
    helper.spans = [Span(24, 33)]
    image.add_proto(helper)
    image.globals.add_value("fvalue")
    image.globals.add_number("nvalue")
    image.callable_index(BUILTINS["print"])

    proto = FunctionProto("everything", SRC, Span(36, 46), 1, (NUMBER,), UNKNOWN)
    nregs_fixed = 3  # r0 parameter `p`, r1 local `loc`, r2 a temporary
    proto.code = [(op, *(operand(INFO[op].operands[i]) for i in range(4))) for op in range(len(TABLE))]
    proto.spans = [Span(36, 46) if i % 2 == 0 else None for i in range(len(TABLE))]
    proto.nregs = nregs_fixed + len(CONSTANTS)
    proto.const_base = nregs_fixed
    proto.tail = [None, None, *CONSTANTS]
    proto.reg_names = ["p", "loc", None] + [None] * len(CONSTANTS)
    proto.reg_types = [NUMBER, NUMBER, None] + [None] * len(CONSTANTS)
    proto.loop_headers = [5]
    image.add_proto(proto)
    return image, proto


OPERAND_VALUES = {"R": 1, "W": 2, "J": 7, "G": 0, "B": 0, "P": 0, "N": 5, "-": 0}


def operand(kind: str) -> int:
    return OPERAND_VALUES[kind]


def expected_operand(op_name: str, kind: str) -> str:
    numeric_global = op_name in ("GETNG", "SETNG", "GETBG", "SETBG")
    return {
        "R": "r1(loc)",
        "W": "r2",
        "J": "->7",
        "G": "ng0(nvalue)" if numeric_global else "g0(fvalue)",
        "B": "<print>",
        "P": "<fn helper>",
        "N": "5",
    }[kind]


def test_disassembler_renders_every_opcode_per_the_table() -> None:
    image, proto = synthetic_image()
    lines = disassemble(proto, image).splitlines()
    assert lines[0].startswith("fn everything(p: number) -> ?")
    assert f"[{proto.nregs} registers, {len(TABLE)} instructions" in lines[0]
    body = lines[1:]
    assert len(body) == len(TABLE)
    for pc, (line, info) in enumerate(zip(body, TABLE, strict=True)):
        m = LINE.match(line)
        assert m, line
        assert int(m.group(1)) == pc
        assert m.group(2) == ("2" if pc % 2 == 0 else "")  # the source line, when known
        assert m.group(3) == info.name
        operands = [s for s in m.group(4).split(", ") if s]
        want = [expected_operand(info.name, k) for k in info.operands if k != "-"]
        assert operands == want, line
    assert body[5].lstrip().startswith("loop>")  # loop headers are marked


def test_disassembler_renders_constants() -> None:
    image, proto = synthetic_image()
    proto.code = [(Op.MOVE, 2, 3 + i, 0, 0) for i in range(len(CONSTANTS))]
    proto.spans = [None] * len(CONSTANTS)
    proto.loop_headers = []
    rendered = [line.split("MOVE")[1].strip() for line in disassemble(proto, image).splitlines()[1:]]
    assert rendered == ["r2, K(2.5)", "r2, K('s')", "r2, K(true)", "r2, K(null)", "r2, K([2 constants])"]


def test_disassemble_image_selects_functions() -> None:
    image, _ = synthetic_image()
    everything = disassemble_image(image)
    assert [line for line in everything.splitlines() if line.startswith("fn ")] == [
        "fn helper() -> number  [0 registers, 1 instructions, line 1]",
        next(line for line in everything.splitlines() if line.startswith("fn everything")),
    ]
    assert disassemble_image(image, "helper").startswith("fn helper()")
    assert disassemble_image(image, "nosuch") == ""


def test_each_dispatch_case_sits_in_the_group_of_its_number() -> None:
    """The loop tests the opcode's number against group bounds first, so a case in the
    wrong group (after the table is reordered, say) would never be reached."""
    source = inspect.getsource(interpreter.make_run)
    bounds = {"GROUP_ARITHMETIC": Op.ADD, "GROUP_CONTROL": Op.JMP, "GROUP_CONTAINERS": Op.NEWARRAY}
    starts = [source.index(f"op < {name}:") for name in bounds]
    starts.append(source.index("else:  # arrays", starts[-1]))
    ends = [*starts[1:], len(source)]
    lows = [0, *bounds.values()]
    highs = [*bounds.values(), len(Op)]
    for start, end, low, high in zip(starts, ends, lows, highs, strict=True):
        for name in re.findall(r"\bop == ([A-Z]+)\b", source[start:end]):
            assert low <= Op[name] < high, f"{name} is in the wrong group"
