"""What the checker knows about the standard library before reading a program.

- the 65 *typed* builtins and their static signatures (reference 7.1-7.9, 7.12);
- every CORE builtin name (7.1-7.9), so that names resolve even while the stdlib
  registry is still partial;
- the built-in type alias names (2.7), the math constants, the array and json
  methods (3.12), the built-in traits (3.13) and the narrowing predicates (3.14);
- one shared BUILTIN `Symbol` per builtin name.
"""

from __future__ import annotations

import contextlib

from .symbols import Symbol, SymbolKind
from .types import (
    BOOL,
    JSON,
    NULL,
    NUMBER,
    STRING,
    UNKNOWN,
    VOID,
    ArrayType,
    FunctionType,
    Type,
    union,
)

ANY_ARRAY = ArrayType(UNKNOWN)


def _fn(*params: Type, ret: Type) -> FunctionType:
    return FunctionType(tuple(params), ret)


_S, _N, _B, _U, _A = STRING, NUMBER, BOOL, UNKNOWN, ANY_ARRAY
_MATH1 = _fn(_N, ret=_N)

# The typed builtins (reference 7.12): name -> static signature. These are "prelude"
# names: declaring one at top level is AT1012.
TYPED_SIGNATURES: dict[str, FunctionType] = {
    # prelude (7.1)
    "print": _fn(_U, ret=VOID),
    "len": _fn(_U, ret=_N),
    "str": _fn(_U, ret=_S),
    # strings (7.3)
    "split": _fn(_S, _S, ret=ArrayType(_S)),
    "join": _fn(ArrayType(_S), _S, ret=_S),
    "trim": _fn(_S, ret=_S),
    "trimStart": _fn(_S, ret=_S),
    "trimEnd": _fn(_S, ret=_S),
    "indexOf": _fn(_S, _S, ret=_N),
    "lastIndexOf": _fn(_S, _S, ret=_N),
    "includes": _fn(_S, _S, ret=_B),
    "toUpperCase": _fn(_S, ret=_S),
    "toLowerCase": _fn(_S, ret=_S),
    "substring": _fn(_S, _N, _N, ret=_S),
    "charAt": _fn(_S, _N, ret=_S),
    "repeat": _fn(_S, _N, ret=_S),
    "replace": _fn(_S, _S, _S, ret=_S),
    "padStart": _fn(_S, _N, _S, ret=_S),
    "padEnd": _fn(_S, _N, _S, ret=_S),
    "startsWith": _fn(_S, _S, ret=_B),
    "endsWith": _fn(_S, _S, ret=_B),
    # arrays (7.4)
    "pop": _fn(_A, ret=_A),
    "shift": _fn(_A, ret=_A),
    "unshift": _fn(_A, _U, ret=_A),
    "reverse": _fn(_A, ret=_A),
    "concat": _fn(_A, _A, ret=_A),
    "flatten": _fn(ArrayType(_A), ret=_A),
    "arrayIndexOf": _fn(_A, _U, ret=_N),
    "arrayLastIndexOf": _fn(_A, _U, ret=_N),
    "arrayIncludes": _fn(_A, _U, ret=_B),
    "slice": _fn(_A, _N, _N, ret=_A),
    # higher-order intrinsics (7.4): callback return types are checked
    "map": _fn(_A, _fn(_U, ret=_U), ret=_A),
    "filter": _fn(_A, _fn(_U, ret=_B), ret=_A),
    "reduce": _fn(_A, _fn(_U, _U, ret=_U), _U, ret=_U),
    "forEach": _fn(_A, _fn(_U, ret=VOID), ret=NULL),
    "find": _fn(_A, _fn(_U, ret=_B), ret=_U),
    "findIndex": _fn(_A, _fn(_U, ret=_B), ret=_N),
    "flatMap": _fn(_A, _fn(_U, ret=_A), ret=_A),
    "some": _fn(_A, _fn(_U, ret=_B), ret=_B),
    "every": _fn(_A, _fn(_U, ret=_B), ret=_B),
    "sort": _fn(_A, _fn(_U, _U, ret=_N), ret=_A),
    "sortBy": _fn(_A, _fn(_U, ret=_N), ret=_A),
    # math (7.2)
    **{name: _MATH1 for name in ("abs", "floor", "ceil", "round", "sqrt", "log")},
    **{name: _MATH1 for name in ("sin", "cos", "tan", "asin", "acos", "atan", "sign")},
    "min": _fn(_N, _N, ret=_N),
    "max": _fn(_N, _N, ret=_N),
    "pow": _fn(_N, _N, ret=_N),
    "clamp": _fn(_N, _N, _N, ret=_N),
    "random": _fn(ret=_N),
    # JSON (7.7)
    "parseJSON": _fn(_S, ret=JSON),
    "toJSON": _fn(_U, ret=_S),
    "isValidJSON": _fn(_S, ret=_B),
    "prettifyJSON": _fn(_S, _N, ret=_S),
    "minifyJSON": _fn(_S, ret=_S),
}

