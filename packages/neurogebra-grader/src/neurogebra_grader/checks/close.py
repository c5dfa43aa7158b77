"""``check_close``: numbers equal to the expected ones within a tolerance.

Example:
    >>> CLOSE.student
    {'got': 'array'}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra_grader.checks.check import TEXT, VALUE, Check
from neurogebra_grader.checks.numbers import check_close, judge_close
from neurogebra_grader.failure import Failure


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    return judge_close(
        what,
        got["got"],
        np.asarray(ref["expected"], dtype=float),
        rtol=float(ref["rtol"]),
        atol=float(ref["atol"]),
        hint=hint,
    )


CLOSE = Check(
    check_close,
    student={"got": "array"},
    reference={"expected": "array", "rtol": VALUE, "atol": VALUE, **TEXT},
    judge=_judge,
)
