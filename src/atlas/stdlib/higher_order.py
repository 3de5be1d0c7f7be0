"""The array intrinsics: builtins that call back into Atlas (reference 7.4).

Callbacks are called through `ctx.call` with exactly the arguments listed in the
reference; errors they raise propagate unchanged. Argument errors are AT0001.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..vm.errors import type_error
from ._args import check_callback_args, intrinsic_arity, predicate_result
from .arrays import compare_primitives, is_totally_ordered
from .registry import CallContext, builtin


def _array_intrinsic(
    name: str, params: str, arity: int = 2
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register an intrinsic whose arguments are (array, callback, ...)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        def impl(ctx: CallContext, a: Any, f: Any, *rest: Any) -> Any:
            check_callback_args(name, a, type(a) is list, "array", f)
            return fn(ctx, a, f, *rest)

        impl.__name__ = impl.__qualname__ = fn.__name__
        impl.__doc__ = fn.__doc__
        builtin(name, arity, arity_error=intrinsic_arity(params), needs_ctx=True)(impl)
        return fn

    return register


@_array_intrinsic("map", "array, callback")
def map_(ctx: CallContext, a: list, f: Any) -> list:
    """`[f(a[0]), f(a[1]), ...]`."""
    return [ctx.call(f, [x]) for x in a]


@_array_intrinsic("filter", "array, predicate")
def filter_(ctx: CallContext, a: list, f: Any) -> list:
    return [x for x in a if predicate_result("filter", ctx.call(f, [x]))]


@_array_intrinsic("reduce", "array, reducer, initial", arity=3)
def reduce_(ctx: CallContext, a: list, f: Any, initial: Any) -> Any:
    """Left fold: `acc = f(acc, x)` from `initial`."""
    acc = initial
    for x in a:
        acc = ctx.call(f, [acc, x])
    return acc


@_array_intrinsic("forEach", "array, callback")
def for_each(ctx: CallContext, a: list, f: Any) -> None:
    for x in a:
        ctx.call(f, [x])


@_array_intrinsic("find", "array, predicate")
def find(ctx: CallContext, a: list, f: Any) -> Any:
    """The first element satisfying `f`, else null (not an Option)."""
    for x in a:
        if predicate_result("find", ctx.call(f, [x])):
            return x
    return None


@_array_intrinsic("findIndex", "array, predicate")
def find_index(ctx: CallContext, a: list, f: Any) -> float:
    for i, x in enumerate(a):
        if predicate_result("findIndex", ctx.call(f, [x])):
            return float(i)
    return -1.0


@_array_intrinsic("flatMap", "array, callback")
def flat_map(ctx: CallContext, a: list, f: Any) -> list:
    """Concatenates the arrays `f` returns; a non-array result is one element."""
    out: list = []
    for x in a:
        result = ctx.call(f, [x])
        if type(result) is list:
            out.extend(result)
        else:
            out.append(result)
    return out


@_array_intrinsic("some", "array, predicate")
def some(ctx: CallContext, a: list, f: Any) -> bool:
    return any(predicate_result("some", ctx.call(f, [x])) for x in a)


@_array_intrinsic("every", "array, predicate")
def every(ctx: CallContext, a: list, f: Any) -> bool:
    return all(predicate_result("every", ctx.call(f, [x])) for x in a)


@_array_intrinsic("sort", "array, comparator")
def sort(ctx: CallContext, a: list, cmp: Any) -> list:
    """Stable insertion sort of a copy; the call sequence is the reference's exactly."""
    b = list(a)
    for i in range(1, len(b)):
        j = i
        while j > 0:
            order = ctx.call(cmp, [b[j], b[j - 1]])
            if type(order) is not float:
                raise type_error("sort() comparator must return number")
            if not order < 0:  # zero, positive or NaN keep the current order
                break
            b[j], b[j - 1] = b[j - 1], b[j]
            j -= 1
    return b


@_array_intrinsic("sortBy", "array, keyExtractor")
def sort_by(ctx: CallContext, a: list, key: Any) -> list:
    """Stable sort by `key(x)`, computed once per element, in order."""
    keys = [ctx.call(key, [x]) for x in a]
    if is_totally_ordered(keys):
        order = sorted(range(len(a)), key=keys.__getitem__)
        return [a[i] for i in order]
    # Keys that do not form a total order: the original's insertion sort, exactly.
    pairs = list(zip(keys, a, strict=True))
    for i in range(1, len(pairs)):
        j = i
        while j > 0 and (compare_primitives(pairs[j][0], pairs[j - 1][0]) or 0) < 0:
            pairs[j], pairs[j - 1] = pairs[j - 1], pairs[j]
            j -= 1
    return [x for _, x in pairs]
