"""Turn a formula written as text into a SymPy expression, safely and predictably.

The text is read with Python's own parser (:func:`ast.parse`) and then translated node by node;
nothing is ever evaluated, so a formula can't run code. Unlike :func:`sympy.sympify`, every
name that is not called as a function becomes a real-valued :class:`sympy.Symbol`, including
names SymPy would otherwise take over (``gamma``, ``beta``, ``S``, ``N``, ``E``, ``lambda_``).
Only ``pi`` means the constant. Decimal numbers are kept exact (``0.1`` is ``1/10``), and
``^`` is accepted as a power, as on paper.

Example:
    >>> parse_formula("gamma*x**2 + beta^2 + pi")
    beta**2 + gamma*x**2 + pi
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from fractions import Fraction

import sympy as sp

from neurogebra.core.naming import did_you_mean

__all__ = ["FUNCTIONS", "FormulaError", "as_real_symbols", "parse_formula", "real_symbol"]


class FormulaError(ValueError):
    """A formula string that can't be read; the message says where and how to fix it."""


def real_symbol(name: str) -> sp.Symbol:
    """The symbol Neurogebra uses for ``name``: real-valued, so |x|' is sign(x), not a mess."""
    return sp.Symbol(name, real=True)


def as_real_symbols(expr: sp.Expr) -> sp.Expr:
    """Replace every symbol of a SymPy expression by the real symbol of the same name."""
    return expr.xreplace({s: real_symbol(s.name) for s in expr.free_symbols})


def _sigmoid(x: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-x))


def _log(x: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    return sp.log(x) if base is None else sp.log(x) / sp.log(base)


# Functions a formula may call. A few shorthands a course uses (sigmoid, relu, softplus) are
# spelled out into plain SymPy, so their gradients and printing need nothing special.
FUNCTIONS: dict[str, Callable[..., sp.Expr]] = {
    "exp": sp.exp,
    "log": _log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "atan2": sp.atan2,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "asinh": sp.asinh,
    "acosh": sp.acosh,
    "atanh": sp.atanh,
    "abs": sp.Abs,
    "Abs": sp.Abs,
    "sign": sp.sign,
    "max": sp.Max,
    "Max": sp.Max,
    "min": sp.Min,
    "Min": sp.Min,
    "Heaviside": sp.Heaviside,
    "heaviside": sp.Heaviside,
    "erf": sp.erf,
    "erfc": sp.erfc,
    "gamma": sp.gamma,
    "loggamma": sp.loggamma,
    "floor": sp.floor,
    "ceiling": sp.ceiling,
    "ceil": sp.ceiling,
    "Piecewise": sp.Piecewise,
    "sigmoid": _sigmoid,
    "relu": lambda x: sp.Max(0, x),
    "softplus": lambda x: sp.log(1 + sp.exp(x)),
}

_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_COMPARE = {
    ast.Lt: sp.Lt,
    ast.LtE: sp.Le,
    ast.Gt: sp.Gt,
    ast.GtE: sp.Ge,
    ast.Eq: sp.Eq,
    ast.NotEq: sp.Ne,
}


def number(value: int | float) -> sp.Expr:
    """An exact SymPy number for a literal: 3 -> 3, 0.1 -> 1/10 (from its shortest decimal)."""
    if isinstance(value, bool):
        return sp.true if value else sp.false
    if isinstance(value, int):
        return sp.Integer(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise FormulaError(f"a formula's number must be finite and real, got {value!r}")
    exact = Fraction(repr(value))
    return sp.Rational(exact.numerator, exact.denominator)


def parse_formula(text: str) -> sp.Expr:
    """Read ``text`` as a formula; raise :class:`FormulaError` naming what is wrong.

    Example:
        >>> parse_formula("Max(0, x)")
        Max(0, x)
    """
    if not isinstance(text, str):
        raise TypeError(f"a formula is a string or a SymPy expression, got {type(text).__name__}")
    if not text.strip():
        raise FormulaError("the formula is empty; write it like 'm*x + b'")
    # '^' means a power on paper; swapping the characters before parsing (rather than mapping
    # Python's XOR node) also gives it a power's precedence: a + b^2 is a + b**2.
    source = text.strip().replace("^", "**")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        hint = ""
        if re.search(r"\blambda\b", text):
            hint = " ('lambda' is reserved in Python: name the symbol lambda_)"
        implicit = re.search(r"(\d)\s*([A-Za-z_]\w*|\()|(\))\s*([A-Za-z_]\w*|\d+|\()", text)
        if implicit and not hint:
            left, right = (
                (implicit.group(1), implicit.group(2))
                if implicit.group(1)
                else (
                    implicit.group(3),
                    implicit.group(4),
                )
            )
            hint = (
                f"; write every multiplication with *: '{left}*{right}', not '{left}{right}' "
                "(e.g. 2*x, not 2x)"
            )
        raise FormulaError(f"can't read the formula {text!r}: {error.msg}{hint}") from None
    return _Translator(source).visit(tree.body)


class _Translator:
    """Walks the syntax tree and builds the SymPy expression; rejects anything else."""

    def __init__(self, text: str) -> None:
        self.text = text

    def fail(self, node: ast.AST, problem: str) -> FormulaError:
        piece = ast.get_source_segment(self.text.strip(), node) or ""
        return FormulaError(f"in the formula {self.text!r}, {piece!r}: {problem}")

    def visit(self, node: ast.AST) -> sp.Basic:
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](self.visit(node.left), self.visit(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.visit(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return number(node.value)
        if isinstance(node, ast.Name):
            return sp.pi if node.id == "pi" else real_symbol(node.id)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Tuple):
            return sp.Tuple(*(self.visit(item) for item in node.elts))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            join = sp.And if isinstance(node.op, ast.And) else sp.Or
            return join(*(self.visit(value) for value in node.values))
        raise self.fail(
            node,
            "is not part of the formula language (numbers, names, + - * / ** ^, comparisons "
            "and function calls such as exp(x))",
        )

    def call(self, node: ast.Call) -> sp.Basic:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only named functions can be called, e.g. exp(x)")
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.fail(node, f"unknown function {name!r}{did_you_mean(name, FUNCTIONS)}")
        if node.keywords:
            raise self.fail(node, "functions take positional arguments only")
        args = [self.visit(arg) for arg in node.args]
        try:
            return FUNCTIONS[name](*args)
        except (TypeError, ValueError) as error:
            raise self.fail(node, f"bad arguments for {name}: {error}") from None

    def compare(self, node: ast.Compare) -> sp.Basic:
        left = self.visit(node.left)
        parts = []
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if type(op) not in _COMPARE:
                raise self.fail(node, "only < <= > >= == != comparisons are allowed")
            right = self.visit(right_node)
            parts.append(_COMPARE[type(op)](left, right))
            left = right
        return parts[0] if len(parts) == 1 else sp.And(*parts)
