"""Parser: tokens -> AST (reference section 2), recursive descent.

Every parser diagnostic has code AT1000 and the exact message of reference 6.4. After an
error the parser skips to a statement boundary (2.8) and goes on, so that one run
reports all syntax errors of a file.
"""

from __future__ import annotations

import math

from ..diagnostics import Diagnostic
from ..limits import (
    MAX_DIAGNOSTICS,
    MAX_NESTING_DEPTH,
    NESTING_MESSAGE,
    TOO_MANY_DIAGNOSTICS_NOTE,
    ensure_recursion_headroom,
)
from ..source import SourceFile, Span
from . import ast
from .lexer import tokenize_with_docs
from .tokens import Token, TokenKind

K = TokenKind

# Keywords that get "Cannot use reserved keyword" when a name is expected.
RESERVED_NAME_KEYWORDS = {
    K.Let, K.Var, K.Fn, K.Type, K.If, K.Else, K.While, K.For, K.Return, K.Break,
    K.Continue, K.True_, K.False_, K.Null, K.Import, K.Match, K.Is,
}  # fmt: skip
FUTURE_KEYWORDS = {K.Import, K.Match}

# Tokens where error recovery stops (reference 2.8), plus `}` which ends a block.
SYNC_KEYWORDS = {K.Fn, K.Type, K.Let, K.Var, K.If, K.While, K.For, K.Return}

ASSIGN_OPS = {
    K.PlusEqual: "+", K.MinusEqual: "-", K.StarEqual: "*", K.SlashEqual: "/", K.PercentEqual: "%",
}  # fmt: skip
EXTERN_TYPES = ("CInt", "CLong", "CDouble", "CCharPtr", "CVoid", "CBool")

# Binary operators and their precedence, loosest first (reference 2.5); all left-assoc.
BINARY_PRECEDENCE: dict[TokenKind, tuple[int, str]] = {
    K.PipePipe: (1, "||"),
    K.AmpAmp: (2, "&&"),
    K.EqualEqual: (3, "=="), K.BangEqual: (3, "!="),
    K.Less: (4, "<"), K.LessEqual: (4, "<="), K.Greater: (4, ">"), K.GreaterEqual: (4, ">="),
    K.Plus: (5, "+"), K.Minus: (5, "-"),
    K.Star: (6, "*"), K.Slash: (6, "/"), K.Percent: (6, "%"),
}  # fmt: skip


class ParseError(Exception):
    """Raised to unwind to the nearest recovery point; the diagnostic is already recorded."""


class TooManyErrors(Exception):
    """Raised to stop parsing at the diagnostics limit (no recovery point catches it)."""


