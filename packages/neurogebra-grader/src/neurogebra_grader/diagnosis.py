"""Name the likely cause of a wrong answer from plain data only: got versus expected.

Each rule looks for one pattern that a common mistake leaves in the numbers and says so in
words (no numbers, so a hidden test can show it too). When no rule fits, :func:`unknown`
says that the numbers alone don't show the cause; nothing here guesses.

- ``got ≈ -expected``: the sign is flipped (``y - pred`` for ``pred - y``, ``+=`` lr·grad).
- ``got ≈ expected / 2`` or ``2 × expected``: a factor 2 forgotten or added (``d(u²) = 2u du``).
- ``got ≈ k × expected`` (whole k > 2) or ``expected / k``: a sum where a mean is wanted (or
  the reverse), or gradients added up k times without being reset.
- a loss curve: rising from the first step (an update with the wrong sign); falling, then
  rising or swinging (gradients that are never reset pile up; never told to check its sign);
  flat (no update).
- the Value engine: a second ``backward()`` that overwrote ``.grad`` (``=`` for ``+=``), a
  ``zero_grad()`` that reset nothing, a node used twice that kept one use's contribution.

Example:
    >>> diagnose_values([-2.0, 4.0], [2.0, -4.0]).cause
    'sign'
    >>> diagnose_values([1.0, 2.0], [2.0, 4.0], gradient=True).hint
    'a factor 2 is missing: the derivative of a square u² is 2·u·du'
    >>> diagnose_values([1.0, 7.0], [2.0, 4.0]) is None
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Diagnosis",
    "choose_hint",
    "diagnose_curve",
    "diagnose_engine",
    "diagnose_values",
    "unknown",
]

UNKNOWN = "the numbers alone don't show the cause"


@dataclass(frozen=True)
class Diagnosis:
    """A cause seen in the data: a short key, the pattern in words, and the hint that fits it."""

    cause: str
    pattern: str
    hint: str
    sure: bool = True  # False: the pattern fits more than one cause (the test's hint may say)

    def text(self) -> str:
        """The pattern and hint as one sentence (no numbers: safe for hidden tests)."""
        return f"{self.pattern}: {self.hint}"


def choose_hint(diagnosis: Diagnosis | None, hint: str) -> str:
    """The hint to show: the diagnosis's when it is sure (or the test gave none), else the
    test's own ``hint``, else :func:`unknown`.

    Example:
        >>> choose_hint(diagnose_values([4.0], [2.0]), "average the squared errors")
        'average the squared errors'
    """
    if diagnosis is not None and (diagnosis.sure or not hint):
        return diagnosis.hint
    return hint or unknown()


def unknown(hint: str = "") -> str:
    """The hint to give when no rule fits: say so, then the test's own advice if any.

    Example:
        >>> unknown("re-read the task")
        "the numbers alone don't show the cause; re-read the task"
    """
    return f"{UNKNOWN}; {hint}" if hint else f"{UNKNOWN}; compare each step with the task text"


def _ratio(got: np.ndarray, expected: np.ndarray) -> float | None:
    """The one factor r with got ≈ r × expected on every item (None if there is none)."""
    got, expected = np.asarray(got, float).ravel(), np.asarray(expected, float).ravel()
    if got.shape != expected.shape or not got.size:
        return None
    if not (np.all(np.isfinite(got)) and np.all(np.isfinite(expected))):
        return None
    big = np.abs(expected) > 1e-9 * max(1.0, float(np.max(np.abs(expected))))
    if not big.any() or np.any(np.abs(got[~big]) > 1e-6):
        return None
    ratios = got[big] / expected[big]
    r = float(np.median(ratios))
    if np.allclose(ratios, r, rtol=1e-3, atol=1e-9) and np.allclose(
        got, r * expected, rtol=1e-3, atol=1e-9
    ):
        return r
    return None


def _near(r: float, target: float) -> bool:
    return abs(r - target) <= 1e-3 * max(1.0, abs(target))


def diagnose_values(
    got: Sequence[float] | np.ndarray | float,
    expected: Sequence[float] | np.ndarray | float,
    *,
    gradient: bool = False,
) -> Diagnosis | None:
    """The cause a wrong value (or gradient, with ``gradient=True``) shows, or None.

    Example:
        >>> diagnose_values([30.0], [3.0]).cause
        'k-times'
    """
    r = _ratio(np.asarray(got, float), np.asarray(expected, float))
    if r is None or _near(r, 1.0) or _near(r, 0.0):
        return None
    what = "the gradient" if gradient else "the result"
    if _near(r, -1.0):
        return Diagnosis(
            "sign",
            f"{what} has the opposite sign of the expected one",
            "the sign is flipped: differentiate pred - y (not y - pred)"
            if gradient
            else "the sign is flipped somewhere: check each minus sign",
        )
    if _near(r, 0.5) and gradient:
        return Diagnosis(
            "half",
            f"{what} is half the expected one",
            "a factor 2 is missing: the derivative of a square u² is 2·u·du",
        )
    if _near(r, 0.5):
        return Diagnosis(
            "half",
            f"{what} is half the expected one",
            "a factor 2 is missing, or one of two contributions is lost (= where += is needed)",
            sure=False,
        )
    if _near(r, 2.0):
        return Diagnosis(
            "double",
            f"{what} is twice the expected one",
            "a factor 2 is too many, two items are summed where their mean is wanted, or a "
            "gradient was added twice without a reset",
            sure=False,
        )
    k = round(abs(r))
    if k > 2 and _near(abs(r), k):
        sign = "" if r > 0 else ", with the opposite sign"
        return Diagnosis(
            "k-times",
            f"{what} is a whole multiple of the expected one{sign}",
            "a sum where a mean is wanted (divide by the number of items), or gradients "
            "added up over several steps without being reset to zero",
            sure=False,
        )
    k = round(abs(1 / r))
    if k > 2 and _near(abs(1 / r), k):
        return Diagnosis(
            "k-th",
            f"{what} is the expected one divided by a whole number",
            "a mean where a sum is wanted, or a division by the number of items done twice",
            sure=False,
        )
    return None


def diagnose_curve(values: Sequence[float] | np.ndarray) -> Diagnosis | None:
    """The cause a loss curve that does not fall enough shows, or None.

    Example:
        >>> diagnose_curve([1.0, 0.5, 0.8, 1.3, 0.6, 1.9]).cause
        'not-reset'
        >>> diagnose_curve([1.0, 1.5, 2.5, 4.0]).cause
        'uphill'
    """
    v = np.asarray(values, float).ravel()
    if v.size < 3 or not np.all(np.isfinite(v)):
        return None
    steps = np.diff(v)
    scale = max(abs(float(v[0])), 1e-12)
    if np.all(np.abs(steps) <= 1e-9 * scale):
        return Diagnosis(
            "flat",
            "the loss never changed",
            "the parameters are not updated: assign the new values back (w = w - lr * dw)",
        )
    if np.all(steps >= 0) and steps[0] > 0:
        return Diagnosis(
            "uphill",
            "the loss rose at every step from the first",
            "the update has the wrong sign: step against the gradient (w = w - lr * dw, "
            "not w + lr * dw), or the learning rate is too large",
        )
    if steps[0] < 0 and np.any(steps > 0):
        return Diagnosis(
            "not-reset",
            "the loss first fell, then rose or swung",
            "typical of gradients that are never reset to zero between steps (they pile up, "
            "so the steps keep growing), or of a learning rate that is too large",
        )
    if np.all(steps <= 0):
        return Diagnosis(
            "slow",
            "the loss fell at every step, but not far enough",
            "the steps are too small: a learning rate too small, a gradient scaled down too "
            "much, or too few steps",
        )
    return None


def diagnose_engine(
    title: str,
    runs: int,
    zero_between: bool,
    got: Sequence[float],
    expected: Sequence[float],
) -> Diagnosis | None:
    """The cause a Value-engine program's wrong leaf gradients show, or None.

    ``runs``/``zero_between`` describe the program (two backward calls, with or without
    ``zero_grad()`` in between); ``title`` says whether a node is used more than once.

    Example:
        >>> diagnose_engine("two backward calls", 2, False, [1.0], [2.0]).cause
        'assign'
    """
    r = _ratio(np.asarray(got, float), np.asarray(expected, float))
    if runs == 2 and not zero_between and r is not None and _near(r, 0.5):
        return Diagnosis(
            "assign",
            "after two backward() calls each gradient holds only the last one",
            "backward overwrote .grad (=) where it must add to it (+=)",
        )
    if runs == 2 and zero_between and r is not None and _near(r, 2.0):
        return Diagnosis(
            "zero-grad",
            "after zero_grad() the gradients of the first backward() were still there",
            "zero_grad() must set .grad back to 0.0",
        )
    # one node used twice, nothing to order: a missing contribution can only be an overwrite
    # (in larger graphs a wrong backward order loses contributions too, so no rule there)
    used_twice = "used twice" in title
    got_a, expected_a = np.abs(np.asarray(got, float)), np.abs(np.asarray(expected, float))
    if used_twice and np.all(got_a <= expected_a + 1e-9) and np.any(got_a < expected_a - 1e-9):
        return Diagnosis(
            "assign",
            "a node used more than once got the gradient of only one of its uses",
            "each use must add its part to .grad (+=), not overwrite it (=)",
        )
    diagnosis = diagnose_values(got, expected, gradient=True)
    if diagnosis is not None and diagnosis.cause == "sign":
        return diagnosis
    return None
