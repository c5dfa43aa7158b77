"""How a Dense layer's starting weights are drawn; the scale keeps signals from exploding or
vanishing as they pass through the layers.

Example:
    >>> import numpy as np
    >>> w = initialize("he", 2, 16, np.random.default_rng(0))
    >>> w.shape
    (2, 16)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from neurogebra_models.naming import lookup

__all__ = ["DESCRIPTIONS", "INITIALIZERS", "check_initializer", "default_initializer", "initialize"]

Initializer = Callable[[int, int, np.random.Generator], np.ndarray]


def _he(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    # He/Kaiming normal: variance 2 / n_in keeps ReLU activations' size steady layer to layer.
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def _he_uniform(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    limit = np.sqrt(6.0 / n_in)
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def _xavier(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    # Glorot/Xavier uniform: variance 2 / (n_in + n_out), balanced for forward and backward.
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def _xavier_normal(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out))


def _lecun(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(0.0, np.sqrt(1.0 / n_in), size=(n_in, n_out))


INITIALIZERS: dict[str, Initializer] = {
    "he": _he,
    "he_uniform": _he_uniform,
    "xavier": _xavier,
    "xavier_normal": _xavier_normal,
    "lecun": _lecun,
}

DESCRIPTIONS = {
    "he": "He normal, std √(2/n_in)",
    "he_uniform": "He uniform, ±√(6/n_in)",
    "xavier": "Xavier uniform, ±√(6/(n_in+n_out))",
    "xavier_normal": "Xavier normal, std √(2/(n_in+n_out))",
    "lecun": "LeCun normal, std √(1/n_in)",
}


def default_initializer(activation: str) -> str:
    """He for the ReLU family (they zero half the signal), Xavier for everything else."""
    return "he" if activation in ("relu", "leaky_relu") else "xavier"


def check_initializer(name: str) -> str:
    lookup("initializer", name, INITIALIZERS)
    return name.strip().lower()


def initialize(name: str, n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """A fresh ``(n_in, n_out)`` weight matrix drawn by the initializer called ``name``."""
    return lookup("initializer", name, INITIALIZERS)(n_in, n_out, rng)
