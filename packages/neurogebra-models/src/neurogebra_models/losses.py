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

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from neurogebra.core.tensor import Tensor, cross_entropy, log_softmax, mse
from neurogebra_models.naming import lookup

__all__ = [
    "LOSSES",
    "REDUCTIONS",
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "Huber",
    "Loss",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "get_loss",
]


REDUCTIONS = ("mean", "sum", "none")


class Loss:
    """Base class. ``task`` is "multiclass", "binary" or "regression" (it decides the metrics).

    ``reduction`` turns the loss of every element (or sample) into what is returned: "mean"
    (the default, what fit() minimises), "sum", or "none" (the losses themselves, as PyTorch's
    ``reduction="none"``: one per element for regression and binary cross-entropy, one per
    sample for categorical cross-entropy).
    """

    name = "loss"
    task = "regression"
    formula_name = ""  # the MathForge entry that shows its formula
    logit_activations: ClassVar[tuple[str, ...]] = ()  # output activations it reads logits of
    allowed_activations: ClassVar[tuple[str, ...] | None] = None  # None: any activation

    def __init__(self, reduction: str = "mean") -> None:
        if not isinstance(reduction, str) or reduction not in REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: reduction must be 'mean', 'sum' or 'none', got "
                f"{reduction!r}"
            )
        self.reduction = reduction

    def reduce(self, losses: Tensor) -> Tensor:
        """The element losses combined as ``reduction`` says."""
        if self.reduction == "mean":
            return losses.mean()
        return losses.sum() if self.reduction == "sum" else losses

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

    def config(self) -> dict[str, Any]:
        return {} if self.reduction == "mean" else {"reduction": self.reduction}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"


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
        if self.reduction == "mean":
            return mse(outputs, targets)  # one fused node: the common case
        error = outputs - targets
        return self.reduce(error * error)


class MeanAbsoluteError(_Regression):
    """mean(|output - target|): every unit of error costs the same; robust to outliers."""

    name = "mae"
    formula_name = "mae"

    def __call__(self, outputs: Tensor, targets: np.ndarray) -> Tensor:
        return self.reduce((outputs - targets).abs())


