"""Checks of what a user passes at the public boundary of the Tensor functions.

Each check turns one kind of argument (an array of numbers, a shape, a single number) into what
NumPy needs, or raises an error whose message names the function and the argument. They run once
per call of a public function, never inside a backward pass.

Example:
    >>> numeric_array([1, 2], "mse", "target")
    array([1, 2])
    >>> shape_argument(((2, 3),), "zeros")
    (2, 3)
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = ["KIND_HINTS", "numeric_array", "real_number", "shape_argument"]

KIND_HINTS = {
    "c": "complex numbers (Tensor and its gradients are real); pass the real and imaginary "
    "parts as two Tensors (x.real, x.imag), or np.abs(x)",
    "M": "dates; turn them into numbers first, e.g. (d - d.min()) / np.timedelta64(1, 'D')",
    "m": "time spans; turn them into numbers first, e.g. span / np.timedelta64(1, 's')",
    "O": "objects that are not numbers (None, an int too large for a float, or lists of "
    "different lengths?)",
    "U": "text; convert it to numbers first, e.g. np.asarray(x, dtype=float)",
    "S": "bytes; convert them to numbers first",
    "V": "structured records; pass one numeric field, e.g. x['price']",
}

_INTP_MAX = np.iinfo(np.intp).max


def numeric_array(value: Any, where: str, name: str) -> np.ndarray:
    """``value`` as a NumPy array of real numbers (bool, int or float), or an error that says
    ``where: name ...``.

    Example:
        >>> numeric_array(["a"], "where", "condition")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        TypeError: where: cannot make an array of numbers from condition (list): it holds text; ...
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError) as error:
        raise TypeError(
            f"{where}: cannot make an array of numbers from {name} ({error}); pass a "
            "number, a (nested) list of numbers with rows of equal length, or a NumPy array"
        ) from None
    kind = array.dtype.kind
    if kind not in "biuf":
        raise TypeError(
            f"{where}: cannot make an array of numbers from {name} ({type(value).__name__}): "
            f"it holds {KIND_HINTS.get(kind, array.dtype)}"
        )
    return array


def real_number(value: Any, where: str, name: str) -> float:
    """``value`` as a float (a real number that fits a float, not a bool), or an error that
    names it. NaN passes; the caller decides whether it means anything.

    Example:
        >>> real_number(3, "clip", "low")
        3.0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a number, got {value!r:.60}")
    try:
        return float(value)
    except OverflowError:
        raise OverflowError(
            f"{where}: {name} is too large for a float (beyond about 1.8e308), got "
            f"{str(value)[:12]}... ({len(str(value))} digits)"
        ) from None


def shape_argument(
    shape: tuple[Any, ...], where: str, allow_infer: bool = False
) -> tuple[int, ...]:
    """A shape given as ``f(2, 3)`` or ``f((2, 3))``: whole sizes >= 0 (and one -1, "infer this
    size", when ``allow_infer``), each small enough for NumPy.

    Example:
        >>> shape_argument((2, -1), "Tensor.reshape", allow_infer=True)
        (2, -1)
    """
    if len(shape) == 1 and isinstance(shape[0], tuple | list | np.ndarray):
        shape = tuple(shape[0])
    low = -1 if allow_infer else 0
    for size in shape:
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < low:
            need = "whole numbers >= 0" + (" (or -1 for one size to infer)" if allow_infer else "")
            raise TypeError(
                f"{where}: sizes must be {need}, got {size!r:.40} in shape {shape!r:.80}"
            )
        if size > _INTP_MAX:
            digits = len(str(size))
            raise ValueError(f"{where}: a size of {digits} digits in the shape is too large")
    sizes = tuple(int(size) for size in shape)
    if not allow_infer and math.prod(sizes) > _INTP_MAX:
        raise ValueError(f"{where}: the shape {sizes} holds too many elements for memory")
    return sizes
