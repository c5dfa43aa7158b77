"""A grading job: everything a worker needs to run one notebook, and nothing it must not see.

A job carries the notebook to run (answers merged in, expected values left out) and the
submission's other files as bytes, so a worker needs no shared file system: a Dask worker on
another machine runs it the same way. It returns plain data (a NotebookRun as a dict).

Example:
    >>> job = Job("a/alice/nb", {"cells": []}, {}, Limits(), sandbox=False)
    >>> job.key
    'a/alice/nb'
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from neurogebra_grader.sandbox.bwrap import matplotlib_cache
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.runner import run_notebook
from neurogebra_grader.sandbox.warm import template_wanted


@dataclass
class Job:
    """One notebook of one submission, to be run in a sandbox."""

    key: str
    notebook: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    sandbox: bool = True


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"unsafe file name in a submission: {name!r}")
    return path


def job_root() -> str:
    """A short folder for job folders: the kernel's ipc socket paths must stay under 108 bytes."""
    configured = os.environ.get("NEUROGEBRA_JOB_DIR")
    if configured:
        return configured
    return "/tmp" if os.access("/tmp", os.W_OK) else tempfile.gettempdir()


_FONT_CACHE = threading.Lock()


def _font_cache() -> dict[str, bytes]:
    """matplotlib's font cache, built once per process even when several jobs start at once
    (``functools.cache`` alone lets each thread that misses build it: seconds of CPU each)."""
    with _FONT_CACHE:
        return matplotlib_cache()


def execute_job(job: Job, gate: threading.Semaphore | None = None) -> dict[str, Any]:
    """Run the job's notebook in a fresh folder (removed afterwards); return the run as data.

    ``gate``: the pool's slots for running cells (see ``run_notebook``); None on Dask.
    """
    root = Path(tempfile.mkdtemp(prefix="ng-job-", dir=job_root()))
    os.chmod(root, 0o755)
    workdir = root / "submission"
    workdir.mkdir()
    try:
        # a kernel forked from the template has matplotlib's fonts loaded already
        fonts = job.sandbox and not template_wanted(sandbox=True)
        files = {**_font_cache(), **job.files} if fonts else dict(job.files)
        for name, content in files.items():
            target = workdir / _safe_relative(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        run = run_notebook(job.notebook, workdir, job.limits, sandbox=job.sandbox, gate=gate)
        return {"key": job.key, "run": run.to_dict()}
    finally:
        shutil.rmtree(root, ignore_errors=True)
