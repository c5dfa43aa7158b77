"""``check_close``: numbers equal to the expected ones within a tolerance.

Its student-facing function, its judge of plain data (which :mod:`.gradient` reuses), and
its :class:`~neurogebra_grader.checks.check.Check`. The expected numbers may be a constant,
the instructor's, or recomputed from the student's reported data (``expected.py``).

Example:
    >>> check_close(0.1 + 0.2, 0.3, what="0.1 + 0.2")
    >>> check_close([1.0, 2.0], [1.0, 2.5], what="predict([1, 2])")
    Traceback (most recent call last):
    ...
    neurogebra_grader.failure.CheckFailed: predict([1, 2]): expected [1, 2.5], got [1, 2] (1 of 2...
    >>> CLOSE.student, sorted(CLOSE.expected["expected"])
    ({'got': 'array'}, ['constant', 'instructor', 'recomputed'])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra_grader.checks.check import ANY_SOURCE, TEXT, VALUE, Check
from neurogebra_grader.checks.not_numbers import not_numbers
from neurogebra_grader.diagnosis import choose_hint, diagnose_values
from neurogebra_grader.failure import Failure, raise_failure
from neurogebra_grader.plain import NotPlain, show, to_array

__all__ = ["CLOSE", "check_close", "judge_close"]


def judge_close(
    what: str,
    got: np.ndarray,
    expected: np.ndarray,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    hint: str = "",
    gradient: bool = False,
) -> Failure | None:
    """A Failure unless ``got`` has ``expected``'s shape and every item is within tolerance.

    The hint names the cause the numbers show (see :mod:`neurogebra_grader.diagnosis`), else
    it is ``hint`` (or says that the cause is unknown).
    """
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        return Failure(
            f"{what} (shape)",
            f"shape {expected.shape}",
            f"shape {got.shape}: {show(got)}",
            hint or "return one number per expected item",
        )
    if not np.all(np.isfinite(got)) and np.all(np.isfinite(expected)):
        return Failure(what, show(expected), show(got), hint or "a nan or inf appeared")
    if np.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True):
        return None
    detail = ""
    if got.ndim:
        bad = np.flatnonzero(~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True))
        detail = f" ({len(bad)} of {got.size} items differ, the first at index {bad[0]})"
    cause = diagnose_values(got, expected, gradient=gradient)
    seen = cause.pattern if cause else ""
    return Failure(what, show(expected), show(got) + detail, choose_hint(cause, hint), seen=seen)


def check_close(
    got: object,
    expected: object,
    *,
    what: str = "the result",
    rtol: float = 1e-6,
    atol: float = 1e-8,
    hint: str = "",
) -> None:
    """Check that ``got`` (number, Value, list or array) is close to ``expected``, item by item.

    Example:
        >>> check_close(2.0000000001, 2.0)
    """
    __tracebackhide__ = True
    expected_array = to_array(expected)
    try:
        got_array = to_array(got)
    except NotPlain as error:
        raise_failure(not_numbers(what, expected_array, error, hint))
        return
    raise_failure(judge_close(what, got_array, expected_array, rtol=rtol, atol=atol, hint=hint))


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
    expected={"expected": ANY_SOURCE},
)
