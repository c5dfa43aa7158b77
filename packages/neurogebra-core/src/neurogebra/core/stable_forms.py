"""Numerically stable forms of textbook formulas, used when a formula is compiled for NumPy.

A formula keeps its readable symbolic form (``log(1 + exp(x))`` is what a learner reads,
differentiates and explains); only the code that computes it is rewritten, into forms that
give the same numbers wherever the readable form works and keep working where it overflows or
divides 0 by 0:

====================================  ==========================================  =============
readable form                         computed as                                 fixes
====================================  ==========================================  =============
``log(1 + exp(u))``                   ``logaddexp(0, u)``                         softplus(1000)
``log(cosh(u))``                      ``logaddexp(u, -u) - log(2)``               log_cosh(1e3)
``exp(u) / (1 + exp(u))**n``          ``expit(u) * expit(-u)**(n-1)``             sigmoid'(-1e3)
``1 / (1 + exp(u))**n``               ``expit(-u)**n``                            sigmoid, swish
``exp(a) / (exp(u1) + exp(u2)...)``   the same with every exponent minus the max  softmax(±1e3)
``y * log(p)``                        ``xlogy(y, p)`` (0 where y is 0)            BCE at p = 1
``sqrt(X) - t`` with ``t > 0``        ``(X - t**2) / (sqrt(X) + t)``              quadratic roots
====================================  ==========================================  =============

Example:
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> stable_form(sp.log(1 + sp.exp(x)))
    LogAddExp(0, x)
"""

from __future__ import annotations

import numpy as np
import scipy.special
import sympy as sp

__all__ = ["NUMPY_NAMES", "Expit", "LogAddExp", "XLogY", "stable_form"]


class LogAddExp(sp.Function):
    """log(exp(a) + exp(b)), computed without overflow (NumPy's ``logaddexp``)."""

    nargs = 2


class Expit(sp.Function):
    """1 / (1 + exp(-u)), the logistic sigmoid (SciPy's ``expit``), never overflowing."""

    nargs = 1


class XLogY(sp.Function):
    """y * log(p), taken as 0 where y is 0 (SciPy's ``xlogy``), as in entropies and losses."""

    nargs = 2


# What the compiled code calls these by (the printer writes the class names).
NUMPY_NAMES = {
    "LogAddExp": np.logaddexp,
    "Expit": scipy.special.expit,
    "XLogY": scipy.special.xlogy,
}


def stable_form(expr: sp.Expr) -> sp.Expr:
    """``expr`` with the unstable patterns above replaced by their stable forms."""
    if isinstance(expr, sp.Piecewise):
        return sp.Piecewise(*((stable_form(e), c) for e, c in expr.args))
    if not expr.args or isinstance(expr, sp.Subs | sp.Derivative):
        return expr
    if isinstance(expr, sp.Mul):  # before the factors change: the patterns span factors
        special = _exp_ratio(expr)
        if special is not None:
            return special
    rebuilt = expr.func(*(stable_form(a) for a in expr.args))
    if isinstance(rebuilt, sp.log):
        return _stable_log(rebuilt)
    if isinstance(rebuilt, sp.Mul):
        return _x_log_y(rebuilt)
    if isinstance(rebuilt, sp.Pow):
        return _stable_power(rebuilt)
    if isinstance(rebuilt, sp.Add):
        return _stable_sum(rebuilt)
    return rebuilt


def _one_plus_exp(expr: sp.Expr) -> sp.Expr | None:
    """``u`` if ``expr`` is ``1 + exp(u)``, else None."""
    if isinstance(expr, sp.Add) and len(expr.args) == 2 and sp.S.One in expr.args:
        (other,) = [a for a in expr.args if a != sp.S.One]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


def _stable_log(expr: sp.log) -> sp.Expr:
    (inside,) = expr.args
    u = _one_plus_exp(inside)
    if u is not None:
        return LogAddExp(0, u)
    if isinstance(inside, sp.cosh):
        u = inside.args[0]
        return LogAddExp(u, -u) - sp.log(2)
    return expr


def _exp_sum_exponents(expr: sp.Expr) -> list[sp.Expr] | None:
    """The exponents u_i if ``expr`` is exp(u_1) + exp(u_2) + ... (two terms or more)."""
    if isinstance(expr, sp.Add) and all(isinstance(a, sp.exp) for a in expr.args):
        return [a.args[0] for a in expr.args]
    return None


def _stable_power(expr: sp.Pow) -> sp.Expr:
    base, exponent = expr.args
    if exponent.is_Integer and exponent < 0:
        u = _one_plus_exp(base)
        if u is not None:  # 1/(1 + exp(u))**n = expit(-u)**n
            return Expit(-u) ** (-exponent)
        exponents = _exp_sum_exponents(base)
        if exponents is not None:  # 1/Σexp(u_i) = exp(-m) / Σexp(u_i - m)
            top = sp.Max(*exponents)
            shifted = sp.Add(*(sp.exp(u - top) for u in exponents))
            return (sp.exp(-top) / shifted) ** (-exponent)
    return expr


def _exp_ratio(expr: sp.Mul) -> sp.Expr | None:
    """The stable form of exp(u)/(1 + exp(u))**n or exp(a)/Σexp(u_i) (softmax), else None."""
    factors = list(expr.args)
    for i, factor in enumerate(factors):
        if not isinstance(factor, sp.exp):
            continue
        u = factor.args[0]
        for j, other in enumerate(factors):
            if not (isinstance(other, sp.Pow) and other.exp.is_Integer and other.exp < 0):
                continue
            rest = stable_form(sp.Mul(*(f for k, f in enumerate(factors) if k not in (i, j))))
            if _one_plus_exp(other.base) == u:
                n = -other.exp
                v = stable_form(u)
                return rest * Expit(v) * Expit(-v) ** (n - 1)
            exponents = _exp_sum_exponents(other.base)
            if exponents is not None and other.exp == -1:
                exponents = [stable_form(e) for e in exponents]
                top = sp.Max(*exponents)
                shifted = sp.Add(*(sp.exp(e - top) for e in exponents))
                return rest * sp.exp(stable_form(u) - top) / shifted
    return None


def _x_log_y(expr: sp.Mul) -> sp.Expr:
    """y * log(p) as xlogy(y, p), which is 0 where y is 0 (0 * log(0) would be nan)."""
    factors = expr.args
    logs = [f for f in factors if isinstance(f, sp.log)]
    if len(logs) == 1:
        coefficient, rest = sp.Mul(*(f for f in factors if f is not logs[0])).as_coeff_Mul()
        if rest.free_symbols:
            return coefficient * XLogY(rest, logs[0].args[0])
    return expr


def _stable_sum(expr: sp.Add) -> sp.Expr:
    # sqrt(X) - t with t > 0 loses every digit when X ≈ t**2: use (X - t**2) / (sqrt(X) + t)
    roots = [a for a in expr.args if isinstance(a, sp.Pow) and a.exp == sp.S.Half]
    if len(roots) != 1:
        return expr
    (root,) = roots
    rest = expr - root
    difference = sp.expand(root.base - rest**2)
    if sp.count_ops(difference) >= sp.count_ops(root.base):
        return expr
    return sp.Piecewise((difference / (root - rest), rest < 0), (expr, True))
