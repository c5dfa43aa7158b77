"""The course, end to end with nbgrader: release each assignment, then autograde three students.

For every assignment, in a temporary copy of the course (its own gradebook), we run
``nbgrader generate_assignment`` and ``nbgrader autograde`` on three submissions:

* ``solution``: the instructor's source notebook, which must score 100/100;
* ``untouched``: the released notebook as a student receives it, which must score 0 (and the
  run must complete);
* ``partial``: ``tests/submissions/<assignment>/partial.ipynb``, partly right, which must earn
  exactly the points per part listed in ``course/notebook_sources/<assignment>.py``.

Scores are read from nbgrader's gradebook; then ``nbgrader generate_feedback`` writes the HTML
feedback, which must not show hidden tests. The three assignments are processed in parallel.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
sys.path.insert(0, str(COURSE))

from notebook_sources import autograd, linear_regression, spiral_network  # noqa: E402

MODULES = {m.NAME: m for m in (autograd, linear_regression, spiral_network)}
ASSIGNMENTS = list(MODULES)
STUDENTS = ("solution", "untouched", "partial")
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Filled in by the fixtures, printed at the end of the run (see conftest.py).
TIMINGS: dict[str, float] = {}


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader: this interpreter's bin first, so kernels use it too."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def start_nbgrader(course: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=nbgrader_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen, what: str) -> str:
    output, _ = process.communicate(timeout=900)
    if process.returncode != 0:
        pytest.fail(f"{what} failed (exit {process.returncode}):\n{output[-4000:]}")
    return output


@dataclass
class Graded:
    """One assignment after release and autograding."""

    course: Path
    release: Path
    scores: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)

    def feedback(self, student: str, name: str) -> str:
        """The text of a student's feedback page: what a browser shows (scripts, such as the
        KaTeX that renders the math, and stylesheets removed, then the tags)."""
        page = (self.course / "feedback" / student / name / f"{name}.html").read_text()
        page = re.sub(r"<(script|style)\b.*?</\1\s*>", "", page, flags=re.DOTALL | re.IGNORECASE)
        return html.unescape(re.sub(r"<[^>]+>", "", page))

    def autograded(self, student: str, name: str) -> nbformat.NotebookNode:
        path = self.course / "autograded" / student / name / f"{name}.ipynb"
        return nbformat.read(path, as_version=4)


@pytest.fixture(scope="session")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Graded]:
    courses = {}
    for name in ASSIGNMENTS:
        course = tmp_path_factory.mktemp(name) / "course"
        course.mkdir()
        shutil.copy(COURSE / "nbgrader_config.py", course)
        shutil.copytree(COURSE / "source" / name, course / "source" / name)
        courses[name] = course

    started = time.perf_counter()
    jobs = {n: start_nbgrader(c, "generate_assignment", n, "--force") for n, c in courses.items()}
    for name, job in jobs.items():
        finish(job, f"nbgrader generate_assignment {name}")
    TIMINGS["generate_assignment (3 in parallel)"] = time.perf_counter() - started

    results = {}
    for name, course in courses.items():
        release = course / "release" / name / f"{name}.ipynb"
        sources = {
            "solution": course / "source" / name / f"{name}.ipynb",
            "untouched": release,
            "partial": SUBMISSIONS / name / "partial.ipynb",
        }
        for student, notebook in sources.items():
            target = course / "submitted" / student / name / f"{name}.ipynb"
            target.parent.mkdir(parents=True)
            shutil.copy(notebook, target)
        results[name] = Graded(course, release)

    started = time.perf_counter()
    jobs = {n: start_nbgrader(c, "autograde", n, "--create", "--force") for n, c in courses.items()}
    for name, job in jobs.items():
        finish(job, f"nbgrader autograde {name}")
    TIMINGS["autograde 3 assignments x 3 students (in parallel)"] = time.perf_counter() - started

    for name, result in results.items():
        with Gradebook(f"sqlite:///{result.course / 'gradebook.db'}") as gradebook:
            for student in STUDENTS:
                notebook = gradebook.find_submission_notebook(name, name, student)
                result.scores[student] = {g.name: (g.score, g.max_score) for g in notebook.grades}
                result.totals[student] = notebook.score
    started = time.perf_counter()
    jobs = {n: start_nbgrader(c, "generate_feedback", n, "--force") for n, c in courses.items()}
    for name, job in jobs.items():
        finish(job, f"nbgrader generate_feedback {name}")
    TIMINGS["generate_feedback (3 in parallel)"] = time.perf_counter() - started

    for name, result in results.items():
        TIMINGS[f"{name} scores (solution / untouched / partial)"] = tuple(  # type: ignore[assignment]
            result.totals[s] for s in STUDENTS
        )
    return results


# ---- the source notebooks ----


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_notebook_is_valid_and_worth_100(name):
    path = COURSE / "source" / name / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert all(cell.get("id") for cell in notebook.cells)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    assert json.loads(path.read_text())["cells"][0]["id"] == "intro"
    meta = [cell.metadata["nbgrader"] for cell in notebook.cells]
    assert sum(m.get("points", 0) for m in meta if m["grade"]) == 100
    assert sum(m["grade"] for m in meta) >= 7  # partial credit: many graded parts
    assert notebook.cells[0].cell_type == "markdown"
    assert "By the end of this assignment you will be able to" in notebook.cells[0].source


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_notebook_matches_its_builder(name):
    """The .ipynb is canonical, but must not drift from course/notebook_sources."""
    committed = nbformat.read(COURSE / "source" / name / f"{name}.ipynb", as_version=4)
    built = MODULES[name].build()
    assert [c.id for c in committed.cells] == [c.id for c in built.cells]
    assert [c.metadata for c in committed.cells] == [c.metadata for c in built.cells]


# ---- release ----


def _regions(source: str, begin: str, end: str) -> list[str]:
    """The lines inside begin/end marker regions of a cell's source."""
    inside, lines = False, []
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            lines.append(line.strip())
    return lines


