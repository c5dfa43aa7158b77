"""``check_gradient``: a gradient against central differences of the test's own function.

Central differences, (f(x + h) - f(x - h)) / 2h per coordinate, are accurate to O(h²), so
with h = 1e-5 a correct analytic gradient of a smooth function agrees to about 1e-8; we allow
1e-4 relative to stay clear of rounding noise. This module holds the student-facing function,
the kernel's probe of the ``gradient`` kind, the judge of plain data, and the
:class:`~neurogebra_grader.checks.check.Check`. The function ``f`` is the instructor's (the
reference run differentiates it) and the point ``at`` a constant or the instructor's: a
gradient recomputed at the student's point would not match the one the reference run took.

Example:
    >>> check_gradient(lambda w, b: (3 * w + b - 1) ** 2, at=[1.0, 2.0], got=[24.0, 8.0])
    >>> sorted(GRADIENT.expected["f"]), GRADIENT.reference["f"]
    (['instructor'], 'gradient')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from neurogebra_grader.checks.check import FIXED_SOURCE, TEXT, VALUE, Check
from neurogebra_grader.checks.close import judge_close
from neurogebra_grader.diagnosis import unknown
from neurogebra_grader.failure import Failure, raise_failure
from neurogebra_grader.plain import NotPlain, show, to_array

__all__ = ["GRADIENT", "central_differences", "check_gradient", "judge_gradient"]


def central_differences(
    f: Callable[..., float], at: Sequence[float], *, h: float = 1e-5
) -> np.ndarray:
    """The numerical gradient of ``f(*at)`` with respect to each argument.

    Example:
        >>> central_differences(lambda x, y: x * y, [2.0, 3.0]).round(6).tolist()
        [3.0, 2.0]
    """
    point = [float(v) for v in at]
    grad = np.empty(len(point))
    for i, x in enumerate(point):
        up, down = list(point), list(point)
        up[i], down[i] = x + h, x - h
        grad[i] = (float(f(*up)) - float(f(*down))) / (2 * h)
    return grad


def judge_gradient(
    what: str,
    got: np.ndarray,
    numerical: np.ndarray,
    at: Sequence[float],
    *,
    rtol: float = 1e-4,
    atol: float = 1e-6,
    names: Sequence[str] = (),
    hint: str = "",
) -> Failure | None:
    """A Failure unless the claimed gradient matches the numerical one."""
    failure = judge_close(what, got, numerical, rtol=rtol, atol=atol, hint=hint, gradient=True)
    if failure is None:
        return None
    if failure.what.endswith("(shape)"):
        return failure
    names = list(names) or [f"x{i}" for i in range(len(at))]
    point = ", ".join(f"{n}={show(float(v))}" for n, v in zip(names, at, strict=False))
    return Failure(
        f"{what} at {point}",
        f"{show(np.asarray(numerical))} (central differences)",
        failure.got,
        failure.hint
        if failure.seen or hint
        else unknown("differentiate again term by term (the chain rule brings inner factors)"),
        seen=failure.seen,
    )


def check_gradient(
    f: Callable[..., float],
    at: Sequence[float],
    got: object,
    *,
    what: str = "the gradient",
    names: Sequence[str] = (),
    h: float = 1e-5,
    rtol: float = 1e-4,
    atol: float = 1e-6,
    hint: str = "",
) -> None:
    """Check a claimed gradient of ``f`` at the point ``at`` against central differences.

    ``f`` takes one float per coordinate of ``at`` and returns a float; ``got`` holds one
    derivative per coordinate. Pass a trusted ``f`` (the test's own formula), so the check
    doesn't depend on the student's code being right elsewhere.

    Example:
        >>> check_gradient(lambda x: x**3, at=[2.0], got=[12.0], names=["x"])
    """
    __tracebackhide__ = True
    numerical = central_differences(f, at, h=h)
    try:
        got_array = to_array(got)
    except NotPlain as error:
        raise_failure(
            Failure(
                what, f"derivatives like {show(numerical)}", str(error), hint or "return floats"
            )
        )
        return
    raise_failure(
        judge_gradient(what, got_array, numerical, at, rtol=rtol, atol=atol, names=names, hint=hint)
    )


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    return judge_gradient(
        what,
        got["got"],
        np.asarray(ref["f"], dtype=float),
        list(np.ravel(ref["at"])),
        rtol=float(ref["rtol"]),
        atol=float(ref["atol"]),
        names=list(ref["names"] or ()),
        hint=hint,
    )


def _probe(value: Any, setting: Callable[[str], Any]) -> Any:
    return central_differences(value, setting("at"), h=setting("h"))


GRADIENT = Check(
    check_gradient,
    student={"got": "array"},
    reference={
        "f": "gradient",
        "at": "array",
        "h": VALUE,
        "names": VALUE,
        "rtol": VALUE,
        "atol": VALUE,
        **TEXT,
    },
    judge=_judge,
    probes={"gradient": _probe},
    expected={"f": frozenset({"instructor"}), "at": FIXED_SOURCE},
)
