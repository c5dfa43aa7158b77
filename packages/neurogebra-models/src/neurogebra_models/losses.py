"""Loss functions: how wrong the model's outputs are, as one number to make smaller.

Each loss also checks the labels it is given against the output layer, so a mismatch is
reported in words before training starts, and it tells the model whether it wants the output
layer's raw scores (*logits*): cross-entropy after softmax or sigmoid is computed from the
logits, which is the same number but never takes log(0).

Example:
    >>> import numpy as np
    >>> from neurogebra.core.tensor import Tensor
    >>> loss = get_loss("mse")
    >>> y = loss.prepare_targets(np.array([1.0, 3.0]), units=1)
    >>> loss(Tensor([[1.0], [1.0]]), y).item()
    2.0
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from neurogebra.core.tensor import Tensor, cross_entropy, mse
from neurogebra_models.naming import lookup

__all__ = [
    "LOSSES",
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "Huber",
    "Loss",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "get_loss",
]


class Loss:
    """Base class. ``task`` is "multiclass", "binary" or "regression" (it decides the metrics)."""

    name = "loss"
    task = "regression"
    formula_name = ""  # the MathForge entry that shows its formula
    logit_activations: ClassVar[tuple[str, ...]] = ()  # output activations it reads logits of
    allowed_activations: ClassVar[tuple[str, ...] | None] = None  # None: any activation

    def check_output_layer(self, activation: str, units: int) -> None:
        """Raise a clear error when the output layer cannot work with this loss."""
        if self.allowed_activations is not None and activation not in self.allowed_activations:
            wanted = " or ".join(repr(a) for a in self.allowed_activations)
            raise ValueError(
                f"loss {self.name!r} needs an output layer with activation {wanted}, but the "
                f"last Dense layer uses {activation!r}; {self.output_hint(units)}"
            )

    def output_hint(self, units: int) -> str:
        return ""

    def uses_logits(self, activation: str) -> bool:
        """True when the loss is computed from the output layer's pre-activation."""
        return activation in self.logit_activations

    def prepare_targets(self, y: np.ndarray, units: int) -> np.ndarray:
        """Check ``y`` against an output layer of ``units`` units; return it ready for __call__."""
        raise NotImplementedError

    def __call__(self, outputs: Tensor, targets: np.ndarray) -> Tensor:
        raise NotImplementedError

    def config(self) -> dict[str, float]:
        return {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _numbers(y: np.ndarray, loss: str) -> np.ndarray:
    if y.dtype.kind not in "biuf":
        raise ValueError(f"loss {loss!r}: targets must be numbers, got dtype {y.dtype}")
    y = y.astype(np.float64)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"loss {loss!r}: targets contain NaN or infinity; clean the data first")
    return y


class _Regression(Loss):
    def prepare_targets(self, y: np.ndarray, units: int) -> np.ndarray:
        y = _numbers(np.asarray(y), self.name)
        if y.ndim == 1 and units == 1:
            y = y.reshape(-1, 1)
        if y.ndim != 2 or y.shape[1] != units:
            raise ValueError(
                f"loss {self.name!r}: the output layer has {units} unit(s), so each target must "
                f"have {units} number(s); got targets of shape {y.shape}"
                + (" (use Dense(1) for one number per sample)" if y.ndim == 1 else "")
            )
        return y


class MeanSquaredError(_Regression):
    """mean((output - target)²): big mistakes cost much more than small ones."""

    name = "mse"
    formula_name = "mse"

    def __call__(self, outputs: Tensor, targets: np.ndarray) -> Tensor:
        return mse(outputs, targets)


class MeanAbsoluteError(_Regression):
    """mean(|output - target|): every unit of error costs the same; robust to outliers."""

    name = "mae"
    formula_name = "mae"

    def __call__(self, outputs: Tensor, targets: np.ndarray) -> Tensor:
        return (outputs - targets).abs().mean()


class Huber(_Regression):
    """Squared error for small mistakes (|e| ≤ delta), absolute error beyond: the best of both."""

    name = "huber"
    formula_name = "huber"

    def __init__(self, delta: float = 1.0) -> None:
        if not delta > 0:
            raise ValueError(f"Huber: delta must be > 0, got {delta!r}")
        self.delta = float(delta)

    def __call__(self, outputs: Tensor, targets: np.ndarray) -> Tensor:
        size = (outputs - targets).abs()
        small = size - (size - self.delta).relu()  # min(|e|, delta)
        return (small * small * 0.5 + (size - small) * self.delta).mean()

    def config(self) -> dict[str, float]:
        return {"delta": self.delta}

    def __repr__(self) -> str:
        return f"Huber(delta={self.delta:g})"


