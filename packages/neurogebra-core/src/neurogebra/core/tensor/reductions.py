"""Reductions of a Tensor over axes: ``sum``, ``mean``, ``max`` and ``min``.

Backward, a reduction hands each input element the gradient of the output element it fed:
``sum`` copies the gradient back across the reduced axes, ``mean`` also divides by the number
of elements averaged, and ``max``/``min`` send it only to the elements that won (split equally
between ties, like PyTorch's ``amax``).

Example:
    >>> from neurogebra.core.tensor import Tensor
    >>> x = Tensor([[1.0, 5.0], [7.0, 3.0]], requires_grad=True)
    >>> x.max(axis=1).sum().backward()
    >>> x.grad
    array([[0., 1.],
           [1., 0.]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from neurogebra.core.tensor.tensor import Tensor, record

Axis = int | Sequence[int] | None


def _normalize_axes(axis: Axis, ndim: int, op: str) -> tuple[int, ...] | None:
    """``axis`` as a sorted tuple of non-negative axes (None means every axis)."""
    if axis is None:
        return None
    if isinstance(axis, int | np.integer) and not isinstance(axis, bool):
        axes: tuple[Any, ...] = (axis,)
    elif isinstance(axis, tuple | list):
        axes = tuple(axis)
    else:
        axes = (None,)  # refused just below
    normalized = []
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, int | np.integer):
            raise TypeError(
                f"Tensor.{op}: axis must be None, an int or a tuple of ints (e.g. axis=0), got "
                f"{axis!r:.40}"
            )
        if not -ndim <= a < ndim:
            raise ValueError(
                f"Tensor.{op}: axis {a} is out of range for a tensor with {ndim} "
                f"dimension{'s' if ndim != 1 else ''} (valid: {-ndim} to {ndim - 1})"
            )
        normalized.append(int(a) % ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"Tensor.{op}: axis {axis} repeats an axis")
    return tuple(sorted(normalized))


def _expand(g: Any, axes: tuple[int, ...] | None, keepdims: bool, ndim: int) -> Any:
    """Give ``g`` back the reduced axes (as size 1), so it broadcasts against the input."""
    if keepdims:
        return g
    if axes is None:
        return np.reshape(g, (1,) * ndim)
    return np.expand_dims(g, axes)


def tensor_sum(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    axes = _normalize_axes(axis, x._data.ndim, "sum")
    data = np.sum(x._data, axis=axes, keepdims=keepdims)
    return record(data, (x,), "sum", _sum_backward, (x._data.shape, axes, keepdims))


def _sum_backward(g: Any, shape: tuple[int, ...], axes: Any, keepdims: bool) -> tuple[Any]:
    return (np.broadcast_to(_expand(g, axes, keepdims, len(shape)), shape),)


def tensor_mean(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    data_in = x._data
    axes = _normalize_axes(axis, data_in.ndim, "mean")
    count = data_in.size if axes is None else int(np.prod([data_in.shape[a] for a in axes]))
    if count == 0:
        raise ValueError(f"Tensor.mean: the mean over axis {axis} of shape {x.shape} is empty")
    data = np.mean(data_in, axis=axes, keepdims=keepdims)
    saved = (data_in.shape, axes, keepdims, count)
    return record(data, (x,), "mean", _mean_backward, saved)


def _mean_backward(
    g: Any, shape: tuple[int, ...], axes: Any, keepdims: bool, count: int
) -> tuple[Any]:
    return (np.broadcast_to(_expand(g / count, axes, keepdims, len(shape)), shape),)


def _extreme(x: Tensor, axis: Axis, keepdims: bool, op: str, reduce: Any) -> Tensor:
    data_in = x._data
    if data_in.size == 0:
        raise ValueError(f"Tensor.{op}: the tensor is empty (shape {x.shape}), so it has no {op}")
    axes = _normalize_axes(axis, data_in.ndim, op)
    data = reduce(data_in, axis=axes, keepdims=keepdims)
    return record(data, (x,), op, _extreme_backward, (data_in, data, axes, keepdims))


def _extreme_backward(g: Any, x: Any, out: Any, axes: Any, keepdims: bool) -> tuple[Any]:
    winners = x == _expand(out, axes, keepdims, x.ndim)
    ties = winners.sum(axis=axes, keepdims=True)
    return (winners * (_expand(g, axes, keepdims, x.ndim) / ties),)


def tensor_max(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    return _extreme(x, axis, keepdims, "max", np.max)


def tensor_min(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    return _extreme(x, axis, keepdims, "min", np.min)


def tensor_var(x: Tensor, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> Tensor:
    data_in = x._data
    axes = _normalize_axes(axis, data_in.ndim, "var")
    count = data_in.size if axes is None else int(np.prod([data_in.shape[a] for a in axes]))
    if count - ddof <= 0:
        raise ValueError(
            f"Tensor.var: {count} element(s) over axis {axis} of shape {x.shape} with "
            f"ddof={ddof} leave nothing to divide by; use ddof=0 or reduce over more elements"
        )
    centered = data_in - np.mean(data_in, axis=axes, keepdims=True)
    data = np.sum(centered * centered, axis=axes, keepdims=keepdims) / (count - ddof)
    saved = (centered, axes, keepdims, count - ddof)
    return record(data, (x,), "var", _var_backward, saved)


def _var_backward(g: Any, centered: Any, axes: Any, keepdims: bool, divisor: int) -> tuple[Any]:
    # d/dx_i of Σ (x_j - mean)² / divisor = 2 (x_i - mean) / divisor (the mean's own terms cancel)
    return (_expand(g, axes, keepdims, centered.ndim) * (2.0 / divisor) * centered,)


def tensor_std(x: Tensor, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> Tensor:
    return tensor_var(x, axis, keepdims, ddof).sqrt()


def tensor_argmax(x: Tensor, axis: int | None = None) -> Any:
    return _arg_extreme(x, axis, "argmax", np.argmax)


def tensor_argmin(x: Tensor, axis: int | None = None) -> Any:
    return _arg_extreme(x, axis, "argmin", np.argmin)


def _arg_extreme(x: Tensor, axis: int | None, op: str, find: Any) -> Any:
    """The position of the winner (an int, or an int array over the other axes): no gradient."""
    data = x._data
    if data.size == 0:
        raise ValueError(f"Tensor.{op}: the tensor is empty (shape {x.shape}), so it has no {op}")
    if axis is not None:
        (axis,) = _normalize_axes(axis, data.ndim, op) or (0,)
        return find(data, axis=axis)
    return int(find(data))
