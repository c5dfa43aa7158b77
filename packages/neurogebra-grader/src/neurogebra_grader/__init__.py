"""Neurogebra's grading tools: the checks that the course's test cells call.

A test cell calls a check instead of a bare ``assert``; a failed check raises
:class:`CheckFailed` (an ``AssertionError``, so nbgrader counts it as a failure) with one short
message: what was checked, what was expected, what the code gave, and a hint.

Example:
    >>> from neurogebra_grader import check_close
    >>> check_close(sum([0.1] * 10), 1.0, what="ten times 0.1")
"""

from importlib.metadata import PackageNotFoundError, version

from neurogebra_grader.checks import (
    check_accuracy,
    check_axes,
    check_close,
    check_decreasing,
    check_equal,
    check_gradient,
    check_type,
    check_value_engine,
)
from neurogebra_grader.failure import CheckFailed, Failure

try:
    __version__ = version("neurogebra-grader")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "CheckFailed",
    "Failure",
    "check_accuracy",
    "check_axes",
    "check_close",
    "check_decreasing",
    "check_equal",
    "check_gradient",
    "check_type",
    "check_value_engine",
]
