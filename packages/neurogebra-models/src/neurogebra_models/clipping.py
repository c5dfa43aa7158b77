"""Gradient clipping: keep one unlucky batch from throwing the weights far away.

Call these between ``loss.backward()`` and the optimizer's step (or give the optimizer
``clip_norm=`` / ``clip_value=``, which calls them for you). They change the ``.grad`` arrays
in place, as PyTorch's ``clip_grad_norm_`` and ``clip_grad_value_`` do.

Example:
    >>> from neurogebra.core.tensor import Tensor
    >>> w = Tensor([3.0, 4.0], requires_grad=True)
    >>> (w * w).sum().backward()           # gradient 2w = [6, 8], norm 10
    >>> round(clip_grad_norm([w], 1.0), 6), w.grad.round(6).tolist()
    (10.0, [0.6, 0.8])
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np

from neurogebra.core.tensor import Tensor

__all__ = ["clip_grad_norm", "clip_grad_value"]


def _limit(value: object, name: str) -> float:
    number = float(value) if isinstance(value, numbers.Real) else math.nan
    if isinstance(value, bool) or not number > 0:
        raise ValueError(f"{name} must be a number > 0, got {value!r}")
    return number


def clip_grad_norm(parameters: Iterable[Tensor], max_norm: float) -> float:
    """Scale all gradients together so that their joint length is at most ``max_norm``.

    The length is √(sum of every gradient value squared) over all the parameters; when it is
    larger than ``max_norm`` every gradient is multiplied by ``max_norm / (length + 1e-6)``, so
    the direction of the step is kept. Returns the length before clipping.
    """
    max_norm = _limit(max_norm, "clip_grad_norm: max_norm")
    grads = [p.grad for p in parameters if p.grad is not None]
    total = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    scale = max_norm / (total + 1e-6)
    if scale < 1.0:
        for g in grads:
            g *= scale
    return total


def clip_grad_value(parameters: Iterable[Tensor], limit: float) -> None:
    """Clip every gradient value into ``[-limit, limit]`` (each one on its own)."""
    limit = _limit(limit, "clip_grad_value: limit")
    for p in parameters:
        if p.grad is not None:
            np.clip(p.grad, -limit, limit, out=p.grad)
