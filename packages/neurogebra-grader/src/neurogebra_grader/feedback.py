"""nbgrader feedback that keeps hidden tests hidden.

nbgrader's autograding puts the hidden tests back into each notebook, and a failing test's
traceback quotes lines of the test cell. :class:`ShortenHiddenTestErrors` cuts every error in a
cell with hidden tests down to its last line (``NameError: ...``, ``CheckFailed: ...``); run it
before nbgrader's ``ClearHiddenTests``, which then removes the hidden code itself. The course's
``nbgrader_config.py`` does both:

    c.GenerateFeedback.preprocessors = [
        GetGrades, ShortenHiddenTestErrors, ClearHiddenTests, CSSHTMLHeaderPreprocessor
    ]

Example:
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\\nsecret()\\n### END HIDDEN TESTS")
    >>> cell.outputs = [nbformat.v4.new_output(
    ...     "error", ename="NameError", evalue="name 'x' is not defined",
    ...     traceback=["Cell In[3], line 2", "secret()", "NameError: name 'x' is not defined"])]
    >>> cell, _ = ShortenHiddenTestErrors().preprocess_cell(cell, {}, 0)
    >>> cell.outputs[0].traceback
    ["NameError: name 'x' is not defined"]
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

__all__ = ["ShortenHiddenTestErrors"]


class ShortenHiddenTestErrors(Preprocessor):
    """In code cells with hidden tests, reduce each error output to ``ename: evalue``."""

    enabled = Bool(True, help="nbconvert runs a preprocessor only when it is enabled").tag(
        config=True
    )
    begin_hidden_tests_delimeter = Unicode(  # nbgrader's spelling of the option
        "BEGIN HIDDEN TESTS", help="The text that starts a hidden-tests region"
    ).tag(config=True)

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        if cell.cell_type == "code" and self.begin_hidden_tests_delimeter in cell.source:
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}".rstrip(": ")]
        return cell, resources
