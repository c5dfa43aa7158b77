"""The activation functions a layer can apply, on Tensors, with the words that explain them.

Each activation knows how to compute itself on a Tensor, which MathForge formula describes it
(for explanations), and why one would choose it.

Example:
    >>> from neurogebra.core.tensor import Tensor
    >>> get_activation("relu")(Tensor([-1.0, 2.0])).numpy().tolist() == [0.0, 2.0]
    True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from neurogebra.core.tensor import Tensor
from neurogebra_models.naming import lookup

__all__ = ["ACTIVATIONS", "Activation", "get_activation"]

LEAKY_SLOPE = 0.01  # the slope leaky_relu keeps for negative inputs


def _leaky_relu(x: Tensor) -> Tensor:
    # max(a·x, x) for 0 < a < 1 equals (1 - a)·relu(x) + a·x, using only Tensor's own ops.
    return x.relu() * (1.0 - LEAKY_SLOPE) + x * LEAKY_SLOPE


@dataclass(frozen=True)
class Activation:
    """An activation: its name, its Tensor function, its MathForge formula name and its story."""

    name: str
    function: Callable[[Tensor], Tensor]
    formula_name: str  # the MathForge entry that shows its formula
    formula: str  # the formula in words a student reads at a glance
    why: str

    def __call__(self, x: Tensor) -> Tensor:
        return self.function(x)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation(
            "relu",
            Tensor.relu,
            "relu",
            "max(0, z)",
            "ReLU keeps positive signals and silences negative ones; its slope is 1 wherever it "
            "is active, so gradients pass through deep stacks without shrinking.",
        ),
        Activation(
            "leaky_relu",
            _leaky_relu,
            "leaky_relu",
            f"max({LEAKY_SLOPE}·z, z)",
            "Leaky ReLU is ReLU with a small slope for negative inputs, so a neuron that drifts "
            "negative still gets a gradient and can recover (no 'dead' neurons).",
        ),
        Activation(
            "sigmoid",
            Tensor.sigmoid,
            "sigmoid",
            "1 / (1 + e^(-z))",
            "Sigmoid squashes any number into (0, 1): the natural output for a yes/no "
            "probability. In hidden layers its slope is at most 0.25, so gradients fade.",
        ),
        Activation(
            "tanh",
            Tensor.tanh,
            "tanh",
            "tanh(z)",
            "tanh squashes into (-1, 1) and is centred on 0, which helps the next layer; like "
            "sigmoid it flattens for large inputs, where gradients vanish.",
        ),
        Activation(
            "softmax",
            Tensor.softmax,
            "softmax",
            "e^(z_i) / Σ_j e^(z_j)",
            "Softmax turns the layer's scores into probabilities that are positive and sum to "
            "1, one per class: the output layer of a multi-class classifier.",
        ),
        Activation(
            "linear",
            lambda x: x,
            "identity",
            "z",
            "No activation: the raw weighted sum. Right for regression outputs (any real "
            "number) and for raw class scores (logits).",
        ),
    ]
}


def get_activation(name: str | None) -> Activation:
    """The activation called ``name`` (None means linear), or an error suggesting close names."""
    return ACTIVATIONS["linear"] if name is None else lookup("activation", name, ACTIVATIONS)
