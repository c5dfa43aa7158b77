"""Functions that neural networks are trained with: softmax, log-softmax and two losses.

Each is one graph node with a hand-derived backward, which is both faster and more accurate than
building it out of exp, sum and log nodes:

- ``softmax(x)`` and ``log_softmax(x)`` subtract the largest score first, so exp never overflows;
- ``cross_entropy(logits, target)`` is the mean of ``-log softmax(logits)[target]``; its gradient
  is the famous ``softmax(logits) - one_hot(target)`` (divided by the batch size);
- ``mse(prediction, target)`` is the mean of the squared differences.

Example:
    >>> from neurogebra.core.tensor import Tensor
    >>> logits = Tensor([[2.0, 1.0, 0.1]], requires_grad=True)
    >>> loss = cross_entropy(logits, [0])
    >>> round(loss.item(), 4)
    0.417
    >>> loss.backward()
    >>> logits.grad.round(3)
    array([[-0.341,  0.242,  0.099]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra.core.tensor.checks import numeric_array
from neurogebra.core.tensor.grad_mode import GRAD_MODE
from neurogebra.core.tensor.tensor import Tensor, record

__all__ = ["cross_entropy", "log_softmax", "mse", "softmax"]

REDUCTIONS = ("mean", "sum")
# The ufuncs' own reductions: ndarray.sum/max/min add a Python-level wrapper on every call.
_sum, _max, _min = np.add.reduce, np.maximum.reduce, np.minimum.reduce


def _as_tensor(x: Any) -> Tensor:
    return x if type(x) is Tensor else Tensor(x)


def _check_scores(z: np.ndarray, axis: Any, op: str) -> None:
    """The scores must have an ``axis`` with at least one score on it."""
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise TypeError(f"{op}: axis must be an int (e.g. -1 for the last axis), got {axis!r}")
    if not -z.ndim <= axis < max(z.ndim, 1) or z.ndim == 0:
        raise ValueError(
            f"{op}: axis {axis} is out of range for scores of shape {z.shape}; softmax needs "
            "at least a 1-d tensor of scores"
        )
    if z.shape[axis] == 0:
        raise ValueError(
            f"{op}: there are no scores along axis {axis} (shape {z.shape}); it needs at least one"
        )


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Probabilities along ``axis``: exp(x) / sum(exp(x)), computed without overflow.

    Example:
        >>> softmax(Tensor([1000.0, 1000.0])).numpy()
        array([0.5, 0.5])
    """
    x = _as_tensor(x)
    z = x._data
    _check_scores(z, axis, "softmax")
    exp = np.exp(z - _max(z, axis=axis, keepdims=True))
    probs = exp / _sum(exp, axis=axis, keepdims=True)
    return record(probs, (x,), "softmax", _softmax_backward, (probs, axis))


def _softmax_backward(g: Any, probs: Any, axis: int) -> tuple[Any]:
    # d softmax_i / d x_j = s_i (δij - s_j), so the gradient is s * (g - Σ g s).
    return ((g - _sum(g * probs, axis=axis, keepdims=True)) * probs,)


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """log(softmax(x)) along ``axis``: x - max - log(sum(exp(x - max))), never log(0).

    Example:
        >>> log_softmax(Tensor([0.0, -1000.0])).numpy()
        array([    0., -1000.])
    """
    x = _as_tensor(x)
    z = x._data
    _check_scores(z, axis, "log_softmax")
    shifted = z - _max(z, axis=axis, keepdims=True)
    log_probs = shifted - np.log(_sum(np.exp(shifted), axis=axis, keepdims=True))
    return record(log_probs, (x,), "log_softmax", _log_softmax_backward, (log_probs, axis))


def _log_softmax_backward(g: Any, log_probs: Any, axis: int) -> tuple[Any]:
    # d log_softmax_i / d x_j = δij - s_j, so the gradient is g - s * Σ g.
    return (g - np.exp(log_probs) * _sum(g, axis=axis, keepdims=True),)


def cross_entropy(logits: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy of raw scores ``logits`` (shape ``(batch, classes)``).

    ``target`` is either the class of each row (integers of shape ``(batch,)``), or one-hot
    (or soft) target probabilities of the same shape as ``logits``. A single row of scores of
    shape ``(classes,)`` with one class label also works. ``reduction`` is "mean" (the
    default, like PyTorch) or "sum" over the batch. Targets are constants (no gradient).

    Example:
        >>> scores = Tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]])
        >>> a = cross_entropy(scores, [0, 1]).item()
        >>> b = cross_entropy(scores, [[1.0, 0, 0], [0, 1.0, 0]]).item()
        >>> round(a, 6) == round(b, 6)
        True
    """
    logits = _as_tensor(logits)
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"cross_entropy: reduction must be 'mean' or 'sum', got {reduction!r}")
    if type(target) is Tensor:
        if target.requires_grad and GRAD_MODE.enabled:
            raise ValueError(
                "cross_entropy: the target is treated as a constant and gets no gradient; "
                "pass target.detach()"
            )
        target = target._data
    elif type(target) is not np.ndarray:
        target = numeric_array(target, "cross_entropy", "target")
    z = logits._data
    if z.ndim == 2:
        if z.shape[0] == 0 or z.shape[1] == 0:
            raise ValueError(
                f"cross_entropy: the logits are empty (shape {z.shape}); a batch needs at "
                "least one sample and one class"
            )
        if target.ndim == 1 and len(target) == len(z):  # class labels: the common case
            return _cross_entropy_labels(logits, target, reduction)
        if target.shape == z.shape:
            return _cross_entropy_probabilities(logits, target, reduction)
        raise ValueError(
            f"cross_entropy: logits of shape {z.shape} need class labels of shape "
            f"{z.shape[:1]} or one-hot targets of shape {z.shape}, got a target of shape "
            f"{target.shape}"
        )
    if z.ndim == 1:  # one sample: treat it as a batch of one
        one_target = target.reshape(1) if target.ndim == 0 else target.reshape(1, -1)
        return cross_entropy(logits.reshape(1, -1), one_target, reduction)
    raise ValueError(
        f"cross_entropy: logits must have shape (batch, classes), got {z.shape}; "
        "reshape them first, e.g. logits.reshape(-1, n_classes)"
    )


def _class_labels(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Check that ``labels`` are whole numbers >= 0 and return them as ints.

    Labels >= n_classes make the indexing in cross_entropy raise an IndexError, which is
    turned into the same message (one check fewer on the hot path).
    """
    kind = labels.dtype.kind
    if kind == "u":
        return labels
    if kind != "i":
        as_int = labels.astype(np.intp) if kind in "fb" else None
        if as_int is None or not np.array_equal(as_int, labels):
            raise ValueError(
                f"cross_entropy: class labels must be whole numbers, got dtype {labels.dtype}"
                f" (e.g. {labels.reshape(-1)[:3]}); pass integer labels such as y.astype(int)"
            )
        labels = as_int
    if labels.size and _min(labels) < 0:  # NumPy would read -1 as "the last class"
        raise _label_range_error(labels, n_classes)
    return labels


