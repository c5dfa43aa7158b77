"""`Dropout`: during training, silence a random fraction of the signals; at test time, do nothing.

The kept signals are scaled by ``1 / (1 - rate)`` ("inverted dropout"), so the next layer sees
the same average input in training and at test time.

Example:
    >>> import numpy as np
    >>> from neurogebra.core.tensor import Tensor
    >>> drop = Dropout(0.5, seed=0)
    >>> x = Tensor(np.ones((2, 4)))
    >>> drop(x, training=False).numpy().tolist() == x.numpy().tolist()
    True
    >>> sorted(set(drop(x, training=True).numpy().ravel().tolist()))
    [0.0, 2.0]
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from neurogebra.core.tensor import Tensor
from neurogebra_models.layers.base import Layer, Shape

__all__ = ["Dropout"]


class Dropout(Layer):
    """Zero each value with probability ``rate`` while training (``0 <= rate < 1``)."""

    kind = "Dropout"

    def __init__(self, rate: float, seed: int | None = None) -> None:
        super().__init__()
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
            raise ValueError(
                f"Dropout: rate is the fraction of signals to drop and must be in [0, 1), got "
                f"{rate!r}; e.g. Dropout(0.2)"
            )
        self.rate: float = float(rate)
        self.rng: np.random.Generator | None = (
            np.random.default_rng(seed) if seed is not None else None
        )

    def create(self, input_width: Shape, rng: np.random.Generator) -> None:
        if self.rng is None:
            self.rng = rng  # share the model's generator: one seed makes a run reproducible

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        if not training or self.rate == 0.0:
            return x
        if self.rng is None:
            self.rng = np.random.default_rng()
        keep = self.rng.random(x.shape) >= self.rate
        return x * (keep / (1.0 - self.rate))

    def config(self) -> dict[str, Any]:
        return {"rate": self.rate}

    def describe(self) -> str:
        return f"Dropout({self.rate:g})"
