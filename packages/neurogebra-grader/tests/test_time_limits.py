"""Time limits without a kernel: restart planning, the verdicts they decide, course settings."""

from __future__ import annotations

import math

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from traitlets.config import Config

from neurogebra_grader.pipeline.course import CourseError
from neurogebra_grader.pipeline.course_limits import (
    course_cell_timeout,
    describe,
    resolve_limits,
    slow_solution_cells,
)
from neurogebra_grader.pipeline.plan import GradedCell, Plan
from neurogebra_grader.pipeline.timeouts import time_verdict
from neurogebra_grader.pipeline.verdict import judge_plan
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.replay import (
    budget_timeout,
    budget_used_up,
    cell_role,
    cell_timeout,
    replay_after,
)
from neurogebra_grader.sandbox.runner import CellRun, NotebookRun


def _meta(grade_id: str, **flags: object) -> dict:
    return {"nbgrader": {"grade_id": grade_id, **flags}}


def notebook() -> nbformat.NotebookNode:
    """setup, q1 (answer, test), q2 (answer, test), a student's own cell, q3 (answer, test)."""
    return new_notebook(
        cells=[
            new_markdown_cell("# Intro", metadata=_meta("intro", locked=True)),
            new_code_cell("import math", metadata=_meta("setup", locked=True)),
            new_code_cell("def f():\n    return 1", metadata=_meta("a1", solution=True)),
            new_code_cell("check(f(), 1)", metadata=_meta("t1", grade=True, points=1)),
            new_code_cell(
                "def g():\n    return 2\nwhile True: pass", metadata=_meta("a2", solution=True)
            ),
            new_code_cell("check(g(), 2)", metadata=_meta("t2", grade=True, points=2)),
            new_code_cell("helper = 3"),
            new_code_cell("def h():\n    return g() + helper", metadata=_meta("a3", solution=True)),
            new_code_cell("check(h(), 5)", metadata=_meta("t3", grade=True, points=3)),
        ]
    )


def test_cell_roles():
    roles = [cell_role(c) for c in notebook().cells]
    assert roles == ["text", "given", "answer", "test", "answer", "test", "extra", "answer", "test"]


def test_a_restart_reruns_setup_and_answers_in_order_without_tests_or_the_stopped_cell():
    roles = [cell_role(c) for c in notebook().cells]
    # the answer to q2 (cell index 4) ran out of time: go on with its test (5)
    assert replay_after(roles, 5, {4}) == [1, 2]
    # later, q3's test (8) ran out of time too: nothing after it to run, but if there were
    assert replay_after(roles, 9, {4, 8}) == [1, 2, 6, 7]
    # a test that ran out of time is never re-run, nor is any other test
    assert replay_after(roles, 4, {3}) == [1, 2]
    assert replay_after(roles, 0, set()) == []


def _run(statuses: dict[int, tuple[str, str]]) -> NotebookRun:
    cells = [CellRun(i, status="ok") for i in range(9)]
    cells[0].status = "skipped"
    for index, (status, error) in statuses.items():
        cells[index].status, cells[index].error = status, error
    return NotebookRun(cells)


def _plan() -> Plan:
    nb = notebook()
    graded = [GradedCell(f"t{n}", float(n), "test", i) for n, i in ((1, 3), (2, 5), (3, 8))]
    return Plan(nb, graded, [], {})


STOPPED = cell_timeout(3.01, 3)


def test_the_question_over_its_limit_says_the_limit_and_the_time():
    plan, run = _plan(), _run({5: ("timeout", STOPPED)})
    message = time_verdict(plan, run, plan.graded[1])
    assert message == (
        "the test ran out of time: the cell ran longer than 3 s (its time limit per cell) "
        "and was stopped after 3.0 s"
    )
    assert time_verdict(plan, run, plan.graded[0]) is None


def test_a_name_error_from_the_stopped_answer_is_explained():
    plan = _plan()
    run = _run({4: ("timeout", STOPPED), 5: ("error", "NameError: name 'g' is not defined")})
    message = time_verdict(plan, run, plan.graded[1])
    assert message is not None
    assert "depends on the answer that ran out of time" in message
    assert (
        "cell 5 (a2)" in message
        and "`g`" in message
        and "longer than 3 s (its time limit per cell)" in message
    )


