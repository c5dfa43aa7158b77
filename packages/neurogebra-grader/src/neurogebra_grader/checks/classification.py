"""``check_accuracy``: enough predictions match the labels.

Example:
    >>> check_accuracy([0, 1, 2, 2], [0, 1, 2, 1], at_least=0.75)
"""

from __future__ import annotations

import numpy as np

from neurogebra_grader.failure import Failure, raise_failure
from neurogebra_grader.plain import NotPlain, to_array

__all__ = ["check_accuracy", "judge_accuracy"]


def judge_accuracy(
    what: str, predictions: np.ndarray, labels: np.ndarray, *, at_least: float, hint: str = ""
) -> Failure | None:
    """A Failure unless there is one prediction per label and the share correct is >= at_least."""
    predictions, labels = np.asarray(predictions).ravel(), np.asarray(labels).ravel()
    if predictions.shape != labels.shape:
        return Failure(
            what,
            f"{labels.size} predictions (one per point)",
            f"{predictions.size}",
            hint or "predict one class per row of X",
        )
    correct = int(np.sum(predictions == labels))
    accuracy = correct / max(labels.size, 1)
    if accuracy >= at_least:
        return None
    return Failure(
        what,
        f"an accuracy of at least {at_least:.0%}",
        f"{accuracy:.1%} ({correct} of {labels.size} correct)",
        hint or "train longer or check the loss goes down; predict the class with the top score",
    )


def check_accuracy(
    predictions: object,
    labels: object,
    *,
    at_least: float,
    what: str = "accuracy",
    hint: str = "",
) -> None:
    """Check that at least ``at_least`` (a fraction) of the predicted classes are right.

    Example:
        >>> check_accuracy(np.array([1, 1, 0]), [1, 1, 0], at_least=0.9, what="test accuracy")
    """
    __tracebackhide__ = True
    try:
        got, expected = to_array(predictions), to_array(labels)
    except NotPlain as error:
        raise_failure(Failure(what, "class labels (ints)", str(error), hint or "return ints"))
        return
    raise_failure(judge_accuracy(what, got, expected, at_least=at_least, hint=hint))
