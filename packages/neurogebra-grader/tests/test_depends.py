"""A test that could not run because an earlier cell raised: the message says which and why."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from neurogebra_grader.pipeline.depends import depends_verdict, read_in_order, why_raised
from neurogebra_grader.pipeline.plan import GradedCell, Plan
from neurogebra_grader.pipeline.verdict import judge_plan
from neurogebra_grader.sandbox.redact import HIDDEN_MESSAGE
from neurogebra_grader.sandbox.runner import CellRun, NotebookRun

CUT = f"NameError: ({HIDDEN_MESSAGE})"
UNANSWERED_FIT = '''def fit_line(xs, ys):
    """Return (w, b, losses)."""
    # YOUR CODE HERE
    raise NotImplementedError()


w_fit, b_fit, line_losses = fit_line(xs, ys)'''


def _meta(grade_id: str, **flags: object) -> dict:
    return {"nbgrader": {"grade_id": grade_id, **flags}}


def notebook(answer: str = UNANSWERED_FIT) -> nbformat.NotebookNode:
    """data (locked), Task 4 (answer, test), a training cell (locked) and its test."""
    return new_notebook(
        cells=[
            new_markdown_cell("## Task 4", metadata=_meta("task4", locked=True)),
            new_code_cell("xs, ys = [0.0, 1.0], [1.0, 3.0]", metadata=_meta("data", locked=True)),
            new_code_cell(answer, metadata=_meta("fit-line", solution=True)),
            new_code_cell(
                "check_decreasing(line_losses)\ncheck_close(w_fit, 2.0)",
                metadata=_meta("test-fit-line", grade=True, points=2),
            ),
            new_code_cell(
                "def train(lr):\n    raise NotImplementedError()",
                metadata=_meta("train", solution=True),
            ),
            new_code_cell("history = train(0.5)", metadata=_meta("run-training", locked=True)),
            new_code_cell(
                'check_decreasing(history["loss"])',
                metadata=_meta("test-train-loss", grade=True, points=3),
            ),
        ]
    )


def _plan(answer: str = UNANSWERED_FIT) -> Plan:
    graded = [
        GradedCell("test-fit-line", 2.0, "test", 3),
        GradedCell("test-train-loss", 3.0, "test", 6),
    ]
    return Plan(notebook(answer), graded, [], {})


def _run(statuses: dict[int, tuple[str, str]]) -> NotebookRun:
    cells = [CellRun(i, status="ok") for i in range(7)]
    cells[0].status = "skipped"
    for index, (status, error) in statuses.items():
        cells[index].status, cells[index].error = status, error
    return NotebookRun(cells)


def test_an_unanswered_task_explains_the_cut_name_error_of_its_test():
    plan = _plan()
    run = _run({2: ("error", "NotImplementedError: (message not shown)"), 3: ("error", CUT)})
    message = depends_verdict(plan, run, plan.graded[0])
    assert message == (
        "the test could not run (NameError): it reads `line_losses`, which the answer in "
        "cell 3 (fit-line) did not define because it raised NotImplementedError: an "
        "unanswered task; finish `fit_line` first"
    )
    verdicts = judge_plan(plan, run, {"test-fit-line": [], "test-train-loss": []})
    assert verdicts[0].score == 0.0 and verdicts[0].message == message


def test_a_locked_cell_that_calls_an_unanswered_function_names_it():
    plan = _plan()
    run = _run({5: ("error", "NotImplementedError"), 6: ("error", CUT)})
    message = depends_verdict(plan, run, plan.graded[1])
    assert message is not None
    assert "`history`" in message and "the locked cell 6 (run-training)" in message
    assert "finish `train` first" in message


def test_a_training_that_overflowed_is_told_it_diverged_and_to_check_the_sign():
    plan = _plan()
    for error in ("OverflowError: (34, 'Numerical result out of range')", "FloatingPointError"):
        run = _run({5: ("error", error), 6: ("error", CUT)})
        message = depends_verdict(plan, run, plan.graded[1])
        assert message is not None and "`history`" in message
        assert "diverged" in message and "sign of the update" in message
        assert "out of range" not in message  # the exception's message is never shown


def test_a_training_that_failed_in_a_log_or_a_division_is_told_it_likely_diverged():
    plan = _plan()
    for error in ("ValueError: (message not shown)", "ZeroDivisionError"):
        run = _run({5: ("error", error), 6: ("error", CUT)})
        message = depends_verdict(plan, run, plan.graded[1])
        assert message is not None and "in `train`" in message
        assert "most likely diverged" in message and "sign of the update" in message
    # a ValueError in a cell that does not train is not called a divergence
    plan.notebook.cells[5].source = "history = load(0.5)"
    run = _run({5: ("error", "ValueError"), 6: ("error", CUT)})
    message = depends_verdict(plan, run, plan.graded[1])
    assert message is not None and "diverge" not in message and "sign" not in message
    # a learning rate passed by keyword marks a training call too
    plan.notebook.cells[5].source = "history = descend(w0, learning_rate=0.5)"
    assert "in `descend`" in str(depends_verdict(plan, run, plan.graded[1]))


def test_only_a_built_in_class_name_is_shown():
    plan = _plan()
    run = _run({5: ("error", "SecretAnswerIs42Error: 42"), 6: ("error", CUT)})
    message = depends_verdict(plan, run, plan.graded[1])
    assert message is not None
    assert "it raised Exception:" in message and "42" not in message
    assert why_raised("ValueError") == "it raised ValueError: fix that cell's error first"


def test_the_kernel_named_name_is_used_when_the_message_was_not_cut():
    plan = _plan()
    named = "NameError: name 'w_fit' is not defined"
    run = _run({2: ("error", "NotImplementedError: finish me"), 3: ("error", named)})
    message = depends_verdict(plan, run, plan.graded[0])
    assert message is not None and "it reads `w_fit`" in message


def test_a_name_error_no_unfinished_cell_explains_is_left_alone():
    plan = _plan()
    # the name is the test's own typo, or nothing earlier raised: an ordinary failure
    typo = "NameError: name 'line_loses' is not defined"
    assert (
        depends_verdict(
            plan, _run({2: ("error", "NotImplementedError"), 3: ("error", typo)}), plan.graded[0]
        )
        is None
    )
    assert depends_verdict(plan, _run({3: ("error", CUT)}), plan.graded[0]) is None
    # a name a finished cell defines again is not blamed on the one that raised
    answered = UNANSWERED_FIT + "\nline_losses = w_fit = [1.0]"
    plan = _plan(answered)
    run = _run({2: ("error", "ValueError"), 3: ("error", CUT)})
    assert depends_verdict(plan, run, plan.graded[0]) is not None  # the same cell: still it
    plan.notebook.cells[1].source += "\nline_losses = w_fit = [1.0]"
    assert depends_verdict(plan, run, plan.graded[0]) is None
    # an error other than NameError is the test's own
    assert (
        depends_verdict(
            plan, _run({2: ("error", "ValueError"), 3: ("error", "KeyError")}), plan.graded[0]
        )
        is None
    )


def test_names_are_read_in_the_order_of_the_code():
    assert read_in_order("check(line_losses)\ncheck(w_fit, b_fit)") == [
        "check",
        "line_losses",
        "w_fit",
        "b_fit",
    ]
