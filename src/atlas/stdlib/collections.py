"""HashMap, HashSet, Queue and Stack builtins (reference 7.6).

Keys and set elements are normalised with `hash_key` (AT0140 for unhashable kinds).
Iteration order is insertion order. Count and kind errors name the functions as the
original does (`HashMap.put(): expected 3 argument(s), got 1`). The write-back
builtins mutate a collection the VM guarantees they own; every other function leaves
its arguments unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..vm.errors import AtlasRuntimeError, type_error
from ..vm.values import NONE, HashMap, HashSet, Queue, Some, Stack, hash_key, kind_name
from ._args import (
    array_arg,
    check_callback_args,
    display_name_arity,
    expected,
    intrinsic_arity,
    predicate_result,
)
from .registry import CallContext, WriteBack, builtin

_COLLECTION = WriteBack.RETURNS_COLLECTION
_EXTRACTED = WriteBack.RETURNS_EXTRACTED


def _collection_builtin(
    name: str, display: str, args: int, writeback: WriteBack | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a collection builtin whose count errors use `display` as its name."""
    return builtin(name, args, arity_error=display_name_arity(display), writeback=writeback)


def _wrong_kind(kind: str, value: Any) -> AtlasRuntimeError:
    return type_error(f"Expected {kind}, got {kind_name(value)}")


def _map(m: Any) -> HashMap:
    if type(m) is not HashMap:
        raise _wrong_kind("HashMap", m)
    return m


def _set(display: str, s: Any) -> HashSet:
    if type(s) is not HashSet:
        raise expected(display, "HashSet", s)
    return s


def _queue(q: Any) -> Queue:
    if type(q) is not Queue:
        raise _wrong_kind("Queue", q)
    return q


def _stack(s: Any) -> Stack:
    if type(s) is not Stack:
        raise _wrong_kind("Stack", s)
    return s


# -------------------------------------------------------------------- HashMap


@_collection_builtin("hashMapNew", "HashMap.new", 0)
def hash_map_new() -> HashMap:
    return HashMap()


def _put(m: HashMap, key: Any, value: Any) -> None:
    """Insert or replace; a replaced entry keeps its original key and position."""
    h = hash_key(key)
    old = m.entries.get(h)
    m.entries[h] = (key if old is None else old[0], value)


@_collection_builtin("hashMapFromEntries", "HashMap.fromEntries", 1)
def hash_map_from_entries(entries: Any) -> HashMap:
    """From `[key, value]` pairs; later duplicates win."""
    m = HashMap()
    for pair in array_arg("HashMap.fromEntries", entries):
        if len(array_arg("HashMap.fromEntries", pair)) != 2:
            raise type_error("Entry must be [key, value] array with exactly 2 elements")
        _put(m, pair[0], pair[1])
    return m


@_collection_builtin("hashMapPut", "HashMap.put", 3, _COLLECTION)
def hash_map_put(m: Any, key: Any, value: Any) -> HashMap:
    _put(_map(m), key, value)
    return m


@_collection_builtin("hashMapGet", "HashMap.get", 2)
def hash_map_get(m: Any, key: Any) -> Any:
    entry = _map(m).entries.get(hash_key(key))
    return NONE if entry is None else Some(entry[1])


@_collection_builtin("hashMapRemove", "HashMap.remove", 2, _EXTRACTED)
def hash_map_remove(m: Any, key: Any) -> Any:
    entry = _map(m).entries.pop(hash_key(key), None)
    return NONE if entry is None else Some(entry[1])


@_collection_builtin("hashMapHas", "HashMap.has", 2)
def hash_map_has(m: Any, key: Any) -> bool:
    return hash_key(key) in _map(m).entries


@_collection_builtin("hashMapSize", "HashMap.size", 1)
def hash_map_size(m: Any) -> float:
    return float(len(_map(m)))


@_collection_builtin("hashMapIsEmpty", "HashMap.isEmpty", 1)
def hash_map_is_empty(m: Any) -> bool:
    return not _map(m).entries


@_collection_builtin("hashMapClear", "HashMap.clear", 1, _COLLECTION)
def hash_map_clear(m: Any) -> HashMap:
    _map(m).entries.clear()
    return m


@_collection_builtin("hashMapKeys", "HashMap.keys", 1)
def hash_map_keys(m: Any) -> list:
    return [k for k, _ in _map(m).entries.values()]


@_collection_builtin("hashMapValues", "HashMap.values", 1)
def hash_map_values(m: Any) -> list:
    return [v for _, v in _map(m).entries.values()]


@_collection_builtin("hashMapEntries", "HashMap.entries", 1)
def hash_map_entries(m: Any) -> list:
    return [[k, v] for k, v in _map(m).entries.values()]


# -------------------------------------------------------------------- HashSet


@_collection_builtin("hashSetNew", "HashSet.new", 0)
def hash_set_new() -> HashSet:
    return HashSet()


