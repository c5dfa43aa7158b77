"""``check_accuracy``: predictions that match the labels often enough.

Example:
    >>> ACCURACY.student
    {'predictions': 'array'}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra_grader.checks.check import TEXT, VALUE, Check
from neurogebra_grader.checks.classification import check_accuracy, judge_accuracy
from neurogebra_grader.failure import Failure


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
)
