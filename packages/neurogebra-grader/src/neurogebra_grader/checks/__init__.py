"""The checks, one module per family; each has a pure ``judge_*`` half that reads plain data."""

from neurogebra_grader.checks.classification import check_accuracy
from neurogebra_grader.checks.engine import check_value_engine
from neurogebra_grader.checks.gradients import check_gradient
from neurogebra_grader.checks.numbers import (
    check_close,
    check_decreasing,
    check_equal,
    check_type,
)
from neurogebra_grader.checks.plots import check_axes

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
