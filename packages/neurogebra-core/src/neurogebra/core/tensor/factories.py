"""Making Tensors from scratch: ``zeros``, ``ones``, ``randn`` and ``arange``.

Each takes ``dtype`` (float64 by default, or float32) and ``requires_grad``, so parameters can
be made in one line.

Example:
    >>> from neurogebra.core.tensor import randn, zeros
    >>> w = randn(3, 2, rng=0, requires_grad=True)
    >>> b = zeros(2, requires_grad=True)
    >>> w.shape, b.numpy()
    ((3, 2), array([0., 0.]))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra.core.tensor.checks import real_number, shape_argument
from neurogebra.core.tensor.tensor import FLOAT_DTYPES, Tensor

__all__ = ["arange", "ones", "randn", "zeros"]


def _shape_of(shape: tuple[Any, ...], where: str) -> tuple[int, ...]:
    """``f(2, 3)`` and ``f((2, 3))`` both mean shape (2, 3); sizes must be whole and >= 0."""
    return shape_argument(shape, where)


def _dtype(dtype: Any, where: str) -> np.dtype:
    chosen = np.dtype(np.float64 if dtype is None else dtype)
    if chosen not in FLOAT_DTYPES:
        raise ValueError(f"{where}: dtype must be float64 or float32, got {chosen}")
    return chosen


def _wrap(data: np.ndarray, requires_grad: bool) -> Tensor:
    return Tensor(data, requires_grad)


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A Tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``.

    Example:
        >>> zeros(2).numpy()
        array([0., 0.])
    """
    return _wrap(np.zeros(_shape_of(shape, "zeros"), _dtype(dtype, "zeros")), requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A Tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``.

    Example:
        >>> ones(2, dtype="float32").numpy()
        array([1., 1.], dtype=float32)
    """
    return _wrap(np.ones(_shape_of(shape, "ones"), _dtype(dtype, "ones")), requires_grad)


def randn(*shape: Any, rng: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples. ``rng`` is a seed (int) or a ``np.random.Generator``; None
    draws fresh randomness.

    Example:
        >>> bool((randn(3, rng=1).numpy() == randn(3, rng=1).numpy()).all())
        True
    """
    size = _shape_of(shape, "randn")
    kind = _dtype(dtype, "randn")
    if rng is not None and not isinstance(rng, int | np.integer | np.random.Generator):
        raise TypeError(f"randn: rng must be an int seed or a np.random.Generator, got {rng!r}")
    if isinstance(rng, bool) or (isinstance(rng, int | np.integer) and rng < 0):
        raise ValueError(f"randn: rng must be a seed >= 0 or a np.random.Generator, got {rng!r}")
    generator = np.random.default_rng(rng)
    return _wrap(generator.standard_normal(size, dtype=kind), requires_grad)


def arange(
    start: float,
    stop: float | None = None,
    step: float = 1,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Evenly spaced numbers from ``start`` up to (not including) ``stop``, as ``np.arange``.

    Example:
        >>> arange(3).numpy()
        array([0., 1., 2.])
    """
    for name, value in (("start", start), ("stop", stop), ("step", step)):
        if value is not None and not np.isfinite(real_number(value, "arange", name)):
            raise ValueError(f"arange: {name} must be finite, got {value!r}")
    if step == 0:
        raise ValueError("arange: step must not be 0")
    begin, end = (0, start) if stop is None else (start, stop)
    count = int(np.ceil((end - begin) / step))
    if count > 100_000_000:
        raise ValueError(f"arange: {count} elements is too many (at most 100,000,000)")
    data = np.arange(begin, end, step, dtype=_dtype(dtype, "arange"))
    return _wrap(data, requires_grad)