def _label_range_error(labels: np.ndarray, n_classes: int) -> ValueError:
    return ValueError(
        f"cross_entropy: class labels must lie in 0..{n_classes - 1} for {n_classes} "
        f"classes, got values from {labels.min()} to {labels.max()}"
    )


_ROW_NUMBERS: dict[int, np.ndarray] = {}


def _row_numbers(n: int) -> np.ndarray:
    """``np.arange(n)``, made once per batch size and shared (read-only) after that."""
    rows = _ROW_NUMBERS.get(n)
    if rows is None:
        rows = np.arange(n)
        rows.flags.writeable = False
        if len(_ROW_NUMBERS) < 64:  # a few batch sizes, not one entry per odd size
            _ROW_NUMBERS[n] = rows
    return rows


def _cross_entropy_labels(logits: Tensor, labels: np.ndarray, reduction: str) -> Tensor:
    z = logits._data
    n = z.shape[0]
    labels = _class_labels(labels, z.shape[1])
    shifted = z - _max(z, axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = _sum(exp, axis=1, keepdims=True)
    rows = _row_numbers(n)
    try:
        picked = shifted[rows, labels]
    except IndexError:
        raise _label_range_error(labels, z.shape[1]) from None
    # -log softmax(z)[label] = log(Σ exp(shifted)) - shifted[label]
    data = _sum(np.log(total.ravel()) - picked)
    scale = 1.0
    if reduction == "mean":
        data, scale = data / n, 1.0 / n
    saved = (exp, total, rows, labels, scale)
    return record(data, (logits,), "cross_entropy", _cross_entropy_labels_backward, saved)


def _cross_entropy_labels_backward(
    g: Any, exp: Any, total: Any, rows: Any, labels: Any, scale: float
) -> tuple[Any]:
    grad = exp / total  # softmax(z)
    grad[rows, labels] -= 1.0  # minus one-hot(labels)
    grad *= g * scale
    return (grad,)


def _cross_entropy_probabilities(logits: Tensor, target: np.ndarray, reduction: str) -> Tensor:
    z = logits._data
    target = target.astype(z.dtype, copy=False)
    shifted = z - _max(z, axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = _sum(exp, axis=1, keepdims=True)
    log_probs = shifted - np.log(total)
    data = -_sum(target * log_probs, axis=None)
    scale = 1.0
    if reduction == "mean":
        data, scale = data / z.shape[0], 1.0 / z.shape[0]
    saved = (exp, total, target, scale)
    return record(data, (logits,), "cross_entropy", _cross_entropy_probs_backward, saved)


def _cross_entropy_probs_backward(
    g: Any, exp: Any, total: Any, target: Any, scale: float
) -> tuple[Any]:
    # d/dz of -Σ t log softmax(z) = softmax(z) * Σ t - t  (= softmax - one_hot for one-hot t)
    grad = exp / total * target.sum(axis=1, keepdims=True) - target
    grad *= g * scale
    return (grad,)


def mse(prediction: Tensor, target: Any) -> Tensor:
    """Mean squared error: mean((prediction - target) ** 2); the shapes must be equal.

    Example:
        >>> mse(Tensor([1.0, 2.0]), [0.0, 4.0]).item()
        2.5
    """
    prediction = _as_tensor(prediction)
    p = prediction._data
    target_is_tensor = type(target) is Tensor
    t = target._data if target_is_tensor else _target_array(target, p.dtype)
    if p.shape != t.shape:
        raise ValueError(
            f"mse: prediction shape {p.shape} and target shape {t.shape} differ; they must be "
            "equal (broadcasting would silently compare every prediction with every target), "
            "e.g. reshape the target with y.reshape(-1, 1)"
        )
    if p.size == 0:
        raise ValueError("mse: the prediction is empty")
    diff = p - t
    data = np.mean(diff * diff)
    parents = (prediction, target) if target_is_tensor else (prediction,)
    return record(data, parents, "mse", _mse_backward, (diff, target_is_tensor))


def _target_array(target: Any, dtype: Any) -> np.ndarray:
    if type(target) is np.ndarray and target.dtype == dtype:
        return target
    return numeric_array(target, "mse", "target").astype(dtype, copy=False)


def _mse_backward(g: Any, diff: Any, with_target: bool) -> tuple[Any, ...]:
    grad = diff * (g * (2.0 / diff.size))
    return (grad, -grad) if with_target else (grad,)
