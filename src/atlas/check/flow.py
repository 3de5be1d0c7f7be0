"""Syntactic control-flow facts (reference 3.8, 3.17) and loop pre-scans for narrowing."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..syntax import ast
from .symbols import Symbol, SymbolKind


def block_returns(block: ast.Block) -> bool:
    """A block returns if one of its statements is a `return`, or an `if`/`else` whose
    branches both return. Loops, bare blocks and `match` never count (3.8)."""
    for stmt in block.stmts:
        if isinstance(stmt, ast.Return):
            return True
        if isinstance(stmt, ast.If) and stmt.else_ is not None:
            if block_returns(stmt.then) and block_returns(stmt.else_):
                return True
    return False


_SKIPPED = frozenset({"span", "ty", "symbol", "resolved", "scope", "captures", "fn_type"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: object) -> Iterator[object]:
    names = _CHILD_FIELDS.get(type(node))
    if names is None:
        fields = dataclasses.fields(node)  # type: ignore[arg-type]
        names = tuple(f.name for f in fields if f.name not in _SKIPPED)
        _CHILD_FIELDS[type(node)] = names
    for name in names:
        value = getattr(node, name)
        if isinstance(value, list):
            yield from value
        elif value is not None and not isinstance(value, str | int | float | bool):
            yield value


LoopEffects = tuple[frozenset[Symbol], bool]
_LOOPS = (ast.While, ast.For, ast.ForIn)


def loop_effects(node: object, memo: dict[int, LoopEffects] | None = None) -> LoopEffects:
    """Variables a loop may assign, and whether it calls anything but builtins; nested
    function bodies are skipped (they assign only their own copies).

    `memo` (keyed by node id) keeps the effects of every loop seen, so that checking a
    nest of loops reads each node once, not once per enclosing loop."""
    memo = {} if memo is None else memo
    found = memo.get(id(node))
    if found is not None:
        return found
    assigned: set[Symbol] = set()
    calls = False
    stack = [node]
    while stack:
        n = stack.pop()
        if n is not node and isinstance(n, _LOOPS):
            inner, inner_calls = loop_effects(n, memo)
            assigned |= inner
            calls = calls or inner_calls
            continue
        if isinstance(n, ast.Assign | ast.CompoundAssign | ast.IncDec):
            if isinstance(n.target, ast.Ident) and n.target.symbol is not None:
                assigned.add(n.target.symbol)
        elif isinstance(n, ast.MethodCall):
            calls = True
        elif isinstance(n, ast.Call):
            callee = n.callee
            if not (isinstance(callee, ast.Ident) and callee.symbol is not None
                    and callee.symbol.kind is SymbolKind.BUILTIN):  # fmt: skip
                calls = True
        if isinstance(n, ast.FnDecl) and n is not node:
            continue
        if isinstance(n, ast.Stmt | ast.Expr | ast.MatchArm):
            stack.extend(_children(n))
    effects = (frozenset(assigned), calls)
    memo[id(node)] = effects
    return effects
