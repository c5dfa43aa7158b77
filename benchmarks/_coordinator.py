"""The coordinator's own limit: how fast its one process can record graded submissions.

Every submission ends in one gradebook transaction (``ledger.record``: its nbgrader grades and
its ledger row), written by the coordinating process alone, whatever the number of workers.
This module replays that pass over many synthetic results, copied from the rows of a class
already graded (same verdicts, flags and timings, new student names), first as new students,
then again as resubmissions of the same students, and times each transaction.

Example:
    >>> from pathlib import Path
    >>> recording_rate(Path("course"), "autograd", 200)  # doctest: +SKIP
    {'new': [...], 'again': [...]}
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def _templates(course: Any, assignment: str) -> list[Any]:
    from nbgrader.api import Gradebook

    from neurogebra_grader.pipeline import ledger

    with Gradebook(course.db_url, course.course_id) as gb:
        rows = ledger.rows(gb, assignment)
    out = []
    for row in rows:
        result = ledger.SubmissionResult(assignment, row["student"], row["submission_hash"], None)
        result.notebooks, result.flags = row["verdicts"], row["flags"]
        result.errors, result.timings = row["errors"], row["timings"]
        out.append(result)
    return out


def recording_rate(course_dir: Path, assignment: str, count: int) -> dict[str, list[float]]:
    """Seconds of each of ``count`` transactions, for new students and then resubmissions."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import LateSubmissionPlugin

    from neurogebra_grader.pipeline import ledger
    from neurogebra_grader.pipeline.course import Course

    course = Course.load(course_dir)
    templates = _templates(course, assignment)
    if not templates:
        raise SystemExit(f"no graded rows of {assignment} to copy")
    late = LateSubmissionPlugin(config=course.config)
    times: dict[str, list[float]] = {"new": [], "again": []}
    with Gradebook(course.db_url, course.course_id) as gb:
        for kind in times:
            for k in range(count):
                result = templates[k % len(templates)]
                result.student = f"synthetic{k:05d}"
                start = time.perf_counter()
                ledger.record(gb, result, late)
                times[kind].append(time.perf_counter() - start)
    return times
