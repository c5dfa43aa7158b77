"""Symbolic differentiation as Neurogebra uses it: SymPy's, with step functions settled.

SymPy leaves the derivative of ``floor`` and ``ceiling`` unevaluated (they jump at whole
numbers); everywhere else their slope is 0, which is also what gradient descent needs, so that
is what :func:`differentiate` returns.

Example:
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> differentiate(2 ** sp.floor(x / 3) + x**2, x)
    2*x
"""

from __future__ import annotations

import sympy as sp

__all__ = ["differentiate"]

_STEPS = (sp.floor, sp.ceiling)


def differentiate(expr: sp.Expr, symbol: sp.Symbol) -> sp.Expr:
    """d(expr)/d(symbol), with the slopes of floor and ceiling taken as 0."""
    derivative = sp.diff(expr, symbol)
    if not derivative.has(sp.Derivative):
        return derivative
    settled = derivative.replace(
        lambda e: isinstance(e, sp.Derivative) and isinstance(e.expr, _STEPS), lambda e: sp.S.Zero
    )
    # The chain rule wraps the step's derivative in Subs(...); with the inside now 0, doit()
    # collapses it.
    return settled.replace(lambda e: isinstance(e, sp.Subs), lambda e: e.doit())
