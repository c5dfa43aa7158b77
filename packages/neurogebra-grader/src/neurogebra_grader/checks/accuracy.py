"""``check_accuracy``: predictions that match the labels often enough.

Its student-facing function, its judge of plain data, and its
:class:`~neurogebra_grader.checks.check.Check`. The labels may be a constant, the
instructor's, or recomputed from the student's reported data (e.g. the top score of the
student's own network on each point).

Example:
    >>> check_accuracy([0, 1, 2, 2], [0, 1, 2, 1], at_least=0.75)
    >>> ACCURACY.student
    {'predictions': 'array'}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra_grader.checks.check import ANY_SOURCE, TEXT, VALUE, Check
from neurogebra_grader.failure import Failure, raise_failure
from neurogebra_grader.plain import NotPlain, to_array

__all__ = ["ACCURACY", "check_accuracy", "judge_accuracy"]


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


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    return judge_accuracy(
        what,
        got["predictions"],
        np.asarray(ref["labels"]),
        at_least=float(ref["at_least"]),
        hint=hint,
    )


ACCURACY = Check(
    check_accuracy,
    student={"predictions": "array"},
    reference={"labels": "array", "at_least": VALUE, **TEXT},
    judge=_judge,
    expected={"labels": ANY_SOURCE},
)
