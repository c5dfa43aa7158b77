"""``check_decreasing``: a curve (e.g. a loss history) that falls by a factor.

Example:
    >>> DECREASING.reference["factor"]
    'value'
"""

from __future__ import annotations

from typing import Any

from neurogebra_grader.checks.check import TEXT, VALUE, Check
from neurogebra_grader.checks.numbers import check_decreasing, judge_decreasing
from neurogebra_grader.failure import Failure


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    return judge_decreasing(what, got["values"], factor=float(ref["factor"]), hint=hint)


DECREASING = Check(
    check_decreasing,
    student={"values": "array"},
    reference={"factor": VALUE, **TEXT},
    judge=_judge,
)
