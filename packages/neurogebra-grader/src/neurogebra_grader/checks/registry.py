"""Every check the grader knows, by the name test cells call it: the one list to extend.

Each check lives in one module of this package that holds all of it: its student-facing
``check_*`` function, its pure ``judge_*`` of plain data, its messages, the probes for the
kinds only it reads, and its :class:`~neurogebra_grader.checks.check.Check`, which also
declares where its expected value may come from (``expected``). Helpers several checks share
get a small module of their own (``not_numbers.py``). The pipeline derives everything per
check from here: which arguments the kernel reports (``pipeline/probes.SPECS``), the
rewrite's known checks and their signatures, the sources release accepts for each expected
argument (``pipeline/expected.classify_call``), and the judge that
``pipeline/judges.judge_call`` dispatches to.

Adding a check = one module + its tests: write the module, add its Check below, and export
its function from ``checks/__init__.py`` (tests/test_registry.py keeps the three in step).

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
