"""What every layer shares: an input shape that may be unknown until data arrives, and parameters.

A layer is *built* once its input shape is known: then it creates its parameters, once. The
shape of one sample is a whole number for flat features (``3``: three numbers per sample) or a
tuple ``(channels, height, width)`` for images. Until it is built a layer can still say what it
will output (``output_width``) but not always how many parameters it will hold.

A layer object is one set of weights: using it twice (in one model, or in two models) shares
those weights, as in PyTorch and Keras. Building it again for the same input shape keeps them;
building it for another shape is refused, because the weights cannot fit both.

Example:
    >>> from neurogebra_models.layers import Dense
    >>> layer = Dense(4)
    >>> layer.built, layer.param_count(3)
    (False, 16)
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeAlias

import numpy as np

from neurogebra.core.tensor import Tensor

__all__ = ["Layer", "Shape", "describe_shape"]

Shape: TypeAlias = int | tuple[int, ...]  # one sample: n features, or (channels, height, width)


def describe_shape(shape: Shape | None) -> str:
    """Words for a sample shape: ``'3 features'`` or ``'images of shape (1, 8, 8)'``.

    Example:
        >>> describe_shape(3), describe_shape((1, 8, 8))
        ('3 features', 'images of shape (channels, height, width) = (1, 8, 8)')
    """
    if shape is None:
        return "an unknown shape"
    if isinstance(shape, int):
        return f"{shape} features"
    return f"images of shape (channels, height, width) = {shape}"


class Layer:
    """Base class of the layers: subclasses define create, forward and the describing methods.

    ``input_rank`` is how many axes one sample must have (1 for flat features, 3 for images),
    or None for layers that take any shape; ``keeps_shape`` says whether the output has the
    input's shape (Dropout, BatchNorm), so the model can tell what its input must look like.
    """

    kind = "Layer"
    input_rank: ClassVar[int | None] = None
    keeps_shape: ClassVar[bool] = True

    def __init__(self) -> None:
        self.input_width: Shape | None = None

    @property
    def built(self) -> bool:
        return self.input_width is not None

    @property
    def declared_input(self) -> Shape | None:
        """The input shape given when the layer was made (``input_dim=``), if any."""
        return None

    def build(self, input_width: Shape, rng: np.random.Generator) -> None:
        """Create the parameters for samples of shape ``input_width`` (only the first time)."""
        if self.built:
            if input_width != self.input_width:
                raise ValueError(
                    f"{self.describe()} is already built for {describe_shape(self.input_width)} "
                    f"and now receives {describe_shape(input_width)}. A layer used twice (in "
                    "one model or in two) shares its weights, so it needs the same input shape "
                    "every time; use a new layer object for a layer of its own"
                )
            return
        self.check_input(input_width)
        self.create(input_width, rng)
        self.input_width = input_width

    def check_input(self, input_width: Shape) -> None:
        """Raise a clear error when samples of this shape cannot go through the layer."""
        if self.input_rank == 1 and not isinstance(input_width, int):
            raise ValueError(
                f"{self.describe()} needs flat features (samples, features), but receives "
                f"{describe_shape(input_width)}; put Flatten() before it"
            )
        if self.input_rank == 3 and (not isinstance(input_width, tuple) or len(input_width) != 3):
            raise ValueError(
                f"{self.describe()} needs images of shape (samples, channels, height, width), "
                f"but receives {describe_shape(input_width)}; for grey images X of shape "
                "(samples, height, width) pass X.reshape(len(X), 1, height, width)"
            )

    def create(self, input_width: Shape, rng: np.random.Generator) -> None:
        """Make the parameters for this input shape (nothing for parameter-free layers)."""

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        raise NotImplementedError

    def __call__(self, x: Tensor, training: bool = False) -> Tensor:
        return self.forward(x, training)

    def parameters(self) -> list[Tensor]:
        """The trainable Tensors (empty until the layer is built, or for parameter-free layers)."""
        return []

    def buffers(self) -> list[Tensor]:
        """State that is saved with the weights but not trained (e.g. BatchNorm's statistics)."""
        return []

    def output_width(self, input_width: Shape | None) -> Shape | None:
        """The shape of one output sample (None when it depends on an unknown input shape)."""
        return input_width

    def param_count(self, input_width: Shape | None) -> int | None:
        """How many numbers this layer learns (None when that depends on an unknown shape)."""
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

    def explanation(self, input_width: Shape | None) -> list[str]:
        """Lines for explain_architecture(): what the layer computes and why (after its title)."""
        return []

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{self.kind}({args})"
