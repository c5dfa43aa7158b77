"""Metrics: numbers people read to judge a model (the loss is what the optimizer reads).

``accuracy``, ``precision`` and ``recall`` compare predicted classes with true classes.
``precision`` and ``recall`` take an explicit ``average``, so the rule never depends on which
labels happen to be present:

- ``"macro"`` (the default): the score of every class that occurs in ``y_true`` or ``y_pred``,
  averaged with equal weight; a class that is never predicted has precision 0;
- ``"binary"``: the score of the positive class ``1`` alone (yes/no tasks).

``Model.compile(metrics=["precision"])`` uses ``"binary"`` with a binary cross-entropy loss and
``"macro"`` with categorical cross-entropy.

Example:
    >>> accuracy([0, 1, 1, 2], [0, 1, 2, 2])
    0.75
    >>> precision([0, 1, 1, 0], [1, 1, 1, 0], average="binary")  # 3 predicted 1, 2 right
    0.6666666666666666
    >>> precision([0, 1, 1, 0], [1, 1, 1, 0])  # class 0: 1/1, class 1: 2/3
    0.8333333333333333
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from neurogebra_models.naming import lookup

__all__ = ["AVERAGES", "CLASSIFICATION_METRICS", "accuracy", "get_metric", "precision", "recall"]

AVERAGES = ("macro", "binary")


def _pair(y_true: object, y_pred: object) -> tuple[np.ndarray, np.ndarray]:
    try:
        t, p = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    except ValueError:
        raise ValueError(
            "metrics: y_true and y_pred must be flat lists or arrays of labels, one per sample"
        ) from None
    if t.shape != p.shape:
        raise ValueError(f"metrics: {t.size} true labels but {p.size} predictions")
    if t.size == 0:
        raise ValueError("metrics: no samples to score")
    return t, p


def accuracy(y_true: object, y_pred: object) -> float:
    """The fraction of predictions that equal the true label."""
    t, p = _pair(y_true, y_pred)
    return float(np.mean(t == p))


def _per_class(y_true: object, y_pred: object, denominator: str, average: str) -> float:
    if not isinstance(average, str) or average not in AVERAGES:
        raise ValueError(
            f"average must be 'macro' (mean over the classes) or 'binary' (class 1 only), got "
            f"{average!r}"
        )
    t, p = _pair(y_true, y_pred)
    classes = [1] if average == "binary" else np.union1d(t, p)
    scores = []
    for c in classes:
        hits = np.sum((p == c) & (t == c))
        total = np.sum(p == c) if denominator == "predicted" else np.sum(t == c)
        scores.append(hits / total if total else 0.0)
    return float(np.mean(scores))


def precision(y_true: object, y_pred: object, average: str = "macro") -> float:
    """Of the samples predicted to be a class, the fraction that really are."""
    return _per_class(y_true, y_pred, "predicted", average)


def recall(y_true: object, y_pred: object, average: str = "macro") -> float:
    """Of the samples that really are a class, the fraction predicted as it."""
    return _per_class(y_true, y_pred, "true", average)


CLASSIFICATION_METRICS: dict[str, Callable[..., float]] = {
    "accuracy": accuracy,
    "acc": accuracy,
    "precision": precision,
    "recall": recall,
}

METRIC_NAMES = {"acc": "accuracy"}  # aliases are reported under the full name


def get_metric(name: str, average: str = "macro") -> tuple[str, Callable[[object, object], float]]:
    """The metric's canonical name and function (precision and recall with ``average``), or
    an error suggesting close names."""
    function = lookup("metric", name, CLASSIFICATION_METRICS)
    key = name.strip().lower()
    if function in (precision, recall):
        function = functools.partial(function, average=average)
    return METRIC_NAMES.get(key, key), function
