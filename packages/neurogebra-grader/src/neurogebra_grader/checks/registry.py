"""Every check the grader knows, by the name test cells call it: the one list to extend.

The pipeline derives everything per check from here: which arguments the kernel reports
(``pipeline/probes.SPECS``), the rewrite's known checks and their signatures, and the judge
that ``pipeline/judges.judge_call`` dispatches to. Adding a check means writing one module
that defines a :class:`~neurogebra_grader.checks.check.Check`, adding it below, and exporting
its function from ``checks/__init__.py`` (a unit test keeps the three in step).

Example:
    >>> REGISTRY["check_close"].student
    {'got': 'array'}
"""

from __future__ import annotations

from neurogebra_grader.checks.accuracy import ACCURACY
from neurogebra_grader.checks.axes import AXES
from neurogebra_grader.checks.check import Check
from neurogebra_grader.checks.close import CLOSE
from neurogebra_grader.checks.decreasing import DECREASING
from neurogebra_grader.checks.equal import EQUAL
from neurogebra_grader.checks.gradient import GRADIENT
from neurogebra_grader.checks.of_type import TYPE
from neurogebra_grader.checks.value_engine import VALUE_ENGINE

REGISTRY: dict[str, Check] = {
    check.name: check
    for check in (CLOSE, EQUAL, DECREASING, TYPE, GRADIENT, ACCURACY, VALUE_ENGINE, AXES)
}
