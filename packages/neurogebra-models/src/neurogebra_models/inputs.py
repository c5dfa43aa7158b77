"""Checking the arrays handed to a model, so mistakes are named before any arithmetic runs.

Example:
    >>> as_features([[1, 2], [3, 4]]).dtype
    dtype('float64')
    >>> as_features([[1.0, float("nan")]])
    Traceback (most recent call last):
    ...
    ValueError: X contains NaN or infinity; clean or impute the data first
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_features", "check_lengths", "positive_int", "split_validation"]


def as_features(X: object, name: str = "X") -> np.ndarray:
    """``X`` as a float64 array of shape (samples, features), or a clear error."""
    try:
        array = np.asarray(X.numpy() if hasattr(X, "numpy") else X, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be an array of numbers (a NumPy array or nested lists), got "
            f"{type(X).__name__} ({error})"
        ) from None
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (samples, features), got shape {array.shape}; "
            f"for a single feature use {name}.reshape(-1, 1), for a single sample "
            f"{name}.reshape(1, -1)"
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} has no samples (shape {array.shape})")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity; clean or impute the data first")
    return array


def check_lengths(X: np.ndarray, y: np.ndarray, what: str = "X and y") -> None:
    if len(X) != len(y):
        raise ValueError(
            f"{what} must have one label per sample: X has {len(X)} samples, y has {len(y)}"
        )


def positive_int(value: object, name: str, allow_zero: bool = False) -> int:
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{name} must be a whole number ≥ {low}, got {value!r}")
    return int(value)


def split_validation(
    X: np.ndarray, y: np.ndarray, fraction: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The last ``fraction`` of the samples held out (before any shuffling), as Keras does."""
    if isinstance(fraction, bool) or not isinstance(fraction, numbers.Real) or not 0 < fraction < 1:
        raise ValueError(f"validation_split must be a fraction in (0, 1), got {fraction!r}")
    n_val = round(len(X) * fraction)
    if n_val < 1 or n_val >= len(X):
        raise ValueError(
            f"validation_split={fraction} of {len(X)} samples leaves {n_val} for validation and "
            f"{len(X) - n_val} for training; both need at least one"
        )
    cut = len(X) - n_val
    return X[:cut], y[:cut], X[cut:], y[cut:]
