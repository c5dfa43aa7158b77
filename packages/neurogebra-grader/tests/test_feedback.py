"""ShortenHiddenTestErrors: tracebacks of hidden-test cells are cut to one line, others kept."""

from __future__ import annotations

import nbformat

from neurogebra_grader.feedback import ShortenHiddenTestErrors

TRACEBACK = ["Cell In[4], line 3", "----> 3 check_close(secret_input(), 1.0)", "NameError: boom"]


def error_cell(source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="some output\n"),
        nbformat.v4.new_output("error", ename="NameError", evalue="boom", traceback=TRACEBACK),
    ]
    return cell


def test_hidden_test_errors_lose_their_traceback_only():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        error_cell("# hidden tests\n### BEGIN HIDDEN TESTS\ncheck_close(secret_input(), 1.0)"),
        error_cell("check_close(visible_input(), 1.0)"),
    ]
    notebook, _ = ShortenHiddenTestErrors()(notebook, {})
    hidden, visible = notebook.cells
    assert hidden.outputs[1].traceback == ["NameError: boom"]
    assert hidden.outputs[0].text == "some output\n"
    assert visible.outputs[1].traceback == TRACEBACK


def test_an_error_without_a_message_shows_its_name():
    cell = error_cell("### BEGIN HIDDEN TESTS\nf()")
    cell.outputs[1].evalue = ""
    cell, _ = ShortenHiddenTestErrors().preprocess_cell(cell, {}, 0)
    assert cell.outputs[1].traceback == ["NameError"]
