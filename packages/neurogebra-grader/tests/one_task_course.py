"""A one-task nbgrader course for the grader's unit tests (no kernel, no course folder).

The task is ``triple``: an introduction, the answer cell, a test cell worth 5 points and a
written answer. ``SOURCE`` holds the instructor's solution, ``RELEASE`` the students' stub.

Example:
    >>> [cell.metadata["nbgrader"]["grade_id"] for cell in RELEASE.cells]
    ['intro', 'answer', 'test', 'essay']
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SOLUTION = "def triple(x):\n    return x * 3  # the instructor's secret solution"
STUB = "def triple(x):\n    raise NotImplementedError()"


def meta(gid: str, **flags: object) -> dict:
    """nbgrader metadata for the cell ``gid``: unlocked, ungraded, no solution unless ``flags``."""
    base = {"grade": False, "solution": False, "locked": False, "grade_id": gid}
    return {"nbgrader": {**base, **flags, "schema_version": 3}}


def course(solution: str) -> nbformat.NotebookNode:
    """The course's notebook with ``solution`` in its answer cell."""
    return new_notebook(
        cells=[
            new_markdown_cell("# Triple", metadata=meta("intro", locked=True)),
            new_code_cell(solution, metadata=meta("answer", solution=True)),
            new_code_cell(
                "check_close(triple(2), 6)",
                metadata=meta("test", grade=True, locked=True, points=5),
            ),
            new_markdown_cell("YOUR ANSWER HERE", metadata=meta("essay", solution=True)),
        ]
    )


SOURCE, RELEASE = course(SOLUTION), course(STUB)
