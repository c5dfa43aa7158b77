"""Plain-English explanations of an Expression, at three levels of detail.

The text is built from the formula itself (its gradient, and the pitfalls its functions bring:
logs of zero, division by zero, kinks, overflow) and from the repository's notes when the
expression came from there (description, usage, domain). The result is an
:class:`Explanation`: a ``str`` that Jupyter renders as Markdown.

Example:
    >>> from neurogebra import Expression
    >>> text = Expression("square", "x**2").explain("intermediate")
    >>> "2*x" in text
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from neurogebra.core.naming import did_you_mean

if TYPE_CHECKING:
    from neurogebra.core.expression import Expression

__all__ = ["LEVELS", "Explanation", "explain_expression", "pitfalls_of"]

LEVELS = ("beginner", "intermediate", "advanced")


class Explanation(str):
    """Explanation text: prints as plain text, shows as formatted Markdown in Jupyter."""

    def _repr_markdown_(self) -> str:
        return str(self)

    def __repr__(self) -> str:  # the REPL shows the text, not a quoted string with \n
        return str(self)


def pitfalls_of(expr: sp.Expr) -> list[str]:
    """Numerical traps that follow from the functions a formula uses."""
    notes = []
    if expr.has(sp.log):
        notes.append(
            "It takes a logarithm: the input of log must stay above 0; at 0 it is -infinity, "
            "so clip probabilities (e.g. to [1e-12, 1]) before using it."
        )
    denominators = [p.base for p in expr.atoms(sp.Pow) if p.exp.is_negative and p.base.free_symbols]
    if denominators:
        notes.append(
            f"It divides by {sp.sstr(denominators[0])}: where that reaches 0 the value and "
            "its gradient blow up."
        )
    if any(p.exp.is_Rational and not p.exp.is_integer for p in expr.atoms(sp.Pow)):
        notes.append(
            "It takes a square root (or another fractional power): negative inputs give nan, "
            "and the slope is infinite at 0."
        )
    if expr.has(sp.exp):
        notes.append(
            "It uses exp, which overflows to infinity for inputs above about 709; shift "
            "inputs (e.g. subtract the maximum) when they can be large."
        )
    if expr.has(sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.Piecewise, sp.sign, sp.floor):
        notes.append(
            "It has a corner or a jump (max, min, |x|, a step or cases): the gradient is not "
            "defined at the switching point, and is zero wherever the formula is flat, so "
            "nothing is learned there."
        )
    return notes


# Example inputs for symbols free to be any real number: small, distinct, easy to check.
_PLAIN_EXAMPLES = (1.0, 0.5, 2.0, -1.0, 1.5, 3.0)


def _example_point(expression: Expression) -> dict[str, float]:
    sample = expression.metadata.get("sample") or {}
    point = {}
    for i, var in enumerate(expression.variables):
        if var in sample:
            low, high = sample[var]
            point[var] = round((low + 2 * high) / 3, 2)
        else:
            point[var] = _PLAIN_EXAMPLES[i % len(_PLAIN_EXAMPLES)]
    return point


def _example_sentence(expression: Expression) -> str:
    point = _example_point(expression)
    try:
        value = expression.eval(**point)
    except Exception:  # an example is a nicety; never fail an explanation over it
        return ""
    where = ", ".join(f"{k} = {v:g}" for k, v in point.items()) or "no inputs"
    return f"For example, at {where} it gives {float(value):.4g}."


def _describe(expression: Expression) -> str:
    description = expression.metadata.get("description")
    if description:
        return description
    inputs = ", ".join(expression.variables) or "no inputs"
    text = f"It computes {expression.formula} from {inputs}"
    if expression.params:
        text += " with the parameters " + ", ".join(
            f"{k} = {v:g}" for k, v in expression.params.items()
        )
    return text + "."


def _gradient_lines(expression: Expression, include_params: bool) -> list[str]:
    lines = []
    for var, grad in expression.gradients(include_params=include_params).items():
        lines.append(f"- ∂{expression.name}/∂{var} = `{grad.formula}`")
    return lines or ["- It has no inputs, so nothing to differentiate."]


def _notes(expression: Expression) -> list[str]:
    """The entry's own pitfalls first, then those that follow from its functions."""
    own = expression.metadata.get("pitfalls")
    return [*([own] if own else []), *pitfalls_of(expression.symbolic_expr)]


def explain_expression(expression: Expression, level: str = "beginner") -> Explanation:
    """Explain ``expression`` for a reader at ``level`` (beginner, intermediate, advanced)."""
    if level not in LEVELS:
        raise ValueError(
            f"unknown explanation level {level!r}{did_you_mean(level, LEVELS)}; "
            f"choose one of {', '.join(LEVELS)}"
        )
    meta = expression.metadata
    parts = [f"**{expression.name}**: `{expression.formula}`", "", _describe(expression)]
    example = _example_sentence(expression)
    if example:
        parts += ["", example]
    if level == "beginner":
        first = expression.variables[0] if expression.variables else None
        if first is not None:
            slope = expression.gradient(first).formula
            parts += [
                "",
                f"How it changes: when {first} grows a little, the output changes "
                f"by about `{slope}` times that amount (its gradient).",
            ]
        if meta.get("usage"):
            parts += ["", f"Where it is used: {meta['usage']}"]
        notes = _notes(expression)
        if notes:
            parts += ["", f"Watch out: {notes[0]}"]
        return Explanation("\n".join(parts))

    parts += ["", "Gradient:", *_gradient_lines(expression, include_params=level == "advanced")]
    if meta.get("usage"):
        parts += ["", f"Where it is used: {meta['usage']}"]
    notes = _notes(expression)
    if notes:
        parts += ["", "Watch out for:", *(f"- {note}" for note in notes)]
    if level == "advanced":
        if meta.get("domain"):
            parts += ["", f"Valid inputs: {meta['domain']}"]
        if expression.trainable_params:
            parts += ["", "Trainable parameters: " + ", ".join(expression.trainable_params)]
        parts += [
            "",
            f"LaTeX: `{expression.latex()}`",
            "",
            "Evaluation compiles the formula once to NumPy (sympy.lambdify); arrays "
            "broadcast, and autograd Values give a Value you can backward() through.",
        ]
    return Explanation("\n".join(parts))
