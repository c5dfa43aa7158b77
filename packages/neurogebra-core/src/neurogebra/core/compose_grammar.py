"""The small, safe language of ``MathForge.compose``: repository names, numbers, ``+ - * /``
and parentheses.

The text is split into a syntax tree by :func:`ast.parse` (parsing only; nothing is evaluated),
and every node must be one of the few allowed kinds; names are looked up in the repository and
combined with Expression arithmetic. Anything else (attribute access, calls, powers,
subscripts...) is refused with a message naming the offending piece.

Example:
    >>> from neurogebra import MathForge
    >>> MathForge().compose("mse + 0.1*mae").formula
    '(y_pred - y_true)**2 + Abs(y_pred - y_true)/10'
"""

from __future__ import annotations

import ast
import numbers
from collections.abc import Callable

from neurogebra.core.expression import Expression

__all__ = ["CompositionError", "compose_text"]

Term = Expression | float

_OPERATORS: dict[type, Callable[[Term, Term], Term]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


class CompositionError(ValueError):
    """A composition text outside the grammar; the message names the piece and the fix."""


def compose_text(text: str, lookup: Callable[[str], Expression]) -> Expression:
    """Build the Expression that ``text`` describes, fetching names with ``lookup``."""
    if not isinstance(text, str) or not text.strip():
        raise CompositionError("compose() needs a text such as 'mse + 0.1*mae'")
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise CompositionError(f"can't read {text!r}: {error.msg}") from None

    def fail(node: ast.AST, problem: str) -> CompositionError:
        piece = ast.get_source_segment(source, node) or source
        return CompositionError(f"in {text!r}, {piece!r} {problem}")

    def visit(node: ast.AST) -> Term:
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](visit(node.left), visit(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            value = visit(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Constant) and isinstance(node.value, numbers.Real):
            if isinstance(node.value, bool):
                raise fail(node, "is not a number")
            return float(node.value) if isinstance(node.value, float) else int(node.value)
        if isinstance(node, ast.Name):
            return lookup(node.id)
        raise fail(
            node,
            "is not allowed here: compose() accepts repository names, numbers, + - * / and "
            "parentheses, e.g. 'mse + 0.1*mae'",
        )

    try:
        result = visit(tree.body)
    except ZeroDivisionError:
        raise CompositionError(f"{text!r} divides a number by zero") from None
    if not isinstance(result, Expression):
        raise CompositionError(f"{text!r} names no formula; use names such as 'mse' or 'relu'")
    result.name = source
    return result
