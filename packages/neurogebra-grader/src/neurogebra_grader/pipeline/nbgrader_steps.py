"""The workflow steps nbgrader already does well, through nbgrader's own Python API.

Each step runs nbgrader's app in this process with the course's ``nbgrader_config.py``, as
``nbgrader <step>`` in the course folder would (in-process: importing nbgrader's apps costs
seconds, paid once instead of once per step); a failure raises StepFailed with nbgrader's log.

Example:
    >>> release(course, "autograd")  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import os
import sys
from typing import Any

from neurogebra_grader.pipeline.course import Course


class StepFailed(RuntimeError):
    """An nbgrader step failed; the message holds the end of its log."""


def _api(course: Course) -> Any:
    from nbgrader.apps.api import NbGraderAPI

    # nbgrader runs `alembic` (its database migrations) from PATH: use this environment's
    bin_dir = os.path.dirname(sys.executable)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    config = copy.deepcopy(course.config)
    config.ExchangeReleaseAssignment.force = True  # re-releasing replaces the earlier release
    config.NbGraderAPI.log_level = "WARN"
    return NbGraderAPI(coursedir=course.coursedir, config=config)


def _check(step: str, outcome: dict[str, Any]) -> str:
    log = str(outcome.get("log", ""))
    if not outcome.get("success"):
        tail = "\n".join((log + str(outcome.get("error", ""))).strip().splitlines()[-10:])
        raise StepFailed(f"nbgrader {step} failed:\n{tail}")
    return log


def release(course: Course, assignment: str) -> None:
    """generate_assignment (solutions and hidden tests out), then release_assignment."""
    api = _api(course)
    _check(f"generate_assignment {assignment}", api.generate_assignment(assignment, force=True))
    _check(f"release_assignment {assignment}", api.release_assignment(assignment))


def feedback(course: Course, assignment: str, *, release: bool = True) -> list[str]:
    """generate_feedback (HTML from the autograded notebooks), then release_feedback.

    Feedback is released to every student who submitted through the exchange (nbgrader
    matches it to their submission by its secret); returns the students it was released to.
    """
    api = _api(course)
    _check(f"generate_feedback {assignment}", api.generate_feedback(assignment, force=True))
    released = []
    if release:
        for student in course.students_with_submissions(assignment):
            if (course.path("feedback", student, assignment) / "submission_secret.txt").exists():
                _check(
                    f"release_feedback {assignment} {student}",
                    api.release_feedback(assignment, student),
                )
                released.append(student)
    return released


def student_feedback(course: Course, assignment: str, student: str) -> list[str]:
    """generate_feedback for one student's autograded submission (not released); returns the
    names of the HTML files written under ``feedback/<student>/<assignment>/``."""
    api = _api(course)
    _check(
        f"generate_feedback {assignment} {student}",
        api.generate_feedback(assignment, student, force=True),
    )
    folder = course.path("feedback", student, assignment)
    return sorted(p.name for p in folder.glob("*.html")) if folder.is_dir() else []
