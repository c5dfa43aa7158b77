"""``check_type``: an object of the expected class (decided in the kernel by ``isinstance``).

Its student-facing function, its judge of the kernel's verdict, and its
:class:`~neurogebra_grader.checks.check.Check`. The expected class is evaluated in the
student's kernel (``isinstance`` needs the object), so it must be a constant or the test's
own (the library's ``Value``, ``float``), never a name that holds the student's work.

Example:
    >>> check_type(3.0, float, what="the loss")
    >>> TYPE.judge({"obj": {"isinstance": False, "type": "list"}}, {}, "w", "").got
    'a list'
"""

from __future__ import annotations

from typing import Any

from neurogebra_grader.checks.check import FIXED_SOURCE, TEXT, Check
from neurogebra_grader.failure import Failure, raise_failure

__all__ = ["TYPE", "check_type"]


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


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    info = got["obj"]
    if isinstance(info, dict) and info.get("isinstance") is True:
        return None
    return Failure(
        what, "the right type", f"a {info.get('type', '?')}", hint or "see the task text"
    )


TYPE = Check(
    check_type,
    student={"obj": "isinstance", "expected": "none"},
    reference={**TEXT},
    judge=_judge,
    expected={"expected": FIXED_SOURCE},
)
