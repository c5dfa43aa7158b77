"""`Dense`: every output is a weighted sum of every input plus a bias, through an activation.

Example:
    >>> import numpy as np
    >>> from neurogebra.core.tensor import Tensor
    >>> layer = Dense(3, activation="relu", input_dim=2)
    >>> layer.build(2, np.random.default_rng(0))
    >>> layer(Tensor(np.ones((5, 2)))).shape
    (5, 3)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from neurogebra.core.tensor import Tensor, linear
from neurogebra_models.activations import Activation, get_activation
from neurogebra_models.initializers import check_initializer, default_initializer, initialize
from neurogebra_models.layers.base import Layer, Shape

__all__ = ["Dense"]


def _positive_int(value: object, what: str, example: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{what} must be a whole number ≥ 1, got {value!r}; e.g. {example}")
    return int(value)


class Dense(Layer):
    """A fully connected layer: ``activation(x @ W + b)`` with ``W`` of shape (inputs, units).

    ``input_dim`` fixes the input width now; without it the width is taken from the first data
    the model sees. ``initializer`` picks how ``W`` starts ("he", "he_uniform", "xavier",
    "xavier_normal", "lecun"); by default He for the ReLU family and Xavier otherwise. ``b``
    starts at zero.
    """

    kind = "Dense"
    input_rank = 1
    keeps_shape = False

    def __init__(
        self,
        units: int,
        activation: str | None = None,
        input_dim: int | None = None,
        initializer: str | None = None,
    ) -> None:
        super().__init__()
        self.units = _positive_int(units, "Dense: units", "Dense(16)")
        self.activation: Activation = get_activation(activation)
        self.declared_input_dim = (
            None
            if input_dim is None
            else _positive_int(input_dim, "Dense: input_dim", "Dense(16, input_dim=2)")
        )
        name = initializer or default_initializer(self.activation.name)
        self.initializer = check_initializer(name)
        self.weight: Tensor | None = None
        self.bias: Tensor | None = None

    @property
    def declared_input(self) -> Shape | None:
        return self.declared_input_dim

    def check_input(self, input_width: Shape) -> None:
        super().check_input(input_width)
        if self.declared_input_dim is not None and input_width != self.declared_input_dim:
            raise ValueError(
                f"Dense({self.units}) was declared with input_dim={self.declared_input_dim} but "
                f"receives {input_width} features; fix input_dim or the data"
            )

    def create(self, input_width: Shape, rng: np.random.Generator) -> None:
        assert isinstance(input_width, int)  # check_input made sure
        weights = initialize(self.initializer, input_width, self.units, rng)
        self.weight = Tensor(weights, requires_grad=True, label="W")
        self.bias = Tensor(np.zeros(self.units), requires_grad=True, label="b")

    def pre_activation(self, x: Tensor) -> Tensor:
        """``x @ W + b``: the weighted sums before the activation (an output layer's logits).

        Computed by ``linear``, which records one graph node instead of two (same values and
        gradients, less bookkeeping per training step).
        """
        if self.weight is None:
            raise RuntimeError(
                f"{self.describe()} has no weights yet: put it in a model (the model builds it "
                "from the first data), or call layer.build(input_width, np.random.default_rng())"
            )
        return linear(x, self.weight, self.bias)

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        return self.activation(self.pre_activation(x))

    def parameters(self) -> list[Tensor]:
        if self.weight is None or self.bias is None:
            return []
        return [self.weight, self.bias]

    def output_width(self, input_width: Shape | None) -> Shape | None:
        return self.units

    def param_count(self, input_width: Shape | None) -> int | None:
        if not isinstance(input_width, int):
            return None
        return input_width * self.units + self.units

    def param_formula(self) -> tuple[int, int]:
        return (self.units, self.units)  # d·units weights and units biases

    def config(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "activation": self.activation.name,
            "input_dim": self.declared_input_dim,
            "initializer": self.initializer,
        }

    def describe(self) -> str:
        return f"Dense({self.units}, {self.activation.name})"
