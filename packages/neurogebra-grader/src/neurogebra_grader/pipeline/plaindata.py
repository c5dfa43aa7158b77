"""Plain data that crosses the sandbox wall: JSON with tagged arrays, read back strictly.

The kernel encodes numbers, arrays and strings with :func:`encode`; the trusted grader reads
them with :func:`decode`, which accepts only JSON scalars, lists and dicts (no objects of the
student's), so nothing it compares can carry a custom ``__eq__``.

Example:
    >>> decode(encode(np.array([1.0, float("nan")]))).tolist()
    [1.0, nan]
    >>> decode({"text": "hello"})
    {'text': 'hello'}
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_ARRAY = "__ndarray__"
_TUPLE = "__tuple__"
_MAX_DEPTH = 12


def _float(x: float) -> float | str:
    return x if math.isfinite(x) else repr(x)  # "nan", "inf", "-inf": JSON has no such numbers


def encode_array(values: np.ndarray) -> dict[str, Any]:
    """A float array as ``{"__ndarray__": [flat values], "shape": [...]}``."""
    flat = np.asarray(values, dtype=float).ravel().tolist()
    return {_ARRAY: [_float(v) for v in flat], "shape": list(np.shape(values))}


def encode(value: Any) -> Any:
    """JSON-ready plain data from NumPy arrays/scalars, floats, tuples, lists and dicts."""
    if isinstance(value, np.ndarray):
        return encode_array(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return _float(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    raise TypeError(f"not plain data: {type(value).__name__}")


class BadData(ValueError):
    """The sandbox reported something that is not plain data."""


def _number(x: Any) -> float:
    if isinstance(x, str) and x in ("nan", "inf", "-inf"):
        return float(x)
    if type(x) in (int, float):
        return float(x)
    raise BadData(f"expected a number, got {type(x).__name__}")


def decode(value: Any, depth: int = 0) -> Any:
    """Rebuild plain data; anything but JSON scalars, lists and dicts raises BadData."""
    if depth > _MAX_DEPTH:
        raise BadData("data nested too deeply")
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return value
    if type(value) is list:
        return [decode(v, depth + 1) for v in value]
    if type(value) is dict:
        if _ARRAY in value:
            flat = value[_ARRAY]
            shape = value.get("shape")
            if type(flat) is not list or type(shape) is not list:
                raise BadData("malformed array")
            if not all(type(n) is int and n >= 0 for n in shape):
                raise BadData("malformed array shape")
            array = np.array([_number(v) for v in flat], dtype=float)
            if array.size != math.prod(shape):
                raise BadData("array size does not match its shape")
            return array.reshape(shape)
        if _TUPLE in value:
            items = value[_TUPLE]
            if type(items) is not list:
                raise BadData("malformed tuple")
            return tuple(decode(v, depth + 1) for v in items)
        return {str(k): decode(v, depth + 1) for k, v in value.items()}
    raise BadData(f"unexpected {type(value).__name__}")
