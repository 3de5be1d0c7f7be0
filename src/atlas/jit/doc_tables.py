"""The tables of docs/jit.md, generated from the code they describe.

Each table sits in the document between `<!-- BEGIN name -->` and `<!-- END name -->`.
`python -m atlas.jit.doc_tables docs/jit.md` rewrites them; a test fails when the
document and the code disagree, so the docs cannot drift from the defaults, flags,
environment variables and opcode coverage the runtime really has.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from ..compile.opcodes import INFO, Op
from ..config import settings_table
from .analysis import DESCRIPTIONS, MATH_INTRINSICS, NATIVE_CONDITIONS, NATIVE_OPS


def coverage_table() -> str:
    """Every opcode: compiled to native code, or kept in the VM and why."""
    rows = [
        "| opcode | what it does | native when | otherwise (the recorded reason) |",
        "| --- | --- | --- | --- |",
    ]
    for op in Op:
        info = INFO[op]
        doc = info.doc.replace("|", "/")
        if op in NATIVE_OPS:
            rows.append(f"| `{info.name}` | {doc} | {NATIVE_CONDITIONS[op]} | stays in the VM |")
        else:
            reason = DESCRIPTIONS.get(op, info.name.lower())
            rows.append(f"| `{info.name}` | {doc} | never | {reason} |")
    return "\n".join(rows)


def intrinsics_list() -> str:
    """The builtins native code computes itself."""
    names = ", ".join(f"`{name}`" for name in sorted(MATH_INTRINSICS))
    return f"Math builtins compiled inline (numbers only): {names}."


TABLES: dict[str, Callable[[], str]] = {
    "settings": settings_table,
    "coverage": coverage_table,
    "intrinsics": intrinsics_list,
}

_SECTION = re.compile(r"(<!-- BEGIN (\w+) -->\n)(.*?)(<!-- END \2 -->)", re.S)


def update(text: str) -> str:
    """`text` with every generated section rewritten from the code."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in TABLES:
            return match.group(0)
        return f"{match.group(1)}{TABLES[name]()}\n{match.group(4)}"

    return _SECTION.sub(fill, text)


def sections(text: str) -> list[str]:
    return [m.group(2) for m in _SECTION.finditer(text)]


def main(paths: list[str]) -> int:
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(update(text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