def _outside(source: str) -> list[str]:
    """The lines outside every marker region (solutions, hidden tests): what stays visible."""
    inside, lines = False, []
    for line in source.splitlines():
        if "### BEGIN " in line:
            inside = True
        elif "### END " in line:
            inside = False
        elif not inside:
            lines.append(line.strip())
    return lines


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_has_no_solutions_and_no_hidden_tests(graded, name):
    text = graded[name].release.read_text()
    for marker in MARKERS:
        assert marker not in text, f"the release of {name} still contains {marker!r}"
    source = nbformat.read(COURSE / "source" / name / f"{name}.ipynb", as_version=4)
    secret, public = set(), set()
    for cell in source.cells:
        hidden = _regions(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")
        hidden += _regions(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
        secret.update(hidden)
        public.update(_outside(cell.source))  # an indented hidden line is no public line
    released = "\n".join(
        line.strip()
        for cell in nbformat.read(graded[name].release, as_version=4).cells
        for line in cell.source.splitlines()
    )
    # every distinctive line of a solution or hidden test (one not also in the visible text)
    distinctive = sorted(line for line in secret - public if len(line) >= 12)
    assert len(distinctive) > 20
    leaked = [line for line in distinctive if line in released.splitlines()]
    assert leaked == []
    n_regions = sum(c.source.count("### BEGIN SOLUTION") for c in source.cells)
    stubs = sum(
        cell.source.count("raise NotImplementedError()")
        for cell in nbformat.read(graded[name].release, as_version=4).cells
        if cell.cell_type == "code"
    )
    assert stubs == n_regions


# ---- autograding ----


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_instructor_solution_scores_100(graded, name):
    scores = graded[name].scores["solution"]
    assert {cell: s for cell, (s, best) in scores.items() if s != best} == {}
    assert graded[name].totals["solution"] == 100


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_release_scores_0_and_runs_to_the_end(graded, name):
    assert graded[name].totals["untouched"] == 0
    assert {cell: s for cell, (s, _) in graded[name].scores["untouched"].items() if s} == {}
    notebook = graded[name].autograded("untouched", name)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code), "the run stopped early"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_partial_submission_earns_the_expected_points_per_part(graded, name):
    got = {cell: score for cell, (score, _) in graded[name].scores["partial"].items()}
    assert got == MODULES[name].PARTIAL_POINTS
    assert 0 < graded[name].totals["partial"] < 100


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_partial_submission_was_made_from_the_current_release(graded, name):
    release = nbformat.read(graded[name].release, as_version=4)
    partial = nbformat.read(SUBMISSIONS / name / "partial.ipynb", as_version=4)
    assert [c.id for c in partial.cells] == [c.id for c in release.cells]
    for mine, theirs in zip(partial.cells, release.cells, strict=True):
        if not mine.metadata["nbgrader"]["solution"]:
            assert mine.source == theirs.source, f"cell {mine.id}: rebuild the partials"


def _names(code: str) -> set[str]:
    """The identifiers in some Python code (not the words inside its strings)."""
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return {t.string for t in tokens if t.type == tokenize.NAME}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_feedback_shows_results_but_not_hidden_tests(graded, name):
    source = nbformat.read(COURSE / "source" / name / f"{name}.ipynb", as_version=4)
    hidden_code = "\n".join(
        "\n".join(_regions(c.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"))
        for c in source.cells
    )
    visible_text = "\n".join(c.source.split("### BEGIN HIDDEN TESTS")[0] for c in source.cells)
    visible_words = set(re.findall(r"\w+", visible_text))
    # distinctive names: only in hidden tests, and with a digit or an underscore (like X6)
    only_hidden = {
        n for n in _names(hidden_code) - visible_words if re.search(r"[\d_]", n) and len(n) >= 2
    }
    assert only_hidden, "expected names that only hidden tests use"
    for student in STUDENTS:
        text = graded[name].feedback(student, name)
        assert "HIDDEN TESTS" not in text
        shown = {n for n in only_hidden if re.search(rf"\b{re.escape(n)}\b", text)}
        assert shown == set(), f"{student}'s feedback shows hidden test code"
    assert "CheckFailed" in graded[name].feedback("partial", name)


def test_failed_checks_read_as_one_message_in_the_graded_notebook(graded):
    """What a student sees in feedback: the failing line and the check's message, no internals."""
    notebook = graded["linear_regression"].autograded("partial", "linear_regression")
    (cell,) = [c for c in notebook.cells if c.id == "test-mse"]
    (error,) = [o for o in cell.outputs if o.output_type == "error"]
    assert error.ename == "CheckFailed"
    text = ANSI.sub("", "\n".join(error.traceback))
    assert "mse([1, 2], [1, 4]): expected 2, got 4 (the result is twice the expected one)." in text
    assert "Hint: average the squared errors" in text
    assert "site-packages" not in text and "neurogebra_grader" not in text
    assert len(text.splitlines()) == 1


def test_an_unfinished_part_shows_the_students_own_error(graded):
    notebook = graded["spiral_network"].autograded("partial", "spiral_network")
    (cell,) = [c for c in notebook.cells if c.id == "run-training"]
    (error,) = [o for o in cell.outputs if o.output_type == "error"]
    assert error.ename == "NotImplementedError"
