"""The fairness suite's class: every case of every assignment, graded through the real
pipeline (release, then one sandboxed ``autograde`` batch per assignment), once per session.

A case's notebook is made as a student makes it: the released notebook, every answer cell
filled in with the solution, then the case's own cells (see student.py). The instructor's
solution is graded in the same batch as ``solution``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from neurogebra_grader.pipeline import ledger

sys.path.insert(0, str(Path(__file__).parent))

import cases_autograd
import cases_linear_regression
import cases_spiral_network
from student import ROOT, UNTOUCHED, Case, solution_code

CASES: dict[str, list[Case]] = {
    "autograd": cases_autograd.CASES,
    "linear_regression": cases_linear_regression.CASES,
    "spiral_network": cases_spiral_network.CASES,
}
# Per-cell limit: well above the slowest correct cell (the spiral training, ~15 s alone),
# because the two workers share the machine with whatever else runs.
LIMITS = ["--cell-timeout", "120", "--timeout", "600", "--workers", "2"]


@dataclass
class GradedClass:
    """One assignment's graded batch: each student's verdicts, flags and errors."""

    rows: dict[str, dict]
    stdout: str
    report: str

    def verdicts(self, student: str) -> dict[str, dict]:
        row = self.rows[student]
        return {v["grade_id"]: v for vs in row["verdicts"].values() for v in vs}


def grader(course: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(course), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def submission(release: nbformat.NotebookNode, assignment: str, case: Case | None):
    """The released notebook, filled in as the case's student filled it in."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    answers = {**solution_code(assignment), **(case.cells if case else {})}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers and answers[grade_id] is not UNTOUCHED:
            cell.source = answers[grade_id].strip("\n")
    return nb


def _rows(course: Path, assignment: str) -> dict[str, dict]:
    """The grader's ledger rows of ``assignment``, by student, read as `report` reads them."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {row["student"]: row for row in ledger.rows(gb, assignment)}


@pytest.fixture(scope="session")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the course, every assignment released."""
    root = tmp_path_factory.mktemp("fairness")
    course = root / "course"
    course.mkdir()
    (root / "exchange").mkdir()
    config = (ROOT / "course" / "nbgrader_config.py").read_text()
    config += f"\nc.Exchange.root = {str(root / 'exchange')!r}\n"
    (course / "nbgrader_config.py").write_text(config)
    shutil.copytree(ROOT / "course" / "source", course / "source")
    grader(course, "release", *CASES)
    return course


_GRADED: dict[str, GradedClass] = {}


def graded_class(course: Path, assignment: str) -> GradedClass:
    """The assignment's class, graded in one batch the first time it is asked for."""
    if assignment not in _GRADED:
        release = nbformat.read(
            course / "release" / assignment / f"{assignment}.ipynb", as_version=4
        )
        students = {"solution": None, **{c.student: c for c in CASES[assignment]}}
        for student, case in students.items():
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(submission(release, assignment, case), folder / f"{assignment}.ipynb")
            (folder / "timestamp.txt").write_text("2026-01-01 09:00:00.000000 UTC")
        jobs = course.parent / f"jobs-{assignment[:4]}"  # short: kernel socket paths
        jobs.mkdir()
        env = dict(os.environ, NEUROGEBRA_JOB_DIR=str(jobs))
        done = grader(course, "autograde", assignment, *LIMITS, env=env)
        report = grader(course, "report", assignment).stdout
        rows = _rows(course, assignment)
        _GRADED[assignment] = GradedClass(rows, done.stdout, report)
    return _GRADED[assignment]
