"""`Conv2D`: small learned filters slid over an image, each making one feature map.

Every filter is a stack of ``kh x kw`` weights per input channel. At each position it takes the
weighted sum of the pixels under it (over all channels) plus a bias: one value of its output
map. A filter that finds an edge or a stroke finds it anywhere in the image, with the same few
weights: that sharing is why convolutions need far fewer parameters than a Dense layer on
pixels. The arithmetic (and its gradient) is core's ``conv2d``.

Example:
    >>> import numpy as np
    >>> from neurogebra.core.tensor import Tensor
    >>> layer = Conv2D(4, 3, padding="same", activation="relu")
    >>> layer.build((1, 8, 8), np.random.default_rng(0))
    >>> layer(Tensor(np.ones((2, 1, 8, 8)))).shape, layer.param_count((1, 8, 8))
    ((2, 4, 8, 8), 40)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from neurogebra.core.tensor import Tensor
from neurogebra.core.tensor.convolution import conv2d, conv_output_size
from neurogebra_models.activations import Activation, get_activation
from neurogebra_models.initializers import (
    DESCRIPTIONS,
    check_initializer,
    default_initializer,
    initialize,
)
from neurogebra_models.layers.base import Layer, Shape

__all__ = ["Conv2D", "kernel_pair", "whole_number"]


def whole_number(value: object, what: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{what} must be a whole number ≥ {low}, got {value!r}")
    return int(value)


def kernel_pair(value: object, what: str) -> tuple[int, int]:
    """``3`` or ``(3, 3)`` as the pair (rows, columns)."""
    if isinstance(value, tuple | list) and len(value) == 2:
        return whole_number(value[0], what), whole_number(value[1], what)
    size = whole_number(value, what + " (a number or a pair of numbers)")
    return size, size


class Conv2D(Layer):
    """``filters`` feature maps: ``activation(conv2d(x, W, b))`` with ``W`` of shape
    (filters, channels, kh, kw).

    ``kernel_size`` is a number or a pair (rows, columns); ``stride`` moves the filter that many
    pixels at a time; ``padding`` adds that many rings of zeros around the image, or is "valid"
    (no padding) or "same" (an odd kernel with stride 1 keeps the image size). ``input_shape``
    (channels, height, width) fixes the input now. ``initializer`` as for Dense, with
    channels·kh·kw inputs per output value.
    """

    kind = "Conv2D"
    input_rank = 3
    keeps_shape = False

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, int] = 3,
        stride: int = 1,
        padding: int | str = 0,
        activation: str | None = None,
        initializer: str | None = None,
        input_shape: tuple[int, int, int] | None = None,
    ) -> None:
        super().__init__()
        self.filters = whole_number(filters, "Conv2D: filters")
        self.kernel_size = kernel_pair(kernel_size, "Conv2D: kernel_size")
        self.stride = whole_number(stride, "Conv2D: stride")
        self.padding = self._padding(padding)
        self.activation: Activation = get_activation(activation)
        if self.activation.name == "softmax":
            raise ValueError(
                "Conv2D: softmax turns a whole output row into probabilities and belongs to the "
                "last Dense layer; use activation='relu' here, then Flatten() and "
                "Dense(n_classes, activation='softmax')"
            )
        self.initializer = check_initializer(
            initializer or default_initializer(self.activation.name)
        )
        self.declared_shape = None if input_shape is None else _image_shape(input_shape)
        self.weight: Tensor | None = None
        self.bias: Tensor | None = None

    def _padding(self, padding: object) -> int:
        if padding == "valid":
            return 0
        if padding == "same":
            kh, kw = self.kernel_size
            if kh != kw or kh % 2 == 0 or self.stride != 1:
                raise ValueError(
                    f"Conv2D: padding='same' keeps the image size only for a square kernel of "
                    f"odd size with stride 1, not kernel_size={self.kernel_size}, "
                    f"stride={self.stride}; give padding as a number"
                )
            return kh // 2
        return whole_number(padding, "Conv2D: padding (a number, 'valid' or 'same')", low=0)

    @property
    def declared_input(self) -> Shape | None:
        return self.declared_shape

    def check_input(self, input_width: Shape) -> None:
        super().check_input(input_width)
        if self.declared_shape is not None and input_width != self.declared_shape:
            raise ValueError(
                f"{self.describe()} was declared with input_shape={self.declared_shape} but "
                f"receives images of shape {input_width}; fix input_shape or the data"
            )
        assert isinstance(input_width, tuple)
        _, height, width = input_width
        kh, kw = self.kernel_size
        if height + 2 * self.padding < kh or width + 2 * self.padding < kw:
            raise ValueError(
                f"{self.describe()}: a {kh}x{kw} kernel does not fit in {height}x{width} images "
                f"with padding {self.padding}; use a smaller kernel or more padding"
            )

    def create(self, input_width: Shape, rng: np.random.Generator) -> None:
        assert isinstance(input_width, tuple)
        channels = input_width[0]
        kh, kw = self.kernel_size
        shape = (self.filters, channels, kh, kw)
        kernels = initialize(
            self.initializer, channels * kh * kw, self.filters * kh * kw, rng, shape
        )
        self.weight = Tensor(kernels, requires_grad=True, label="W")
        self.bias = Tensor(np.zeros(self.filters), requires_grad=True, label="b")

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        if self.weight is None:
            raise RuntimeError(
                f"{self.describe()} has no weights yet: put it in a model, or call "
                "layer.build((channels, height, width), np.random.default_rng())"
            )
        z = conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)
        return self.activation(z)

    def parameters(self) -> list[Tensor]:
        if self.weight is None or self.bias is None:
            return []
        return [self.weight, self.bias]

    def output_width(self, input_width: Shape | None) -> Shape | None:
        if not isinstance(input_width, tuple) or len(input_width) != 3:
            return None
        _, height, width = input_width
        kh, kw = self.kernel_size
        return (
            self.filters,
            conv_output_size(height, kh, self.stride, self.padding),
            conv_output_size(width, kw, self.stride, self.padding),
        )

    def param_count(self, input_width: Shape | None) -> int | None:
        if not isinstance(input_width, tuple):
            return None
        a, b = self.param_formula()
        return a * input_width[0] + b

    def param_formula(self) -> tuple[int, int]:
        kh, kw = self.kernel_size
        return (self.filters * kh * kw, self.filters)  # d = input channels

    def config(self) -> dict[str, Any]:
        return {
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "stride": self.stride,
            "padding": self.padding,
            "activation": self.activation.name,
            "initializer": self.initializer,
            "input_shape": None if self.declared_shape is None else list(self.declared_shape),
        }

    def describe(self) -> str:
        kh, kw = self.kernel_size
        return f"Conv2D({self.filters}, {kh}x{kw}, {self.activation.name})"

    def explanation(self, input_width: Shape | None) -> list[str]:
        kh, kw = self.kernel_size
        channels = input_width[0] if isinstance(input_width, tuple) else "d"
        act = self.activation
        return [
            f"  Computes: {self.filters} filters of {channels}x{kh}x{kw} weights slide over the "
            f"image ({self.stride} pixel(s) at a time, {self.padding} ring(s) of zero padding); "
            f"at each position a filter's weighted sum plus its bias, through {act.name}, is one "
            "pixel of its feature map.",
            f"  Parameters: W ({self.filters}, {channels}, {kh}, {kw}) and b ({self.filters}); "
            f"W starts from {DESCRIPTIONS[self.initializer]}, b from 0.",
            "  Why: the same small filter looks everywhere, so a pattern learnt in one corner is "
            "recognised in any other, with few weights.",
        ]


def _image_shape(value: object) -> tuple[int, int, int]:
    if not isinstance(value, tuple | list) or len(value) != 3:
        raise ValueError(
            f"input_shape must be (channels, height, width), e.g. (1, 8, 8), got {value!r}"
        )
    c, h, w = (whole_number(v, "input_shape entries") for v in value)
    return (c, h, w)
