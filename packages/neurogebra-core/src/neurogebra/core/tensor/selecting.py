"""Ops that choose between values: ``clip`` and ``where``.

Backward, the gradient goes to wherever each output element came from: ``clip`` passes it on
inside the bounds (bounds included, as PyTorch's ``clamp``) and stops it outside; ``where``
sends it to the chosen side.

Example:
    >>> from neurogebra.core.tensor import Tensor
    >>> x = Tensor([-2.0, 0.5, 3.0], requires_grad=True)
    >>> x.clip(-1.0, 1.0).sum().backward()
    >>> x.grad
    array([0., 1., 0.])
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np

from neurogebra.core.tensor.checks import numeric_array, real_number
from neurogebra.core.tensor.gradients import unbroadcast
from neurogebra.core.tensor.tensor import Tensor, record

__all__ = ["clip", "where"]


def clip(x: Tensor, low: float | None = None, high: float | None = None) -> Tensor:
    """``x`` with every element limited to ``[low, high]`` (None: no limit on that side).

    Example:
        >>> clip(Tensor([-5.0, 5.0]), high=1.0).numpy()
        array([-5.,  1.])
    """
    x = x if type(x) is Tensor else Tensor(x)
    if low is None and high is None:
        raise ValueError("clip: give low, high or both (e.g. x.clip(0.0, 1.0))")
    for name, bound in (("low", low), ("high", high)):
        if bound is not None and np.isnan(real_number(bound, "clip", name)):
            raise TypeError(f"clip: {name} must be a number or None, got {bound!r}")
    if low is not None and high is not None and low > high:
        raise ValueError(f"clip: low ({low}) is above high ({high})")
    data = np.clip(x._data, low, high)
    return record(data, (x,), "clip", _clip_backward, (x._data, low, high))


def _clip_backward(g: Any, x: Any, low: float | None, high: float | None) -> tuple[Any]:
    inside = np.ones(x.shape, dtype=bool)
    if low is not None:
        inside &= x >= low
    if high is not None:
        inside &= x <= high
    return (g * inside,)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` is true, else ``b``; shapes broadcast as in ``np.where``.

    ``condition`` is a boolean array (e.g. ``x > 0``, which is one); ``a`` and ``b`` are Tensors
    or constants.

    Example:
        >>> x = Tensor([-1.0, 2.0])
        >>> where(x > 0, x, 0.0).numpy()
        array([0., 2.])
    """
    mask = condition.numpy() if isinstance(condition, Tensor) else condition
    mask = numeric_array(mask, "where", "condition")
    if mask.dtype != bool:
        raise TypeError(
            f"where: condition must be a boolean array (e.g. x > 0), got dtype {mask.dtype}"
        )
    a, b = _as_tensor(a, b), _as_tensor(b, a)
    try:
        data = np.where(mask, a._data, b._data)
    except ValueError:
        raise ValueError(
            f"where: shapes {mask.shape} (condition), {a.shape} and {b.shape} cannot be "
            "broadcast together"
        ) from None
    return record(data, (a, b), "where", _where_backward, (mask, a.shape, b.shape))


def _as_tensor(value: Any, other: Any) -> Tensor:
    """``value`` as a Tensor; a plain number takes the other side's dtype (float32 stays)."""
    if type(value) is Tensor:
        return value
    if isinstance(value, Real) and type(other) is Tensor:
        return Tensor(value, dtype=other.dtype)
    return Tensor(value)


def _where_backward(g: Any, mask: Any, a_shape: Any, b_shape: Any) -> tuple[Any, Any]:
    zero = np.zeros((), dtype=g.dtype)
    return (
        unbroadcast(np.where(mask, g, zero), a_shape),
        unbroadcast(np.where(mask, zero, g), b_shape),
    )
