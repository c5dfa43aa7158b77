"""Turning a student's objects into plain data, and plain data into short readable text.

Judges only ever see what these functions return: floats and NumPy float arrays, never the
student's own objects (whose ``__eq__`` or ``__float__`` could say anything).

Example:
    >>> from neurogebra import Value
    >>> to_array([Value(1.0), 2, 3.5]).tolist()
    [1.0, 2.0, 3.5]
    >>> show(to_array([0.1234567, 2.0]))
    '[0.1235, 2]'
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

__all__ = ["NotPlain", "show", "to_array"]


class NotPlain(TypeError):
    """A value that can't be read as numbers; the message says what it was."""


def _number(item: object) -> float:
    """A float from a real number, a NumPy scalar, or anything with a numeric ``.data``."""
    if isinstance(item, bool | numbers.Real | np.number):
        return float(item)
    data = getattr(item, "data", None)  # a Value: compare the number it holds
    if isinstance(data, bool | numbers.Real | np.number):
        return float(data)
    raise NotPlain(f"{type(item).__name__} {_short_repr(item)}")


def to_array(obj: object) -> np.ndarray:
    """A float array from a number, a Value, a NumPy array, or nested lists/tuples of those."""
    if isinstance(obj, np.ndarray):
        if obj.dtype == object:
            return np.array([to_array(item) for item in obj.tolist()], dtype=float)
        if not np.issubdtype(obj.dtype, np.number) and obj.dtype != bool:
            raise NotPlain(f"an array of {obj.dtype}")
        return np.array(obj, dtype=float)
    if isinstance(obj, list | tuple) or (
        isinstance(obj, Iterable) and not isinstance(obj, str | bytes | dict)
    ):
        items = [to_array(item) for item in obj]
        try:
            return np.array(items, dtype=float)
        except ValueError:
            raise NotPlain("a ragged list (its items have different lengths)") from None
    return np.array(_number(obj), dtype=float)


def show(value: object, digits: int = 4) -> str:
    """Short text for a number or an array (long arrays keep their first and last 3 items)."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return show(float(value), digits)
        items = list(value)
        if len(items) > 12:
            shown = [show(np.asarray(v), digits) for v in items[:3]]
            shown += ["...", *(show(np.asarray(v), digits) for v in items[-3:])]
        else:
            shown = [show(np.asarray(v), digits) for v in items]
        return "[" + ", ".join(shown) + "]"
    if isinstance(value, float):
        return f"{value:.{digits}g}" if value == value else "nan"
    return _short_repr(value)


def _short_repr(item: object, limit: int = 60) -> str:
    text = repr(item)
    return text if len(text) <= limit else text[: limit - 3] + "..."
