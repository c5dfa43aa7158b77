"""``linear(x, weight, bias)``: a dense layer's ``x @ weight + bias`` as one graph node.

Writing ``x @ weight + bias`` records two nodes (a product, then a sum whose backward has to
find out which axes the bias was stretched over). ``linear`` records one, whose backward is the
three familiar formulas of a dense layer: ``g @ weight.T``, ``x.T @ g`` and ``g`` summed over the
batch. The values and gradients are the same; only the bookkeeping per layer is smaller, which
matters for small networks where that bookkeeping costs more than the arithmetic. (PyTorch's
``torch.nn.functional.linear`` does the same, but stores the weight as (outputs, inputs); ours is
(inputs, outputs), as in ``x @ weight``.)

Example:
    >>> from neurogebra.core.tensor import Tensor
    >>> x = Tensor([[1.0, 2.0]])
    >>> w = Tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], requires_grad=True)
    >>> b = Tensor([0.5, 0.5, 0.5], requires_grad=True)
    >>> y = linear(x, w, b)
    >>> y.numpy()
    array([[1.5, 2.5, 3.5]])
    >>> y.sum().backward()
    >>> w.grad, b.grad
    (array([[1., 1., 1.],
           [2., 2., 2.]]), array([1., 1., 1.]))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra.core.tensor.gradients import matmul_backward
from neurogebra.core.tensor.tensor import Tensor, record

__all__ = ["linear"]

_sum = np.add.reduce  # ndarray.sum without its Python-level wrapper


def linear(x: Any, weight: Any, bias: Any = None) -> Tensor:
    """``x @ weight + bias`` for ``x`` of shape (..., inputs), ``weight`` (inputs, outputs).

    ``bias`` has shape (outputs,), or is None for no bias. Any argument may be a Tensor or a
    constant (an array or nested list); the result needs a gradient if any Tensor argument does.

    Example:
        >>> linear(Tensor([1.0, 1.0]), Tensor([[2.0], [3.0]])).numpy()
        array([5.])
    """
    x = x if type(x) is Tensor else Tensor(x)
    weight = weight if type(weight) is Tensor else Tensor(weight)
    xd, wd = x._data, weight._data
    if wd.ndim != 2:  # a 1-d weight would make `@` a dot product: not a layer
        raise _shape_error(xd.shape, wd.shape)
    try:
        data = xd @ wd
    except ValueError:  # NumPy's own check of the shapes, explained in our words
        raise _shape_error(xd.shape, wd.shape) from None
    if bias is None:
        need: tuple[bool, ...] = (x.requires_grad, weight.requires_grad)
        return record(data, (x, weight), "linear", matmul_backward, (xd, wd, *need))
    bias = bias if type(bias) is Tensor else Tensor(bias)
    bd = bias._data
    if bd.shape != wd.shape[1:]:
        raise ValueError(
            f"linear: bias has shape {bd.shape} but the weight {wd.shape} makes "
            f"{wd.shape[1]} outputs, so the bias needs shape ({wd.shape[1]},)"
        )
    if bd.dtype == data.dtype:
        data += bd  # in place: data is a fresh array that nothing else holds
    else:
        data = data + bd  # mixed precision: NumPy's promotion, exactly as x @ w + b
    saved = (xd, wd, x.requires_grad, weight.requires_grad, bias.requires_grad)
    return record(data, (x, weight, bias), "linear", linear_backward, saved)


def linear_backward(
    g: Any, x: Any, w: Any, need_x: bool, need_w: bool, need_b: bool
) -> tuple[Any, Any, Any]:
    """d(x@w + b): ``g @ w.T``, ``x.T @ g`` and ``g`` summed over every axis but the last."""
    if x.ndim == 2:  # a batch of rows: the common case, first
        return (
            g @ w.T if need_x else None,
            x.T @ g if need_w else None,
            _sum(g, axis=0) if need_b else None,
        )
    grad_x, grad_w = matmul_backward(g, x, w, need_x, need_w)
    grad_b = _sum(g.reshape(-1, g.shape[-1]), axis=0) if need_b else None
    return grad_x, grad_w, grad_b


def _shape_error(x_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> ValueError:
    if len(w_shape) != 2:
        return ValueError(
            f"linear: the weight must be a matrix of shape (inputs, outputs), got shape {w_shape}"
        )
    return ValueError(
        f"linear: input of shape {x_shape} and weight of shape {w_shape} don't fit: the "
        f"input's last axis must have the weight's {w_shape[0]} inputs; pass x of shape "
        f"(batch, {w_shape[0]}) or fix the layer sizes"
    )
