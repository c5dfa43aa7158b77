"""``check_equal``: an exact answer (a count, a shape, a string, a tuple).

Example:
    >>> EQUAL.student
    {'got': 'exact'}
"""

from __future__ import annotations

from typing import Any

from neurogebra_grader.checks.check import TEXT, Check
from neurogebra_grader.checks.numbers import check_equal, judge_equal
from neurogebra_grader.failure import Failure


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    expected = ref["expected"]
    value = got["got"]
    if isinstance(expected, list) and isinstance(value, list):
        expected, value = tuple(expected), tuple(value)
    return judge_equal(what, value, expected, hint=hint)


EQUAL = Check(
    check_equal,
    student={"got": "exact"},
    reference={"expected": "exact", **TEXT},
    judge=_judge,
)
