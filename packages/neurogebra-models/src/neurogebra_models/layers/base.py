"""What every layer shares: a width that may be unknown until data arrives, and parameters.

A layer is *built* once its input width is known: then it creates its parameters. Until then it
can still say what it will output (``output_width``) but not how many parameters it will hold.

Example:
    >>> from neurogebra_models.layers import Dense
    >>> layer = Dense(4)
    >>> layer.built, layer.param_count(3)
    (False, 16)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra.core.tensor import Tensor

__all__ = ["Layer"]


class Layer:
    """Base class of the layers: subclasses define build, forward and the describing methods."""

    kind = "Layer"

    def __init__(self) -> None:
        self.input_width: int | None = None

    @property
    def built(self) -> bool:
        return self.input_width is not None

    def build(self, input_width: int, rng: np.random.Generator) -> None:
        """Create the parameters for inputs of ``input_width`` features."""
        self.input_width = input_width

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        raise NotImplementedError

    def __call__(self, x: Tensor, training: bool = False) -> Tensor:
        return self.forward(x, training)

    def parameters(self) -> list[Tensor]:
        """The trainable Tensors (empty until the layer is built, or for parameter-free layers)."""
        return []

    def output_width(self, input_width: int | None) -> int | None:
        """Features per sample this layer outputs (None when it depends on an unknown width)."""
        return input_width

    def param_count(self, input_width: int | None) -> int | None:
        """How many numbers this layer learns (None when that depends on an unknown width)."""
        return 0

    def param_formula(self) -> tuple[int, int]:
        """The parameter count as ``(a, b)``, meaning ``a·d + b`` for an input width ``d``."""
        return (0, 0)

    def config(self) -> dict[str, Any]:
        """The constructor arguments, as JSON-friendly values (used by save/load)."""
        return {}

    def describe(self) -> str:
        """A short label such as ``Dense(16, relu)``."""
        return self.kind

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{self.kind}({args})"
