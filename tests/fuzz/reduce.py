"""Shrinking a program that shows a mismatch, by whole lines and blocks.

Generated programs have one statement per line and put every `{` at the end of a line
and every `}` at the start of one, so a statement, a block (with its `else` part) or a
whole function is a range of lines. The reducer deletes ranges, and replaces a block
by its body, for as long as the program still shows the same kind of mismatch; a
deletion that breaks the program (a syntax or type error) fails both tiers alike, so
it is simply not kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator


def block_end(lines: list[str], start: int) -> int:
    """Index of the line closing the block opened at the end of `lines[start]`."""
    depth = 0
    for i in range(start, len(lines)):
        depth += lines[i].count("{") - lines[i].count("}")
        if depth <= 0:
            return i
    return len(lines) - 1


def units(lines: list[str]) -> Iterator[tuple[int, int]]:
    """(first, last) line ranges that can be deleted as a whole, larger ones first."""
    ranges = []
    for i, line in enumerate(lines):
        text = line.strip()
        if text.startswith("}"):
            continue
        ranges.append((i, block_end(lines, i) if text.endswith("{") else i))
    yield from sorted(ranges, key=lambda r: r[0] - r[1])


def unwrappings(lines: list[str]) -> Iterator[list[str]]:
    """The program with one block replaced by one of its bodies."""
    for i, line in enumerate(lines):
        if not line.rstrip().endswith("{") or line.strip().startswith("}"):
            continue
        end = block_end(lines, i)
        parts: list[list[str]] = []
        current: list[str] = []
        depth = 1
        for j in range(i + 1, end):
            if depth == 1 and lines[j].strip() == "} else {":
                parts.append(current)
                current = []
                continue
            depth += lines[j].count("{") - lines[j].count("}")
            current.append(lines[j])
        parts.append(current)
        for body in parts:
            yield lines[:i] + body + lines[end + 1 :]


def reduce_lines(source: str, interesting: Callable[[str], bool], budget: int = 400) -> str:
    """A smaller program for which `interesting` still holds (`budget` test runs at most)."""
    lines = source.splitlines()
    tries = 0
    changed = True
    while changed and tries < budget:
        changed = False
        for first, last in list(units(lines)):
            if last >= len(lines):
                continue
            candidate = lines[:first] + lines[last + 1 :]
            tries += 1
            if interesting("\n".join(candidate) + "\n"):
                lines, changed = candidate, True
                break
            if tries >= budget:
                break
        if changed:
            continue
        for candidate in unwrappings(lines):
            tries += 1
            if interesting("\n".join(candidate) + "\n"):
                lines, changed = candidate, True
                break
            if tries >= budget:
                break
    return "\n".join(lines) + "\n"