def test_a_cut_name_error_is_traced_through_the_answer_that_uses_the_name():
    """After the hidden tests begin only "NameError" comes back: q3's test calls h(), whose
    cell reads g, which only the stopped answer defines."""
    plan = _plan()
    hidden = "NameError: (message not shown: raised after the hidden tests had started)"
    run = _run({4: ("timeout", STOPPED), 8: ("error", hidden)})
    message = time_verdict(plan, run, plan.graded[2])
    assert message is not None and "`g`" in message


def test_a_name_error_of_the_students_own_is_not_blamed_on_the_timeout():
    plan = _plan()
    run = _run({4: ("timeout", STOPPED), 8: ("error", "NameError: name 'hepler' is not defined")})
    assert time_verdict(plan, run, plan.graded[2]) is None
    # and with nothing out of time, a NameError is an ordinary failure
    run = _run({5: ("error", "NameError: name 'g' is not defined")})
    assert time_verdict(plan, run, plan.graded[1]) is None


def test_questions_the_budget_cut_or_left_unrun_say_so():
    plan = _plan()
    cut = budget_timeout(1.5, 20)
    unrun = budget_used_up(20)
    run = _run({5: ("timeout", cut), 8: ("not run", unrun)})
    verdicts = judge_plan(plan, run, {"t1": [], "t2": [], "t3": []})
    assert [v.score for v in verdicts] == [1.0, 0.0, 0.0]
    assert verdicts[1].message == (
        "the test did not finish: the notebook ran out of time: this cell was stopped after "
        "1.5 s, when the notebook's budget of 20 s in all was used up"
    )
    assert verdicts[2].message == (
        "the test did not run: the notebook's time budget of 20 s in all was used up before it"
    )


def _config(**sections: float | None) -> Config:
    config = Config()
    for section, value in sections.items():
        config[section].timeout = value
    return config


def test_the_course_timeout_is_read_as_nbgrader_reads_it():
    assert course_cell_timeout(Config()) is None
    assert course_cell_timeout(_config(Execute=120)) == 120.0
    # a parent class's setting reaches nbgrader's Execute; the most specific one wins
    assert course_cell_timeout(_config(ExecutePreprocessor=30)) == 30.0
    assert course_cell_timeout(_config(ExecutePreprocessor=30, Execute=7)) == 7.0
    assert course_cell_timeout(_config(NotebookClient=45)) == 45.0
    # None or -1: nbgrader runs cells without a limit
    assert course_cell_timeout(_config(Execute=None)) == math.inf
    assert course_cell_timeout(_config(Execute=-1)) == math.inf


def test_a_timeout_nbgrader_would_refuse_is_a_course_error():
    config = Config()
    config.Execute.timeout = "two minutes"
    with pytest.raises(CourseError, match=r"c\.Execute\.timeout"):
        course_cell_timeout(config)


def test_precedence_command_line_then_course_then_default():
    base = Limits(memory_mb=512)
    limits, said = resolve_limits(_config(Execute=120), base)
    assert (limits.cell_seconds, limits.wall_seconds, limits.memory_mb) == (120.0, 240.0, 512)
    assert said == {
        "cell_seconds": "nbgrader_config.py: c.Execute.timeout",
        "wall_seconds": "the grader's default",
    }
    limits, said = resolve_limits(_config(Execute=120), base, cell_seconds=5, wall_seconds=50)
    assert (limits.cell_seconds, limits.wall_seconds) == (5, 50)
    assert set(said.values()) == {"command line"}
    limits, said = resolve_limits(Config(), base)
    assert limits.cell_seconds == Limits().cell_seconds
    assert said["cell_seconds"] == "the grader's default"
    limits, said = resolve_limits(_config(Execute=None), base, wall_seconds=100)
    assert limits.cell_seconds == 100 and "unlimited" in said["cell_seconds"]
    assert describe(limits, said).startswith("time limits: 100 s per cell (nbgrader_config.py")


def test_a_slow_solution_cell_is_named_with_its_time_and_the_limit():
    warnings = slow_solution_cells(
        {"setup": 1.0, "train": 41.2, "mse": 39.9}, Limits(cell_seconds=120)
    )
    assert warnings == [
        "cell train took 41.2 s, more than a third of the 120 s limit per cell (40 s)"
    ]
