"""A tiny nbgrader course for the pipeline's tests: one notebook, three graded parts.

``square`` (10 points: a visible and a hidden check_close), ``engine`` (20 points:
check_value_engine on a student's Value class with add and mul) and ``mean`` (10 points,
hidden expected value given by a separate assignment). Its solution runs in about a second,
so a hostile submission's test finishes quickly.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "toy"

SQUARE = '''def square(x):
    """x times x."""
    ### BEGIN SOLUTION
    return x * x
    ### END SOLUTION'''

ENGINE = '''class Value:
    """A scalar that remembers how it was made, for backward()."""

    def __init__(self, data, parents=(), local=()):
        self.data, self.grad = float(data), 0.0
        self._parents, self._local = parents, local

    ### BEGIN SOLUTION
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    __rmul__ = __mul__

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for parent in node._parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node._parents, node._local):
                parent.grad += local * node.grad

    def zero_grad(self):
        self.grad = 0.0
    ### END SOLUTION'''

MEAN = '''def mean(xs):
    """The average of a list of numbers."""
    ### BEGIN SOLUTION
    return sum(xs) / len(xs)
    ### END SOLUTION'''

TEST_SQUARE = """from neurogebra_grader import check_close
check_close(square(3), 9, what="square(3)")
### BEGIN HIDDEN TESTS
check_close(square(-2.5), 6.25, what="square(-2.5)")
### END HIDDEN TESTS"""

TEST_ENGINE = """from neurogebra_grader import check_value_engine
check_value_engine(Value, ops=("add", "mul"), n_graphs=4)"""

TEST_MEAN = """from neurogebra_grader import check_close
### BEGIN HIDDEN TESTS
expected_mean = 2.5
check_close(mean([1, 2, 3, 4]), expected_mean, what="mean([1, 2, 3, 4])")
### END HIDDEN TESTS"""


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=0):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# A toy assignment", metadata=_meta("intro", locked=True)),
        new_code_cell(SQUARE, metadata=_meta("square", solution=True)),
        new_code_cell(
            TEST_SQUARE, metadata=_meta("test_square", grade=True, locked=True, points=10)
        ),
        new_code_cell(ENGINE, metadata=_meta("engine", solution=True)),
        new_code_cell(
            TEST_ENGINE, metadata=_meta("test_engine", grade=True, locked=True, points=20)
        ),
        new_code_cell(MEAN, metadata=_meta("mean", solution=True)),
        new_code_cell(TEST_MEAN, metadata=_meta("test_mean", grade=True, locked=True, points=10)),
    ]
    return notebook_of(cells)


def notebook_of(cells: list) -> nbformat.NotebookNode:
    """A source notebook of ``cells`` for the python3 kernel (a course's other notebooks too)."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


CONFIG = """c = get_config()
c.CourseDirectory.course_id = "toy-course"
c.CourseDirectory.root = {root!r}
c.Exchange.root = {exchange!r}
c.ExecutePreprocessor.timeout = 30
"""


def make_course(root: Path, source: nbformat.NotebookNode | None = None) -> Path:
    """Write the course (source only) under ``root/course``; the exchange is ``root/exchange``.

    ``source`` is the assignment's source notebook (the toy notebook unless given).
    """
    course = root / "course"
    exchange = root / "exchange"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    exchange.mkdir(mode=0o777)
    os.chmod(exchange, 0o777)
    (course / "nbgrader_config.py").write_text(
        CONFIG.format(root=str(course), exchange=str(exchange))
    )
    notebook = source_notebook() if source is None else source
    nbformat.write(notebook, course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    return course


def submission_from_release(course: Path, edit) -> nbformat.NotebookNode:
    """The released notebook with ``edit(cells_by_id, notebook)`` applied (a student's work)."""
    nb = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    edit(by_id, nb)
    return nb


def place_submission(
    course: Path,
    student: str,
    notebook: nbformat.NotebookNode | str,
    timestamp: str = "2030-01-01 10:00:00.000000 UTC",
) -> Path:
    """Put a submission straight into submitted/ (as `nbgrader collect` would)."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{ASSIGNMENT}.ipynb"
    if isinstance(notebook, str):
        path.write_text(notebook)
    else:
        nbformat.write(notebook, path)
    (folder / "timestamp.txt").write_text(timestamp)
    return path


def grader(*args: str, course: Path, env: dict | None = None, check: bool = True):
    """Run the neurogebra-grader command line on ``course``."""
    cmd = [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(course), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def solution_answers(by_id, nb) -> None:
    """Fill every answer cell with the instructor's solution (a fully correct student)."""
    source = source_notebook()
    for cell in source.cells:
        gid = cell.metadata["nbgrader"]["grade_id"]
        if cell.metadata["nbgrader"]["solution"]:
            by_id[gid].source = cell.source


def ledger(course: Path) -> dict[str, dict]:
    """The grader's ledger of ``course``: a row per student, its JSON columns read.

    Example: ``ledger(course)["bob"]["verdicts"]["toy"][0]["score"]``.
    """
    db = sqlite3.connect(course / "gradebook.db")
    db.row_factory = sqlite3.Row
    rows = {r["student"]: dict(r) for r in db.execute("SELECT * FROM neurogebra_grading")}
    db.close()
    for row in rows.values():
        for key in ("flags", "errors", "verdicts"):
            row[key] = json.loads(row[key])
    return rows


def dumps(nb) -> str:
    return json.dumps(nb)
