"""Ownership annotations (reference 3.15): they change no value; a few checks remain."""

from __future__ import annotations

from ..syntax import ast
from .report import Reporter
from .symbols import Symbol
from .typeops import is_copy, is_dynamic
from .types import BOOL, NUMBER, STRING, Type

PRIMITIVES = (NUMBER, STRING, BOOL)


def check_params(decl: ast.FnDecl, types: tuple[Type, ...], report: Reporter) -> None:
    """AT2010: `own` on a primitive parameter has no effect."""
    for param, t in zip(decl.params, types, strict=True):
        if param.ownership == "own" and t in PRIMITIVES:
            report.warning(
                "AT2010",
                f"`own` annotation on parameter `{param.name}` has no effect: "
                "primitive types are always copied",
                param.span,
            )


def check_arguments(
    params: list[ast.Param],
    param_types: tuple[Type, ...],
    args: list[ast.Expr],
    arg_types: list[Type],
    borrowed: frozenset[Symbol],
    report: Reporter,
) -> None:
    """AT3028, AT2012 and AT2013 for one call of a user function."""
    for param, p_type, arg, a_type in zip(params, param_types, args, arg_types, strict=True):
        if param.ownership == "shared":
            if not is_dynamic(a_type):
                report.error(
                    "AT3028",
                    f"expected `shared<{p_type}>` value for `shared` parameter, found `{a_type}`",
                    arg.span,
                )
        elif param.ownership == "own":
            if isinstance(arg, ast.Ident) and arg.symbol in borrowed:
                report.warning(
                    "AT2012",
                    f"passing borrowed parameter `{arg.name}` to `own` parameter — "
                    "ownership cannot transfer",
                    arg.span,
                )
        elif param.ownership is None and not is_dynamic(a_type) and not is_copy(a_type):
            report.warning(
                "AT2013",
                f"Type '{a_type}' is not Copy — consider annotating with 'own' or 'borrow' "
                "to clarify ownership intent",
                arg.span,
            )
