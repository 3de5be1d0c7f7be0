"""Match patterns (reference 3.9): pattern typing, binding types, exhaustiveness."""

from __future__ import annotations

from ..syntax import ast
from .report import Reporter
from .symbols import Symbol
from .typeops import assignable, is_dynamic, members
from .types import (
    BOOL,
    NULL,
    NUMBER,
    STRING,
    UNKNOWN,
    ArrayType,
    OptionType,
    ResultType,
    Type,
    UnionType,
    union,
)

Problem = tuple[str, str, ast.Pattern]  # code, message, where
Bindings = dict[Symbol, Type]

CONSTRUCTOR_ARITY = {"Some": 1, "None": 0, "Ok": 1, "Err": 1}


def literal_type(value: object) -> Type:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    return STRING if isinstance(value, str) else NUMBER


def describe(p: ast.Pattern) -> str:
    """How a pattern is named in `Pattern type mismatch: ..., found X`."""
    if isinstance(p, ast.LiteralPattern):
        return literal_type(p.value).display()
    if isinstance(p, ast.ConstructorPattern):
        return f"constructor {p.name}"
    return "array pattern"


def check_pattern(p: ast.Pattern, t: Type, report: Reporter) -> None:
    """Type `p` against the scrutinee type `t`; set the types of its bindings."""
    bindings: Bindings = {}
    problems: list[Problem] = []
    _check(p, t, bindings, problems)
    for code, message, where in problems:
        report.error(code, message, where.span)
    for sym, ty in bindings.items():
        sym.ty = ty


def _bind_all_unknown(p: ast.Pattern, out: Bindings) -> None:
    _check(p, UNKNOWN, out, [])


def _check(p: ast.Pattern, t: Type, out: Bindings, problems: list[Problem]) -> None:
    if isinstance(p, ast.WildcardPattern):
        return
    if isinstance(p, ast.BindingPattern):
        if p.symbol is not None:  # or-alternatives share one symbol: join their types
            out[p.symbol] = union([out[p.symbol], t]) if p.symbol in out else t
        return
    if isinstance(p, ast.OrPattern):
        for alt in p.alternatives:
            _check(alt, t, out, problems)
        return
    if is_dynamic(t):
        for sub in _subpatterns(p):
            _check(sub, UNKNOWN, out, problems)
        return
    if isinstance(t, UnionType):
        _check_union(p, t, out, problems)
    elif isinstance(p, ast.LiteralPattern):
        found = literal_type(p.value)
        if not assignable(found, t):
            problems.append(("AT3022", f"Pattern type mismatch: expected {t}, found {found}", p))
    elif isinstance(p, ast.ConstructorPattern):
        _check_constructor(p, t, out, problems)
    elif isinstance(p, ast.ArrayPattern):
        if isinstance(t, ArrayType):
            for element in p.elements:
                _check(element, t.element, out, problems)
        else:
            problems.append(("AT3026", f"Array pattern used on non-array type: {t}", p))
            _bind_all_unknown(p, out)


def _subpatterns(p: ast.Pattern) -> list[ast.Pattern]:
    if isinstance(p, ast.ConstructorPattern):
        return p.args
    if isinstance(p, ast.ArrayPattern):
        return p.elements
    return []


def _check_union(p: ast.Pattern, t: UnionType, out: Bindings, problems: list[Problem]) -> None:
    """A pattern on a union must fit at least one member; bindings join over those."""
    accepted: list[Bindings] = []
    for member in t.members:
        trial: Bindings = {}
        trial_problems: list[Problem] = []
        _check(p, member, trial, trial_problems)
        if not trial_problems:
            accepted.append(trial)
    if not accepted:
        problems.append(("AT3022", f"Pattern type mismatch: expected {t}, found {describe(p)}", p))
        _bind_all_unknown(p, out)
        return
    for trial in accepted:
        for sym, ty in trial.items():
            out[sym] = union([out[sym], ty]) if sym in out else ty


def _check_constructor(
    p: ast.ConstructorPattern, t: Type, out: Bindings, problems: list[Problem]
) -> None:
    if isinstance(t, OptionType):
        family, payloads = "Option", {"Some": [t.inner], "None": []}
    elif isinstance(t, ResultType):
        family, payloads = "Result", {"Ok": [t.ok], "Err": [t.err]}
    else:
        problems.append(("AT3025", f"Constructor patterns not supported for type {t}", p))
        _bind_all_unknown(p, out)
        return
    expected = payloads.get(p.name)
    if expected is None:
        problems.append(("AT3024", f"Unknown {family} constructor: {p.name}", p))
        _bind_all_unknown(p, out)
        return
    if len(p.args) != len(expected):
        n = len(expected)
        noun = "argument" if n == 1 else "arguments"
        problems.append(("AT3023", f"{p.name} expects {n} {noun}, found {len(p.args)}", p))
        _bind_all_unknown(p, out)
        return
    for arg, arg_type in zip(p.args, expected, strict=True):
        _check(arg, arg_type, out, problems)


# ------------------------------------------------------------------ exhaustiveness


def exhaustiveness_errors(arms: list[ast.MatchArm], t: Type) -> list[str]:
    """AT3027 messages for a match on `t` (empty when exhaustive or unchecked)."""
    if is_dynamic(t):
        return []
    alts: list[ast.Pattern] = []
    for arm in arms:
        if arm.guard is None:  # guarded arms never count
            pattern = arm.pattern
            alts.extend(pattern.alternatives if isinstance(pattern, ast.OrPattern) else [pattern])
    if any(isinstance(a, ast.WildcardPattern | ast.BindingPattern) for a in alts):
        return []
    ctors = {a.name for a in alts if isinstance(a, ast.ConstructorPattern)}
    literals = [a.value for a in alts if isinstance(a, ast.LiteralPattern)]
    errors = []
    for member in members(t):
        message = _member_error(member, ctors, literals)
        if message:
            errors.append(message)
    return errors


def _member_error(t: Type, ctors: set[str], literals: list[object]) -> str | None:
    if isinstance(t, OptionType):
        missing = [
            text for name, text in (("Some", "Some(_)"), ("None", "None")) if name not in ctors
        ]
        return f"Non-exhaustive match on Option: missing {', '.join(missing)}" if missing else None
    if isinstance(t, ResultType):
        missing = [text for name, text in (("Ok", "Ok(_)"), ("Err", "Err(_)")) if name not in ctors]
        return f"Non-exhaustive match on Result: missing {', '.join(missing)}" if missing else None
    if t == BOOL:
        seen = {v for v in literals if isinstance(v, bool)}
        missing = [text for value, text in ((True, "true"), (False, "false")) if value not in seen]
        return f"Non-exhaustive match on bool: missing {', '.join(missing)}" if missing else None
    if t in (NUMBER, STRING, NULL) or isinstance(t, ArrayType):
        return f"Non-exhaustive match on {t}: patterns must cover all possible values"
    return None