class CategoricalCrossEntropy(Loss):
    """-log(probability of the right class), averaged; labels as integers or one-hot rows.

    Reads the logits of a softmax output layer (a linear output layer's values are taken as the
    logits themselves, as in PyTorch's CrossEntropyLoss).
    """

    name = "categorical_crossentropy"
    task = "multiclass"
    formula_name = "cross_entropy"
    logit_activations = ("softmax", "linear")
    allowed_activations = ("softmax", "linear")

    def output_hint(self, units: int) -> str:
        return f"use Dense({units}, activation='softmax') as the output layer"

    def prepare_targets(self, y: np.ndarray, units: int) -> np.ndarray:
        y = np.asarray(y)
        if units < 2:
            raise ValueError(
                f"loss {self.name!r} needs one output unit per class, but the output layer has "
                f"{units}; use Dense(n_classes, activation='softmax'), or "
                "loss='binary_crossentropy' with a sigmoid output for yes/no labels"
            )
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        if y.ndim == 1:
            return _class_labels(y, units, self.name)
        if y.ndim == 2 and y.shape[1] == units:
            p = _numbers(y, self.name)
            if p.min() < 0 or p.max() > 1 or not np.allclose(p.sum(axis=1), 1.0, atol=1e-6):
                raise ValueError(
                    f"loss {self.name!r}: one-hot targets must be rows of probabilities that "
                    "sum to 1 (e.g. [0, 1, 0]); for class numbers pass a 1-D array of labels"
                )
            return p
        raise ValueError(
            f"loss {self.name!r}: targets must be class labels of shape (n,) or one-hot rows of "
            f"shape (n, {units}) to match the {units} output units; got shape {y.shape}"
        )

    def __call__(self, outputs: Tensor, targets: np.ndarray) -> Tensor:
        return cross_entropy(outputs, targets)


def _class_labels(y: np.ndarray, n_classes: int, loss: str) -> np.ndarray:
    labels = _numbers(y, loss)
    if not np.array_equal(labels, np.round(labels)):
        raise ValueError(
            f"loss {loss!r}: class labels must be whole numbers 0..{n_classes - 1}, got "
            f"fractions such as {labels[labels != np.round(labels)][0]!r}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"loss {loss!r}: labels run from {labels.min():g} to {labels.max():g}, but the output "
            f"layer has {n_classes} units, so labels must lie in 0..{n_classes - 1}; give the "
            f"output layer one unit per class (Dense({int(labels.max()) + 1}, activation="
            "'softmax')) or renumber the labels"
        )
    return labels.astype(np.intp)


class BinaryCrossEntropy(Loss):
    """-[y·log p + (1 - y)·log(1 - p)], averaged: for yes/no labels (0 or 1) per output unit.

    Reads the logits of a sigmoid output layer (a linear output layer's values are taken as the
    logits), and computes it as ``relu(z) - z·y + log(1 + e^-|z|)``, which never overflows.
    """

    name = "binary_crossentropy"
    task = "binary"
    formula_name = "binary_cross_entropy"
    logit_activations = ("sigmoid", "linear")
    allowed_activations = ("sigmoid", "linear")

    def output_hint(self, units: int) -> str:
        return f"use Dense({units}, activation='sigmoid') as the output layer"

    def prepare_targets(self, y: np.ndarray, units: int) -> np.ndarray:
        y = _numbers(np.asarray(y), self.name)
        if y.ndim == 1 and units == 1:
            y = y.reshape(-1, 1)
        if y.ndim != 2 or y.shape[1] != units:
            raise ValueError(
                f"loss {self.name!r}: the output layer has {units} unit(s), so targets must have "
                f"shape (n,) for one unit or (n, {units}); got shape {y.shape}"
            )
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError(
                f"loss {self.name!r} needs labels 0 or 1 (or probabilities in between), got "
                f"values from {y.min():g} to {y.max():g}; for more than two classes use "
                "loss='categorical_crossentropy' with Dense(n_classes, activation='softmax')"
            )
        return y

    def __call__(self, outputs: Tensor, targets: np.ndarray) -> Tensor:
        z = outputs
        return (z.relu() - z * targets + ((-z.abs()).exp() + 1.0).log()).mean()


LOSSES: dict[str, type[Loss]] = {
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
    "mae": MeanAbsoluteError,
    "mean_absolute_error": MeanAbsoluteError,
    "huber": Huber,
    "binary_crossentropy": BinaryCrossEntropy,
    "binary_cross_entropy": BinaryCrossEntropy,
    "bce": BinaryCrossEntropy,
    "categorical_crossentropy": CategoricalCrossEntropy,
    "categorical_cross_entropy": CategoricalCrossEntropy,
    "sparse_categorical_crossentropy": CategoricalCrossEntropy,
    "cross_entropy": CategoricalCrossEntropy,
}


def get_loss(loss: str | Loss) -> Loss:
    """A Loss object from a name such as "mse" or "categorical_crossentropy" (or a Loss)."""
    if isinstance(loss, Loss):
        return loss
    return lookup("loss", loss, LOSSES)()
