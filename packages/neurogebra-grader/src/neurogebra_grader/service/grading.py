"""Grade one claimed submission through the existing pipeline, and write its feedback.

The stored upload becomes the student's submission of the assignment in the course
(``submitted/<student>/<assignment>/<notebook>.ipynb`` and nbgrader's ``timestamp.txt`` with
the server's receive time, written by collect's own descriptor-based writer), then
``autograde(..., students=[student], force=True)`` grades it in the pipeline's sandbox (never
outside it), and nbgrader's ``generate_feedback`` writes the feedback page (hidden tests
cleared, as ``neurogebra-grader feedback`` does), which is copied beside the upload.

Only one submission of a student is graded at a time (the queue never claims a second while
one runs, and ``Grader`` holds a lock per student), since they share the student's folder.

Example:
    >>> outcome = Grader(course, store).grade(claimed)  # doctest: +SKIP
    >>> outcome.state, [q["question"] for q in outcome.questions]  # doctest: +SKIP
    ('graded', ['test_square', 'test_engine', 'test_mean'])
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

from neurogebra_grader.pipeline import ledger, nbgrader_steps
from neurogebra_grader.pipeline.autograde import autograde
from neurogebra_grader.pipeline.collect import safe_student_name, stamp_text, write_files
from neurogebra_grader.pipeline.course import Course
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.service.queue import Claimed, Outcome
from neurogebra_grader.service.store import Store, fsync_write

log = logging.getLogger("neurogebra_grader.service")
_feedback_lock = threading.Lock()  # nbgrader's apps keep process-wide state


class Grader:
    """Grades claimed submissions of one course (``sandbox=False`` only for trusted tests)."""

    def __init__(
        self,
        course: Course,
        store: Store,
        *,
        scheduler: str | None = None,
        limits: Limits | None = None,
        sandbox: bool = True,
    ) -> None:
        self.course, self.store = course, store
        self.scheduler, self.limits, self.sandbox = scheduler, limits, sandbox
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)

    def place(self, claimed: Claimed) -> Path:
        """Make the stored upload the student's submission (replacing an earlier one)."""
        if not safe_student_name(claimed.student) or claimed.assignment.startswith("."):
            raise ValueError(f"not a usable student id: {claimed.student!r}")  # e.g. a Hub name
        data = Path(claimed.path).read_bytes()
        dest = self.course.path("submitted", claimed.student, claimed.assignment)
        dest.parent.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix=".service-", dir=dest.parent))
        try:
            files = {
                f"{claimed.notebook}.ipynb": data,
                "timestamp.txt": stamp_text(claimed.received_at).encode(),
            }
            write_files(build, files)
            if dest.is_symlink() or dest.is_file():
                dest.unlink()
            elif dest.exists():
                shutil.rmtree(dest)
            build.rename(dest)
        finally:
            if build.exists():
                shutil.rmtree(build, ignore_errors=True)
        return dest

    def grade(self, claimed: Claimed) -> Outcome:
        """Grade ``claimed``; a fault becomes an 'error' outcome with a message."""
        with self._locks[claimed.student]:
            try:
                return self._grade(claimed)
            except Exception as error:  # the student's row says so; the service goes on
                log.exception("submission %d could not be graded", claimed.id)
                # the exception's text can name the course's paths or settings: it goes to the
                # service's log for the instructor, never to the student's page
                return Outcome(
                    "error",
                    error=f"the grader failed ({type(error).__name__}), not your notebook: your "
                    "instructor can see the details in the service's log and regrade it",
                )

    def _grade(self, claimed: Claimed) -> Outcome:
        self.place(claimed)
        graded = autograde(
            self.course,
            claimed.assignment,
            students=[claimed.student],
            workers=1,
            scheduler=self.scheduler,
            sandbox=self.sandbox,
            limits=self.limits,
            force=True,
        )
        if not graded:
            return Outcome("error", error="the pipeline graded nothing")
        result = graded[0]
        questions = [
            {
                "notebook": notebook,
                "question": v["grade_id"],
                "points": v["points"],
                "score": v["score"],
                "message": v["message"],
            }
            for notebook, verdicts in result.notebooks.items()
            for v in verdicts
        ]
        flags = sorted({str(f.get("code", "")) for f in result.flags})
        self._feedback(claimed)
        return Outcome(
            "graded",
            late_penalty=self._penalty(claimed),
            score=result.score,
            max_score=result.max_score,
            questions=questions,
            error="; ".join(result.errors)[:2000] or None,
            flags=flags,
        )

    def _penalty(self, claimed: Claimed) -> float:
        """The late penalty the gradebook now holds for this student (nbgrader's plugin)."""
        from nbgrader.api import Gradebook

        with Gradebook(self.course.db_url, self.course.course_id) as gb:
            for row in ledger.rows(gb, claimed.assignment):
                if row["student"] == claimed.student:
                    return float(row["late_penalty"] or 0.0)
        return 0.0

    def _feedback(self, claimed: Claimed) -> None:
        with _feedback_lock:
            names = nbgrader_steps.student_feedback(
                self.course, claimed.assignment, claimed.student
            )
        folder = self.course.path("feedback", claimed.student, claimed.assignment)
        page = f"{claimed.notebook}.html"
        if page in names:
            target = self.store.feedback_path(claimed.id)
            fsync_write(target.parent, target.name, (folder / page).read_bytes())


def ensure_gradebook(course: Course) -> list[str]:
    """Open the course's gradebook once, so nbgrader's tables exist (a new ``--db``); the
    assignments released into it (the only ones students can submit)."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        return sorted(a.name for a in gb.assignments)


def question_summary(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per-question pass counts over graded submissions (``rows`` as Store.list gives them).

    Example:
        >>> rows = [{"state": "graded", "questions": [{"question": "q1", "points": 1.0,
        ...          "score": 1.0}]}]
        >>> question_summary(rows)["q1"]["passed"]
        1
    """
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["state"] != "graded":
            continue
        for q in row["questions"]:
            entry = out.setdefault(q["question"], {"points": q["points"], "passed": 0, "n": 0})
            entry["n"] += 1
            entry["passed"] += int(q["score"] is not None and q["score"] >= q["points"])
    return out
