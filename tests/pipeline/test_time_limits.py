"""Time limits fail one question, not the notebook (issue 13, part 2), in real sandboxed runs.

The toy course has three questions: square (10 points), engine (20) and mean (10). Students
whose question 2 loops forever lose its 20 points and keep the other 20: the kernel is
restarted and the earlier answers re-run. The course's own ``c.Execute.timeout`` is the limit
per cell, the report prints the limits, and release warns when the solution itself is slow.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import toycourse as tc
from classroom import notebook as submission
from conftest import fresh_course

LOOP = "\nwhile True:\n    pass\n"


def solved(source: str) -> str:
    """A solution cell as a student who solved it writes it (the markers' lines removed)."""
    return "\n".join(line for line in source.split("\n") if "### " not in line)


# the engine answer defines Value, then loops at the top level: its own cell runs out of time
SLOW_ANSWER = solved(tc.ENGINE) + LOOP
# the engine is right but backward() never returns: the test cell runs out of time
SLOW_BACKWARD = solved(tc.ENGINE).replace(
    "        visit(self)\n", "        visit(self)\n        while True:\n            pass\n"
)
FAST = ["--cell-timeout", "3", "--timeout", "90", "--workers", "2", "--memory-mb", "1536"]


def verdicts(course: Path) -> dict[str, dict[str, dict]]:
    """Each student's verdicts by grade id, and their errors under "errors"."""
    out = {}
    for student, row in tc.ledger(course).items():
        out[student] = {v["grade_id"]: v for vs in row["verdicts"].values() for v in vs}
        out[student]["errors"] = row["errors"]
    return out


@pytest.fixture(scope="module")
def looping(released: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One class: question 2's answer loops, or its test does (the student's backward())."""
    course = fresh_course(tmp_path_factory.mktemp("looping"), released)
    tc.place_submission(course, "slow_answer", submission(course, engine=SLOW_ANSWER))
    tc.place_submission(course, "slow_test", submission(course, engine=SLOW_BACKWARD))
    tc.grader("autograde", tc.ASSIGNMENT, *FAST, course=course)
    return course


@pytest.mark.parametrize("student", ["slow_answer", "slow_test"])
def test_question_two_fails_alone_and_the_others_keep_their_points(looping, student):
    got = verdicts(looping)[student]
    assert got["test_square"]["score"] == 10.0, got["test_square"]
    assert got["test_mean"]["score"] == 10.0, got["test_mean"]
    assert got["test_engine"]["score"] == 0.0
    message = got["test_engine"]["message"]
    # names the limit and the time the cell ran
    assert (
        "longer than 3 s (its time limit per cell)" in message and "stopped after 3." in message
    ), message
    assert any("the kernel was restarted" in e for e in got["errors"]), got["errors"]


def test_a_test_whose_answer_ran_out_of_time_says_so(looping):
    message = verdicts(looping)["slow_answer"]["test_engine"]["message"]
    assert "depends on the answer that ran out of time" in message, message
    assert "(engine)" in message and "`Value`" in message, message


def test_the_test_that_ran_out_of_time_says_so(looping):
    message = verdicts(looping)["slow_test"]["test_engine"]["message"]
    assert message.startswith("the test ran out of time: "), message


def test_the_report_prints_the_limits_used(looping):
    shown = " ".join(tc.grader("report", tc.ASSIGNMENT, course=looping).stdout.split())
    assert "time limits: 3 s per cell (command line), 90 s per notebook (command line)" in shown


def test_the_course_execute_timeout_is_the_limit_per_cell(released, tmp_path):
    course = fresh_course(tmp_path, released)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.Execute.timeout = 2\n")
    tc.place_submission(course, "sleeper", submission(course, mean="import time\ntime.sleep(30)"))
    # no --cell-timeout: the course's 2 s apply (the toy course's 30 s ExecutePreprocessor
    # setting is overridden by the more specific Execute, as in nbgrader)
    tc.grader("autograde", tc.ASSIGNMENT, "--timeout", "60", course=course)
    got = verdicts(course)["sleeper"]
    assert got["test_square"]["score"] == 10.0 and got["test_engine"]["score"] == 20.0
    assert any("longer than 2 s (its time limit per cell)" in e for e in got["errors"]), got[
        "errors"
    ]
    assert got["test_mean"]["score"] == 0.0
    shown = " ".join(tc.grader("report", tc.ASSIGNMENT, course=course).stdout.split())
    assert "2 s per cell (nbgrader_config.py: c.Execute.timeout)" in shown, shown


def test_release_warns_when_a_solution_cell_is_slow(tmp_path):
    course = tc.make_course(tmp_path)
    path = course / "source" / tc.ASSIGNMENT / f"{tc.ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    (cell,) = [c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "mean"]
    cell.source = "import time\ntime.sleep(1.5)\n" + cell.source
    nbformat.write(nb, path)
    done = tc.grader("release", tc.ASSIGNMENT, "--cell-timeout", "3", course=course)
    said = " ".join(done.stdout.split())
    assert "warning:" in said and "cell mean took 1." in said, said
    assert "more than a third of the 3 s limit per cell (1 s)" in said, said
    assert "cell square took" not in said, said


def test_each_notebook_introduction_states_the_limits_it_is_graded_under():
    """The limits the introductions state are the course's Execute.timeout and the budget."""
    from neurogebra_grader.pipeline.course import Course
    from neurogebra_grader.pipeline.course_limits import resolve_limits

    course = Course.load(Path(__file__).resolve().parents[2] / "course")
    limits, said = resolve_limits(course.config)
    assert said["cell_seconds"] == "nbgrader_config.py: c.Execute.timeout"
    for assignment in course.assignments():
        for name in course.notebooks(assignment):
            nb = nbformat.read(course.path("source", ".", assignment) / f"{name}.ipynb", 4)
            intro = nb.cells[0].source
            assert f"each cell may run for at most {limits.cell_seconds:g} seconds" in intro
            assert f"the whole notebook for at most {limits.wall_seconds:g} seconds" in intro


def test_a_notebook_whose_every_cell_loops_stops_at_its_budget(tmp_path):
    """Restarts and re-runs spend the one budget per notebook: N looping cells cost at most
    that budget, not N restarts times the limit per cell, and the cells left say why."""
    from nbformat.v4 import new_code_cell, new_notebook

    from neurogebra_grader.sandbox import Limits, run_notebook

    cells = [
        new_code_cell(
            f"def f{n}():\n    return {n}" + LOOP,
            metadata={"nbgrader": {"grade_id": f"a{n}", "solution": True}},
        )
        for n in range(8)
    ]
    run = run_notebook(new_notebook(cells=cells), tmp_path, Limits(cell_seconds=2, wall_seconds=12))
    assert run.seconds < 12 + 8, run.timings
    assert run.cells[0].status == "timeout" and "longer than 2 s" in run.cells[0].error
    assert "the kernel was restarted" in run.error
    last = run.cells[-1]
    assert last.status in ("timeout", "not run")
    assert "12 s in all" in run.error, run.error
    assert "budget of 12 s in all was used up" in last.error, last.error
