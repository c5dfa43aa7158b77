"""The backward functions of Tensor's arithmetic, elementwise functions and ``@``.

Each takes the gradient ``g`` of the operation's result and the arrays the operation saved, and
returns one gradient per input (``None`` for an input that needs none). They are plain NumPy:
no Tensor appears here, so the graph can never hold a reference to itself.

Broadcasting: when ``a + b`` stretched ``b`` (say a bias of shape ``(16,)`` added to a batch of
shape ``(32, 16)``), every element of ``b`` was used 32 times, so its gradient is ``g`` summed
over the stretched axes: :func:`unbroadcast`. Only the operations that broadcast need it.

Example:
    >>> g = np.ones((32, 16))
    >>> grad_a, grad_b = add_backward(g, np.zeros((32, 16)), np.zeros(16))
    >>> grad_a.shape, grad_b.shape, grad_b[0]
    ((32, 16), (16,), np.float64(32.0))
"""

from __future__ import annotations

from typing import Any

import numpy as np

_sum = np.add.reduce  # ndarray.sum without its Python-level wrapper


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` over the axes that broadcasting stretched, so it has ``shape`` again.

    Example:
        >>> unbroadcast(np.ones((4, 3)), (3,))
        array([4., 4., 4.])
        >>> unbroadcast(np.ones((4, 3)), (4, 1))
        array([[3.],
               [3.],
               [3.],
               [3.]])
    """
    extra = grad.ndim - len(shape)
    if extra:  # axes that broadcasting added in front
        grad = _sum(grad, axis=0 if extra == 1 else tuple(range(extra)))
    if grad.shape != shape:  # axes of size 1 that broadcasting stretched
        stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
        grad = _sum(grad, axis=stretched, keepdims=True)
    return grad


def _shape(x: Any) -> tuple[int, ...]:
    return np.shape(x)


# ---- arithmetic between two tensors: a op b ----


def add_backward(g: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return unbroadcast(g, a.shape), unbroadcast(g, b.shape)


def sub_backward(g: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return unbroadcast(g, a.shape), -unbroadcast(g, b.shape)


def mul_backward(g: Any, a: Any, b: Any, need_a: bool, need_b: bool) -> tuple[Any, Any]:
    # d(a*b)/da = b and d(a*b)/db = a
    return (
        unbroadcast(g * b, a.shape) if need_a else None,
        unbroadcast(g * a, b.shape) if need_b else None,
    )


def div_backward(g: Any, a: Any, b: Any, need_a: bool, need_b: bool) -> tuple[Any, Any]:
    # d(a/b)/da = 1/b and d(a/b)/db = -a/b**2
    grad_a = g / b
    return (
        unbroadcast(grad_a, a.shape) if need_a else None,
        unbroadcast(-grad_a * a / b, b.shape) if need_b else None,
    )


def power_slope(base: Any, exponent: Any) -> Any:
    """d(base**exponent)/d(base), with PyTorch's value 0 wherever the exponent is 0."""
    if np.ndim(exponent) == 0:
        if exponent == 2:
            return 2.0 * base
        if exponent == 0:
            return np.zeros_like(base)
        return exponent * base ** (exponent - 1)
    return np.where(exponent == 0, 0.0, exponent * base ** (exponent - 1))


def log_of_base(base: Any, out: Any) -> Any:
    """d(base**e)/de = out * log(base); 0 where base is 0, nan for base < 0 (as PyTorch)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(base == 0, 0.0, out * np.log(base))


def pow_backward(g: Any, a: Any, b: Any, need_a: bool, need_b: bool) -> tuple[Any, Any]:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (
            unbroadcast(g * power_slope(a, b), a.shape) if need_a else None,
            unbroadcast(g * log_of_base(a, a**b), b.shape) if need_b else None,
        )


# ---- arithmetic with a constant c (a number or an array) on one side ----


def plus_constant_backward(g: Any, x: Any) -> tuple[Any]:
    return (unbroadcast(g, _shape(x)),)


def constant_minus_backward(g: Any, x: Any) -> tuple[Any]:
    return (-unbroadcast(g, _shape(x)),)


def times_constant_backward(g: Any, x: Any, c: Any) -> tuple[Any]:
    return (unbroadcast(g * c, _shape(x)),)


def over_constant_backward(g: Any, x: Any, c: Any) -> tuple[Any]:
    return (unbroadcast(g / c, _shape(x)),)


def constant_over_backward(g: Any, x: Any, out: Any) -> tuple[Any]:
    # d(c/x)/dx = -c/x**2 = -out/x
    return (unbroadcast(-g * out / x, _shape(x)),)


def power_of_constant_backward(g: Any, x: Any, c: Any) -> tuple[Any]:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (unbroadcast(g * power_slope(x, c), _shape(x)),)


def constant_to_power_backward(g: Any, x: Any, c: Any, out: Any) -> tuple[Any]:
    return (unbroadcast(g * log_of_base(np.asarray(c), out), _shape(x)),)


# ---- elementwise functions of one tensor ----


def neg_backward(g: Any) -> tuple[Any]:
    return (-g,)


def exp_backward(g: Any, out: Any) -> tuple[Any]:
    return (g * out,)


def log_backward(g: Any, x: Any) -> tuple[Any]:
    return (g / x,)


def sqrt_backward(g: Any, out: Any) -> tuple[Any]:
    with np.errstate(divide="ignore"):
        return (g * (0.5 / out),)


def abs_backward(g: Any, x: Any) -> tuple[Any]:
    return (g * np.sign(x),)


def relu_backward(g: Any, out: Any) -> tuple[Any]:
    # The slope is 1 where the output is positive, else 0: the sign of the output (>= 0).
    # (A float factor: multiplying by the boolean `out > 0` costs NumPy a cast, twice as slow.)
    return (g * np.sign(out),)


def sigmoid_backward(g: Any, s: Any) -> tuple[Any]:
    return (g * s * (1.0 - s),)


def tanh_backward(g: Any, t: Any) -> tuple[Any]:
    return (g * (1.0 - t * t),)


# ---- matrix product ----


def _swap_last(x: Any) -> Any:
    return x.T if x.ndim == 2 else x.swapaxes(-1, -2)


def matmul_backward(g: Any, x: Any, y: Any, need_x: bool, need_y: bool) -> tuple[Any, Any]:
    """d(x@y)/dx = g @ y.T and d(x@y)/dy = x.T @ g, computed only where needed.

    A 1-d x acts as a one-row matrix and a 1-d y as a one-column matrix (as in NumPy); batch
    axes that broadcasting stretched are summed back.
    """
    if x.ndim == 2 and y.ndim == 2:  # the common case, first
        return (g @ y.T if need_x else None), (x.T @ g if need_y else None)
    if x.ndim == 1 and y.ndim == 1:  # a dot product
        return (g * y if need_x else None), (g * x if need_y else None)
    x_shape, y_shape = x.shape, y.shape
    x_is_row, y_is_column = x.ndim == 1, y.ndim == 1
    if x_is_row:
        x, g = x[None, :], np.expand_dims(g, -2)
    if y_is_column:
        y, g = y[:, None], np.expand_dims(g, -1)
    grad_x = grad_y = None
    if need_x:
        grad_x = g @ _swap_last(y)
        grad_x = unbroadcast(grad_x[..., 0, :] if x_is_row else grad_x, x_shape)
    if need_y:
        grad_y = _swap_last(x) @ g
        grad_y = unbroadcast(grad_y[..., 0] if y_is_column else grad_y, y_shape)
    return grad_x, grad_y


def matmul_error(x: Any, y: Any) -> ValueError:
    """Why ``x @ y`` failed, naming both shapes and the axes that must agree."""
    sx, sy = np.shape(x), np.shape(y)
    if not sx or not sy:
        return ValueError(
            f"Tensor @: shapes {sx} and {sy}: matrix products need at least 1-d operands; "
            "use * to multiply by a single number"
        )
    inner_y = sy[0] if len(sy) == 1 else sy[-2]
    if sx[-1] != inner_y:
        return ValueError(
            f"Tensor @: shapes {sx} and {sy} don't fit: the left side's last axis ({sx[-1]}) "
            f"must equal the right side's {'only' if len(sy) == 1 else 'second-to-last'} axis "
            f"({inner_y}); transpose one side (.T) or fix the layer sizes"
        )
    return ValueError(
        f"Tensor @: shapes {sx} and {sy}: the batch axes (all but the last two) cannot be "
        "broadcast together"
    )