class Huber(_Regression):
    """Squared error for small mistakes (|e| ≤ delta), absolute error beyond: the best of both."""

    name = "huber"
    formula_name = "huber"

    def __init__(self, delta: float = 1.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        if isinstance(delta, bool) or not isinstance(delta, numbers.Real) or not delta > 0:
            raise ValueError(f"Huber: delta must be > 0 (a number), got {delta!r}")
        self.delta: float = float(delta)

    def __call__(self, outputs: Tensor, targets: np.ndarray) -> Tensor:
        size = (outputs - targets).abs()
        small = size - (size - self.delta).relu()  # min(|e|, delta)
        return self.reduce(small * small * 0.5 + (size - small) * self.delta)

    def config(self) -> dict[str, Any]:
        return {"delta": self.delta, **super().config()}

    def __repr__(self) -> str:
        extra = "" if self.reduction == "mean" else f", reduction={self.reduction!r}"
        return f"Huber(delta={self.delta:g}{extra})"


def _class_weights(weights: object, loss: str) -> dict[int, float] | None:
    """``class_weights`` as {class: weight}: from a list (one per class) or a dict."""
    if weights is None:
        return None
    if isinstance(weights, Mapping):
        pairs = list(weights.items())
    elif isinstance(weights, Sequence | np.ndarray) and not isinstance(weights, str):
        pairs = list(enumerate(weights))
    else:
        raise TypeError(
            f"{loss}: class_weights must be a list with one weight per class, or a dict "
            f"{{class: weight}}, got {type(weights).__name__}"
        )
    result = {}
    for key, value in pairs:
        if isinstance(key, str) and key.isdigit():  # a dict read back from a saved model's JSON
            key = int(key)
        ok_key = isinstance(key, numbers.Integral) and not isinstance(key, bool) and int(key) >= 0
        number = float(value) if isinstance(value, numbers.Real) else math.nan
        if not ok_key or isinstance(value, bool) or not (math.isfinite(number) and number >= 0):
            raise ValueError(
                f"{loss}: class_weights must map classes 0, 1, ... to finite weights ≥ 0, got "
                f"{key!r}: {value!r}"
            )
        result[int(key)] = number
    return result


def _weight_vector(weights: dict[int, float], n_classes: int, loss: str) -> np.ndarray:
    """One weight per class (1 for classes a dict leaves out)."""
    if max(weights, default=-1) >= n_classes:
        raise ValueError(
            f"{loss}: class_weights name class {max(weights)}, but the output layer has only "
            f"{n_classes} classes (0..{n_classes - 1})"
        )
    vector = np.ones(n_classes)
    for key, value in weights.items():
        vector[key] = value
    return vector


class CategoricalCrossEntropy(Loss):
    """-log(probability of the right class), averaged; labels as integers or one-hot rows.

    Reads the logits of a softmax output layer (a linear output layer's values are taken as the
    logits themselves, as in PyTorch's CrossEntropyLoss).

    ``class_weights`` (a list with one weight per class, or a dict {class: weight}) multiplies
    each sample's loss by the weight of its class, for unbalanced data; the mean is then
    divided by the sum of the weights used, as PyTorch's ``CrossEntropyLoss(weight=...)`` does
    (with one-hot or soft targets: by the number of samples, as PyTorch too).

    Example:
        >>> loss = CategoricalCrossEntropy(class_weights=[1.0, 3.0], reduction="none")
        >>> loss(Tensor([[0.0, 0.0], [0.0, 0.0]]), np.array([0, 1])).numpy().round(4)
        array([0.6931, 2.0794])
    """

    def __init__(
        self,
        class_weights: Sequence[float] | Mapping[int, float] | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction)
        self.class_weights = _class_weights(class_weights, "CategoricalCrossEntropy")

    name = "categorical_crossentropy"
    task = "multiclass"
    formula_name = "cross_entropy"
    logit_activations = ("softmax", "linear")
    allowed_activations = ("softmax", "linear")

    def output_hint(self, units: int) -> str:
        return f"use Dense({units}, activation='softmax') as the output layer"

    def check_output_layer(self, activation: str, units: int) -> None:
        super().check_output_layer(activation, units)
        if self.class_weights is not None:
            _weight_vector(self.class_weights, units, self.name)

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
        if self.class_weights is None and self.reduction != "none":
            return cross_entropy(outputs, targets, self.reduction)  # one fused node
        targets = np.asarray(targets)
        log_p = log_softmax(outputs, axis=-1)
        n_classes = outputs.shape[-1]
        weights = (
            np.ones(n_classes)
            if self.class_weights is None
            else _weight_vector(self.class_weights, n_classes, self.name)
        )
        if targets.ndim == 1:  # class labels
            labels = targets.astype(np.intp)
            sample_weights = weights[labels].astype(outputs.dtype)
            losses = -log_p[np.arange(len(labels)), labels] * sample_weights
            if self.reduction == "mean":
                return losses.sum() / float(sample_weights.sum())
            return self.reduce(losses)
        losses = -(log_p * (targets * weights).astype(outputs.dtype)).sum(axis=1)
        return self.reduce(losses)

    def config(self) -> dict[str, Any]:
        extra = {} if self.class_weights is None else {"class_weights": self.class_weights}
        return {**extra, **super().config()}


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

    ``class_weights`` ``[w0, w1]`` (or a dict) weighs each element's loss by ``w1`` where the
    label is 1 and ``w0`` where it is 0 (for soft labels: ``y·w1 + (1 - y)·w0``), like
    PyTorch's ``binary_cross_entropy_with_logits(weight=...)`` with that weight per element.
    """

    def __init__(
        self,
        class_weights: Sequence[float] | Mapping[int, float] | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction)
        self.class_weights = _class_weights(class_weights, "BinaryCrossEntropy")
        if self.class_weights is not None:
            _weight_vector(self.class_weights, 2, self.name)

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
        losses = z.relu() - z * targets + ((-z.abs()).exp() + 1.0).log()
        if self.class_weights is not None:
            w0, w1 = _weight_vector(self.class_weights, 2, self.name)
            weights = np.asarray(targets) * (w1 - w0) + w0
            losses = losses * weights.astype(outputs.dtype)
        return self.reduce(losses)

    def config(self) -> dict[str, Any]:
        extra = {} if self.class_weights is None else {"class_weights": self.class_weights}
        return {**extra, **super().config()}


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
