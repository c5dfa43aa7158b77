"""``neurogebra-grader serve --demo``: a live course to try the service on, in one command.

It copies the sample course (``course/``) into a fresh folder, releases its assignments through
the pipeline (as ``neurogebra-grader demo`` does), enrols two demo students and an instructor,
and returns their login links, which ``serve`` prints before it starts.

Example (from the repository root)::

    neurogebra-grader serve --demo --workdir build/live   # prints three login links
"""

from __future__ import annotations

from pathlib import Path

from neurogebra_grader.cli.demo import prepare
from neurogebra_grader.pipeline import nbgrader_steps
from neurogebra_grader.pipeline.course import Course

DEMO_ACCOUNTS = (("ada", "student"), ("ben", "student"), ("prof", "instructor"))


def login_link(base_url: str, token: str) -> str:
    """The link that opens the login form with `token` filled in (it does not log in by itself).

    >>> login_link("http://127.0.0.1:8000", "abc")
    'http://127.0.0.1:8000/login?token=abc'
    """
    return f"{base_url.rstrip('/')}/login?token={token}"


def live_course(workdir: Path) -> tuple[Course, dict[str, str]]:
    """A fresh released copy of the sample course with the demo accounts enrolled; returns the
    course and each account's token (shown only now: the store keeps hashes)."""
    from neurogebra_grader.service.grading import ensure_gradebook
    from neurogebra_grader.service.store import Store

    course = prepare(workdir)
    for assignment in course.assignments():
        nbgrader_steps.release(course, assignment)
    ensure_gradebook(course)
    store = Store(course.db_url, course.state_dir() / "service")
    tokens = {name: store.add_account(name, role) for name, role in DEMO_ACCOUNTS}
    return course, tokens
