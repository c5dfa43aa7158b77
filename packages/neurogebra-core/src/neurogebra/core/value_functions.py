"""Elementary functions that accept both plain numbers and autograd :class:`Value` objects.

An :class:`~neurogebra.core.expression.Expression` evaluated on ``Value`` inputs is compiled
against these functions, so the result is a ``Value`` whose ``backward()`` gives the same
gradient as the symbolic derivative. Each function records its local derivative exactly as
``Value``'s own operations do.

Example:
    >>> from neurogebra.core.autograd import Value
    >>> x = Value(0.0)
    >>> y = VALUE_FUNCTIONS["sin"](x)
    >>> y.backward()
    >>> x.grad
    1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable

from neurogebra.core.autograd import Value

__all__ = ["VALUE_FUNCTIONS", "as_value"]

Number = float | Value


def as_value(result: object) -> Value:
    """Wrap a plain-number result (e.g. a Max that chose the constant 0) as a constant Value."""
    return result if isinstance(result, Value) else Value(float(result))  # type: ignore[arg-type]


def _lift(name: str, f: Callable[[float], float], slope: Callable[[float], float]):
    """A function on numbers, extended to Values with local derivative ``slope``."""

    def apply(x: Number) -> Number:
        if isinstance(x, Value):
            return Value(f(x.data), x, None, name, slope(x.data))
        return f(float(x))

    apply.__name__ = name
    return apply


def _method(name: str, f: Callable[[float], float]):
    """Use Value's own method (with its friendly domain errors) for Values, ``f`` otherwise."""

    def apply(x: Number) -> Number:
        return getattr(x, name)() if isinstance(x, Value) else f(float(x))

    apply.__name__ = name
    return apply


def _sign(x: float) -> float:
    return 0.0 if x == 0 else math.copysign(1.0, x)


def _heaviside(x: Number, at_zero: float = 0.5) -> float:
    value = float(x)
    return 0.0 if value < 0 else (float(at_zero) if value == 0 else 1.0)


def _zero(_: float) -> float:
    return 0.0


def _max(*args: Number) -> Number:
    return max(args, key=float)


def _min(*args: Number) -> Number:
    return min(args, key=float)


VALUE_FUNCTIONS: dict[str, Callable[..., Number]] = {
    "exp": _method("exp", math.exp),
    "log": _method("log", math.log),
    "tanh": _method("tanh", math.tanh),
    "sqrt": _lift("sqrt", math.sqrt, lambda x: 0.5 / math.sqrt(x) if x > 0 else math.inf),
    "sin": _lift("sin", math.sin, math.cos),
    "cos": _lift("cos", math.cos, lambda x: -math.sin(x)),
    "tan": _lift("tan", math.tan, lambda x: 1.0 / math.cos(x) ** 2),
    "asin": _lift("asin", math.asin, lambda x: 1.0 / math.sqrt(1.0 - x * x)),
    "acos": _lift("acos", math.acos, lambda x: -1.0 / math.sqrt(1.0 - x * x)),
    "atan": _lift("atan", math.atan, lambda x: 1.0 / (1.0 + x * x)),
    "sinh": _lift("sinh", math.sinh, math.cosh),
    "cosh": _lift("cosh", math.cosh, math.sinh),
    "asinh": _lift("asinh", math.asinh, lambda x: 1.0 / math.sqrt(x * x + 1.0)),
    "acosh": _lift("acosh", math.acosh, lambda x: 1.0 / math.sqrt(x * x - 1.0)),
    "atanh": _lift("atanh", math.atanh, lambda x: 1.0 / (1.0 - x * x)),
    "erf": _lift("erf", math.erf, lambda x: 2.0 / math.sqrt(math.pi) * math.exp(-x * x)),
    "erfc": _lift("erfc", math.erfc, lambda x: -2.0 / math.sqrt(math.pi) * math.exp(-x * x)),
    "Abs": _lift("abs", abs, _sign),
    "sign": _lift("sign", _sign, _zero),
    "floor": _lift("floor", math.floor, _zero),
    "ceiling": _lift("ceiling", math.ceil, _zero),
    "Heaviside": _heaviside,
    "Max": _max,
    "Min": _min,
}
