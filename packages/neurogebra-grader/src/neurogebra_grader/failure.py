"""What a failed check says: :class:`Failure` (plain data) and :class:`CheckFailed` (the exception).

Every check is split in two halves. The *judge* compares plain data (numbers, lists, strings)
with what was expected and returns a :class:`Failure` or ``None``; it never touches a student's
objects, so it can run anywhere, also outside the student's kernel. The *check* turns a
student's objects into plain data, asks the judge, and raises :class:`CheckFailed`.

:class:`CheckFailed` subclasses ``AssertionError`` so nbgrader (and pytest) count it as a failed
test. In a notebook it renders as one short message, without a traceback into this package.

Example:
    >>> failure = Failure("mse([1, 2], [1, 4])", "2.0", "4.0", "divide by the number of points")
    >>> print(failure.message())
    mse([1, 2], [1, 4]): expected 2.0, got 4.0. Hint: divide by the number of points.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CheckFailed", "Failure", "raise_failure"]

_RED, _BOLD, _RESET = "\x1b[31m", "\x1b[1m", "\x1b[0m"


@dataclass(frozen=True)
class Failure:
    """What was checked, what was expected, what the student's code gave, and a hint.

    ``seen`` is the pattern the data shows, in words (see :mod:`neurogebra_grader.diagnosis`);
    ``topic`` says in words, without inputs or numbers, what was tested (for hidden tests).
    """

    what: str
    expected: str
    got: str
    hint: str = ""
    seen: str = ""
    topic: str = ""

    def message(self) -> str:
        text = f"{self.what}: expected {self.expected}, got {self.got}"
        text += f" ({self.seen})." if self.seen else "."
        if self.hint:
            text += f" Hint: {self.hint.rstrip('.')}."
        return text


class CheckFailed(AssertionError):
    """A check found a mistake; the message says what, expected, got and a hint.

    In IPython (Jupyter, nbgrader) it renders as that one message, without a traceback.
    """

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message())
        self.failure = failure

    def _render_traceback_(self) -> list[str]:
        """IPython's hook for custom tracebacks (used by ipykernel, hence by nbgrader).

        Only the message: the grader's frames are no use to a student, and the test's own
        code may be a hidden test that feedback must not reveal.
        """
        return [f"{_RED}{_BOLD}CheckFailed{_RESET}: {self.failure.message()}"]


def raise_failure(failure: Failure | None) -> None:
    """Raise :class:`CheckFailed` for a failure (do nothing for ``None``).

    The traceback is cut at the check that calls this: pytest hides frames that set
    ``__tracebackhide__``, and IPython uses :meth:`CheckFailed._render_traceback_`.
    """
    __tracebackhide__ = True
    if failure is not None:
        raise CheckFailed(failure) from None
