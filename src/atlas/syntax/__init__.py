"""Syntax: source text -> tokens -> AST (reference sections 1 and 2)."""
