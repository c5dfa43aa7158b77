"""Small toy data sets for the course, made on the spot (no downloads), reproducible by seed.

``make_spirals`` is the course's generator itself (neurogebra.examples.spiral, project 3): it
draws its noise from NumPy's global generator exactly like the course page, so after
``np.random.seed(42)`` it gives the page's data; with ``seed=...`` it leaves the global
generator untouched. The other generators take ``seed`` for their own generator.

Example:
    >>> X, y = make_moons(n_samples=10, seed=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((10, 2), [0, 1])
"""

from __future__ import annotations

import numbers

import numpy as np

from neurogebra.examples.spiral import generate_spirals

__all__ = [
    "load_digits",
    "make_circles",
    "make_moons",
    "make_regression",
    "make_spirals",
    "make_xor",
    "train_test_split",
]


def _count(value: object, name: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{name} must be a whole number ≥ {low}, got {value!r}")
    return int(value)


def _noise(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
        raise ValueError(f"noise must be a number ≥ 0, got {value!r}")
    return float(value)


def make_spirals(
    n_points: int = 100, n_classes: int = 3, noise: float = 0.1, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``n_classes`` interleaved spiral arms of ``n_points`` each: X (n, 2) and labels y (n,)."""
    n_points, n_classes = _count(n_points, "n_points"), _count(n_classes, "n_classes")
    noise = _noise(noise)
    if seed is None:
        return generate_spirals(n_points=n_points, n_classes=n_classes, noise=noise)
    saved = np.random.get_state()
    try:
        np.random.seed(seed)
        return generate_spirals(n_points=n_points, n_classes=n_classes, noise=noise)
    finally:
        np.random.set_state(saved)


def make_moons(
    n_samples: int = 200, noise: float = 0.1, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (class 0 on top, class 1 below, shifted)."""
    n = _count(n_samples, "n_samples", 2)
    rng = np.random.default_rng(seed)
    n_top = n // 2
    top = np.linspace(0.0, np.pi, n_top)
    bottom = np.linspace(0.0, np.pi, n - n_top)
    X = np.concatenate(
        [
            np.column_stack([np.cos(top), np.sin(top)]),
            np.column_stack([1.0 - np.cos(bottom), 0.5 - np.sin(bottom)]),
        ]
    )
    X += rng.normal(0.0, _noise(noise), size=X.shape)
    y = np.concatenate([np.zeros(n_top, dtype=int), np.ones(n - n_top, dtype=int)])
    return X, y


def make_circles(
    n_samples: int = 200, noise: float = 0.05, factor: float = 0.5, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """A ring (class 0, radius 1) around a smaller ring (class 1, radius ``factor``)."""
    n = _count(n_samples, "n_samples", 2)
    if not 0 < factor < 1:
        raise ValueError(f"factor is the inner radius and must be in (0, 1), got {factor!r}")
    rng = np.random.default_rng(seed)
    n_outer = n // 2
    outer = np.linspace(0.0, 2 * np.pi, n_outer, endpoint=False)
    inner = np.linspace(0.0, 2 * np.pi, n - n_outer, endpoint=False)
    X = np.concatenate(
        [
            np.column_stack([np.cos(outer), np.sin(outer)]),
            factor * np.column_stack([np.cos(inner), np.sin(inner)]),
        ]
    )
    X += rng.normal(0.0, _noise(noise), size=X.shape)
    y = np.concatenate([np.zeros(n_outer, dtype=int), np.ones(n - n_outer, dtype=int)])
    return X, y


def make_xor(
    n_samples: int = 200, noise: float = 0.0, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-1, 1]²; label 1 where exactly one coordinate is positive (the XOR pattern)."""
    n = _count(n_samples, "n_samples")
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(int)
    X = X + rng.normal(0.0, _noise(noise), size=X.shape)
    return X, y


def make_regression(
    n_samples: int = 100,
    n_features: int = 1,
    noise: float = 0.1,
    coef: object = None,
    bias: float = 0.0,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A linear relation ``y = X @ coef + bias + noise``; coefficients random unless given.

    Returns X (n, n_features) and y (n,). The true coefficients are ``coef`` when given.
    """
    n, d = _count(n_samples, "n_samples"), _count(n_features, "n_features")
    rng = np.random.default_rng(seed)
    weights = rng.uniform(-3.0, 3.0, size=d) if coef is None else np.asarray(coef, dtype=float)
    if weights.shape != (d,):
        raise ValueError(f"coef must hold {d} numbers (one per feature), got shape {weights.shape}")
    X = rng.uniform(-1.0, 1.0, size=(n, d))
    y = X @ weights + float(bias) + rng.normal(0.0, _noise(noise), size=n)
    return X, y


def train_test_split(
    X: object, y: object, test_size: float = 0.2, seed: int | None = None, shuffle: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``X_train, X_test, y_train, y_test``: a random ``test_size`` fraction held out.

    Like the course page, the order is ``np.random.permutation`` and the first
    ``int((1 - test_size) · n)`` samples train; without ``seed`` NumPy's global generator is
    used, so ``np.random.seed(42)`` then make_spirals then this split gives the page's split.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}; they must match")
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size must be a fraction such as 0.2, got {test_size!r}")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be a fraction in (0, 1), got {test_size!r}")
    split = int((1 - test_size) * len(X))
    if split < 1 or split >= len(X):
        raise ValueError(
            f"test_size={test_size} of {len(X)} samples leaves {split} for training and "
            f"{len(X) - split} for testing; both need at least one"
        )
    if not shuffle:
        order = np.arange(len(X))
    elif seed is None:
        order = np.random.permutation(len(X))
    else:
        order = np.random.default_rng(seed).permutation(len(X))
    return X[order[:split]], X[order[split:]], y[order[:split]], y[order[split:]]


def load_digits(
    test_size: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits bundled with scikit-learn, as images for ``Conv2D``.

    Returns ``X_train, X_test, y_train, y_test``: ``X`` of shape (samples, 1, 8, 8) with the
    grey levels scaled from 0..16 to 0..1, ``y`` the digits 0..9, split with
    :func:`train_test_split` (``seed``). The data ship inside scikit-learn (nothing is
    downloaded); install it with ``pip install neurogebra-models[digits]``.

    Example:
        >>> X_train, X_test, y_train, y_test = load_digits()
        >>> X_train.shape, X_test.shape, float(X_train.max())
        ((1347, 1, 8, 8), (450, 1, 8, 8), 1.0)
    """
    try:
        # scikit-learn: the only library that ships these digits inside its package.
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError:
        raise ImportError(
            "load_digits reads the digits bundled with scikit-learn, which is not installed; "
            "install it with `pip install neurogebra-models[digits]` (or scikit-learn)"
        ) from None
    digits = sklearn_digits()
    images = (digits.images / 16.0).reshape(-1, 1, 8, 8)
    return train_test_split(images, digits.target, test_size=test_size, seed=seed)
