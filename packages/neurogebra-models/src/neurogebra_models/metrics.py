"""Metrics: numbers people read to judge a model (the loss is what the optimizer reads).

``accuracy``, ``precision`` and ``recall`` compare predicted classes with true classes. With two
classes, precision and recall are those of class 1 (the "positive" class); with more, they are
the average over the classes (macro average). A class that is never predicted has precision 0.

Example:
    >>> accuracy([0, 1, 1, 2], [0, 1, 2, 2])
    0.75
    >>> precision([0, 1, 1, 0], [1, 1, 1, 0])  # 3 predicted positive, 2 of them right
    0.6666666666666666
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from neurogebra_models.naming import lookup

__all__ = ["CLASSIFICATION_METRICS", "accuracy", "get_metric", "precision", "recall"]


def _pair(y_true: object, y_pred: object) -> tuple[np.ndarray, np.ndarray]:
    t, p = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if t.shape != p.shape:
        raise ValueError(f"metrics: {t.size} true labels but {p.size} predictions")
    if t.size == 0:
        raise ValueError("metrics: no samples to score")
    return t, p


def accuracy(y_true: object, y_pred: object) -> float:
    """The fraction of predictions that equal the true label."""
    t, p = _pair(y_true, y_pred)
    return float(np.mean(t == p))


def _per_class(y_true: object, y_pred: object, denominator: str) -> float:
    t, p = _pair(y_true, y_pred)
    classes = np.union1d(t, p)
    binary = set(classes.tolist()) <= {0, 1}
    scores = []
    for c in [1] if binary else classes:
        hits = np.sum((p == c) & (t == c))
        total = np.sum(p == c) if denominator == "predicted" else np.sum(t == c)
        scores.append(hits / total if total else 0.0)
    return float(np.mean(scores))


def precision(y_true: object, y_pred: object) -> float:
    """Of the samples predicted to be a class, the fraction that really are (macro average)."""
    return _per_class(y_true, y_pred, "predicted")


def recall(y_true: object, y_pred: object) -> float:
    """Of the samples that really are a class, the fraction predicted as it (macro average)."""
    return _per_class(y_true, y_pred, "true")


CLASSIFICATION_METRICS: dict[str, Callable[[object, object], float]] = {
    "accuracy": accuracy,
    "acc": accuracy,
    "precision": precision,
    "recall": recall,
}

METRIC_NAMES = {"acc": "accuracy"}  # aliases are reported under the full name


def get_metric(name: str) -> tuple[str, Callable[[object, object], float]]:
    """The metric's canonical name and function, or an error suggesting close names."""
    function = lookup("metric", name, CLASSIFICATION_METRICS)
    key = name.strip().lower()
    return METRIC_NAMES.get(key, key), function
