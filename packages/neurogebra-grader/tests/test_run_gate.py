"""A gated run starts its kernel at once and runs its cells only once it holds a slot; the
wait is not the notebook's time (the local pool starts one kernel ahead this way)."""

from __future__ import annotations

import threading
import time

import nbformat

from neurogebra_grader.pipeline.execution import run_jobs
from neurogebra_grader.pipeline.job import Job
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.runner import NotebookRun, run_notebook


def notebook(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def test_a_gated_run_waits_for_a_slot_outside_its_budget(tmp_path) -> None:
    gate = threading.Semaphore(1)
    gate.acquire()  # the only slot is busy
    done: list[NotebookRun] = []
    nb = notebook("print(6 * 7)")
    limits = Limits(wall_seconds=6, cell_seconds=5)

    def run() -> None:
        done.append(run_notebook(nb, tmp_path, limits, sandbox=False, gate=gate))

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(7)  # longer than the whole budget
    assert not done  # kernel up, first cell not run
    gate.release()
    thread.join(120)
    [result] = done
    assert result.cells[0].status == "ok" and result.cells[0].text() == "42\n"
    assert result.error == ""
    assert result.timings.cells < 5  # the wait is not counted as the cells' time
    assert gate.acquire(blocking=False)  # the slot was given back


def test_the_local_pool_runs_every_job_with_a_kernel_ahead(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NEUROGEBRA_GRADER_AHEAD", "1")
    jobs = [
        Job(f"j{k}", notebook(f"print({k} * 2)"), {}, Limits(), sandbox=False) for k in range(3)
    ]
    out = {r["key"]: NotebookRun.from_dict(r["run"]) for r in run_jobs(jobs, workers=1)}
    assert {key: run.cells[0].text() for key, run in out.items()} == {
        "j0": "0\n",
        "j1": "2\n",
        "j2": "4\n",
    }
