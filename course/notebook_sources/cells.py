"""Helpers that make nbgrader cells: explanations, given code, solutions and graded tests.

Every cell gets a fixed id (nbformat 4.5), so rebuilding a notebook changes nothing unless its
text changed. nbgrader reads the ``nbgrader`` metadata: solution cells are cleared on release,
test cells are locked and worth ``points``, everything else is locked (read-only).

Example:
    >>> cell = tests("test-add", 5, "check_close(add(1, 2), 3)")
    >>> cell.metadata["nbgrader"]["points"], cell.id
    (5, 'test-add')
"""

from __future__ import annotations

import re
import textwrap

import nbformat
from nbformat.notebooknode import NotebookNode

SCHEMA_VERSION = 3  # nbgrader 0.9's cell metadata schema
_ID = re.compile(r"^[a-z0-9-]{1,64}$")


def _text(source: str) -> str:
    return textwrap.dedent(source).strip("\n")


def _meta(cell_id: str, *, solution: bool, grade: bool, locked: bool, points: int = 0) -> dict:
    if not _ID.match(cell_id):
        raise ValueError(f"cell id {cell_id!r}: use lowercase letters, digits and dashes")
    meta = {
        "grade": grade,
        "grade_id": cell_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def md(cell_id: str, text: str) -> NotebookNode:
    """A locked explanation."""
    cell = nbformat.v4.new_markdown_cell(_text(text), id=cell_id)
    cell.metadata = _meta(cell_id, solution=False, grade=False, locked=True)
    return cell


# The time limits every notebook states in its introduction. CELL_SECONDS is the course's
# c.Execute.timeout (nbgrader_config.py), NOTEBOOK_SECONDS the grader's budget per notebook
# (neurogebra-grader --timeout); tests/pipeline/test_time_limits.py checks that they agree.
CELL_SECONDS = 120
NOTEBOOK_SECONDS = 240


def with_time_limits(intro: NotebookNode) -> NotebookNode:
    """An introduction with the paragraph on time limits added at its end.

    >>> "at most 120 seconds" in with_time_limits(md("intro", "# Hi")).source
    True
    """
    intro.source += (
        f"\n\n**Time limits.** When your notebook is graded, each cell may run for at most "
        f"{CELL_SECONDS} seconds, and the whole notebook for at most {NOTEBOOK_SECONDS} seconds. "
        "A cell that runs longer is stopped and its question earns no points, but only that "
        "question: the grader restarts Python, runs your earlier answers again (without the "
        "stopped cell) and grades the later questions as usual. A test that needs the stopped "
        "answer fails too, and says so. The instructor's solution runs every cell in under a "
        f"third of the limit ({CELL_SECONDS // 3} seconds), so a loop that runs much longer "
        "than that is worth a second look."
    )
    return intro


def given(cell_id: str, code: str) -> NotebookNode:
    """Locked code the students run but don't change (imports, data, demos)."""
    cell = nbformat.v4.new_code_cell(_text(code), id=cell_id)
    cell.metadata = _meta(cell_id, solution=False, grade=False, locked=True)
    return cell


def solution(cell_id: str, code: str) -> NotebookNode:
    """Code with ``### BEGIN SOLUTION`` regions that the release replaces with a stub."""
    source = _text(code)
    if "### BEGIN SOLUTION" not in source:
        raise ValueError(f"solution cell {cell_id!r} has no ### BEGIN SOLUTION region")
    cell = nbformat.v4.new_code_cell(source, id=cell_id)
    cell.metadata = _meta(cell_id, solution=True, grade=False, locked=False)
    return cell


def tests(cell_id: str, points: int, code: str) -> NotebookNode:
    """A graded, locked test cell worth ``points`` (all or nothing, so split parts into cells)."""
    cell = nbformat.v4.new_code_cell(_text(code), id=cell_id)
    cell.metadata = _meta(cell_id, solution=False, grade=True, locked=True, points=points)
    return cell


def notebook(cells: list[NotebookNode]) -> NotebookNode:
    """An nbformat 4.5 notebook for the python3 kernel; checks ids are unique and it validates."""
    ids = [cell.id for cell in cells]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate cell ids: {duplicates}")
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nb.cells = cells
    nbformat.validate(nb)
    return nb


def points(nb: NotebookNode) -> int:
    """The notebook's total points."""
    return sum(c.metadata["nbgrader"].get("points", 0) for c in nb.cells)


def solved(source: str) -> str:
    """A solution cell's source as a student who solved it would have it: markers removed."""
    lines = [line for line in source.split("\n") if "### BEGIN SOLUTION" not in line]
    return "\n".join(line for line in lines if "### END SOLUTION" not in line)


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced (an error if there isn't exactly one)."""
    if text.count(old) != 1:
        raise ValueError(f"expected exactly one occurrence of {old!r}, found {text.count(old)}")
    return text.replace(old, new)
