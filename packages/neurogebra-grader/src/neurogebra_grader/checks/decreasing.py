"""``check_decreasing``: a curve (e.g. a loss history) that falls by a factor.

Its student-facing function, its judge of plain data, and its
:class:`~neurogebra_grader.checks.check.Check`. It has no expected side: ``factor`` is a
setting, and the curve is compared with its own first value.

Example:
    >>> check_decreasing([4.0, 2.0, 1.0], what="losses")
    >>> DECREASING.reference["factor"], DECREASING.expected
    ('value', {})
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra_grader.checks.check import TEXT, VALUE, Check
from neurogebra_grader.checks.not_numbers import not_numbers
from neurogebra_grader.diagnosis import choose_hint, diagnose_curve, unknown
from neurogebra_grader.failure import Failure, raise_failure
from neurogebra_grader.plain import NotPlain, show, to_array

__all__ = ["DECREASING", "check_decreasing", "judge_decreasing"]


def judge_decreasing(
    what: str, values: np.ndarray, *, factor: float = 0.5, hint: str = ""
) -> Failure | None:
    """A Failure unless the values are finite and the last is at most ``factor`` times the first."""
    values = np.asarray(values, dtype=float).ravel()
    if values.size < 2:
        return Failure(what, "at least 2 values", f"{values.size}", hint or "record every step")
    if not np.all(np.isfinite(values)):
        return Failure(
            what,
            "finite values",
            f"nan/inf at step {int(np.flatnonzero(~np.isfinite(values))[0])}",
            hint
            or "the steps grew until the numbers overflowed: a learning rate too large, a "
            "step uphill, or gradients never reset (the curve before it may tell which)",
        )
    if values[-1] <= factor * values[0]:
        return None
    cause = diagnose_curve(values)
    return Failure(
        what,
        f"the last value at most {factor:g} × the first ({show(float(values[0]))})",
        f"{show(float(values[-1]))}",
        choose_hint(cause, hint) if cause else unknown(hint),
        seen=cause.pattern if cause else "",
    )


def check_decreasing(
    values: object, *, what: str = "the loss curve", factor: float = 0.5, hint: str = ""
) -> None:
    """Check that a loss curve went down: finite, and ``last <= factor * first``.

    Example:
        >>> check_decreasing([4.0, 2.0, 1.0], what="losses")
    """
    __tracebackhide__ = True
    try:
        array = to_array(values)
    except NotPlain as error:
        raise_failure(not_numbers(what, np.zeros(2), error, hint))
        return
    raise_failure(judge_decreasing(what, array, factor=factor, hint=hint))


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    return judge_decreasing(what, got["values"], factor=float(ref["factor"]), hint=hint)


DECREASING = Check(
    check_decreasing,
    student={"values": "array"},
    reference={"factor": VALUE, **TEXT},
    judge=_judge,
    expected={},  # no expected side: the curve against its own first value
)
