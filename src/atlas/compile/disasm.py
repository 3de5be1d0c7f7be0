"""The disassembler: every function's bytecode, rendered from the opcode table."""

from __future__ import annotations

from ..vm.values import display
from .opcodes import INFO
from .proto import FunctionProto, Image


def register_name(proto: FunctionProto, r: int) -> str:
    if r >= proto.const_base and r < proto.nregs:
        value = proto.tail[r - proto.nparams - proto.ncaptures]
        text = repr(value) if isinstance(value, str) else display(value) if value is not None else "null"
        if isinstance(value, tuple):
            text = f"[{len(value)} constants]"
        return f"K({text})"
    name = proto.reg_names[r] if r < len(proto.reg_names) else None
    return f"r{r}({name})" if name else f"r{r}"


# Opcodes whose G operand is a slot of the number/bool global array (the others name
# generic value slots).
NUMBER_GLOBAL_OPS = frozenset({"GETNG", "SETNG", "GETBG", "SETBG"})


def global_name(image: Image, op_name: str, slot: int) -> str:
    """`g3(name)` for a generic global slot, `ng3(name)` for a number/bool one."""
    numeric = op_name in NUMBER_GLOBAL_OPS
    names = image.globals.number_names if numeric else image.globals.value_names
    prefix = "ng" if numeric else "g"
    return f"{prefix}{slot}({names[slot]})" if slot < len(names) else f"{prefix}{slot}"


def format_operand(
    proto: FunctionProto, image: Image | None, kind: str, value: int, op_name: str = ""
) -> str:
    if kind in "RW":
        return register_name(proto, value)
    if kind == "J":
        return f"->{value}"
    if kind == "G":
        return global_name(image, op_name, value) if image is not None else f"g{value}"
    if kind == "B" and image is not None and value < len(image.callables):
        return f"<{image.callables[value].name}>"
    if kind == "P" and image is not None and value < len(image.protos):
        return f"<fn {image.protos[value].name}>"
    return str(value)


def disassemble(proto: FunctionProto, image: Image | None = None) -> str:
    """One function: a header line, then `pc  line  OPCODE  operands`."""
    params = ", ".join(
        f"{proto.reg_names[i]}: {proto.param_types[i]}" for i in range(proto.nparams)
    )
    lines = [
        f"fn {proto.name}({params}) -> {proto.ret_type}  "
        f"[{proto.nregs} registers, {len(proto.code)} instructions, line {proto.line}]"
    ]
    headers = set(proto.loop_headers)
    for pc, instr in enumerate(proto.code):
        info = INFO[instr[0]]
        span = proto.spans[pc]
        line = proto.source.position(span.start)[0] if span is not None else ""
        operands = [
            format_operand(proto, image, kind, instr[i + 1], info.name)
            for i, kind in enumerate(info.operands)
            if kind != "-"
        ]
        mark = "loop>" if pc in headers else ""
        lines.append(f"{mark:>5} {pc:4d} {line!s:>4}  {info.name:<9} {', '.join(operands)}")
    return "\n".join(lines)


def disassemble_image(image: Image, only: str | None = None) -> str:
    protos = [p for p in image.protos if only is None or p.name == only]
    return "\n\n".join(disassemble(p, image) for p in protos)