# Every CORE builtin name of reference 7.1-7.9 (150 named builtins + 21 intrinsics).
CORE_BUILTINS: tuple[str, ...] = (
    # 7.1 prelude
    "print", "len", "str",
    # 7.2 math
    "abs", "floor", "ceil", "round", "min", "max", "sqrt", "pow", "log", "sin", "cos", "tan",
    "asin", "acos", "atan", "clamp", "sign", "random",
    # 7.3 strings
    "split", "join", "trim", "trimStart", "trimEnd", "indexOf", "lastIndexOf", "includes",
    "startsWith", "endsWith", "toUpperCase", "toLowerCase", "substring", "charAt", "repeat",
    "replace", "padStart", "padEnd",
    # 7.4 arrays and intrinsics
    "arrayPush", "arrayPop", "arrayShift", "arrayUnshift", "arrayReverse", "arraySort", "pop",
    "shift", "unshift", "reverse", "concat", "flatten", "arrayIndexOf", "arrayLastIndexOf",
    "arrayIncludes", "slice",
    "map", "filter", "reduce", "forEach", "find", "findIndex", "flatMap", "some", "every",
    "sort", "sortBy",
    # 7.5 Option and Result
    "Some", "None", "is_some", "is_none", "Ok", "Err", "is_ok", "is_err", "unwrap", "unwrap_or",
    "expect", "result_ok", "result_err",
    "result_map", "result_map_err", "result_and_then", "result_or_else",
    # 7.6 collections
    "hashMapNew", "hashMapFromEntries", "hashMapPut", "hashMapGet", "hashMapRemove",
    "hashMapHas", "hashMapSize", "hashMapIsEmpty", "hashMapClear", "hashMapKeys",
    "hashMapValues", "hashMapEntries",
    "hashMapForEach", "hashMapMap", "hashMapFilter",
    "hashSetNew", "hashSetFromArray", "hashSetAdd", "hashSetRemove", "hashSetHas",
    "hashSetSize", "hashSetIsEmpty", "hashSetClear", "hashSetUnion", "hashSetIntersection",
    "hashSetDifference", "hashSetSymmetricDifference", "hashSetIsSubset", "hashSetIsSuperset",
    "hashSetToArray",
    "hashSetForEach", "hashSetMap", "hashSetFilter",
    "queueNew", "queueEnqueue", "queueDequeue", "queuePeek", "queueSize", "queueIsEmpty",
    "queueClear", "queueToArray",
    "stackNew", "stackPush", "stackPop", "stackPeek", "stackSize", "stackIsEmpty",
    "stackClear", "stackToArray",
    # 7.7 JSON
    "parseJSON", "toJSON", "isValidJSON", "prettifyJSON", "minifyJSON", "jsonAsString",
    "jsonAsNumber", "jsonAsBool", "jsonIsNull",
    # 7.8 type checks and conversions
    "typeof", "isString", "isNumber", "isBool", "isNull", "isArray", "isFunction", "isObject",
    "isType", "hasField", "hasMethod", "hasTag",
    "toString", "toNumber", "toBool", "parseInt", "parseFloat",
    # 7.9 assertions
    "assert", "assertFalse", "assertEqual", "assertNotEqual", "assertOk", "assertErr",
    "assertSome", "assertNone", "assertContains", "assertEmpty", "assertLength",
    "assertThrows", "assertNoThrow",
)  # fmt: skip

# Math constants (7.2): immutable top-level numbers, declared in every module. The values
# are the stdlib's (`atlas.stdlib.CONSTANTS`); these are only a fallback.
MATH_CONSTANTS: dict[str, float] = {
    "PI": 3.141592653589793,
    "E": 2.718281828459045,
    "SQRT2": 1.4142135623730951,
    "LN2": 0.6931471805599453,
    "LN10": 2.302585092994046,
}

