"""Moving elements around: ``reshape``, ``transpose``, indexing, ``concatenate`` and ``stack``.

None of these changes a value, so backward only moves the gradient back to where each element
came from: reshape it back, transpose it back, scatter it into the indexed positions (adding up
when an index repeats), or cut it into the pieces that were joined.

Example:
    >>> from neurogebra.core.tensor import Tensor
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> x[[0, 0, 2]].sum().backward()
    >>> x.grad
    array([2., 0., 1.])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from neurogebra.core.tensor.checks import shape_argument
from neurogebra.core.tensor.tensor import Tensor, record

__all__ = ["concatenate", "stack"]


def _flatten_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """``f(2, 3)`` and ``f((2, 3))`` mean the same, as in NumPy's methods."""
    if len(args) == 1 and isinstance(args[0], Sequence | np.ndarray):
        return tuple(args[0])
    return args


def reshape(x: Tensor, *shape: Any) -> Tensor:
    new_shape = shape_argument(shape, "Tensor.reshape", allow_infer=True)
    try:
        data = x._data.reshape(new_shape)
    except ValueError:
        raise ValueError(
            f"Tensor.reshape: cannot reshape shape {x.shape} ({x._data.size} elements) into "
            f"{tuple(new_shape)}; the number of elements must stay the same (-1 infers one size)"
        ) from None
    return record(data, (x,), "reshape", _reshape_backward, (x._data.shape,))


def _reshape_backward(g: Any, shape: tuple[int, ...]) -> tuple[Any]:
    return (g.reshape(shape),)


def transpose(x: Tensor, *axes: Any) -> Tensor:
    order = _flatten_args(axes) or tuple(reversed(range(x._data.ndim)))
    try:
        data = x._data.transpose(order)
    except ValueError:
        raise ValueError(
            f"Tensor.transpose: axes {tuple(order)} are not a permutation of the "
            f"{x._data.ndim} axes of a tensor of shape {x.shape}"
        ) from None
    return record(data, (x,), "transpose", _transpose_backward, (np.argsort(order),))


def _transpose_backward(g: Any, inverse_order: Any) -> tuple[Any]:
    return (g.transpose(inverse_order),)


def _is_basic_index(index: Any) -> bool:
    """True for ints, slices, None and ... (no element can be selected twice)."""
    parts = index if type(index) is tuple else (index,)
    return all(
        part is None or part is Ellipsis or isinstance(part, int | slice | np.integer)
        for part in parts
    )


def getitem(x: Tensor, index: Any) -> Tensor:
    if isinstance(index, Tensor) or (
        type(index) is tuple and any(isinstance(i, Tensor) for i in index)
    ):
        raise TypeError(
            "Tensor indexing: index with ints, slices, lists or NumPy integer/boolean arrays, "
            "not with a Tensor (Tensors hold floats); use t.numpy().astype(int) for an index"
        )
    try:
        data = x._data[index]
    except (IndexError, ValueError) as error:  # ValueError: a ragged list as the index
        raise IndexError(f"Tensor indexing (shape {x.shape}): bad index: {error}") from None
    return record(data, (x,), "[]", _getitem_backward, (x._data.shape, x._data.dtype, index))


def _getitem_backward(g: Any, shape: tuple[int, ...], dtype: Any, index: Any) -> tuple[Any]:
    grad = np.zeros(shape, dtype=dtype)
    if _is_basic_index(index):  # worked out here: forward stays cheap for constant inputs
        grad[index] = g
    else:  # np.add.at adds once per occurrence, so repeated indices accumulate
        np.add.at(grad, index, g)
    return (grad,)


def _as_tensors(items: Sequence[Any], op: str) -> tuple[Tensor, ...]:
    if isinstance(items, Tensor | np.ndarray) or not isinstance(items, Sequence):
        raise TypeError(f"{op}: pass a list or tuple of Tensors, e.g. {op}([a, b])")
    if not items:
        raise ValueError(f"{op}: needs at least one Tensor")
    return tuple(t if isinstance(t, Tensor) else Tensor(t) for t in items)


def concatenate(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis (all other axes must match).

    Example:
        >>> concatenate([Tensor([1.0]), Tensor([2.0, 3.0])]).numpy()
        array([1., 2., 3.])
    """
    parts = _as_tensors(tensors, "concatenate")
    arrays = [t._data for t in parts]
    try:
        data = np.concatenate(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError) as error:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ValueError(
            f"concatenate: cannot join shapes {shapes} along axis {axis}: every axis except "
            f"that one must match ({error})"
        ) from None
    ends = np.cumsum([a.shape[axis] for a in arrays])[:-1]
    return record(data, parts, "concatenate", _concatenate_backward, (ends, axis))


def _concatenate_backward(g: Any, ends: Any, axis: int) -> tuple[Any, ...]:
    return tuple(np.split(g, ends, axis=axis))


def stack(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis.

    Example:
        >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])]).shape
        (2, 2)
    """
    parts = _as_tensors(tensors, "stack")
    arrays = [t._data for t in parts]
    try:
        data = np.stack(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError) as error:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ValueError(
            f"stack: cannot stack shapes {shapes} along axis {axis}: all tensors need the "
            f"same shape ({error})"
        ) from None
    return record(data, parts, "stack", _stack_backward, (axis % data.ndim,))


def _stack_backward(g: Any, axis: int) -> tuple[Any, ...]:
    return tuple(np.moveaxis(g, axis, 0))
