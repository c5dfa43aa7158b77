"""nbgrader feedback that keeps hidden tests hidden.

nbgrader's autograding puts the hidden tests back into each notebook and runs them in the
student's kernel, where student code can watch them and print what it saw; a failing
test's traceback and message quote the hidden inputs and expected values.
:class:`ShortenHiddenTestErrors` therefore cuts, from the first cell with hidden tests on,
every printed or displayed output (replaced by a note) and every error down to the name of
its built-in exception class (see :mod:`neurogebra_grader.sandbox.redact`); cells before it
keep their outputs. Run it before nbgrader's ``ClearHiddenTests``, which then removes the
hidden code itself. The course's ``nbgrader_config.py`` does both:

    c.GenerateFeedback.preprocessors = [
        GetGrades, ShortenHiddenTestErrors, ClearHiddenTests, CSSHTMLHeaderPreprocessor
    ]

Example:
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\\nsecret()\\n### END HIDDEN TESTS")
    >>> cell.outputs = [nbformat.v4.new_output(
    ...     "error", ename="CheckFailed", evalue="secret(-2.5): expected 6.25, got 0",
    ...     traceback=["Cell In[3], line 2", "secret()", "CheckFailed: secret(-2.5) ..."])]
    >>> nb, _ = ShortenHiddenTestErrors()(nbformat.v4.new_notebook(cells=[cell]), {})
    >>> nb.cells[0].outputs[0].traceback
    ['CheckFailed: (message not shown: raised after the hidden tests had started)']
"""

from __future__ import annotations

from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

from neurogebra_grader.sandbox.redact import redact_outputs

__all__ = ["ShortenHiddenTestErrors"]


class ShortenHiddenTestErrors(Preprocessor):
    """From the first cell with hidden tests on, cut outputs and reduce errors to their kind."""

    enabled = Bool(True, help="nbconvert runs a preprocessor only when it is enabled").tag(
        config=True
    )
    begin_hidden_tests_delimeter = Unicode(  # nbgrader's spelling of the option
        "BEGIN HIDDEN TESTS", help="The text that starts a hidden-tests region"
    ).tag(config=True)

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        hidden_started = False
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and self.begin_hidden_tests_delimeter in cell.source:
                hidden_started = True
            if hidden_started:
                nb.cells[index], resources = self.preprocess_cell(cell, resources, index)
        return nb, resources

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        """Cut one cell's outputs (the caller decides which cells: see :meth:`preprocess`)."""
        if cell.cell_type == "code" and cell.get("outputs"):
            cell.outputs = [nbformat.from_dict(o) for o in redact_outputs(cell.outputs)]
        return cell, resources
