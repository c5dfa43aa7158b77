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

Size = tuple[int, ...] | None  # the array's shape; (n_in, n_out) by default
Initializer = Callable[[int, int, np.random.Generator, Size], np.ndarray]


def _he(n_in: int, n_out: int, rng: np.random.Generator, size: Size = None) -> np.ndarray:
    # He/Kaiming normal: variance 2 / n_in keeps ReLU activations' size steady layer to layer.
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=size or (n_in, n_out))


def _he_uniform(n_in: int, n_out: int, rng: np.random.Generator, size: Size = None) -> np.ndarray:
    limit = np.sqrt(6.0 / n_in)
    return rng.uniform(-limit, limit, size=size or (n_in, n_out))


def _xavier(n_in: int, n_out: int, rng: np.random.Generator, size: Size = None) -> np.ndarray:
    # Glorot/Xavier uniform: variance 2 / (n_in + n_out), balanced for forward and backward.
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=size or (n_in, n_out))


def _xavier_normal(
    n_in: int, n_out: int, rng: np.random.Generator, size: Size = None
) -> np.ndarray:
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=size or (n_in, n_out))


def _lecun(n_in: int, n_out: int, rng: np.random.Generator, size: Size = None) -> np.ndarray:
    return rng.normal(0.0, np.sqrt(1.0 / n_in), size=size or (n_in, n_out))


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


def initialize(
    name: str, n_in: int, n_out: int, rng: np.random.Generator, size: Size = None
) -> np.ndarray:
    """Fresh weights drawn by the initializer called ``name``, scaled for ``n_in`` inputs and
    ``n_out`` outputs per neuron: a ``(n_in, n_out)`` matrix, or an array of shape ``size``
    (a convolution's kernels: ``n_in`` = channels·kh·kw, ``n_out`` = filters·kh·kw)."""
    return lookup("initializer", name, INITIALIZERS)(n_in, n_out, rng, size)