# Plain type names that are built-in aliases (2.7).
BUILTIN_TYPE_ALIASES: dict[str, Type] = {
    "Comparable": NUMBER,
    "Numeric": NUMBER,
    "Iterable": ANY_ARRAY,
    "Equatable": union([NUMBER, STRING, BOOL, NULL]),
    "Serializable": union([NUMBER, STRING, BOOL, NULL, JSON]),
}

PRIMITIVE_TYPE_NAMES: dict[str, Type] = {
    "number": NUMBER,
    "string": STRING,
    "bool": BOOL,
    "void": VOID,
    "null": NULL,
    "json": JSON,
    "array": ANY_ARRAY,
}

# Generic type constructors and their arity (2.7). `Array<T>` is `T[]` (ours).
GENERIC_ARITY: dict[str, int] = {"Option": 1, "Result": 2, "HashMap": 2, "HashSet": 1, "Array": 1}

# Array methods (3.12): name -> (builtin it maps to, parameter types, result type).
ARRAY_METHODS: dict[str, tuple[str, tuple[Type, ...], Type]] = {
    "push": ("arrayPush", (_U,), _A),
    "unshift": ("arrayUnshift", (_U,), _A),
    "reverse": ("arrayReverse", (), _A),
    "pop": ("arrayPop", (), _U),
    "shift": ("arrayShift", (), _U),
    "sort": ("arraySort", (), _A),
    "len": ("len", (), _N),
    "includes": ("arrayIncludes", (_U,), _B),
    "indexOf": ("arrayIndexOf", (_U,), _N),
    "lastIndexOf": ("arrayLastIndexOf", (_U,), _N),
    "slice": ("slice", (_N, _N), _A),
    "concat": ("concat", (_A,), _A),
    "flatten": ("flatten", (), _A),
    "join": ("join", (_S,), _S),
}

JSON_METHODS: dict[str, tuple[str, tuple[Type, ...], Type]] = {
    "as_string": ("jsonAsString", (), _S),
    "as_number": ("jsonAsNumber", (), _N),
    "as_bool": ("jsonAsBool", (), _B),
    "is_null": ("jsonIsNull", (), _B),
}

# Built-in traits (3.13): name -> method name -> (parameter types without self, result).
BUILTIN_TRAITS: dict[str, dict[str, tuple[tuple[Type, ...], Type]]] = {
    "Copy": {},
    "Move": {},
    "Drop": {"drop": ((), VOID)},
    "Display": {"display": ((), _S)},
    "Debug": {"debug_repr": ((), _S)},
}
COPY_TYPES: frozenset[Type] = frozenset({NUMBER, STRING, BOOL, NULL})

# Narrowing predicates (3.14) that take the narrowed value as first argument.
NARROWING_BUILTINS: frozenset[str] = frozenset(
    {"isString", "isNumber", "isBool", "isNull", "isArray", "isFunction", "isObject", "isType",
     "hasField", "hasMethod", "hasTag"}
)  # fmt: skip


def registered_builtins() -> frozenset[str]:
    """Names registered in the stdlib registry (imported lazily: the stdlib is a later
    stage, and a half-written stdlib must not break checking)."""
    from ..stdlib.registry import BUILTINS

    with contextlib.suppress(Exception):
        import atlas.stdlib  # noqa: F401  (registers everything)
    return frozenset(BUILTINS)


def math_constants() -> dict[str, float]:
    constants: dict[str, float] = {}
    with contextlib.suppress(Exception):
        from ..stdlib import CONSTANTS as constants
    return {name: constants.get(name, value) for name, value in MATH_CONSTANTS.items()}


def known_builtins() -> frozenset[str]:
    """Every name that resolves to a builtin: typed, CORE, or registered (call once per check)."""
    return frozenset(CORE_BUILTINS) | frozenset(TYPED_SIGNATURES) | registered_builtins()


_BUILTIN_SYMBOLS: dict[str, Symbol] = {}


def builtin_symbol(name: str) -> Symbol:
    """The one shared BUILTIN symbol of `name` (typed builtins carry their signature)."""
    sym = _BUILTIN_SYMBOLS.get(name)
    if sym is None:
        sym = Symbol(name, SymbolKind.BUILTIN, TYPED_SIGNATURES.get(name, UNKNOWN))
        _BUILTIN_SYMBOLS[name] = sym
    return sym
