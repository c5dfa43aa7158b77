"""`Flatten`: each sample's values in one row, so a Dense layer can read an image's feature maps.

Example:
    >>> import numpy as np
    >>> from neurogebra.core.tensor import Tensor
    >>> Flatten()(Tensor(np.zeros((5, 2, 3, 3)))).shape, Flatten().output_width((2, 3, 3))
    ((5, 18), 18)
"""

from __future__ import annotations

import math

from neurogebra.core.tensor import Tensor
from neurogebra_models.layers.base import Layer, Shape

__all__ = ["Flatten"]


class Flatten(Layer):
    """Reshape (samples, channels, height, width) to (samples, channels·height·width)."""

    kind = "Flatten"
    keeps_shape = False

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        return x.reshape(x.shape[0], -1)

    def output_width(self, input_width: Shape | None) -> Shape | None:
        if input_width is None or isinstance(input_width, int):
            return input_width
        return math.prod(input_width)

    def explanation(self, input_width: Shape | None) -> list[str]:
        return [
            "  Computes: lays each sample's values out in one row (channel by channel, row by "
            "row), for the Dense layers that follow.",
            "  Parameters: none.",
        ]