class Parser:
    def __init__(self, source: SourceFile, tokens: list[Token], docs: list[tuple[int, int, str]]):
        self.source = source
        self.tokens = tokens
        self.docs = docs
        self.pos = 0
        self.depth = 0
        self.diagnostics: list[Diagnostic] = []
        # id(expr) -> (expr, its span including the parentheses around it), so that an
        # expression built on a parenthesised operand spans the parentheses too.
        self.parenthesised: dict[int, tuple[ast.Expr, Span]] = {}

    # ------------------------------------------------------------------ helpers

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def at(self, kind: TokenKind) -> bool:
        return self.tokens[self.pos].kind is kind

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.kind is not K.Eof:
            self.pos += 1
        return tok

    def accept(self, kind: TokenKind) -> Token | None:
        if self.tokens[self.pos].kind is kind:
            return self.advance()
        return None

    def fail(self, message: str, span: Span | None = None) -> ParseError:
        span = span or self.tok.span
        diagnostic = Diagnostic("error", "AT1000", message, "syntax", self.source, span)
        self.diagnostics.append(diagnostic)
        if len(self.diagnostics) >= MAX_DIAGNOSTICS:
            diagnostic.notes.append(TOO_MANY_DIAGNOSTICS_NOTE)
            raise TooManyErrors
        return ParseError(message)

    def expect(self, kind: TokenKind, message: str) -> Token:
        if self.tokens[self.pos].kind is kind:
            return self.advance()
        raise self.fail(message)

    def expect_semicolon(self, after: str) -> Token:
        return self.expect(K.Semicolon, f"Expected ';' after {after}")

    def expect_name(self, context: str) -> Token:
        tok = self.tok
        if tok.kind is K.Identifier:
            return self.advance()
        if tok.kind in RESERVED_NAME_KEYWORDS:
            suffix = ". This keyword is reserved for future use" if tok.kind in FUTURE_KEYWORDS else ""
            raise self.fail(f"Cannot use reserved keyword '{tok.kind.value}' as {context}{suffix}")
        raise self.fail(f"Expected {context} but found {tok.kind.display_name}")

    def span_from(self, start: Span) -> Span:
        prev = self.tokens[self.pos - 1] if self.pos > 0 else self.tok
        return Span(start.start, max(start.end, prev.span.end))

    def extent(self, e: ast.Expr) -> Span:
        """The source extent of an operand: its span, widened to enclosing parentheses."""
        found = self.parenthesised.get(id(e))
        return found[1] if found is not None and found[0] is e else e.span

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise self.fail(NESTING_MESSAGE)

    def leave(self) -> None:
        self.depth -= 1

    def synchronize(self, start_pos: int) -> None:
        """Skip to just after a `;`, or to a statement keyword or `}` (reference 2.8)."""
        if self.pos == start_pos:
            self.advance()
        while not self.at(K.Eof):
            kind = self.tok.kind
            if kind is K.Semicolon:
                self.advance()
                return
            if kind in SYNC_KEYWORDS or kind is K.RightBrace:
                return
            self.advance()

    # ------------------------------------------------------------------ program

    def parse_program(self) -> ast.Program:
        items: list[ast.Stmt] = []
        while not self.at(K.Eof):
            start = self.pos
            saved_depth = self.depth
            try:
                items.append(self.item())
            except ParseError:
                self.depth = saved_depth
                self.synchronize(start)
                if self.at(K.RightBrace):  # a stray `}` at top level
                    self.advance()
        return ast.Program(items, self.source)

    def item(self) -> ast.Stmt:
        kind = self.tok.kind
        if kind is K.Import:
            return self.import_decl()
        if kind is K.Export:
            return self.export_decl()
        if kind is K.Type:
            return self.type_alias()
        if kind is K.Trait:
            return self.trait_decl()
        if kind is K.Impl:
            return self.impl_block()
        if kind is K.Extern:
            return self.extern_decl()
        return self.statement()

    def import_decl(self) -> ast.Import:
        start = self.advance().span
        names: list[ast.ImportName] = []
        namespace = None
        if self.accept(K.Star):
            self.expect(K.As, "Expected 'as' after '*'")
            namespace = self.expect_name("namespace alias").text
        else:
            self.expect(K.LeftBrace, "Expected '{' for named imports")
            while True:
                tok = self.expect_name("import name")
                names.append(ast.ImportName(tok.span, tok.text))
                if not self.accept(K.Comma) or self.at(K.RightBrace):
                    break
            self.expect(K.RightBrace, "Expected '}' after imports")
        self.expect(K.From, "Expected 'from' after imports")
        path_tok = self.expect(K.String, "Expected module path string")
        self.expect_semicolon("import")
        return ast.Import(self.span_from(start), names, str(path_tok.value), path_tok.span, namespace)

    def export_decl(self) -> ast.Stmt:
        start = self.advance().span
        kind = self.tok.kind
        decl: ast.FnDecl | ast.VarDecl | ast.TypeAlias
        if kind is K.Fn:
            decl = self.fn_decl()
        elif kind in (K.Let, K.Var):
            decl = self.var_decl()
        elif kind is K.Type:
            decl = self.type_alias(doc_offset=start.start)
        else:
            raise self.fail("Expected 'fn', 'let', 'var', or 'type' after 'export'")
        decl.exported = True
        decl.span = Span(start.start, decl.span.end)
        return decl

    def doc_before(self, offset: int) -> str | None:
        """The `///` doc comment block that ends right before `offset`, if any."""
        lines: list[str] = []
        text = self.source.text
        end = offset
        for start, stop, doc in reversed(self.docs):
            if stop <= end and not text[stop:end].strip():
                lines.append(doc)
                end = start
            elif stop <= end:
                break
        return "\n".join(reversed(lines)) if lines else None

    def type_alias(self, doc_offset: int | None = None) -> ast.TypeAlias:
        """`type Name<T> = type;` (`doc_offset`: where its doc comment ends, for `export`)."""
        start = self.advance().span
        name = self.expect_name("a type alias name")
        params = self.type_params()
        self.expect(K.Equal, "Expected '=' after type alias name")
        type_ann = self.type_expr()
        self.expect_semicolon("type alias")
        return ast.TypeAlias(
            self.span_from(start), name.text, name.span, params, type_ann,
            self.doc_before(start.start if doc_offset is None else doc_offset),
        )  # fmt: skip

    def trait_decl(self) -> ast.TraitDecl:
        start = self.advance().span
        name = self.expect_name("a trait name")
        params = self.type_params()
        self.expect(K.LeftBrace, "Expected '{'")
        methods: list[ast.TraitMethod] = []
        while not self.at(K.RightBrace) and not self.at(K.Eof):
            m_start = self.expect(K.Fn, "Expected '}' after trait body").span
            m_name = self.expect_name("a method name")
            m_type_params = self.type_params()
            self.expect(K.LeftParen, "Expected '('")
            m_params = self.params("Expected ')' after method parameters")
            self.expect(K.Arrow, "Expected '->' after method parameters")
            ret = self.type_expr()
            self.expect_semicolon("trait method signature")
            methods.append(
                ast.TraitMethod(self.span_from(m_start), m_name.text, m_type_params, m_params, ret)
            )
        self.expect(K.RightBrace, "Expected '}' after trait body")
        return ast.TraitDecl(self.span_from(start), name.text, name.span, params, methods)

    def impl_block(self) -> ast.ImplBlock:
        start = self.advance().span
        trait = self.expect_name("a trait name")
        args: list[ast.TypeExpr] = []
        if self.accept(K.Less):
            args = self.type_list(K.Greater, "Expected '>' after type arguments")
        self.expect(K.For, "Expected 'for' after trait name in impl block")
        type_tok = self.tok
        if type_tok.kind is K.Null:
            self.advance()
        else:
            type_tok = self.expect_name("a type name")
        self.expect(K.LeftBrace, "Expected '{'")
        methods: list[ast.FnDecl] = []
        while not self.at(K.RightBrace) and not self.at(K.Eof):
            if not self.at(K.Fn):
                raise self.fail("Expected '}' after impl body")
            methods.append(self.fn_decl(require_return=True))
        self.expect(K.RightBrace, "Expected '}' after impl body")
        return ast.ImplBlock(
            self.span_from(start), trait.text, trait.span, args, type_tok.text, type_tok.span, methods
        )

    def extern_decl(self) -> ast.ExternDecl:
        start = self.advance().span
        lib = self.expect(K.String, "Expected library name string")
        self.expect(K.Fn, "Expected 'fn' after library name")
        name = self.expect_name("a function name")
        symbol = None
        if self.accept(K.As):
            symbol = str(self.expect(K.String, "Expected symbol name string").value)
        self.expect(K.LeftParen, "Expected '('")
        params: list[ast.ExternParam] = []
        if not self.at(K.RightParen):
            while True:
                p_name = self.expect_name("a parameter name")
                self.expect(K.Colon, "Expected ':' after parameter name")
                ctype = self.extern_type()
                params.append(ast.ExternParam(self.span_from(p_name.span), p_name.text, ctype))
                if not self.accept(K.Comma):
                    break
        self.expect(K.RightParen, "Expected ')' after parameters")
        self.expect(K.Arrow, "Expected '->'")
        ret = self.extern_type()
        self.expect_semicolon("extern declaration")
        return ast.ExternDecl(
            self.span_from(start), str(lib.value), name.text, name.span, symbol, params, ret
        )

    def extern_type(self) -> str:
        tok = self.expect_name("an extern type")
        if tok.text not in EXTERN_TYPES:
            raise self.fail(
                f"Unknown extern type '{tok.text}'. Valid types: {', '.join(EXTERN_TYPES)}", tok.span
            )
        return tok.text

    # ------------------------------------------------------------ declarations

    def fn_decl(self, require_return: bool = False) -> ast.FnDecl:
        start = self.advance().span  # `fn`
        name = self.expect_name("a function name")
        type_params = self.type_params()
        self.expect(K.LeftParen, "Expected '(' after function name")
        params = self.params("Expected ')' after parameters")
        ret = None
        ownership = None
        predicate = None
        if self.accept(K.Arrow):
            if self.at(K.Own) or self.at(K.Borrow):
                ownership = self.advance().text
            elif self.at(K.Shared):
                raise self.fail(
                    "`shared` is not valid as a return ownership annotation; callers receive a "
                    "`shared<T>` typed value instead"
                )
            ret = self.type_expr()
            if self.at(K.Is):
                p_start = self.advance().span
                p_name = self.expect_name("type predicate parameter")
                self.expect(K.Colon, "Expected ':' after type predicate parameter")
                p_type = self.type_expr()
                predicate = ast.Predicate(self.span_from(p_start), p_name.text, p_type)
        elif require_return:
            raise self.fail("Expected '->' after method parameters")
        body = self.block()
        return ast.FnDecl(
            self.span_from(start), name.text, name.span, type_params, params, ret, body,
            ownership, predicate,
        )  # fmt: skip

    def params(self, close_message: str) -> list[ast.Param]:
        params: list[ast.Param] = []
        while not self.at(K.RightParen):
            start = self.tok.span
            ownership = None
            if self.tok.kind in (K.Own, K.Borrow, K.Shared):
                ownership = self.advance().text
                if not self.at(K.Identifier):
                    raise self.fail(f"Expected parameter name after ownership annotation '{ownership}'")
            name = self.expect_name("a parameter name")
            self.expect(K.Colon, "Expected ':' after parameter name")
            type_ann = self.type_expr()
            params.append(ast.Param(self.span_from(start), name.text, name.span, type_ann, ownership))
            if not self.accept(K.Comma):
                break
        self.expect(K.RightParen, close_message)
        return params

    def type_params(self) -> list[ast.TypeParam]:
        if not self.accept(K.Less):
            return []
        params: list[ast.TypeParam] = []
        while True:
            name = self.expect_name("a type parameter name")
            bound = None
            traits: list[str] = []
            if self.accept(K.Extends):
                bound = self.type_expr()
            if self.accept(K.Colon):
                traits.append(self.expect_name("a trait name").text)
                while self.accept(K.Plus):
                    traits.append(self.expect_name("a trait name").text)
            params.append(ast.TypeParam(self.span_from(name.span), name.text, bound, traits))
            if not self.accept(K.Comma):
                break
        self.expect(K.Greater, "Expected '>' after type parameters")
        return params

    def var_decl(self, terminated: bool = True) -> ast.VarDecl:
        start_tok = self.advance()
        name = self.expect_name("a variable name")
        type_ann = self.type_expr() if self.accept(K.Colon) else None
        self.expect(K.Equal, "Expected '=' in variable declaration")
        init = self.expr()
        if terminated:
            self.expect_semicolon("variable declaration")
        return ast.VarDecl(
            self.span_from(start_tok.span), start_tok.kind is K.Var, name.text, name.span, type_ann, init
        )

    # ---------------------------------------------------------------- types

    def type_expr(self) -> ast.TypeExpr:
        self.enter()
        try:
            first = self.intersection_type()
            if not self.at(K.Pipe):
                return first
            members = [first]
            while self.accept(K.Pipe):
                members.append(self.intersection_type())
            return ast.UnionTypeExpr(first.span.to(members[-1].span), members)
        finally:
            self.leave()

    def intersection_type(self) -> ast.TypeExpr:
        first = self.postfix_type()
        if not self.at(K.Ampersand):
            return first
        members = [first]
        while self.accept(K.Ampersand):
            members.append(self.postfix_type())
        return ast.IntersectionTypeExpr(first.span.to(members[-1].span), members)

    def postfix_type(self) -> ast.TypeExpr:
        t = self.base_type()
        chain = 0
        while self.at(K.LeftBracket):
            chain += 1  # `number[][]...`: every suffix nests the type one deeper
            if self.depth + chain > MAX_NESTING_DEPTH:
                raise self.fail(NESTING_MESSAGE)
            self.advance()
            self.expect(K.RightBracket, "Expected ']' after '[' in array type")
            t = ast.ArrayTypeExpr(self.span_from(t.span), t)
        return t

    def type_list(self, close: TokenKind, message: str) -> list[ast.TypeExpr]:
        if self.at(close):
            raise self.fail("Generic type requires at least one type argument")
        types = [self.type_expr()]
        while self.accept(K.Comma):
            types.append(self.type_expr())
        self.expect(close, message)
        return types

    def base_type(self) -> ast.TypeExpr:
        tok = self.tok
        if tok.kind is K.Null:
            self.advance()
            return ast.NamedTypeExpr(tok.span, "null")
        if tok.kind is K.LeftParen:
            self.advance()
            if self.accept(K.RightParen):
                if not self.accept(K.Arrow):
                    raise self.fail("Unexpected empty type group")
                ret = self.type_expr()
                return ast.FunctionTypeExpr(self.span_from(tok.span), [], ret)
            params = [self.type_expr()]
            while self.accept(K.Comma):
                params.append(self.type_expr())
            self.expect(K.RightParen, "Expected ')' after type list")
            if self.accept(K.Arrow):
                ret = self.type_expr()
                return ast.FunctionTypeExpr(self.span_from(tok.span), params, ret)
            if len(params) > 1:
                raise self.fail("Expected '->' after function type parameters")
            return params[0]
        if tok.kind is K.LeftBrace:
            self.advance()
            members: list[tuple[str, ast.TypeExpr]] = []
            while not self.at(K.RightBrace):
                m_name = self.expect_name("a structural member name")
                self.expect(K.Colon, "Expected ':' after member name")
                members.append((m_name.text, self.type_expr()))
                if not self.accept(K.Comma):
                    break
            if not members:
                raise self.fail("Structural type must include at least one member")
            self.expect(K.RightBrace, "Expected '}' after structural type")
            return ast.StructuralTypeExpr(self.span_from(tok.span), members)
        name = self.expect_name("a type name")
        args: list[ast.TypeExpr] = []
        if self.accept(K.Less):
            args = self.type_list(K.Greater, "Expected '>' after type arguments")
        return ast.NamedTypeExpr(self.span_from(name.span), name.text, args)

    # ------------------------------------------------------------ statements

    def block(self) -> ast.Block:
        start = self.expect(K.LeftBrace, "Expected '{'").span
        self.enter()
        stmts: list[ast.Stmt] = []
        while not self.at(K.RightBrace) and not self.at(K.Eof):
            pos = self.pos
            saved_depth = self.depth
            try:
                stmts.append(self.statement())
            except ParseError:
                self.depth = saved_depth
                self.synchronize(pos)
        self.leave()
        self.expect(K.RightBrace, "Expected '}'")
        return ast.Block(self.span_from(start), stmts)

    def statement(self) -> ast.Stmt:
        kind = self.tok.kind
        if kind in (K.Let, K.Var):
            return self.var_decl()
        if kind is K.Fn:
            return self.fn_decl()
        if kind is K.If:
            return self.if_stmt()
        if kind is K.While:
            return self.while_stmt()
        if kind is K.For:
            return self.for_stmt()
        if kind is K.Return:
            start = self.advance().span
            value = None if self.at(K.Semicolon) else self.expr()
            self.expect_semicolon("return")
            return ast.Return(self.span_from(start), value)
        if kind in (K.Break, K.Continue):
            start = self.advance().span
            self.expect_semicolon(kind.value)
            return ast.Break(start) if kind is K.Break else ast.Continue(start)
        if kind is K.LeftBrace:
            return self.block()
        if kind is K.Import:
            raise self.fail("Import statements are not supported in Atlas v0.1")
        stmt = self.simple_statement()
        self.expect_semicolon(self.semicolon_context(stmt))
        return stmt

    @staticmethod
    def semicolon_context(stmt: ast.Stmt) -> str:
        if isinstance(stmt, ast.Assign):
            return "assignment"
        if isinstance(stmt, ast.CompoundAssign):
            return "compound assignment"
        if isinstance(stmt, ast.IncDec):
            return "increment" if stmt.op == "++" else "decrement"
        return "expression"

    def simple_statement(self) -> ast.Stmt:
        """Expression statement, assignment, compound assignment or `++`/`--` (no `;`)."""
        start = self.tok.span
        if self.tok.kind in (K.PlusPlus, K.MinusMinus):
            op = self.advance().text
            target = self.assign_target(self.postfix())
            return ast.IncDec(self.span_from(start), target, op)
        expr = self.expr()
        kind = self.tok.kind
        if kind is K.Equal:
            self.advance()
            target = self.assign_target(expr)
            value = self.expr()
            return ast.Assign(self.span_from(start), target, value)
        if kind in ASSIGN_OPS:
            self.advance()
            target = self.assign_target(expr)
            value = self.expr()
            return ast.CompoundAssign(self.span_from(start), target, ASSIGN_OPS[kind], value)
        if kind in (K.PlusPlus, K.MinusMinus):
            self.advance()
            target = self.assign_target(expr)
            return ast.IncDec(self.span_from(start), target, kind.value)
        return ast.ExprStmt(expr.span, expr)

    def assign_target(self, expr: ast.Expr) -> ast.Expr:
        if isinstance(expr, ast.Ident | ast.Index):
            return expr
        raise self.fail("Invalid assignment target", expr.span)

    def if_stmt(self) -> ast.If:
        start = self.advance().span
        self.expect(K.LeftParen, "Expected '(' after 'if'")
        cond = self.expr()
        self.expect(K.RightParen, "Expected ')' after if condition")
        then = self.block()
        else_ = self.block() if self.accept(K.Else) else None
        return ast.If(self.span_from(start), cond, then, else_)

    def while_stmt(self) -> ast.While:
        start = self.advance().span
        self.expect(K.LeftParen, "Expected '(' after 'while'")
        cond = self.expr()
        self.expect(K.RightParen, "Expected ')' after while condition")
        body = self.block()
        return ast.While(self.span_from(start), cond, body)

    def for_stmt(self) -> ast.Stmt:
        start = self.advance().span
        if not self.at(K.LeftParen):
            if self.at(K.Identifier) or self.tok.kind in RESERVED_NAME_KEYWORDS:
                var = self.expect_name("variable name after 'for'")
                self.expect(K.In, "Expected 'in' after variable name")
                iterable = self.expr()
                body = self.block()
                return ast.ForIn(self.span_from(start), var.text, var.span, iterable, body)
            raise self.fail("Expected '(' after 'for'")
        self.advance()
        init: ast.Stmt | None = None
        if not self.at(K.Semicolon):
            init = self.var_decl(terminated=False) if self.tok.kind in (K.Let, K.Var) else self.simple_statement()
        self.expect_semicolon("for initializer")
        cond = None if self.at(K.Semicolon) else self.expr()
        self.expect_semicolon("for condition")
        step = None if self.at(K.RightParen) else self.simple_statement()
        self.expect(K.RightParen, "Expected ')' after for clauses")
        body = self.block()
        return ast.For(self.span_from(start), init, cond, step, body)

    # ----------------------------------------------------------- expressions

    def expr(self) -> ast.Expr:
        return self.binary(1)

    def binary(self, min_prec: int) -> ast.Expr:
        """Precedence climbing: one frame per nesting level, not one per operator level."""
        left = self.unary()
        chain = 0
        while True:
            entry = BINARY_PRECEDENCE.get(self.tok.kind)
            if entry is None or entry[0] < min_prec:
                return left
            self.advance()
            chain += 1  # every operator in a chain deepens the (left-leaning) tree
            if self.depth + chain > MAX_NESTING_DEPTH:
                raise self.fail(NESTING_MESSAGE)
            right = self.binary(entry[0] + 1)
            left = ast.Binary(self.extent(left).to(self.extent(right)), entry[1], left, right)

    def unary(self) -> ast.Expr:
        tok = self.tok
        if tok.kind in (K.Minus, K.Bang):
            self.advance()
            self.enter()
            operand = self.unary()
            self.leave()
            return ast.Unary(tok.span.to(self.extent(operand)), tok.text, operand)
        return self.postfix()

    def args(self) -> list[ast.Expr]:
        args: list[ast.Expr] = []
        if not self.at(K.RightParen):
            args.append(self.expr())
            while self.accept(K.Comma):
                args.append(self.expr())
        self.expect(K.RightParen, "Expected ')'")
        return args

    def postfix(self) -> ast.Expr:
        expr = self.primary()
        chain = 0
        while True:
            kind = self.tok.kind
            if kind is K.LeftParen:
                self.advance()
                self.enter()
                args = self.args()
                self.leave()
                expr = ast.Call(self.span_from(self.extent(expr)), expr, args)
            elif kind is K.LeftBracket:
                self.advance()
                self.enter()
                index = self.expr()
                self.leave()
                self.expect(K.RightBracket, "Expected ']'")
                expr = ast.Index(self.span_from(self.extent(expr)), expr, index)
            elif kind is K.Dot:
                self.advance()
                name = self.expect_name("a method or property name")
                args = []
                if self.accept(K.LeftParen):
                    self.enter()
                    args = self.args()
                    self.leave()
                start = self.extent(expr)
                expr = ast.MethodCall(self.span_from(start), expr, name.text, name.span, args)
            elif kind is K.Question:
                self.advance()
                expr = ast.Try(self.span_from(self.extent(expr)), expr)
            else:
                return expr
            chain += 1  # every suffix wraps the expression so far: `a[0][0]`, `f()()`, `x??`
            if self.depth + chain > MAX_NESTING_DEPTH:
                raise self.fail(NESTING_MESSAGE)

    def primary(self) -> ast.Expr:
        tok = self.tok
        kind = tok.kind
        if kind is K.Number:
            self.advance()
            value = float(tok.value)  # type: ignore[arg-type]
            if not math.isfinite(value):
                raise self.fail(f"Invalid number literal: '{tok.text}'", tok.span)
            return ast.NumberLit(tok.span, value)
        if kind is K.String:
            self.advance()
            return ast.StringLit(tok.span, str(tok.value))
        if kind is K.True_ or kind is K.False_:
            self.advance()
            return ast.BoolLit(tok.span, kind is K.True_)
        if kind is K.Null:
            self.advance()
            return ast.NullLit(tok.span)
        if kind is K.Identifier:
            self.advance()
            return ast.Ident(tok.span, tok.text)
        if kind is K.LeftParen:
            self.advance()
            self.enter()
            inner = self.expr()
            self.leave()
            self.expect(K.RightParen, "Expected ')'")
            self.parenthesised[id(inner)] = (inner, self.span_from(tok.span))
            return inner
        if kind is K.LeftBracket:
            self.advance()
            self.enter()
            elements: list[ast.Expr] = []
            if not self.at(K.RightBracket):
                elements.append(self.expr())
                while self.accept(K.Comma):
                    elements.append(self.expr())
            self.leave()
            self.expect(K.RightBracket, "Expected ']'")
            return ast.ArrayLit(self.span_from(tok.span), elements)
        if kind is K.Match:
            return self.match_expr()
        raise self.fail("Expected expression")

    def match_expr(self) -> ast.Match:
        start = self.advance().span
        self.enter()
        scrutinee = self.expr()
        self.expect(K.LeftBrace, "Expected '{' after match expression")
        arms: list[ast.MatchArm] = []
        while not self.at(K.RightBrace):
            if self.at(K.Eof):
                break
            arm_start = self.tok.span
            pattern = self.pattern()
            guard = self.expr() if self.accept(K.If) else None
            self.expect(K.FatArrow, "Expected '=>' after pattern")
            body = self.expr()
            arms.append(ast.MatchArm(self.span_from(arm_start), pattern, guard, body))
            if not self.accept(K.Comma) and not self.at(K.RightBrace):
                raise self.fail("Expected ',' after match arm")
        if not arms:
            raise self.fail("Match expression must have at least one arm")
        self.expect(K.RightBrace, "Expected '}' after match arms")
        self.leave()
        return ast.Match(self.span_from(start), scrutinee, arms)

    # -------------------------------------------------------------- patterns

    def pattern(self) -> ast.Pattern:
        first = self.single_pattern()
        if not self.at(K.Pipe):
            return first
        alternatives = [first]
        while self.accept(K.Pipe):
            alternatives.append(self.single_pattern())
        return ast.OrPattern(first.span.to(alternatives[-1].span), alternatives)

    def single_pattern(self) -> ast.Pattern:
        tok = self.tok
        kind = tok.kind
        if kind is K.Number:
            self.advance()
            return ast.LiteralPattern(tok.span, float(tok.value))  # type: ignore[arg-type]
        if kind is K.String:
            self.advance()
            return ast.LiteralPattern(tok.span, str(tok.value))
        if kind is K.True_ or kind is K.False_:
            self.advance()
            return ast.LiteralPattern(tok.span, kind is K.True_)
        if kind is K.Null:
            self.advance()
            return ast.LiteralPattern(tok.span, None)
        if kind is K.Underscore:
            self.advance()
            return ast.WildcardPattern(tok.span)
        if kind is K.Identifier:
            self.advance()
            if self.accept(K.LeftParen):
                self.enter()
                args: list[ast.Pattern] = []
                if not self.at(K.RightParen):
                    args.append(self.pattern())
                    while self.accept(K.Comma):
                        args.append(self.pattern())
                self.expect(K.RightParen, "Expected ')'")
                self.leave()
                return ast.ConstructorPattern(self.span_from(tok.span), tok.text, args)
            if tok.text == "None":
                return ast.ConstructorPattern(tok.span, "None", [])
            return ast.BindingPattern(tok.span, tok.text)
        if kind is K.LeftBracket:
            self.advance()
            self.enter()
            elements: list[ast.Pattern] = []
            if not self.at(K.RightBracket):
                elements.append(self.single_pattern())
                while self.accept(K.Comma):
                    elements.append(self.single_pattern())
            self.expect(K.RightBracket, "Expected ']'")
            self.leave()
            return ast.ArrayPattern(self.span_from(tok.span), elements)
        raise self.fail("Expected pattern")


def parse(source: SourceFile) -> tuple[ast.Program | None, list[Diagnostic]]:
    """Parse a file. Returns (program, diagnostics); the program is None on any error."""
    ensure_recursion_headroom()
    tokens, lex_errors, docs = tokenize_with_docs(source)
    if lex_errors:
        return None, lex_errors
    parser = Parser(source, tokens, docs)
    try:
        program = parser.parse_program()
    except TooManyErrors:
        return None, parser.diagnostics
    if parser.diagnostics:
        return None, parser.diagnostics
    return program, []
