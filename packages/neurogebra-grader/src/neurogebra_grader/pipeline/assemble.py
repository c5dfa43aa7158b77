"""Match and plan in one call: the notebook to run for a submission, as a NotebookNode.

The pipeline runs the two passes separately (see autograde.py); this is the short way for
callers that hold notebooks already, such as the reference run of the instructor's solution.

Example:
    >>> plan = assemble(source_nb, source_nb, release_nb, role="reference")  # doctest: +SKIP
    >>> [g.grade_id for g in plan.graded]  # doctest: +SKIP
    ['test-mse', 'test-gradient']
"""

from __future__ import annotations

from typing import Any

from neurogebra_grader.pipeline.match import match
from neurogebra_grader.pipeline.plan import GradedCell, Plan, build_plan
from neurogebra_grader.pipeline.submitted import from_trusted

__all__ = ["GradedCell", "Plan", "assemble"]


def assemble(submission: Any, source: Any, release: Any, *, role: str = "student") -> Plan:
    """The plan for ``submission`` (a NotebookNode) against the course's notebooks."""
    submitted = from_trusted("notebook", submission)
    return build_plan(match(submitted, source, release), source, release, role=role)
