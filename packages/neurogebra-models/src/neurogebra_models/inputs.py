"""Checking the arrays handed to a model, so mistakes are named before any arithmetic runs.

Example:
    >>> as_features([[1, 2], [3, 4]]).dtype, as_features(np.ones((2, 2), np.float32)).dtype
    (dtype('float64'), dtype('float32'))
    >>> as_features([[1.0, float("nan")]])
    Traceback (most recent call last):
    ...
    ValueError: X contains NaN or infinity; clean or impute the data first
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_features",
    "check_lengths",
    "check_seed",
    "float_dtype",
    "positive_int",
    "sample_shape",
    "split_validation",
]


class ComplexInputError(TypeError):
    """Complex numbers where real ones are needed."""


def as_features(
    X: object, name: str = "X", rank: int | None = 1, dtype: np.dtype | None = None
) -> np.ndarray:
    """``X`` as a float array of shape (samples, features), or (samples, ...) with ``rank``
    axes per sample (None: any), or a clear error.

    Float32 data stays float32 and everything else becomes float64, unless ``dtype`` says
    which of the two it must be.
    """
    source = X.numpy() if hasattr(X, "numpy") else X
    try:
        array = np.asarray(source)
        if array.dtype.kind == "c":
            raise ComplexInputError(
                f"{name} holds complex numbers; a model learns from real numbers, so pass "
                f"{name}.real (or split real and imaginary parts into separate features)"
            )
        if array.dtype.kind not in "biuf":
            raise TypeError(f"dtype {array.dtype} is not a number type")
        if dtype is None:
            dtype = array.dtype if array.dtype == np.float32 else np.dtype(np.float64)
        array = array.astype(dtype, copy=False)
    except ComplexInputError:
        raise
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be an array of numbers (a NumPy array or nested lists), got "
            f"{type(X).__name__} ({error})"
        ) from None
    if rank == 1 and array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (samples, features), got shape {array.shape}; "
            f"for a single feature use {name}.reshape(-1, 1), for a single sample "
            f"{name}.reshape(1, -1)"
        )
    if rank == 3 and array.ndim != 4:
        raise ValueError(
            f"{name} must be a 4-D array of images (samples, channels, height, width), got "
            f"shape {array.shape}; for grey images of shape (samples, height, width) use "
            f"{name}.reshape(len({name}), 1, height, width)"
        )
    if array.ndim < 2:
        raise ValueError(
            f"{name} must have one row per sample (at least 2-D), got shape {array.shape}"
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


def check_seed(seed: object, name: str = "seed") -> int:
    """A seed as an int, or an error that says what a seed is."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(
            f"{name} must be a whole number ≥ 0 (or None for a random one), got {seed!r}; "
            f"e.g. {name}=0"
        )
    return int(seed)


def float_dtype(dtype: object) -> np.dtype:
    """``"float32"``/``np.float32`` or ``"float64"``/``np.float64`` as a NumPy dtype."""
    try:
        result = np.dtype(dtype)  # type: ignore[call-overload]
    except Exception:  # NumPy raises several kinds of error for what is not a dtype
        result = None
    if dtype is None or result is None or result.name not in ("float32", "float64"):
        raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
    return result


def sample_shape(value: object) -> int | tuple[int, ...]:
    """The shape of one input sample: a number of features, or a tuple such as (1, 8, 8).

    Example:
        >>> sample_shape(3), sample_shape([1, 8, 8]), sample_shape((5,))
        (3, (1, 8, 8), 5)
    """
    if isinstance(value, tuple | list):
        sizes = tuple(positive_int(v, "each size in input_dim") for v in value)
        if not sizes:
            raise ValueError("input_dim must not be empty; give a number of features")
        return sizes[0] if len(sizes) == 1 else sizes
    return positive_int(value, "input_dim")


def fraction_or_zero(value: object, name: str) -> float:
    """``value`` as a fraction in [0, 1), 0 meaning "none", or an error naming ``name``."""
    number = float(value) if isinstance(value, numbers.Real) else -1.0
    if isinstance(value, bool) or not 0 <= number < 1:
        raise ValueError(f"{name} must be a fraction in (0, 1) (or 0 for none), got {value!r}")
    return number


def split_validation(
    n: int, fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers for training and for validation: a random ``fraction`` of the ``n`` rows
    is held out.

    The rows are shuffled (with the model's seeded generator) before the cut: data sets are
    often sorted by class, and the last rows alone would then be one class.

    Example:
        >>> train, val = split_validation(10, 0.2, np.random.default_rng(0))
        >>> len(train), len(val), sorted([*train, *val]) == list(range(10))
        (8, 2, True)
    """
    if isinstance(fraction, bool) or not isinstance(fraction, numbers.Real) or not 0 < fraction < 1:
        raise ValueError(f"validation_split must be a fraction in (0, 1), got {fraction!r}")
    n_val = round(n * fraction)
    if n_val < 1 or n_val >= n:
        raise ValueError(
            f"validation_split={fraction} of {n} samples leaves {n_val} for validation and "
            f"{n - n_val} for training; both need at least one"
        )
    order = rng.permutation(n)
    return order[n_val:], order[:n_val]
