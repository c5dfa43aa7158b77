"""Checks on numbers and arrays: close to expected, exactly equal, decreasing, of a type.

Example:
    >>> check_close(0.1 + 0.2, 0.3, what="0.1 + 0.2")
    >>> check_close([1.0, 2.0], [1.0, 2.5], what="predict([1, 2])")
    Traceback (most recent call last):
    ...
    neurogebra_grader.failure.CheckFailed: predict([1, 2]): expected [1, 2.5], got [1, 2] (1 of 2...
"""

from __future__ import annotations

import numpy as np

from neurogebra_grader.diagnosis import choose_hint, diagnose_curve, diagnose_values, unknown
from neurogebra_grader.failure import Failure, raise_failure
from neurogebra_grader.plain import NotPlain, show, to_array

__all__ = [
    "check_close",
    "check_decreasing",
    "check_equal",
    "check_type",
    "judge_close",
    "judge_decreasing",
    "judge_equal",
]


def _not_numbers(what: str, expected: np.ndarray, error: NotPlain, hint: str) -> Failure:
    return Failure(
        what,
        f"numbers like {show(expected)}",
        str(error),
        hint or "return plain numbers (floats, a list of floats or a NumPy array)",
    )


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
        raise_failure(_not_numbers(what, expected_array, error, hint))
        return
    raise_failure(judge_close(what, got_array, expected_array, rtol=rtol, atol=atol, hint=hint))


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
    plain = _plain_exact(got)
    if plain is None:
        raise_failure(
            Failure(what, repr(expected), f"a {type(got).__name__}", hint or "return plain values")
        )
    raise_failure(judge_equal(what, plain, expected, hint=hint))


def _plain_exact(value: object) -> object | None:
    """A copy built only of builtin scalars/tuples/arrays, or None if ``value`` isn't plain."""
    if isinstance(value, np.ndarray):
        return np.array(value) if value.dtype != object else None
    if isinstance(value, np.generic):
        return value.item()
    if type(value) in (int, float, bool, str):
        return value
    if type(value) in (tuple, list):
        items = [_plain_exact(item) for item in value]  # type: ignore[attr-defined]
        if any(item is None for item in items):
            return None
        return tuple(items) if type(value) is tuple else items
    return None


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
        raise_failure(_not_numbers(what, np.zeros(2), error, hint))
        return
    raise_failure(judge_decreasing(what, array, factor=factor, hint=hint))


def check_type(
    obj: object, expected: type | tuple[type, ...], *, what: str, hint: str = ""
) -> None:
    """Check that ``obj`` is an instance of ``expected`` (e.g. a Value, a matplotlib Figure).

    Example:
        >>> check_type(3.0, float, what="the loss")
    """
    __tracebackhide__ = True
    if isinstance(obj, expected):
        return
    names = (
        " or ".join(t.__name__ for t in expected)
        if isinstance(expected, tuple)
        else expected.__name__
    )
    raise_failure(
        Failure(what, f"a {names}", f"a {type(obj).__name__}", hint or f"return a {names}")
    )
