"""What a student sees when a check fails in Jupyter (and in nbgrader's feedback).

A failing check runs in a real IPython kernel; the error output must be the one-line message,
with no frame from the grader's own files and no line of the test's code.
"""

from __future__ import annotations

import re

import nbformat
import pytest

nbclient = pytest.importorskip("nbclient")

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_cells(*sources: str) -> list[dict]:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    client = nbclient.NotebookClient(notebook, allow_errors=True, timeout=60)
    client.execute()
    return [cell.outputs for cell in notebook.cells]


def test_failed_check_shows_the_message_only():
    outputs = run_cells(
        "from neurogebra_grader import check_close, check_value_engine",
        "def mse(p, t):\n    return sum((a - b) ** 2 for a, b in zip(p, t))\n",
        "x = 1\ncheck_close(mse([1.0, 2.0], [1.0, 4.0]), 2.0, what='mse([1, 2], [1, 4])',\n"
        "            hint='average the squared errors')",
        "class Broken:\n    def __init__(self, data):\n        self.data = data\n"
        "        self.grad = 0.0\n",
        "check_value_engine(Broken)",
    )
    (error,) = outputs[2]
    assert error["output_type"] == "error"
    assert error["ename"] == "CheckFailed"
    text = ANSI.sub("", "\n".join(error["traceback"]))
    assert text.splitlines() == [
        "CheckFailed: mse([1, 2], [1, 4]): expected 2, got 4 (the result is twice the expected"
        " one). Hint: average the squared errors.",
    ]
    (engine_error,) = outputs[4]
    text = ANSI.sub("", "\n".join(engine_error["traceback"]))
    assert "neurogebra_grader" not in text and "site-packages" not in text
    assert "TypeError: unsupported operand type(s) for +: 'Broken' and 'Broken'" in text
    assert len(text.splitlines()) == 1


def test_passing_checks_print_nothing():
    outputs = run_cells("from neurogebra_grader import check_close\ncheck_close(0.1 + 0.2, 0.3)")
    assert outputs == [[]]
