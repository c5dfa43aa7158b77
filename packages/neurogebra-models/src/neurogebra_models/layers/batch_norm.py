"""`BatchNorm`: rescale each feature (or each image channel) to mean 0 and variance 1 over the
batch, then let the network choose its own scale ``gamma`` and shift ``beta``.

While training, the mean and variance are those of the current batch, and running averages of
them are kept; at prediction time those running averages are used instead, so a prediction does
not depend on which other samples share its batch. The formula is written with Tensor's own
operations, so its gradient is autograd's.

Example:
    >>> import numpy as np
    >>> from neurogebra.core.tensor import Tensor
    >>> norm = BatchNorm()
    >>> norm.build(2, np.random.default_rng(0))
    >>> out = norm(Tensor([[1.0, 10.0], [3.0, 30.0]]), training=True).numpy()
    >>> np.round(out, 3).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> norm.running_mean.numpy().tolist()  # moved 10% of the way to the batch's means
    [0.2, 2.0]
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from neurogebra.core.tensor import Tensor
from neurogebra_models.layers.base import Layer, Shape

__all__ = ["BatchNorm"]


class BatchNorm(Layer):
    """``gamma · (x - mean) / √(var + epsilon) + beta`` per feature, or per channel of images.

    ``momentum`` is the weight of the newest batch in the running averages
    (``running = (1 - momentum)·running + momentum·batch``, as in PyTorch's BatchNorm; the
    running variance uses the unbiased batch variance, as PyTorch does).
    """

    kind = "BatchNorm"

    def __init__(self, momentum: float = 0.1, epsilon: float = 1e-5) -> None:
        super().__init__()
        if (
            not isinstance(momentum, numbers.Real)
            or isinstance(momentum, bool)
            or not (0 < momentum <= 1)
        ):
            raise ValueError(f"BatchNorm: momentum must be in (0, 1], got {momentum!r}")
        if not isinstance(epsilon, numbers.Real) or isinstance(epsilon, bool) or not epsilon > 0:
            raise ValueError(f"BatchNorm: epsilon must be a number > 0, got {epsilon!r}")
        self.momentum: float = float(momentum)
        self.epsilon: float = float(epsilon)
        self.gamma: Tensor | None = None
        self.beta: Tensor | None = None
        self.running_mean: Tensor | None = None
        self.running_var: Tensor | None = None

    def create(self, input_width: Shape, rng: np.random.Generator) -> None:
        n = input_width if isinstance(input_width, int) else input_width[0]
        self.gamma = Tensor(np.ones(n), requires_grad=True, label="gamma")
        self.beta = Tensor(np.zeros(n), requires_grad=True, label="beta")
        self.running_mean = Tensor(np.zeros(n), label="running_mean")
        self.running_var = Tensor(np.ones(n), label="running_var")

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        if self.gamma is None or self.beta is None:
            raise RuntimeError(
                "BatchNorm has no parameters yet: put it in a model, or call "
                "layer.build(features_or_channels, np.random.default_rng())"
            )
        assert self.running_mean is not None and self.running_var is not None
        axes = (0,) if x.ndim == 2 else (0, 2, 3)  # everything but the feature / channel axis
        shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
        if training:
            count = x.size // x.shape[1]
            if count < 2:
                raise ValueError(
                    f"BatchNorm: training needs at least 2 values per feature in a batch to "
                    f"measure a variance, got a batch of {x.shape[0]} sample; use a batch_size "
                    "of at least 2, and one that does not leave a last batch of a single sample "
                    "(len(X) % batch_size == 1)"
                )
            mean = x.mean(axis=axes, keepdims=True)
            centered = x - mean
            var = (centered * centered).mean(axis=axes, keepdims=True)
            self._update_running(mean.data.reshape(-1), var.data.reshape(-1) * count / (count - 1))
        else:
            mean = self.running_mean.reshape(shape)
            centered = x - mean
            var = self.running_var.reshape(shape)
        normalised = centered / (var + self.epsilon).sqrt()
        return normalised * self.gamma.reshape(shape) + self.beta.reshape(shape)

    def _update_running(self, mean: np.ndarray, var: np.ndarray) -> None:
        assert self.running_mean is not None and self.running_var is not None
        keep = 1.0 - self.momentum
        self.running_mean.data = keep * self.running_mean.data + self.momentum * mean
        self.running_var.data = keep * self.running_var.data + self.momentum * var

    def parameters(self) -> list[Tensor]:
        if self.gamma is None or self.beta is None:
            return []
        return [self.gamma, self.beta]

    def buffers(self) -> list[Tensor]:
        if self.running_mean is None or self.running_var is None:
            return []
        return [self.running_mean, self.running_var]

    def param_count(self, input_width: Shape | None) -> int | None:
        if input_width is None:
            return None
        return 2 * (input_width if isinstance(input_width, int) else input_width[0])

    def param_formula(self) -> tuple[int, int]:
        return (2, 0)  # gamma and beta per feature (or channel)

    def config(self) -> dict[str, Any]:
        return {"momentum": self.momentum, "epsilon": self.epsilon}

    def describe(self) -> str:
        return "BatchNorm"

    def explanation(self, input_width: Shape | None) -> list[str]:
        what = "channel" if isinstance(input_width, tuple) else "feature"
        return [
            f"  Computes: for each {what}, (x - mean) / √(var + {self.epsilon:g}) over the batch "
            "while training (running averages at prediction time), then · gamma + beta.",
            f"  Parameters: gamma and beta, one of each per {what}; plus running mean and "
            "variance, which are saved but not trained.",
            "  Why: every layer after it sees inputs of a steady scale, so training is faster "
            "and less sensitive to the learning rate.",
        ]
