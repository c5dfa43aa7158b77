"""The checks, one module each: its student-facing ``check_*``, its pure ``judge_*`` of plain
data, its messages and its :class:`~neurogebra_grader.checks.check.Check` (see registry.py).

Example:
    >>> from neurogebra_grader.checks import check_close
    >>> check_close([1.0, 2.0], [1.0, 2.0])
"""

from neurogebra_grader.checks.accuracy import check_accuracy
from neurogebra_grader.checks.axes import check_axes
from neurogebra_grader.checks.close import check_close
from neurogebra_grader.checks.decreasing import check_decreasing
from neurogebra_grader.checks.equal import check_equal
from neurogebra_grader.checks.gradient import check_gradient
from neurogebra_grader.checks.of_type import check_type
from neurogebra_grader.checks.value_engine import check_value_engine

__all__ = [
    "check_accuracy",
    "check_axes",
    "check_close",
    "check_decreasing",
    "check_equal",
    "check_gradient",
    "check_type",
    "check_value_engine",
]
