"""Running a student's notebook under bubblewrap: no network, one writable folder, hard limits.

The trusted grader never imports a student's code; it starts a kernel inside a sandbox and
reads back plain data. See :mod:`neurogebra_grader.sandbox.runner` for the entry point.
"""

from neurogebra_grader.sandbox.bwrap import SandboxUnavailable, find_bwrap
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.runner import CellRun, NotebookRun, run_notebook

__all__ = [
    "CellRun",
    "Limits",
    "NotebookRun",
    "SandboxUnavailable",
    "find_bwrap",
    "run_notebook",
]
