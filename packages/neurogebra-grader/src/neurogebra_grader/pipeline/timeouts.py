"""Verdicts that time limits decide: a question over its limit, and one that needed it.

A cell that runs out of time fails alone (the sandbox restarts the kernel and re-runs the
earlier answers without it, see :mod:`neurogebra_grader.sandbox.replay`). Its question says
so, with the limit and the time it ran. A later test that raises ``NameError`` for a name only
the stopped cell defines is told that it depends on the answer that ran out of time (see
:mod:`neurogebra_grader.pipeline.depends`, which also explains names an earlier cell that
raised never defined). Questions the notebook's budget left unrun say that.

Example:
    >>> sorted(defined_names("import math\\ndef g():\\n    y = 1\\nx, z = 1, 2"))
    ['g', 'math', 'x', 'z']
    >>> sorted(used_names("check_close(g(2), 4)"))
    ['check_close', 'g']
"""

from __future__ import annotations

from neurogebra_grader.pipeline.depends import defined_names, depends_verdict, used_names
from neurogebra_grader.pipeline.plan import GradedCell, Plan
from neurogebra_grader.sandbox.runner import NotebookRun

__all__ = ["BUDGET_PREFIX", "defined_names", "time_verdict", "used_names"]

BUDGET_PREFIX = "not run: the notebook's time budget"


def time_verdict(plan: Plan, run: NotebookRun, cell: GradedCell) -> str | None:
    """The message for a graded cell whose zero the time limits decided, or None.

    ``run`` is the notebook's run; ``cell`` one of ``plan.graded``.
    """
    if cell.index >= len(run.cells):
        return None
    ran = run.cells[cell.index]
    what = "the test" if cell.kind == "test" else "the answer"
    if ran.status == "timeout" and str(ran.error).startswith("the notebook ran out of time"):
        return f"{what} did not finish: {ran.error}"  # the budget, not its own limit
    if ran.status == "timeout":
        return f"{what} ran out of time: {ran.error}"
    if ran.status == "not run" and str(ran.error).startswith(BUDGET_PREFIX):
        return f"{what} did not run: {str(ran.error).removeprefix('not run: ')}"
    return depends_verdict(plan, run, cell)  # a NameError an earlier unfinished cell explains