_ABSENT = object()


def _add(s: HashSet, x: Any) -> None:
    s.items.setdefault(hash_key(x), x)


@_collection_builtin("hashSetFromArray", "HashSet.fromArray", 1)
def hash_set_from_array(a: Any) -> HashSet:
    s = HashSet()
    for x in array_arg("HashSet.fromArray", a):
        _add(s, x)
    return s


@_collection_builtin("hashSetAdd", "HashSet.add", 2, _COLLECTION)
def hash_set_add(s: Any, x: Any) -> HashSet:
    _add(_set("HashSet.add", s), x)
    return s


@_collection_builtin("hashSetRemove", "HashSet.remove", 2, _EXTRACTED)
def hash_set_remove(s: Any, x: Any) -> bool:
    """Removes `x`; whether it was present."""
    items = _set("HashSet.remove", s).items
    return items.pop(hash_key(x), _ABSENT) is not _ABSENT


@_collection_builtin("hashSetHas", "HashSet.has", 2)
def hash_set_has(s: Any, x: Any) -> bool:
    return hash_key(x) in _set("HashSet.has", s).items


@_collection_builtin("hashSetSize", "HashSet.size", 1)
def hash_set_size(s: Any) -> float:
    return float(len(_set("HashSet.size", s)))


@_collection_builtin("hashSetIsEmpty", "HashSet.isEmpty", 1)
def hash_set_is_empty(s: Any) -> bool:
    return not _set("HashSet.isEmpty", s).items


@_collection_builtin("hashSetClear", "HashSet.clear", 1, _COLLECTION)
def hash_set_clear(s: Any) -> HashSet:
    _set("HashSet.clear", s).items.clear()
    return s


def _two_sets(display: str, a: Any, b: Any) -> tuple[dict, dict]:
    return _set(display, a).items, _set(display, b).items


@_collection_builtin("hashSetUnion", "HashSet.union", 2)
def hash_set_union(a: Any, b: Any) -> HashSet:
    x, y = _two_sets("HashSet.union", a, b)
    union = dict(x)
    for k, v in y.items():
        union.setdefault(k, v)
    return HashSet(union)


@_collection_builtin("hashSetIntersection", "HashSet.intersection", 2)
def hash_set_intersection(a: Any, b: Any) -> HashSet:
    x, y = _two_sets("HashSet.intersection", a, b)
    return HashSet({k: v for k, v in x.items() if k in y})


@_collection_builtin("hashSetDifference", "HashSet.difference", 2)
def hash_set_difference(a: Any, b: Any) -> HashSet:
    """Elements of `a` that are not in `b`."""
    x, y = _two_sets("HashSet.difference", a, b)
    return HashSet({k: v for k, v in x.items() if k not in y})


@_collection_builtin("hashSetSymmetricDifference", "HashSet.symmetricDifference", 2)
def hash_set_symmetric_difference(a: Any, b: Any) -> HashSet:
    x, y = _two_sets("HashSet.symmetricDifference", a, b)
    only_x = {k: v for k, v in x.items() if k not in y}
    return HashSet(only_x | {k: v for k, v in y.items() if k not in x})


@_collection_builtin("hashSetIsSubset", "HashSet.isSubset", 2)
def hash_set_is_subset(a: Any, b: Any) -> bool:
    x, y = _two_sets("HashSet.isSubset", a, b)
    return x.keys() <= y.keys()


@_collection_builtin("hashSetIsSuperset", "HashSet.isSuperset", 2)
def hash_set_is_superset(a: Any, b: Any) -> bool:
    x, y = _two_sets("HashSet.isSuperset", a, b)
    return x.keys() >= y.keys()


@_collection_builtin("hashSetToArray", "HashSet.toArray", 1)
def hash_set_to_array(s: Any) -> list:
    return list(_set("HashSet.toArray", s).items.values())


# ---------------------------------------------------------------------- Queue

# Dequeue advances `Queue.head`; the consumed prefix is dropped once it dominates.
_COMPACT_MIN = 32


@_collection_builtin("queueNew", "Queue.new", 0)
def queue_new() -> Queue:
    return Queue()


@_collection_builtin("queueEnqueue", "Queue.enqueue", 2, _COLLECTION)
def queue_enqueue(q: Any, x: Any) -> Queue:
    _queue(q).items.append(x)
    return q


@_collection_builtin("queueDequeue", "Queue.dequeue", 1, _EXTRACTED)
def queue_dequeue(q: Any) -> Any:
    """Removes the front element: `Some(x)`, or `None` when empty."""
    if not len(_queue(q)):
        return NONE
    front = q.items[q.head]
    q.items[q.head] = None  # release the reference
    q.head += 1
    if q.head >= _COMPACT_MIN and q.head * 2 >= len(q.items):
        del q.items[: q.head]
        q.head = 0
    return Some(front)


