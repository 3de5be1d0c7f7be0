"""Math builtins (reference 7.2).

Numbers follow IEEE 754 and never trap here: out-of-domain arguments give NaN, poles
and overflow give infinities (Python's `math` raises instead, so each case is mapped).
Signed zeros are kept wherever IEEE keeps them (`floor(-0)`, `ceil(-0.5)`, `round(-0)`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..vm.errors import type_error
from .registry import builtin, math_arity_error

NAN = math.nan
INF = math.inf


# --------------------------------------------------------------- IEEE helpers


def _domain_safe(fn: Callable[[float], float]) -> Callable[[float], float]:
    """`fn` with Python's ValueError (domain error) turned into NaN."""

    def safe(x: float) -> float:
        try:
            return fn(x)
        except ValueError:
            return NAN

    return safe


def ieee_floor(x: float) -> float:
    if not math.isfinite(x) or x.is_integer():
        return x
    return float(math.floor(x))


def ieee_ceil(x: float) -> float:
    if not math.isfinite(x) or x.is_integer():
        return x
    result = float(math.ceil(x))
    return -0.0 if result == 0 and x < 0 else result


def round_half_even(x: float) -> float:
    """The algorithm of reference 7.2 (so `round(-0) = -0`, `round(-0.5) = 0`)."""
    if not math.isfinite(x) or x.is_integer():
        return x
    f = float(math.floor(x))
    d = x - f
    if d < 0.5:
        return f
    if d > 0.5:
        return f + 1.0
    return f if math.fmod(f, 2.0) == 0 else f + 1.0


def ieee_min(a: float, b: float) -> float:
    """Smaller of two numbers; a NaN argument yields the other one; -0 < +0."""
    if a != a:
        return b
    if b != b:
        return a
    if a == b == 0:
        return a if math.copysign(1.0, a) < 0 else b
    return a if a < b else b


def ieee_max(a: float, b: float) -> float:
    """Larger of two numbers; a NaN argument yields the other one; +0 > -0."""
    if a != a:
        return b
    if b != b:
        return a
    if a == b == 0:
        return a if math.copysign(1.0, a) > 0 else b
    return a if a > b else b


def ieee_sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 or x != x else NAN


def ieee_log(x: float) -> float:
    if x == 0:
        return -INF
    return math.log(x) if x > 0 or x != x else NAN


def _is_odd_integer(y: float) -> bool:
    return math.isfinite(y) and y.is_integer() and int(y) % 2 == 1


def ieee_pow(base: float, exponent: float) -> float:
    """C `pow`: poles give signed infinities, negative base with fractional exponent NaN."""
    try:
        return math.pow(base, exponent)
    except OverflowError:
        return -INF if base < 0 and _is_odd_integer(exponent) else INF
    except ValueError:
        if base == 0:  # zero to a negative power: a pole
            negative_zero = math.copysign(1.0, base) < 0
            return -INF if negative_zero and _is_odd_integer(exponent) else INF
        return NAN


def sign(x: float) -> float:
    if x > 0:
        return 1.0
    if x < 0:
        return -1.0
    return x  # keeps -0 and NaN


def clamp(x: float, lo: float, hi: float) -> float:
    if lo > hi:
        return NAN
    return ieee_min(ieee_max(x, lo), hi)


# -------------------------------------------------------------- registration


def _register_numeric(name: str, arity: int, fn: Callable[..., float]) -> None:
    """Register `fn` as a math builtin with the section 7.2 argument errors."""
    detail = f"{name}() expects number argument{'s' if arity > 1 else ''}"

    def impl(*args: object) -> float:
        for arg in args:
            if type(arg) is not float:
                raise type_error(detail)
        return fn(*args)

    impl.__name__ = impl.__qualname__ = f"math_{name}"
    impl.__doc__ = f"Atlas `{name}` (reference 7.2)."
    builtin(name, arity, arity_error=math_arity_error)(impl)


_UNARY: dict[str, Callable[[float], float]] = {
    "abs": math.fabs,
    "floor": ieee_floor,
    "ceil": ieee_ceil,
    "round": round_half_even,
    "sqrt": ieee_sqrt,
    "log": ieee_log,
    "sin": _domain_safe(math.sin),
    "cos": _domain_safe(math.cos),
    "tan": _domain_safe(math.tan),
    "asin": _domain_safe(math.asin),
    "acos": _domain_safe(math.acos),
    "atan": math.atan,
    "sign": sign,
}

for _name, _fn in _UNARY.items():
    _register_numeric(_name, 1, _fn)
_register_numeric("min", 2, ieee_min)
_register_numeric("max", 2, ieee_max)
_register_numeric("pow", 2, ieee_pow)
_register_numeric("clamp", 3, clamp)


@builtin("random", 0, arity_error=math_arity_error)
def random() -> float:
    """Uniform in [0, 1)."""
    import random as _random  # here, not at import: it costs start-up of every program

    return _random.random()
