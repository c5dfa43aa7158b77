"""Running a student's notebook under bubblewrap: no network, one writable folder, hard limits.

The trusted grader never imports a student's code; it starts a kernel inside a sandbox and
reads back plain data. See :mod:`neurogebra_grader.sandbox.runner` for the entry point, and
the package README's threat model for every cap and what enforces it.
"""

from neurogebra_grader.sandbox.bwrap import SandboxUnavailable, find_bwrap
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.runner import CellRun, NotebookRun, RunTimings, run_notebook

__all__ = [
    "CellRun",
    "Limits",
    "NotebookRun",
    "RunTimings",
    "SandboxUnavailable",
    "find_bwrap",
    "run_notebook",
]
