"""ShortenHiddenTestErrors: from the first hidden-test cell on, outputs are cut and errors
reduced to their kind; cells before it are kept as they are."""

from __future__ import annotations

import nbformat

from neurogebra_grader.feedback import ShortenHiddenTestErrors

TRACEBACK = ["Cell In[4], line 3", "----> 3 check_close(secret_input(), 1.0)", "NameError: boom"]


def error_cell(
    source: str, ename: str = "NameError", evalue: str = "boom"
) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="some output\n"),
        nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=TRACEBACK),
    ]
    return cell


def shortened(*cells: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    notebook = nbformat.v4.new_notebook(cells=list(cells))
    notebook, _ = ShortenHiddenTestErrors()(notebook, {})
    return notebook.cells


def test_cells_before_the_first_hidden_test_keep_their_outputs():
    before, hidden = shortened(
        error_cell("check_close(visible_input(), 1.0)"),
        error_cell("# hidden tests\n### BEGIN HIDDEN TESTS\ncheck_close(secret_input(), 1.0)"),
    )
    assert before.outputs[1].traceback == TRACEBACK and before.outputs[0].text == "some output\n"
    assert [o.output_type for o in hidden.outputs] == ["stream", "error"]
    assert "some output" not in hidden.outputs[0].text
    assert "hidden tests had started" in hidden.outputs[0].text
    assert hidden.outputs[1].traceback == [
        "NameError: (message not shown: raised after the hidden tests had started)"
    ]


def test_a_failed_hidden_check_never_shows_its_inputs_or_expected_value():
    (hidden,) = shortened(
        error_cell(
            "### BEGIN HIDDEN TESTS\ncheck_close(square(-2.5), 6.25)",
            ename="CheckFailed",
            evalue="square(-2.5): expected 6.25, got 0",
        )
    )
    shown = str(hidden.outputs)
    assert "CheckFailed" in shown and "-2.5" not in shown and "6.25" not in shown


def test_everything_after_a_hidden_test_is_cut_too():
    _, later = shortened(
        error_cell("### BEGIN HIDDEN TESTS\nf()"),
        error_cell("print(SEEN)", ename="LeakedMinus2point5", evalue="[-2.5]"),
    )
    shown = str(later.outputs)
    assert "-2.5" not in shown and "Leaked" not in shown and "some output" not in shown
    assert later.outputs[1].ename == "Exception"


def test_a_notebook_without_hidden_tests_is_unchanged():
    cells = shortened(error_cell("check_close(visible_input(), 1.0)"))
    assert cells[0].outputs[1].traceback == TRACEBACK
