"""Where jobs run: a local pool of worker processes, or an existing Dask cluster.

Both yield results as they finish, so the coordinating process (the only one that writes
the gradebook) can record each submission as soon as it is graded.

Example:
    >>> from neurogebra_grader.pipeline.job import Job
    >>> [r["key"] for r in run_jobs([], workers=1)]
    []
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from neurogebra_grader.pipeline.job import Job, execute_job
from neurogebra_grader.sandbox.warm import warm_up


def kernels_ahead() -> int:
    """Kernels a local pool starts ahead of a free worker (``NEUROGEBRA_GRADER_AHEAD``, 1).

    Such a kernel starts (sandbox, bubblewrap, Python, imports) while the others run their
    cells, and runs its own cells once a worker's are done; never more notebooks run cells
    at once than there are workers.
    """
    try:
        return max(0, int(os.environ.get("NEUROGEBRA_GRADER_AHEAD", "1")))
    except ValueError:
        return 1


def default_workers() -> int:
    """One worker per core: a kernel mostly computes, so more would only queue for the CPU."""
    return os.cpu_count() or 1


def _crashed(job: Job, error: BaseException) -> dict[str, Any]:
    return {"key": job.key, "run": None, "error": f"the grading worker failed: {error!r}"[:500]}


def run_jobs(
    jobs: Iterable[Job], *, workers: int | None = None, scheduler: str | None = None
) -> Iterator[dict[str, Any]]:
    """Run ``jobs``; yield each result dict (``key``, ``run``) as it completes."""
    jobs = list(jobs)
    if not jobs:
        return
    if scheduler:
        yield from _run_dask(jobs, scheduler)
        return
    workers = max(1, min(workers or default_workers(), len(jobs)))
    threads = min(workers + kernels_ahead(), len(jobs))
    gate = threading.Semaphore(workers) if threads > workers else None
    # Threads are enough: each job spends its time waiting on its own sandboxed kernel process,
    # and Dask workers run jobs in threads too, so the job code is thread-safe either way.
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="grading") as pool:
        futures = {pool.submit(execute_job, job, gate): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as error:  # the job itself broke: it alone fails
                yield _crashed(futures[future], error)


def _run_dask(jobs: list[Job], scheduler: str) -> Iterator[dict[str, Any]]:
    # dask.distributed: sends each job (notebook and files as bytes) to whichever worker is free
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(scheduler, timeout=30) as client:
        # each worker starts its kernel template now, if it has none yet (in the background:
        # its first job waits for it instead of starting one from nothing)
        with contextlib.suppress(Exception):
            client.run(warm_up)
        futures = {
            client.submit(
                execute_job, job, key=f"grade-{job.key}-{os.urandom(4).hex()}", pure=False
            ): job
            for job in jobs
        }
        for future in dask_completed(list(futures)):
            try:
                yield future.result()
            except Exception as error:
                yield _crashed(futures[future], error)
