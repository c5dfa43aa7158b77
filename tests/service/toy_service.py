"""What the service's end-to-end tests share (standalone and JupyterHub mode): the toy course
cut to one question, notebooks answering it, and reading a page's CSRF token and a grade.

Example:

    course = one_question_course(tmp_path)
    data = notebook(course, RIGHT)  # the released notebook, answered right
    body = wait_graded(client, submission_id)  # polls /api/submissions/<id>
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parents[1] / "pipeline"))

import toycourse as tc  # tests/pipeline's toy-course helpers

HIDDEN_CODE = "square(-2.5)"  # the toy question's hidden check
RIGHT = "def square(x):\n    return x * x"
WRONG = "def square(x):\n    return x + x"


def one_question_course(root: Path, db_url: str | None = None) -> Path:
    """The toy course cut to its first question (square: a visible and a hidden check), its
    gradebook on ``db_url`` (default: nbgrader's SQLite file in the course)."""
    source = tc.notebook_of(tc.source_notebook().cells[:3])
    course = tc.make_course(root, source)
    if db_url is not None:
        with (course / "nbgrader_config.py").open("a") as config:
            config.write(f"c.CourseDirectory.db_url = {db_url!r}\n")
    tc.grader("release", course=course)
    return course


def notebook(course: Path, answer: str) -> bytes:
    def edit(by_id, nb):
        by_id["square"].source = answer

    return json.dumps(tc.submission_from_release(course, edit)).encode()


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def wait_graded(client: httpx.Client, submission_id: int, seconds: float = 120) -> dict:
    """Poll the submission until graded (or error); its JSON, with the states seen on the way."""
    deadline = time.monotonic() + seconds
    seen: list[str] = []
    while time.monotonic() < deadline:
        body = client.get(f"/api/submissions/{submission_id}").json()
        if not seen or seen[-1] != body["state"]:
            seen.append(body["state"])
        if body["state"] in ("graded", "error"):
            body["seen"] = seen
            return body
        time.sleep(0.3)
    raise AssertionError(f"submission {submission_id} still {seen[-1:]} after {seconds} s")
