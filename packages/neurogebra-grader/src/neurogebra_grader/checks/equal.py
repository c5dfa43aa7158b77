"""``check_equal``: an exact answer (a count, a shape, a string, a tuple).

Its student-facing function, its judge of plain data, :func:`plain_exact` (the kernel's
probe of the ``exact`` kind uses it too), and its
:class:`~neurogebra_grader.checks.check.Check`.

Example:
    >>> check_equal(len([1, 2, 3]), 3, what="number of parameters")
    >>> check_equal((2, 3), (3, 2), what="the shape")
    Traceback (most recent call last):
    ...
    neurogebra_grader.failure.CheckFailed: the shape: expected (3, 2), got (2, 3)...
    >>> EQUAL.student
    {'got': 'exact'}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neurogebra_grader.checks.check import ANY_SOURCE, TEXT, Check
from neurogebra_grader.diagnosis import unknown
from neurogebra_grader.failure import Failure, raise_failure
from neurogebra_grader.plain import show

__all__ = ["EQUAL", "check_equal", "judge_equal", "plain_exact"]


def judge_equal(what: str, got: object, expected: object, *, hint: str = "") -> Failure | None:
    """A Failure unless two plain values (numbers, strings, tuples, arrays) are exactly equal."""
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        got_a, expected_a = np.asarray(got), np.asarray(expected)
        same = got_a.shape == expected_a.shape and bool(np.all(got_a == expected_a))
        return None if same else Failure(what, show(expected_a), show(got_a), hint or unknown())
    if type(got) is type(expected) and got == expected:
        return None
    if isinstance(got, int | float) and isinstance(expected, int | float) and got == expected:
        return None
    return Failure(what, repr(expected), repr(got), hint or unknown())


def check_equal(got: object, expected: object, *, what: str = "the result", hint: str = "") -> None:
    """Check exact equality of plain values: counts, shapes, labels, strings.

    NumPy arrays compare item by item; a student's object is never asked whether it is equal
    (only ints, floats, bools, strings, tuples and lists of them are accepted).

    Example:
        >>> check_equal(len([1, 2, 3]), 3, what="number of parameters")
    """
    __tracebackhide__ = True
    plain = plain_exact(got)
    if plain is None:
        raise_failure(
            Failure(what, repr(expected), f"a {type(got).__name__}", hint or "return plain values")
        )
    raise_failure(judge_equal(what, plain, expected, hint=hint))


def plain_exact(value: object) -> object | None:
    """A copy built only of builtin scalars/tuples/arrays, or None if ``value`` isn't plain.

    Example:
        >>> plain_exact((1, [2.0, "a"])), plain_exact(object())
        ((1, [2.0, 'a']), None)
    """
    if isinstance(value, np.ndarray):
        return np.array(value) if value.dtype != object else None
    if isinstance(value, np.generic):
        return value.item()
    if type(value) in (int, float, bool, str):
        return value
    if type(value) in (tuple, list):
        items = [plain_exact(item) for item in value]  # type: ignore[attr-defined]
        if any(item is None for item in items):
            return None
        return tuple(items) if type(value) is tuple else items
    return None


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
    expected={"expected": ANY_SOURCE},
)
