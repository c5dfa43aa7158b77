"""`MaxPool2D`: keep the largest value of each small window, so maps get smaller and a pattern
may move a pixel or two without changing the result.

Example:
    >>> import numpy as np
    >>> from neurogebra.core.tensor import Tensor
    >>> pool = MaxPool2D(2)
    >>> pool(Tensor(np.arange(16.0).reshape(1, 1, 4, 4))).numpy()[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
"""

from __future__ import annotations

from typing import Any

from neurogebra.core.tensor import Tensor
from neurogebra.core.tensor.convolution import conv_output_size, max_pool2d
from neurogebra_models.layers.base import Layer, Shape
from neurogebra_models.layers.conv import whole_number

__all__ = ["MaxPool2D"]


class MaxPool2D(Layer):
    """The maximum of each ``pool_size x pool_size`` window, moving ``stride`` pixels at a
    time (``pool_size`` by default). No parameters."""

    kind = "MaxPool2D"
    input_rank = 3
    keeps_shape = False

    def __init__(self, pool_size: int = 2, stride: int | None = None) -> None:
        super().__init__()
        self.pool_size = whole_number(pool_size, "MaxPool2D: pool_size")
        self.stride = (
            self.pool_size if stride is None else whole_number(stride, "MaxPool2D: stride")
        )

    def check_input(self, input_width: Shape) -> None:
        super().check_input(input_width)
        assert isinstance(input_width, tuple)
        if min(input_width[1:]) < self.pool_size:
            raise ValueError(
                f"{self.describe()}: {self.pool_size}x{self.pool_size} windows do not fit in "
                f"{input_width[1]}x{input_width[2]} maps; use a smaller pool_size"
            )

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        return max_pool2d(x, self.pool_size, self.stride)

    def output_width(self, input_width: Shape | None) -> Shape | None:
        if not isinstance(input_width, tuple) or len(input_width) != 3:
            return None
        c, h, w = input_width
        size, stride = self.pool_size, self.stride
        return (c, conv_output_size(h, size, stride, 0), conv_output_size(w, size, stride, 0))

    def config(self) -> dict[str, Any]:
        return {"pool_size": self.pool_size, "stride": self.stride}

    def describe(self) -> str:
        return f"MaxPool2D({self.pool_size})"

    def explanation(self, input_width: Shape | None) -> list[str]:
        size = self.pool_size
        return [
            f"  Computes: the largest value of each {size}x{size} window of every map (moving "
            f"{self.stride} pixel(s) at a time); the gradient flows back to that one pixel.",
            "  Parameters: none.",
            "  Why: smaller maps for the next layers, and a feature found a pixel to the left "
            "or right still counts.",
        ]
