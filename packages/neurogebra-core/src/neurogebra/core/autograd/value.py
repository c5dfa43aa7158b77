"""`Value`: a scalar that remembers how it was computed, so it can compute its own gradient.

Every operation has the same short shape: compute the result, and record the inputs it came
from together with the *local* derivative of the result with respect to each input. The chain
rule in :meth:`Value.backward` then needs nothing else: ``input.grad += local * output.grad``.

Storing local derivatives as plain numbers (instead of a closure per node, as micrograd does)
keeps the graph free of reference cycles, so a finished graph is freed by reference counting
alone. Every op but ``Value.sum`` has at most two inputs, so a node keeps its inputs and their
local derivatives in four slots (``_a``, ``_b``, ``_local0``, ``_local1``) rather than in tuples:
each node is then a single object for the allocator and the garbage collector, which makes a
training step about a third faster than with tuples.

Example:
    >>> a, b = Value(2.0), Value(3.0)
    >>> e = (a + b) + a * b
    >>> e.backward()
    >>> a.grad, b.grad
    (4.0, 3.0)
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Iterable

__all__ = ["Value"]

# exp(x) overflows a float beyond this input (about 709.78).
EXP_MAX_INPUT = math.log(sys.float_info.max)


def _to_float(data: object, where: str) -> float:
    """Convert a real number to float, or raise a TypeError that names the bad input."""
    if isinstance(data, numbers.Real):
        try:
            return float(data)
        except OverflowError:  # an int beyond float's range (about 1.8e308)
            raise OverflowError(
                f"{where}: the real number {data!r:.30}... is too large for a float"
            ) from None
    shape = getattr(data, "shape", None)
    if shape is not None and shape != ():
        hint = "Value holds one number; use neurogebra.Tensor for arrays"
    else:
        hint = "pass an int or a float (or a Value)"
    raise TypeError(f"{where}: expected a real number, got {type(data).__name__} {data!r}; {hint}")


class Value:
    """A scalar with a gradient.

    ``Value(2.0)`` is a leaf; arithmetic on Values builds a graph of new Values, and
    ``out.backward()`` fills ``.grad`` of every Value that ``out`` depends on with d(out)/d(value).

    Comparisons (``<``, ``>``, ...) use ``.data``, so ``max(values)`` works; ``==`` is identity,
    which keeps Values usable in sets and dicts (compare ``.data`` for equal numbers).

    Example:
        >>> x = Value(3.0, label="x")
        >>> y = x**2 + 1
        >>> y.backward()
        >>> y, x.grad
        (Value(data=10.0, grad=1.0), 6.0)
    """

    __slots__ = (
        "__weakref__",
        "_a",
        "_b",
        "_local0",
        "_local1",
        "_more",
        "_op",
        "data",
        "grad",
        "label",
    )

    def __init__(
        self,
        data: float,
        _a: Value | None = None,
        _b: Value | None = None,
        _op: str = "",
        _local0: float = 0.0,
        _local1: float = 0.0,
        *,
        label: str = "",
    ) -> None:
        self.data = data if type(data) is float else _to_float(data, "Value")
        self.grad = 0.0
        self._a = _a  # first input (None for a leaf)
        self._b = _b  # second input, for two-input ops
        self._local0 = _local0  # d(self)/d(_a)
        self._local1 = _local1  # d(self)/d(_b)
        self._more: tuple[Value, ...] = ()  # inputs beyond two: only Value.sum has them
        self._op = _op
        self.label = label

    # ---- arithmetic: each op returns Value(result, inputs, op, local derivatives) ----

    def __add__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value(self.data + other.data, self, other, "+", 1.0, 1.0)
        return Value(self.data + _to_float(other, "Value.__add__"), self, None, "+", 1.0)

    __radd__ = __add__

    def __sub__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value(self.data - other.data, self, other, "-", 1.0, -1.0)
        return Value(self.data - _to_float(other, "Value.__sub__"), self, None, "-", 1.0)

    def __rsub__(self, other: float) -> Value:
        return Value(_to_float(other, "Value.__rsub__") - self.data, self, None, "-", -1.0)

    def __mul__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value(self.data * other.data, self, other, "*", other.data, self.data)
        c = _to_float(other, "Value.__mul__")
        return Value(self.data * c, self, None, "*", c)

    __rmul__ = __mul__

    def __truediv__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            b = _nonzero_divisor(self.data, other.data)
            out = self.data / b
            # -out / b rather than -a / b**2: b**2 underflows to 0 for |b| < 1e-162.
            return Value(out, self, other, "/", 1.0 / b, -out / b)
        b = _nonzero_divisor(self.data, _to_float(other, "Value.__truediv__"))
        return Value(self.data / b, self, None, "/", 1.0 / b)

    def __rtruediv__(self, other: float) -> Value:
        a = _to_float(other, "Value.__rtruediv__")
        b = _nonzero_divisor(a, self.data)
        out = a / b
        return Value(out, self, None, "/", -out / b)

    def __neg__(self) -> Value:
        return Value(-self.data, self, None, "neg", -1.0)

    def __pow__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return _power_of_values(self, other)
        k = _to_float(other, "Value.__pow__")
        out = _checked_power(self.data, k)
        return Value(out, self, None, "**", _power_slope(self.data, k, out))

    def __rpow__(self, other: float) -> Value:
        return _power_of_values(Value(_to_float(other, "Value.__rpow__")), self)

    # ---- activations and elementary functions ----

    def relu(self) -> Value:
        """max(0, x); its slope at 0 is taken as 0 and nan stays nan, as in PyTorch."""
        passes = not self.data <= 0.0  # positive, or nan (which must not turn into 0)
        return Value(self.data if passes else 0.0, self, None, "relu", 1.0 if passes else 0.0)

    def sigmoid(self) -> Value:
        """1 / (1 + e^-x), computed so that no finite input overflows."""
        x = self.data
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            z = math.exp(x)
            s = z / (1.0 + z)
        return Value(s, self, None, "sigmoid", s * (1.0 - s))

    def tanh(self) -> Value:
        """Hyperbolic tangent (math.tanh saturates instead of overflowing)."""
        t = math.tanh(self.data)
        return Value(t, self, None, "tanh", 1.0 - t * t)

    def exp(self) -> Value:
        """e^x; raises OverflowError when the result is beyond the float range."""
        x = self.data
        if x > EXP_MAX_INPUT:
            raise OverflowError(
                f"Value.exp: exp({x!r}) is beyond the float range (inputs must be <= "
                f"{EXP_MAX_INPUT:.2f}); shift the input first, e.g. subtract the maximum score "
                "before exp as a stable softmax does"
            )
        e = math.exp(x)
        return Value(e, self, None, "exp", e)

    def log(self) -> Value:
        """Natural logarithm; defined for inputs > 0 only."""
        x = self.data
        if not x > 0.0:
            raise ValueError(
                f"Value.log: input must be > 0, got {x!r}; "
                "clip probabilities away from 0 (e.g. max(p, 1e-12)) before taking the log"
            )
        return Value(math.log(x), self, None, "log", 1.0 / x)

    # ---- gradients ----

    def backward(self, gradient: float = 1.0) -> None:
        """Fill ``.grad`` of everything this Value depends on with d(self)/d(that).

        Leaves accumulate (call :meth:`zero_grad` between steps); intermediate nodes are
        recomputed on every call, so calling ``backward`` twice on one graph adds the leaf
        gradients twice, exactly as PyTorch does. Iterative: graphs of any depth work.
        """
        seed = _to_float(gradient, "Value.backward")
        order = _computed_nodes(self)  # grads of computed nodes are reset to 0 on the way
        self.grad += seed
        for node in reversed(order):
            g = node.grad
            if not g:
                continue
            node._a.grad += node._local0 * g  # type: ignore[union-attr]
            b = node._b
            if b is not None:
                b.grad += node._local1 * g
                for extra in node._more:  # Value.sum: every local derivative is 1
                    extra.grad += g

    def zero_grad(self) -> None:
        """Reset this Value's gradient to 0 (do it for every parameter before each backward)."""
        self.grad = 0.0

    # ---- comparisons (by .data) and conversions ----

    def __lt__(self, other: Value | float) -> bool:
        return self.data < _data_of(other)

    def __le__(self, other: Value | float) -> bool:
        return self.data <= _data_of(other)

    def __gt__(self, other: Value | float) -> bool:
        return self.data > _data_of(other)

    def __ge__(self, other: Value | float) -> bool:
        return self.data >= _data_of(other)

    def __float__(self) -> float:
        return self.data

    def __bool__(self) -> bool:
        """False for 0.0, like the number it holds (``if loss:`` means "is it non-zero")."""
        return self.data != 0.0

    @property
    def op(self) -> str:
        """The operation that produced this Value ('' for a leaf)."""
        return self._op

    @property
    def children(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in order (empty for a leaf)."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        return (self._a, self._b, *self._more)

    _prev = children  # the name graph.topological_order and draw_graph walk by

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    @staticmethod
    def sum(values: Iterable[Value | float]) -> Value:
        """Add many Values as one node, rounding once (builtin ``sum`` makes one node per ``+``).

        Example:
            >>> Value.sum([Value(1.0), 2, Value(3.0)]).data
            6.0
        """
        items = list(values)
        nodes = [v for v in items if isinstance(v, Value)]
        constants = [_to_float(v, "Value.sum") for v in items if not isinstance(v, Value)]
        total = math.fsum([*(v.data for v in nodes), *constants])  # one rounding for all terms
        if not nodes:
            return Value(total)
        if len(nodes) == 1:
            return Value(total, nodes[0], None, "sum", 1.0)
        out = Value(total, nodes[0], nodes[1], "sum", 1.0, 1.0)
        out._more = tuple(nodes[2:])
        return out


def _computed_nodes(root: Value) -> list[Value]:
    """The computed (non-leaf) Values ``root`` depends on, inputs first, grads reset to 0.

    The same iterative depth-first walk as ``graph.topological_order``, specialised for
    backward: leaves are skipped (they only receive gradients, they pass none on), and each
    computed node's stale grad is cleared as it is met, so no second pass is needed.
    """
    order: list[Value] = []
    if root._a is None:
        return order
    expanded: set[Value] = set()
    stack: list[Value | None] = [root]
    push, pop, expand, emit = stack.append, stack.pop, expanded.add, order.append
    while stack:
        node = pop()
        if node is None:
            emit(pop())  # type: ignore[arg-type]
            continue
        if node in expanded:
            continue
        expand(node)
        node.grad = 0.0
        push(node)
        push(None)
        a, b = node._a, node._b
        if a._a is not None and a not in expanded:  # type: ignore[union-attr]
            push(a)
        if b is not None:
            if b._a is not None and b not in expanded:
                push(b)
            for extra in node._more:
                if extra._a is not None and extra not in expanded:
                    push(extra)
    return order


def _data_of(other: Value | float) -> float:
    return other.data if isinstance(other, Value) else _to_float(other, "Value comparison")


def _nonzero_divisor(numerator: float, divisor: float) -> float:
    if divisor == 0.0:
        raise ZeroDivisionError(
            f"Value division: dividing {numerator!r} by zero; make sure the divisor can't be 0 "
            "(e.g. add a small epsilon)"
        )
    return divisor


def _checked_power(base: float, exponent: float) -> float:
    try:
        out = base**exponent
    except ZeroDivisionError:
        raise ZeroDivisionError(
            f"Value.__pow__: 0.0 raised to the negative power {exponent!r} is a division by zero"
        ) from None
    except OverflowError:
        raise OverflowError(
            f"Value.__pow__: {base!r} ** {exponent!r} is beyond the float range"
        ) from None
    if type(out) is complex:
        raise ValueError(
            f"Value.__pow__: negative base {base!r} with the non-integer exponent {exponent!r} "
            "has no real result"
        )
    return out


def _power_slope(base: float, exponent: float, out: float) -> float:
    """d/dbase of base**exponent (= out), with PyTorch's conventions at base 0."""
    if exponent == 0.0:
        return 0.0
    if base == 0.0 and exponent < 1.0:
        return math.inf
    try:
        return exponent * base ** (exponent - 1.0)
    except OverflowError:  # a tiny base whose power is still a float, e.g. 1e-200 ** -1
        return exponent * (out / base)  # out / base overflows to a signed inf instead


def _power_of_values(base: Value, exponent: Value) -> Value:
    a, b = base.data, exponent.data
    out = _checked_power(a, b)
    if a > 0.0:
        slope_b = out * math.log(a)
    elif a == 0.0 and b >= 0.0:
        slope_b = 0.0
    else:  # log of a negative base is not real; PyTorch reports nan here too
        slope_b = math.nan
    return Value(out, base, exponent, "**", _power_slope(a, b, out), slope_b)
