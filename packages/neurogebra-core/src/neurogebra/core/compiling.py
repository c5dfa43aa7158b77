"""Compile SymPy expressions into fast Python functions with :func:`sympy.lambdify`.

Two targets:

- :func:`compile_numpy`: NumPy (and SciPy for special functions such as ``erf``), elementwise
  on arrays with broadcasting. The printer is tuned for speed: small integer powers become
  multiplications, ``x**-1`` a division, and ``Max``/``Min``/``Heaviside`` elementwise NumPy
  calls, so compiled formulas run as fast as the same formula typed in NumPy.
- :func:`compile_values`: plain Python over :class:`~neurogebra.core.autograd.Value` objects
  (see :mod:`neurogebra.core.value_functions`), so results carry autograd gradients.

Example:
    >>> import numpy as np, sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> f = compile_numpy(sp.Max(0, x) ** 3, ["x"])
    >>> f(np.array([-1.0, 2.0]))
    array([0., 8.])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy as sp
from sympy.printing.numpy import SciPyPrinter
from sympy.printing.pycode import PythonCodePrinter

from neurogebra.core.parsing import real_symbol
from neurogebra.core.stable_forms import NUMPY_NAMES, stable_form
from neurogebra.core.value_functions import VALUE_FUNCTIONS

__all__ = ["compile_numpy", "compile_values"]

_LAMBDIFY_SETTINGS = {
    "fully_qualified_modules": False,
    "inline": True,
    "allow_unknown_functions": True,
}


class _FastNumPyPrinter(SciPyPrinter):
    """SciPy/NumPy code with cheaper powers and elementwise Max, Min and Heaviside."""

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exponent = expr.args
        if exponent.is_Integer and 2 <= abs(int(exponent)) <= 4:
            power = int(exponent)
            factor = self.parenthesize(base, 60)  # atoms stay bare, sums get parentheses
            # Parenthesized: the Mul printer puts this after a '/' when it is a denominator.
            product = f"({'*'.join([factor] * abs(power))})" if power != 2 else f"{factor}**2"
            return product if power > 0 else f"1/{product}"
        if exponent == -1:
            return f"1/({self._print(base)})"
        if exponent == sp.Rational(-1, 2):
            return f"1/sqrt({self._print(base)})"
        return super()._print_Pow(expr, rational=rational)

    def _print_Max(self, expr: sp.Max) -> str:
        return self._nested("maximum", expr.args)

    def _print_Min(self, expr: sp.Min) -> str:
        return self._nested("minimum", expr.args)

    def _print_Heaviside(self, expr: sp.Heaviside) -> str:
        at_zero = expr.args[1] if len(expr.args) > 1 else sp.Rational(1, 2)
        return f"heaviside({self._print(expr.args[0])}, {self._print(at_zero)})"

    def _print_DiracDelta(self, expr: sp.DiracDelta) -> str:
        # The derivative of a step: zero everywhere except at the jump, where no number is
        # right; zero keeps gradients of gradients (e.g. relu's second derivative) usable.
        return f"0*abs({self._print(expr.args[0])})"

    def _nested(self, function: str, args: Sequence[sp.Basic]) -> str:
        code = self._print(args[-1])
        for arg in reversed(args[:-1]):
            code = f"{function}({self._print(arg)}, {code})"
        return code


class _ValuePrinter(PythonCodePrinter):
    """Plain Python that calls :data:`VALUE_FUNCTIONS` by name for every function."""

    def _print_Function(self, expr: sp.Function) -> str:
        name = type(expr).__name__
        if name not in VALUE_FUNCTIONS:
            raise NotImplementedError(
                f"{name} is not available on autograd Values; evaluate with numbers instead"
            )
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    def _print_DiracDelta(self, expr: sp.DiracDelta) -> str:
        return "0.0"  # zero away from the jump, as in the NumPy version

    _print_Abs = _print_sign = _print_Heaviside = _print_Max = _print_Min = _print_Function
    _print_exp = _print_log = _print_floor = _print_ceiling = _print_Function


def _symbols(names: Sequence[str]) -> list[sp.Symbol]:
    return [real_symbol(name) for name in names]


def compile_numpy(expr: sp.Expr | Sequence[sp.Expr], names: Sequence[str]) -> Callable:
    """A NumPy function of the symbols ``names`` (positional, in that order).

    The code computes :func:`~neurogebra.core.stable_forms.stable_form` of the expression:
    the same numbers, without the overflows and 0/0 of some textbook forms.

    Several expressions may be given at once; they then share common subexpressions. Arguments
    are renamed internally (``dummify``), so a symbol may share its name with a function
    (``gamma`` the symbol next to ``gamma(x)`` the function).
    """
    printer = _FastNumPyPrinter(dict(_LAMBDIFY_SETTINGS))
    several = not isinstance(expr, sp.Basic)
    stable = [stable_form(e) for e in expr] if several else stable_form(expr)  # type: ignore[union-attr]
    return sp.lambdify(
        _symbols(names),
        stable,
        modules=[NUMPY_NAMES, "scipy", "numpy"],
        printer=printer,
        cse=several,
        dummify=True,
        docstring_limit=0,
    )


def compile_values(expr: sp.Expr, names: Sequence[str]) -> Callable:
    """A plain-Python function of ``names`` that works on Values and numbers alike."""
    settings = dict(_LAMBDIFY_SETTINGS, user_functions={k: k for k in VALUE_FUNCTIONS})
    return sp.lambdify(
        _symbols(names),
        expr,
        modules=[VALUE_FUNCTIONS, "math"],
        printer=_ValuePrinter(settings),
        dummify=True,
        docstring_limit=0,
    )