@_collection_builtin("queuePeek", "Queue.peek", 1)
def queue_peek(q: Any) -> Any:
    return Some(q.items[q.head]) if len(_queue(q)) else NONE


@_collection_builtin("queueSize", "Queue.size", 1)
def queue_size(q: Any) -> float:
    return float(len(_queue(q)))


@_collection_builtin("queueIsEmpty", "Queue.isEmpty", 1)
def queue_is_empty(q: Any) -> bool:
    return not len(_queue(q))


@_collection_builtin("queueClear", "Queue.clear", 1, _COLLECTION)
def queue_clear(q: Any) -> Queue:
    _queue(q).items.clear()
    q.head = 0
    return q


@_collection_builtin("queueToArray", "Queue.toArray", 1)
def queue_to_array(q: Any) -> list:
    """Elements, front first."""
    return _queue(q).elements()


# ---------------------------------------------------------------------- Stack


@_collection_builtin("stackNew", "Stack.new", 0)
def stack_new() -> Stack:
    return Stack()


@_collection_builtin("stackPush", "Stack.push", 2, _COLLECTION)
def stack_push(s: Any, x: Any) -> Stack:
    _stack(s).items.append(x)
    return s


@_collection_builtin("stackPop", "Stack.pop", 1, _EXTRACTED)
def stack_pop(s: Any) -> Any:
    """Removes the top element: `Some(x)`, or `None` when empty."""
    items = _stack(s).items
    return Some(items.pop()) if items else NONE


@_collection_builtin("stackPeek", "Stack.peek", 1)
def stack_peek(s: Any) -> Any:
    items = _stack(s).items
    return Some(items[-1]) if items else NONE


@_collection_builtin("stackSize", "Stack.size", 1)
def stack_size(s: Any) -> float:
    return float(len(_stack(s)))


@_collection_builtin("stackIsEmpty", "Stack.isEmpty", 1)
def stack_is_empty(s: Any) -> bool:
    return not _stack(s).items


@_collection_builtin("stackClear", "Stack.clear", 1, _COLLECTION)
def stack_clear(s: Any) -> Stack:
    _stack(s).items.clear()
    return s


@_collection_builtin("stackToArray", "Stack.toArray", 1)
def stack_to_array(s: Any) -> list:
    """Elements, bottom first."""
    return list(_stack(s).items)


# ----------------------------------------------------------------- intrinsics


def _collection_intrinsic(
    name: str, params: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return builtin(name, 2, arity_error=intrinsic_arity(params), needs_ctx=True)


@_collection_intrinsic("hashMapForEach", "map, callback")
def hash_map_for_each(ctx: CallContext, m: Any, f: Any) -> None:
    """Calls `f(value, key)` per entry."""
    check_callback_args("hashMapForEach", m, type(m) is HashMap, "HashMap", f)
    for k, v in list(m.entries.values()):
        ctx.call(f, [v, k])


@_collection_intrinsic("hashMapMap", "map, callback")
def hash_map_map(ctx: CallContext, m: Any, f: Any) -> HashMap:
    """Same keys, values `f(value, key)`."""
    check_callback_args("hashMapMap", m, type(m) is HashMap, "HashMap", f)
    return HashMap({h: (k, ctx.call(f, [v, k])) for h, (k, v) in list(m.entries.items())})


@_collection_intrinsic("hashMapFilter", "map, predicate")
def hash_map_filter(ctx: CallContext, m: Any, f: Any) -> HashMap:
    check_callback_args("hashMapFilter", m, type(m) is HashMap, "HashMap", f)
    return HashMap(
        {
            h: (k, v)
            for h, (k, v) in list(m.entries.items())
            if predicate_result("hashMapFilter", ctx.call(f, [v, k]))
        }
    )


@_collection_intrinsic("hashSetForEach", "set, callback")
def hash_set_for_each(ctx: CallContext, s: Any, f: Any) -> None:
    check_callback_args("hashSetForEach", s, type(s) is HashSet, "HashSet", f)
    for x in list(s.items.values()):
        ctx.call(f, [x])


@_collection_intrinsic("hashSetMap", "set, callback")
def hash_set_map(ctx: CallContext, s: Any, f: Any) -> list:
    """An array of `f(x)` per element."""
    check_callback_args("hashSetMap", s, type(s) is HashSet, "HashSet", f)
    return [ctx.call(f, [x]) for x in list(s.items.values())]


@_collection_intrinsic("hashSetFilter", "set, predicate")
def hash_set_filter(ctx: CallContext, s: Any, f: Any) -> HashSet:
    check_callback_args("hashSetFilter", s, type(s) is HashSet, "HashSet", f)
    return HashSet(
        {
            h: x
            for h, x in list(s.items.items())
            if predicate_result("hashSetFilter", ctx.call(f, [x]))
        }
    )
