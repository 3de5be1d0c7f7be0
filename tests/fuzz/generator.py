"""Random Atlas programs that type-check and terminate, for differential testing of the JIT.

The programs use what the JIT compiles (numbers, bools and number[] in locals, parameters
and globals; arithmetic, comparisons, logic, calls, loops) and the edges where native code
is most likely to differ from the VM: signed zeros, huge and subnormal numbers, NaN and
infinities from math builtins, operations that trap (AT0005, AT0007, AT0006/AT0103),
short-circuit operators with side effects, array value semantics, recursion.

Well-typed by construction: every expression is generated for a type, every variable is
recorded with its type and whether it may be assigned. Terminating by construction:
loops count to small literal bounds (or over arrays of at most `array_length`
elements), and functions call only functions declared before them, except through one
recursive call site per recursive function, which passes `n - 1` for a depth parameter
`n` that callers set to a small literal. Each body has a cost cap (statements executed,
multiplied by enclosing loop trips, plus the costs of callees) so that nesting loops
and calls never multiplies into a long run.

`generate(choices, size)` returns the program text; `programs()` is the hypothesis
strategy of the same generator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .choices import Choices, HypothesisChoices, RandomChoices

NUM, BOOL, ARR = "number", "bool", "number[]"

# Recursive functions are entered with a depth of at most this (a literal).
MAX_RECURSION_DEPTH = 6

# Depths of the occasional deep linear recursion, around the call-depth limit (10,000).
DEEP_RECURSION_DEPTHS = (200, 9_997, 9_998, 9_999, 10_000, 10_001, 30_000)

SMALL_LITERALS = (0, 1, 2, 3, 4, 5, 7, 10, 0.5, 1.5, 2.5, 0.25, 100)
# Edge values whose arithmetic rarely overflows (the only ones of programs without hazards).
TAME_EDGE_LITERALS = (
    5e-324, 2.2250738585072014e-308, 1e-300, 1e-7, 0.1, 0.3, 123.456, 9007199254740993,
    0.49999999999999994, 4294967296, 3.5, 2.5,
)  # fmt: skip
EDGE_LITERALS = (
    0, 1e308, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e-300, 1e-7,
    9007199254740992, 9007199254740993, 4294967296, 1e16, 1e22, 0.1, 0.3, 123.456,
    0.49999999999999994, 2.5, 3.5, 1e300, 65536, 1e154,
)  # fmt: skip
# Expressions that never trap but yield NaN, infinities, signed zeros or values where
# rounding and IEEE min/max rules matter; `{}` takes a number.
SPECIAL_VALUES = (
    "sqrt(-1)", "log(0)", "-log(0)", "pow(10, 400)", "-pow(10, 400)", "(0 * -1)", "asin(2)",
    "log(-0)", "pow(-0, -1)", "pow(0, -1)", "acos(-1.5)", "sqrt(-0)", "round(-0.5)", "round(-0.4)",
    "ceil(-0.5)", "floor(-0)", "sign(-0)", "min(0, -0)", "max(-0, 0)", "min(-0, 0)", "max(0, -0)",
    "min(sqrt(-1), {})", "max({}, sqrt(-1))", "clamp(sqrt(-1), 0, 1)", "clamp({}, sqrt(-1), 1)",
    "clamp({}, 1, 0)", "round(0.49999999999999994)", "round(2.5)", "round(-2.5)", "round(3.5)",
    "round(4503599627370497)", "round(-4503599627370497.5)", "pow(-8, 1 / 3)", "pow(sqrt(-1), 0)",
    "pow(1, sqrt(-1))", "pow(-1, pow(10, 400))", "atan(pow(10, 400))", "sign(sqrt(-1))",
    "abs(-0)", "tan(1e300)", "sin(-0)", "(5e-324 / 2)", "(-5e-324 / 2)", "(-1 % 1)",
    "(-0 % 5)", "(-7 % 7)", "(1e308 - 1e308)", "(-({}) * 0)", "min({}, -0)", "max(-0, {})",
    "floor(-0.5)", "ceil(-0.1)", "round(-0)", "abs(sqrt(-1))", "-sqrt(-1)", "sqrt(pow(10, 400))",
    "min(log(0), {})", "max(-log(0), {})", "sign(-log(0))", "floor(log(0))", "pow(-0, 3)",
    "pow(-0, 0.5)", "pow(-pow(10, 400), 3)", "pow(2, -1074)", "pow(2, -1075)", "pow(2, 1023.9)",
    "(1.7976931348623157e308 + 9e291)", "(0.1 + 0.2)", "(1e16 + 1)", "(9007199254740992 + 1)",
)  # fmt: skip
# Indexes at the edges: negative zero, fractions, huge, NaN, infinities.
EDGE_INDEXES = (
    "-0", "0.5", "-1", "1e300", "4294967296", "9007199254740993", "1e22", "sqrt(-1)", "log(0)",
    "-log(0)", "5e-324", "2147483648", "-2147483649", "18446744073709551616",
    "0.9999999999999999", "-0.5", "(0 * -1)", "1.0000000000000002",
)  # fmt: skip
INTRINSICS = {
    "abs": 1, "floor": 1, "ceil": 1, "round": 1, "sqrt": 1, "log": 1, "sin": 1, "cos": 1,
    "tan": 1, "asin": 1, "acos": 1, "atan": 1, "sign": 1, "min": 2, "max": 2, "pow": 2,
    "clamp": 3,
}  # fmt: skip
ARITHMETIC = ("+", "-", "*", "/", "%")
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
# Bounds of escape tests (`x * x + y * y <= 4`), which the JIT's ranges learn from:
# ordinary, zero (a square that underflows to 0 passes), tiny and huge.
ESCAPE_BOUNDS = ("4", "1", "0.25", "0", "1e-300", "5e-324", "1e308", "100")


@dataclass(frozen=True)
class FuzzSize:
    """How big generated programs get."""

    functions: int = 6
    globals: int = 5
    function_statements: int = 7
    block_statements: int = 4
    main_statements: int = 14
    expression_depth: int = 3
    loop_depth: int = 2
    array_length: int = 6
    max_arity: int = 8
    function_budget: int = 400  # cost cap of one function body
    budget: int = 20_000  # cost cap of the top-level code (callees included)


SMALL = FuzzSize(
    functions=4, globals=3, function_statements=5, block_statements=3, main_statements=8,
    expression_depth=2, function_budget=200, budget=5_000,
)  # fmt: skip


@dataclass
class Variable:
    name: str
    type: str
    assignable: bool  # the generator may assign it (a `var`, not a loop counter)


@dataclass
class Function:
    name: str
    params: list[Variable]
    ret: str | None  # None: no return type (the function returns null)
    cap: int  # cost cap of its body
    recursive: bool = False  # its first parameter is a recursion depth
    group: list[Function] = field(default_factory=list)  # recursive partners (self included)
    prints: bool = False  # may print (which keeps it in the VM)

    @property
    def cost(self) -> int:
        """An upper bound of the cost of one call, its recursion included."""
        if self.recursive:
            return (MAX_RECURSION_DEPTH + 2) * sum(f.cap for f in self.group)
        return self.cap


@dataclass
class Body:
    """The function (or the top-level code) being generated."""

    function: Function | None
    cap: int
    lines: list[str] = field(default_factory=list)
    scopes: list[list[Variable]] = field(default_factory=lambda: [[]])
    spent: int = 0
    multiplier: int = 1  # how often the code being generated may run per body run
    loops: int = 0
    indent: int = 1
    recursion_site_free: bool = False


class ProgramGenerator:
    def __init__(self, choices: Choices, size: FuzzSize = FuzzSize()) -> None:
        self.choices = choices
        self.size = size
        self.globals: list[Variable] = []
        self.functions: list[Function] = []
        self.callable: list[Function] = []  # functions declared so far
        self.body = Body(None, 0)
        self.counter = 0
        # 0: arithmetic that rarely traps (divisors, indexes and math-builtin arguments
        # kept in range); 1: anything goes; 2: also literal zero divisors. Programs stop
        # at their first runtime error, so hazards are dosed per program.
        self.hazard = 0

    # ------------------------------------------------------------ decisions

    def below(self, n: int) -> int:
        return self.choices.below(n)

    def between(self, lo: int, hi: int) -> int:
        return lo + self.below(hi - lo + 1)

    def chance(self, percent: int) -> bool:
        return self.choices.weighted([100 - percent, percent]) == 1

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def one_of(self, options: list[tuple[int, Callable[[], str]]]) -> str:
        """Run one of the weighted options (those with weight > 0)."""
        live = [(w, fn) for w, fn in options if w > 0]
        return live[self.choices.weighted([w for w, _ in live])][1]()

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # ------------------------------------------------------------ the program

    def program(self) -> str:
        size = self.size
        self.hazard = self.choices.weighted([5, 3, 1])
        out = [self.global_declaration() for _ in range(self.between(0, size.globals))]
        self.plan_functions()
        for function in self.functions:
            out += self.function_declaration(function)
            self.callable.append(function)
        out += self.main()
        return "\n".join(out) + "\n"

    def global_declaration(self) -> str:
        t = self.value_type()
        name = self.fresh("g")
        mutable = self.chance(85)
        self.body = Body(None, 10_000, indent=0)
        value = self.expression(t, 1)
        self.globals.append(Variable(name, t, mutable))
        return f"{'var' if mutable else 'let'} {name}: {t} = {value};"

    def value_type(self) -> str:
        return (NUM, BOOL, ARR)[self.choices.weighted([6, 3, 2])]

    def plan_functions(self) -> None:
        """Signatures first, so mutually recursive partners can call each other."""
        size = self.size
        count = self.between(0, size.functions)
        while len(self.functions) < count:
            index = len(self.functions)
            recursive = self.chance(25)
            pair = recursive and index + 1 < count and self.chance(40)
            group: list[Function] = []
            for _ in range(2 if pair else 1):
                function = self.signature(recursive)
                function.group = group
                group.append(function)
                self.functions.append(function)

    def signature(self, recursive: bool) -> Function:
        name = self.fresh("f")
        arity = self.pick((0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8))
        arity = min(arity, self.size.max_arity)
        params = [Variable(f"p{i}", self.param_type(), False) for i in range(arity)]
        if recursive:
            params = [Variable("n", NUM, False), *params[: max(0, arity - 1)]]
        ret_weights = [6, 3, 2, 0 if recursive else 1]
        ret = (NUM, BOOL, ARR, None)[self.choices.weighted(ret_weights)]
        cap = self.between(20, self.size.function_budget)
        return Function(name, params, ret, cap, recursive, prints=self.chance(8))

    def param_type(self) -> str:
        return (NUM, BOOL, ARR)[self.choices.weighted([6, 3, 2])]

    def function_declaration(self, function: Function) -> list[str]:
        params = ", ".join(f"{p.name}: {p.type}" for p in function.params)
        ret = f" -> {function.ret}" if function.ret else ""
        self.body = Body(function, function.cap, scopes=[list(function.params)])
        body = self.body
        if function.recursive:
            base = self.expression(function.ret, 1)
            self.emit(f"if (n <= 0) {{ return {base}; }}")
            body.recursion_site_free = True
        self.statements(self.size.function_statements)
        if function.ret is not None:
            self.emit(f"return {self.expression(function.ret, self.size.expression_depth)};")
        return [f"fn {function.name}({params}){ret} {{", *body.lines, "}"]

    def main(self) -> list[str]:
        self.body = Body(None, self.size.budget, indent=0)
        probes = list(self.functions)
        for _ in range(self.between(0, self.size.main_statements)):
            if probes and self.chance(40):
                self.probe(probes.pop(self.below(len(probes))))
            elif not self.affordable(1) or self.statement():
                break
        for function in probes:
            self.probe(function)
        if self.chance(6):
            self.deep_recursion()
        # Show the final state of the globals.
        for g in self.globals:
            if g.type == ARR:
                self.emit(f"print({g.name}[0]);")
                self.emit(f"print(len({g.name}));")
            else:
                self.emit(f"print({g.name});")
        return self.body.lines

    def probe(self, function: Function) -> None:
        """Call `function` from the top level and show what it returns."""
        if not self.affordable(function.cost):
            return
        call = self.call_of(function, self.size.expression_depth)
        if function.ret in (NUM, BOOL):
            self.emit(f"print({call});")
        elif function.ret == ARR:
            name = self.fresh("r")
            self.emit(f"let {name} = {call};")
            self.emit(f"print(len({name}));")
            self.emit(f"print({name}[0]);")
            self.declare(Variable(name, ARR, False))
        else:
            self.emit(f"{call};")

    def deep_recursion(self) -> None:
        """A linear recursion near the call-depth limit (AT0008 in both tiers, or not),
        entered from the top level, from a loop there, or through another function."""
        name = self.fresh("deep")
        step = self.pick(("1", "n", "0.5"))
        depth = self.pick(DEEP_RECURSION_DEPTHS)
        declarations = [
            f"fn {name}(n: number) -> number {{",
            "    if (n <= 0) { return 0; }",
            f"    return {name}(n - 1) + {step};",
            "}",
        ]
        call = f"{name}({depth})"
        route = self.below(3)
        if route == 1:
            declarations += [
                f"fn {name}_via(n: number) -> number {{",
                f"    return {name}(n) + 1;",
                "}",
            ]
            call = f"{name}_via({depth})"
        self.body.lines[:0] = declarations
        if route == 2:
            counter = self.fresh("i")
            self.emit(f"for (var {counter} = 0; {counter} < 2; {counter}++) {{")
            self.emit(f"    print({call});")
            self.emit("}")
        else:
            self.emit(f"print({call});")

    # ------------------------------------------------------------ statements

    def emit(self, line: str) -> None:
        self.body.lines.append("    " * self.body.indent + line)

    def affordable(self, cost: int) -> bool:
        body = self.body
        return body.spent + cost * body.multiplier <= body.cap

    def spend(self, cost: int) -> None:
        self.body.spent += cost * self.body.multiplier

    def visible(self, t: str, *, assignable: bool = False) -> list[Variable]:
        found = [v for scope in self.body.scopes for v in scope if v.type == t]
        found += [g for g in self.globals if g.type == t]
        return [v for v in found if v.assignable] if assignable else found

    def declare(self, variable: Variable) -> None:
        self.body.scopes[-1].append(variable)

    @contextmanager
    def block(self, trips: int = 1, loop: bool = False) -> Iterator[None]:
        body = self.body
        body.scopes.append([])
        body.indent += 1
        body.multiplier *= trips
        body.loops += loop
        saved_site = body.recursion_site_free
        if loop:
            body.recursion_site_free = False  # a recursive call in a loop could multiply
        try:
            yield
        finally:
            body.scopes.pop()
            body.indent -= 1
            body.multiplier //= trips
            body.loops -= loop
            # A loop had no site to use; any other block may have used it.
            body.recursion_site_free = (
                saved_site if loop else saved_site and body.recursion_site_free
            )

    def statements(self, most: int) -> None:
        """Up to `most` statements; stops after one that always jumps away."""
        for _ in range(self.between(0, most)):
            if not self.affordable(1):
                return
            if self.statement():
                return

    def statement(self) -> bool:
        """One statement; True when it always leaves the block (break, continue, return)."""
        self.spend(1)
        body = self.body
        nested = body.indent - (0 if body.function is None else 1)
        can_nest = nested < 4
        in_loop = body.loops > 0
        may_print = body.function is None or body.function.prints
        jumps: list[str] = []

        def jump(word: str) -> Callable[[], str]:
            def go() -> str:
                jumps.append(word)
                return self.emit_jump(word)

            return go

        self.one_of(
            [
                (6, self.declaration),
                (5, self.assignment),
                (3, self.compound_assignment),
                (3, self.element_assignment),
                (1, self.alias_copy),
                (1, self.snapshot_across_call),
                (3 if can_nest else 0, self.if_statement),
                (2 if can_nest and body.loops < self.size.loop_depth else 0, self.for_loop),
                (1 if can_nest and body.loops < self.size.loop_depth else 0, self.while_loop),
                (1 if can_nest and body.loops < self.size.loop_depth else 0, self.for_in_loop),
                (2 if in_loop else 0, self.guarded_jump),
                (1 if in_loop else 0, jump(self.pick(("break", "continue")))),
                (1 if body.function and body.function.ret else 0, self.guarded_return),
                (2, self.call_statement),
                (6 if may_print and body.function is None else (1 if may_print else 0), self.print_statement),
            ]
        )  # fmt: skip
        return bool(jumps)

    def emit_jump(self, word: str) -> str:
        self.emit(f"{word};")
        return word

    def declaration(self) -> str:
        t = self.value_type()
        value = self.expression(t, self.size.expression_depth)
        mutable = self.chance(75)
        name = self.fresh("v")
        annotation = f": {t}" if self.chance(30) else ""
        self.emit(f"{'var' if mutable else 'let'} {name}{annotation} = {value};")
        self.declare(Variable(name, t, mutable))
        return name

    def assignment(self) -> str:
        t = self.value_type()
        targets = self.visible(t, assignable=True)
        if not targets:
            return self.declaration()
        target = self.pick(targets)
        self.emit(f"{target.name} = {self.expression(t, self.size.expression_depth)};")
        return target.name

    def compound_assignment(self) -> str:
        targets = self.visible(NUM, assignable=True)
        if not targets:
            return self.declaration()
        target = self.pick(targets).name
        kind = self.below(7)
        if kind == 5:
            self.emit(f"{target}++;")
        elif kind == 6:
            self.emit(f"{target}--;")
        else:
            op = ARITHMETIC[kind]
            value = self.divisor(1) if op in ("/", "%") else self.expression(NUM, 2)
            self.emit(f"{target} {op}= {value};")
        return target

    def element_assignment(self) -> str:
        arrays = self.visible(ARR)
        if not arrays:
            return self.declaration()
        target = self.pick(arrays).name
        index = self.index_expression(target)
        kind = self.below(8)
        if kind < 3:
            self.emit(f"{target}[{index}] = {self.expression(NUM, 2)};")
        elif kind < 6:
            op = self.pick(ARITHMETIC)
            value = self.divisor(1) if op in ("/", "%") else self.expression(NUM, 2)
            self.emit(f"{target}[{index}] {op}= {value};")
        else:
            self.emit(f"{target}[{index}]{'++' if kind == 6 else '--'};")
        return target

    def alias_copy(self) -> str:
        """`var b = a; b[i] = v;` then both are used: arrays are values."""
        arrays = self.visible(ARR)
        if not arrays:
            return self.declaration()
        source = self.pick(arrays).name
        name = self.fresh("v")
        self.emit(f"var {name} = {source};")
        self.emit(f"{name}[{self.index_expression(name)}] = {self.expression(NUM, 1)};")
        self.declare(Variable(name, ARR, True))
        if self.body.function is None or self.body.function.prints:
            self.emit(f"print({source}[0] == {name}[0]);")
        return name

    def snapshot_across_call(self) -> str:
        """`let s = a; f(...);` then `s` still holds what `a` held, whatever `f` did."""
        arrays = self.visible(ARR)
        call = self.call(None, 1, statement=True) if arrays else None
        if call is None:
            return self.declaration()
        source = self.pick(arrays).name
        name = self.fresh("v")
        self.emit(f"let {name} = {source};")
        self.emit(f"{call};")
        self.declare(Variable(name, ARR, False))
        if self.body.function is None or self.body.function.prints:
            self.emit(f"print({name}[0] - {source}[0]);")
            self.emit(f"print(len({name}) - len({source}));")
        return name

    def if_statement(self) -> str:
        condition = self.expression(BOOL, self.size.expression_depth)
        self.emit(f"if ({condition}) {{")
        with self.block():
            self.statements(self.size.block_statements)
        if self.chance(50):
            self.emit("} else {")
            with self.block():
                self.statements(self.size.block_statements)
        self.emit("}")
        return "if"

    def loop_condition(self, base: str) -> str:
        if self.chance(20):
            return f"{base} && {self.expression(BOOL, 2)}"
        return base

    def for_loop(self) -> str:
        counter = self.fresh("i")
        arrays = self.visible(ARR)
        form = self.below(5)
        if form == 4 and arrays:
            array = self.pick(arrays).name
            trips, head = (
                self.size.array_length,
                f"var {counter} = 0; {counter} < len({array}); {counter}++",
            )
        else:
            start, stop = self.between(0, 2), self.between(0, 7)
            step = self.pick((1, 1, 1, 2, 0.5, 0.75))
            if step != int(step):
                counter = "j" + counter[1:]
            trips = max(0, math.ceil((stop - start) / step))
            if form == 3:  # counting down
                head = f"var {counter} = {stop}; {counter} > {start}; {counter}--"
                trips = max(0, stop - start)
            elif step == 1:
                head = f"var {counter} = {start}; {counter} < {stop}; {counter}++"
            else:
                head = f"var {counter} = {start}; {counter} < {stop}; {counter} += {step}"
        trips = max(trips, 1)
        if not self.affordable(trips * 2):
            return self.declaration()
        head_parts = head.split("; ")
        with self.block(trips, loop=True):  # the condition runs once per trip
            head_parts[1] = self.loop_condition(head_parts[1])
        self.emit(f"for ({'; '.join(head_parts)}) {{")
        with self.block(trips, loop=True):
            self.declare(Variable(counter, NUM, False))
            self.statements(self.size.block_statements)
        self.emit("}")
        return "for"

    def while_loop(self) -> str:
        counter = self.fresh("w")
        trips = self.between(0, 6)
        if not self.affordable(max(trips, 1) * 2):
            return self.declaration()
        self.emit(f"var {counter} = 0;")
        self.declare(Variable(counter, NUM, False))
        forever = self.chance(25)  # `while (true)` left by a break
        with self.block(max(trips, 1), loop=True):
            condition = "true" if forever else self.loop_condition(f"{counter} < {trips}")
        self.emit(f"while ({condition}) {{")
        with self.block(max(trips, 1), loop=True):
            if forever:
                self.emit(f"if ({counter} >= {trips}) {{ break; }}")
            self.emit(
                self.pick((f"{counter} = {counter} + 1;", f"{counter}++;", f"{counter} += 1;"))
            )
            self.statements(self.size.block_statements)
        self.emit("}")
        return "while"

    def for_in_loop(self) -> str:
        trips = self.size.array_length
        if not self.affordable(trips * 2):
            return self.declaration()
        source = self.expression(ARR, 1)
        element = self.fresh("x")
        self.emit(f"for {element} in {source} {{")
        with self.block(trips, loop=True):
            self.declare(Variable(element, NUM, False))
            self.statements(self.size.block_statements)
        self.emit("}")
        return "for-in"

    def guarded_jump(self) -> str:
        condition = self.expression(BOOL, 2)
        self.emit(f"if ({condition}) {{ {self.pick(('break', 'continue'))}; }}")
        return "jump"

    def guarded_return(self) -> str:
        function = self.body.function
        assert function is not None and function.ret is not None
        condition = self.expression(BOOL, 2)
        self.emit(f"if ({condition}) {{ return {self.expression(function.ret, 2)}; }}")
        return "return"

    def call_statement(self) -> str:
        call = self.call(None, 2, statement=True)
        if call is None:
            return self.declaration()
        self.emit(f"{call};")
        return call

    def print_statement(self) -> str:
        t = (NUM, BOOL)[self.choices.weighted([3, 1])]
        if t == NUM and self.chance(15):  # printing never traps: show NaN, inf, -0
            self.emit(f"print({self.special_value()});")
        else:
            self.emit(f"print({self.expression(t, self.size.expression_depth)});")
        return "print"

    # ------------------------------------------------------------ expressions

    def expression(self, t: str, depth: int) -> str:
        if t == NUM:
            return self.number(depth)
        if t == BOOL:
            return self.boolean(depth)
        return self.array(depth)

    def number(self, depth: int) -> str:
        if depth <= 0:
            return self.number_leaf()
        call_weight = 2 if self.callees(NUM) else 0
        return self.one_of(
            [
                (3, self.number_leaf),
                (6, lambda: self.arithmetic(depth)),
                (1, lambda: f"-({self.number(depth - 1)})"),
                (2, lambda: self.intrinsic(depth)),
                (2 if self.visible(ARR) else 0, lambda: self.index_read(depth)),
                (1, lambda: f"len({self.array(depth - 1)})"),
                (call_weight, lambda: self.call(NUM, depth) or self.number_leaf()),
            ]
        )

    def number_leaf(self) -> str:
        variables = self.visible(NUM)
        return self.one_of(
            [
                (1 if self.hazard else 0, self.special_value),
                (4, lambda: literal(self.pick(SMALL_LITERALS))),
                (
                    2,
                    lambda: literal(
                        self.pick(TAME_EDGE_LITERALS if self.hazard == 0 else EDGE_LITERALS),
                        negative=self.chance(40),
                    ),
                ),
                (1, lambda: "-0"),
                (8 if variables else 0, lambda: self.pick(variables).name),
            ]
        )

    def special_value(self) -> str:
        template = self.pick(SPECIAL_VALUES)
        return template.replace("{}", self.number_leaf()) if "{}" in template else template

    def arithmetic(self, depth: int) -> str:
        op = ARITHMETIC[self.choices.weighted([4, 3, 3, 2, 2])]
        left = self.number(depth - 1)
        if op not in ("/", "%"):
            right = self.number(depth - 1)
        else:  # mostly divisors that are not zero, so that programs get somewhere
            right = self.one_of(
                [
                    (12, lambda: literal(self.pick(SMALL_LITERALS[1:]), negative=self.chance(30))),
                    (12, lambda: self.divisor(depth - 1)),
                    (1 if self.hazard == 2 else 0, lambda: self.pick(("0", "-0", "(0 * -1)"))),
                ]
            )
        return f"({left} {op} {right})"

    def divisor(self, depth: int) -> str:
        if self.hazard == 0:
            return f"(abs({self.number(depth)}) + 1)"
        return self.number(depth)

    def intrinsic(self, depth: int) -> str:
        name = self.pick(sorted(INTRINSICS))
        args = [self.number(depth - 1) for _ in range(INTRINSICS[name])]
        if self.hazard == 0:  # arguments inside the domain, results finite
            if name in ("sqrt", "log"):
                args[0] = f"abs({args[0]}) + 1"
            elif name in ("asin", "acos"):
                args[0] = f"sin({args[0]})"
            elif name == "tan":
                args[0] = f"atan({args[0]})"
            elif name == "pow":
                args[1] = self.pick(("0", "1", "2", "0.5", "-1"))
                args[0] = f"abs({args[0]}) + 1"
            elif name == "clamp":
                args[1], args[2] = sorted((self.between(-5, 5), self.between(-5, 5)))
                args[1:] = [str(a) for a in args[1:]]
        return f"{name}({', '.join(args)})"

    def index_read(self, depth: int) -> str:
        array = self.pick(self.visible(ARR)).name
        return f"{array}[{self.index_expression(array, depth - 1)}]"

    def index_expression(self, array: str, depth: int = 1) -> str:
        """Mostly in bounds (every array has at least one element); sometimes anything."""
        counters = [v.name for v in self.visible(NUM) if v.name[0] in "ijx"]
        whole = [name for name in counters if name[0] == "i"]
        risky = 0 if self.hazard == 0 else 1
        return self.one_of(
            [
                (4, lambda: "0"),
                (2, lambda: f"len({array}) - 1"),
                (2 if whole else 0, lambda: f"{self.pick(whole)} % len({array})"),
                (risky, lambda: str(self.below(3))),
                (2 * risky if counters else 0, lambda: self.pick(counters)),
                (risky, lambda: self.number(max(depth, 0))),
                (2 * risky, lambda: self.pick(EDGE_INDEXES)),
            ]
        )

    def boolean(self, depth: int) -> str:
        variables = self.visible(BOOL)
        leaf: list[tuple[int, Callable[[], str]]] = [
            (2, lambda: self.pick(("true", "false"))),
            (6 if variables else 0, lambda: self.pick(variables).name),
        ]
        if depth <= 0:
            if not variables:
                return self.comparison(0)
            return self.one_of(leaf)
        return self.one_of(
            [
                *leaf,
                (6, lambda: self.comparison(depth)),
                (1, lambda: f"({self.boolean(depth - 1)} {self.pick(('==', '!='))} {self.boolean(depth - 1)})"),
                (4, lambda: f"({self.boolean(depth - 1)} {self.pick(('&&', '||'))} {self.boolean(depth - 1)})"),
                (2, lambda: f"!({self.boolean(depth - 1)})"),
                (2 if self.callees(BOOL) else 0, lambda: self.call(BOOL, depth) or "true"),
            ]
        )  # fmt: skip

    def comparison(self, depth: int) -> str:
        numbers = [v.name for v in self.visible(NUM)]
        if self.hazard and numbers and self.chance(8):
            return self.escape_test(numbers)
        op = self.pick(COMPARISONS)
        left, right = self.number(depth - 1), self.number(depth - 1)
        if self.chance(20):  # comparisons never trap: NaN, infinities and -0 are safe here
            left = self.special_value()
        return f"({left} {op} {right})" if self.chance(50) else f"({right} {op} {left})"

    def escape_test(self, numbers: list[str]) -> str:
        """A bound on a square or a sum of squares of variables (an escape test): the
        JIT's ranges bound the variables on the edge where it holds. Squares may
        overflow (AT0007), so only in programs with hazards."""
        x, y = self.pick(numbers), self.pick(numbers)
        squares = f"{x} * {x}" if self.chance(40) else f"{x} * {x} + {y} * {y}"
        return f"({squares} {self.pick(('<', '<='))} {self.pick(ESCAPE_BOUNDS)})"

    def array(self, depth: int) -> str:
        variables = self.visible(ARR)
        return self.one_of(
            [
                (3, lambda: self.array_literal(depth)),
                (6 if variables else 0, lambda: self.pick(variables).name),
                (2 if depth > 0 and self.callees(ARR) else 0, lambda: self.call(ARR, depth) or self.array_literal(depth)),
            ]
        )  # fmt: skip

    def array_literal(self, depth: int) -> str:
        if self.chance(1):  # longer than the JIT builds inline (64 computed elements)
            values = [self.number_leaf() for _ in range(self.between(62, 70))]
            return "[" + ", ".join(values) + "]"
        count = self.between(1, self.size.array_length)
        return "[" + ", ".join(self.number(min(depth - 1, 1)) for _ in range(count)) + "]"

    # ------------------------------------------------------------ calls

    def callees(self, ret: str | None, *, statement: bool = False) -> list[Function]:
        """Functions whose call fits the budget here (and, unless `statement`, return `ret`)."""
        found = [
            f for f in self.callable if (statement or f.ret == ret) and self.affordable(f.cost)
        ]
        body = self.body
        if body.recursion_site_free and body.function is not None:
            found += [
                f for f in body.function.group if (statement or f.ret == ret) and f not in found
            ]
        return found

    def call(self, ret: str | None, depth: int, *, statement: bool = False) -> str | None:
        candidates = self.callees(ret, statement=statement)
        if not candidates:
            return None
        return self.call_of(self.pick(candidates), depth)

    def call_of(self, function: Function, depth: int) -> str:
        body = self.body
        recursing = body.function is not None and function in body.function.group
        if recursing:
            body.recursion_site_free = False
        else:
            self.spend(function.cost)
        args = []
        for i, param in enumerate(function.params):
            if i == 0 and function.recursive:
                depth_arg = "n - 1" if recursing else str(self.between(0, MAX_RECURSION_DEPTH))
                args.append(depth_arg)
            else:
                args.append(self.expression(param.type, max(depth - 1, 0)))
        return f"{function.name}({', '.join(args)})"


def literal(value: float, *, negative: bool = False) -> str:
    if isinstance(value, int) or (value.is_integer() and abs(value) < 2**53):
        text = str(int(value))
    else:
        text = repr(value)
    return f"-{text}" if negative else text


def generate(choices: Choices, size: FuzzSize = FuzzSize()) -> str:
    """One program, decided by `choices`."""
    return ProgramGenerator(choices, size).program()


def generate_from_seed(seed: int | str, size: FuzzSize = FuzzSize()) -> str:
    return generate(RandomChoices(seed), size)


def programs(size: FuzzSize = SMALL):
    """The hypothesis strategy: programs whose decisions hypothesis draws (and shrinks)."""
    from hypothesis import strategies as st

    @st.composite
    def program(draw) -> str:
        return generate(HypothesisChoices(draw), size)

    return program()
