"""Admission: whether an upload becomes a queued submission, and if not, why (one message
per refusal, shown to the student as it is).

The checks, in order: the assignment is released (in the gradebook); the upload is at most
the pipeline's bytes-per-file limit (``IntakeLimits.file_bytes``, what collect would take in);
its file name is one of the assignment's notebooks; it is a readable notebook
(``pipeline.submitted.read_notebook``, the pipeline's own hostile-JSON reader); the deadline
(the gradebook's ``duedate``: after it, refused or accepted as late per the assignment's
setting); and the rate limit (``Settings.rate_limit`` accepted submissions per
``rate_window`` seconds, counted from the submissions table), so the grader is no oracle for
hidden tests. The final count and the insert run in one transaction under the student's lock
in the database (``Store.locked``), so two uploads at once, even to two service processes
sharing the database, cannot both take the last place.

Example:
    >>> admit(course, store, "alice", "toy", "toy.ipynb", data)  # doctest: +SKIP
    Admitted(submission_id=7, late=False, remaining=9)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy import text

from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.intake import IntakeLimits
from neurogebra_grader.pipeline.submitted import UnreadableNotebook, read_notebook
from neurogebra_grader.service.store import Store, now

MAX_BYTES = IntakeLimits().file_bytes


class Refused(Exception):
    """An upload that is not accepted; ``str()`` is the message for the student."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Admitted:
    submission_id: int
    late: bool
    remaining: int


@dataclass(frozen=True)
class Allowance:
    """How many more submissions a student may make now, of how many per window."""

    remaining: int
    limit: int
    window: int  # seconds

    def describe(self) -> str:
        """Example: ``Allowance(3, 10, 3600).describe()`` is '3 of 10 submissions left this
        hour'."""
        span = "this hour" if self.window == 3600 else f"in any {self.window // 60} minutes"
        return f"{self.remaining} of {self.limit} submissions left {span}"


def duedate(store: Store, course: Course, assignment: str) -> datetime.datetime | None:
    """The gradebook's due date of ``assignment`` (naive UTC); CourseError if not released."""
    with store.engine.connect() as db:
        row = db.execute(
            text("SELECT duedate FROM assignment WHERE name = :n"), {"n": assignment}
        ).first()
    if row is None or assignment not in course.assignments():
        raise CourseError(f"no assignment {assignment!r} is open for submissions")
    value = row[0]
    if isinstance(value, str):  # SQLite through a plain query: an ISO text
        value = datetime.datetime.fromisoformat(value)
    return value


def allowance(store: Store, student: str, assignment: str) -> Allowance:
    setting = store.settings(assignment)
    since = now() - datetime.timedelta(seconds=setting.rate_window)
    used = store.count_since(student, assignment, since)
    return Allowance(max(0, setting.rate_limit - used), setting.rate_limit, setting.rate_window)


def notebook_name(course: Course, assignment: str, filename: str) -> str:
    """The assignment's notebook that ``filename`` names (only a bare, exact name matches)."""
    names = course.notebooks(assignment)
    for name in names:
        if filename == f"{name}.ipynb":
            return name
    expected = " or ".join(f"{n}.ipynb" for n in names)
    shown = filename[:80].encode("ascii", "replace").decode()
    raise Refused(f"the file must be the assignment's notebook, {expected} (got {shown!r})")


def check_upload(course: Course, assignment: str, filename: str, data: bytes) -> str:
    """Size, name and structure of an upload; returns its notebook's name."""
    if len(data) > MAX_BYTES:
        raise Refused(
            f"the notebook is {len(data) / 1e6:.1f} MB, more than the {MAX_BYTES / 1e6:g} MB "
            "limit: clear the outputs (Kernel > Restart and Clear Output) and submit again",
            413,
        )
    notebook = notebook_name(course, assignment, filename)
    try:
        read_notebook(notebook, data)
    except UnreadableNotebook as error:
        raise Refused(str(error)) from None
    return notebook


def admit(
    course: Course, store: Store, student: str, assignment: str, filename: str, data: bytes
) -> Admitted:
    """Check the upload and, if it passes, store it durably as a queued submission."""
    try:
        due = duedate(store, course, assignment)
    except CourseError as error:
        raise Refused(str(error), 404) from None
    notebook = check_upload(course, assignment, filename, data)
    setting = store.settings(assignment)
    late = due is not None and now() > due
    if late and not setting.accept_late:
        raise Refused(
            f"the deadline of {assignment} was {due:%Y-%m-%d %H:%M} UTC: "
            "this assignment takes no late submissions",
            403,
        )
    left = allowance(store, student, assignment)  # refuses most without writing the upload
    submission_id = None
    if left.remaining > 0:
        submission_id = store.accept(student, assignment, notebook, data, late=late, limit=setting)
    if submission_id is None:
        raise Refused(
            f"you have made {left.limit} submissions of {assignment} "
            f"{'in the last hour' if left.window == 3600 else 'recently'}, the limit: "
            "0 left; try again later",
            429,
        )
    used = store.count_since(student, assignment, now() - datetime.timedelta(seconds=left.window))
    return Admitted(submission_id, late, max(0, left.limit - used))
