"""Symbolic differentiation as Neurogebra uses it: SymPy's, with step functions settled.

SymPy leaves the derivative of ``floor`` and ``ceiling`` unevaluated (they jump at whole
numbers); everywhere else their slope is 0, which is also what gradient descent needs, so that
is what :func:`differentiate` returns.

**Kinks.** At a kink (``Max``, ``Min``: relu at 0, hard_tanh at ±1, ...) a slope must be
chosen. Neurogebra takes the slope *from the left*, everywhere (``Expression.gradient``,
``Value``, ``Tensor``): relu'(0) = 0 and leaky_relu'(0) = alpha, as in PyTorch, and where a
formula is smooth despite its pieces (celu at 0) the answer is its true derivative. SymPy writes
the slope of ``Max(a, b)`` with steps ``Heaviside(a - b)``; each step's value at 0 is set to
what it is just left of the kink: 1 if its argument is falling there, else 0 (such a settled
step still prints as ``Heaviside(x)``). The one exception is ``|x|`` (and ``sign``) at 0, whose
slope is 0, as in PyTorch.

Example:
    >>> from typing import Any

import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> differentiate(2 ** sp.floor(x / 3) + x**2, x)
    2*x
"""

from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["differentiate"]

_STEPS = (sp.floor, sp.ceiling)


def differentiate(expr: sp.Expr, symbol: sp.Symbol) -> sp.Expr:
    """d(expr)/d(symbol), with the slopes of floor and ceiling taken as 0."""
    derivative = sp.diff(expr, symbol)
    if derivative.has(sp.Heaviside):
        derivative = derivative.replace(
            lambda e: type(e) is sp.Heaviside and _unsettled(e),
            lambda e: _step_from_the_left(e.args[0], symbol),
        )
    if not derivative.has(sp.Derivative):
        return derivative
    settled = derivative.replace(
        lambda e: isinstance(e, sp.Derivative) and isinstance(e.expr, _STEPS), lambda e: sp.S.Zero
    )
    # The chain rule wraps the step's derivative in Subs(...); with the inside now 0, doit()
    # collapses it.
    return settled.replace(lambda e: isinstance(e, sp.Subs), lambda e: e.doit())


def _unsettled(step: sp.Heaviside) -> bool:
    """A step whose value at 0 is SymPy's default 1/2 (no convention chosen yet)."""
    return len(step.args) == 1 or step.args[1] == sp.S.Half


def _step_from_the_left(argument: sp.Expr, symbol: sp.Symbol) -> sp.Expr:
    """Heaviside(argument) with its value at 0 taken from just left of the kink."""
    slope = sp.diff(argument, symbol)
    if slope.is_positive or slope.is_zero:  # rising (or flat): left of the kink it is 0
        return Heaviside(argument, 0)
    if slope.is_negative:  # falling: left of the kink it is 1
        return Heaviside(argument, 1)
    return Heaviside(argument, Heaviside(-slope, 0))


class Heaviside(sp.Heaviside):
    """A step whose value at 0 is settled by the convention above; it prints as the plain
    ``Heaviside(x)`` that learners know (the value at 0 is a detail of the convention)."""

    def __new__(cls, arg: Any, at_zero: Any, **options: Any) -> Any:
        # SymPy's Heaviside.__new__ calls super(cls, cls), which loops for a subclass.
        return sp.Function.__new__(cls, sp.sympify(arg), sp.sympify(at_zero), **options)

    def fdiff(self, argindex: int = 1) -> Any:
        # A step is flat away from its jump, whatever its value at the jump is.
        return sp.DiracDelta(self.args[0]) if argindex == 1 else sp.S.Zero

    def _sympystr(self, printer: Any) -> str:
        return f"Heaviside({printer._print(self.args[0])})"

    def _latex(self, printer: Any) -> str:
        return rf"\theta\left({printer._print(self.args[0])}\right)"
