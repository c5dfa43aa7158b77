"""Running a student's notebook in a sandbox: no network, one writable folder, hard limits.

The trusted grader never imports a student's code; it starts a kernel inside a sandbox and
reads back plain data. See :mod:`neurogebra_grader.sandbox.runner` for the entry point, and
the package README's threat model for every cap and what enforces it.

The names below are imported on first use: the kernel template (:mod:`.template`) lives in
this package and must start without importing the runner (nbformat, jsonschema, zmq...).

Example:
    >>> from neurogebra_grader.sandbox import Limits
    >>> Limits().cpus
    1.0
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "CellRun": "runner",
    "NotebookRun": "runner",
    "RunTimings": "runner",
    "run_notebook": "runner",
    "Limits": "limits",
    "SandboxUnavailable": "bwrap",
    "find_bwrap": "bwrap",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
