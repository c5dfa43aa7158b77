"""`ModelBuilder`: the factory students build networks with.

Example:
    >>> builder = ModelBuilder(seed=0)
    >>> model = builder.Sequential([
    ...     builder.Dense(16, activation="relu", input_dim=2),
    ...     builder.Dense(3, activation="softmax"),
    ... ])
    >>> model.count_params()
    99
"""

from __future__ import annotations

from collections.abc import Sequence

from neurogebra_models import losses, optimizers, schedules
from neurogebra_models.activations import ACTIVATIONS
from neurogebra_models.initializers import INITIALIZERS
from neurogebra_models.inputs import check_seed
from neurogebra_models.layers import BatchNorm, Conv2D, Dense, Dropout, Flatten, Layer, MaxPool2D
from neurogebra_models.model import Model
from neurogebra_models.training.batches import Batches
from neurogebra_models.training.callbacks import (
    EarlyStopping,
    LambdaCallback,
    LearningRateScheduler,
)

__all__ = ["ModelBuilder"]


class ModelBuilder:
    """Makes layers, models, optimizers and callbacks; ``seed`` makes every model it builds
    start from the same weights (each model gets its own generator from that seed)."""

    Dense = Dense
    Dropout = Dropout
    Conv2D = Conv2D
    MaxPool2D = MaxPool2D
    Flatten = Flatten
    BatchNorm = BatchNorm
    EarlyStopping = EarlyStopping
    LambdaCallback = LambdaCallback
    LearningRateScheduler = LearningRateScheduler
    StepDecay = schedules.StepDecay
    ExponentialDecay = schedules.ExponentialDecay
    CosineDecay = schedules.CosineDecay
    SGD = optimizers.SGD
    Adam = optimizers.Adam
    RMSprop = optimizers.RMSprop
    Huber = losses.Huber
    CategoricalCrossEntropy = losses.CategoricalCrossEntropy
    BinaryCrossEntropy = losses.BinaryCrossEntropy
    Batches = Batches

    def __init__(self, seed: int | None = None) -> None:
        self.seed = None if seed is None else check_seed(seed, "ModelBuilder: seed")

    def Sequential(self, layers: Sequence[Layer], name: str = "Sequential") -> Model:
        """A model whose layers run in the given order."""
        return Model(layers, name=name, seed=self.seed)

    def from_sizes(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        output_activation: str | None = "softmax",
        dropout: float = 0.0,
    ) -> Model:
        """A multi-layer perceptron from its widths, e.g. ``[2, 16, 16, 3]``: the first number
        is the input width, the last the output width, with ``activation`` in between."""
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(
                f"from_sizes needs at least an input and an output width, e.g. [2, 16, 3], got "
                f"{sizes}"
            )
        layers: list[Layer] = []
        for i, units in enumerate(sizes[1:-1]):
            layers.append(
                Dense(units, activation=activation, input_dim=sizes[0] if i == 0 else None)
            )
            if dropout:
                layers.append(Dropout(dropout))
        layers.append(
            Dense(sizes[-1], activation=output_activation, input_dim=None if layers else sizes[0])
        )
        return self.Sequential(layers)

    @staticmethod
    def activations() -> list[str]:
        return list(ACTIVATIONS)

    @staticmethod
    def losses() -> list[str]:
        return list(losses.LOSSES)

    @staticmethod
    def optimizers() -> list[str]:
        return list(optimizers.OPTIMIZERS)

    @staticmethod
    def initializers() -> list[str]:
        return list(INITIALIZERS)

    def __repr__(self) -> str:
        return f"ModelBuilder(seed={self.seed})"
