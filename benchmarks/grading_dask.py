"""Grading on a Dask cluster: throughput with 2 workers against 1, on 127.0.0.1.

A `dask scheduler` and `dask worker` processes (one thread each, each in its own folder, as a
cluster's machines would be) run on loopback; the coordinator is `neurogebra-grader autograde
--scheduler`, every kernel sandboxed with every cap on. The same 40 `autograd` submissions
(half correct, half partial) are graded four times, alternating: one worker, a second one
joined, the second stopped, joined again (medians of two runs each), so neither warm-up nor a
burst of load from other jobs on this shared machine favours one side. Each worker has
imported the grading job's code and started its kernel template before its first timed run.
Target (issue 17): 2 workers give at least 1.8x the throughput of 1 worker.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _grading import caps, env, grader_cmd, load_line, make_course, release, run, submit
from _report import write_section
from _stages import ledger_timings, median_overhead

ASSIGNMENT = "autograd"
# 40: with kernels forked from the template a submission takes about half a second, so a
# batch of 10 measured mostly the command's fixed start-up (about 2 s), not throughput
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "40"))
TARGET = 1.8


def _start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    extra = {"TMPDIR": str(cwd), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=cwd,
        env=env() | extra,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _worker(scheduler_file: Path, name: str, where: Path) -> subprocess.Popen[bytes]:
    folder = where / name
    folder.mkdir()
    args = ["distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file)]
    args += ["--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1", "--no-dashboard"]
    return _start([*args, "--name", name, "--local-directory", str(folder)], folder)


def _warm() -> None:
    """Import the grading job's code and start the kernel template, as a cluster's worker does
    once when it starts (run on each worker, so no timed run pays for it)."""
    import neurogebra_grader.pipeline.job  # noqa: F401
    from neurogebra_grader.sandbox.bytecode import ensure_compiled
    from neurogebra_grader.sandbox.warm import template_for, template_wanted

    ensure_compiled()
    if template_wanted(sandbox=True):
        template_for(sys.executable).ensure_started()


def _ready(scheduler_file: Path, count: int) -> str:
    """Wait for ``count`` workers, warm each one's imports; the scheduler's address."""
    from distributed import Client

    with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
        client.wait_for_workers(count, timeout=120)
        while len(client.scheduler_info()["workers"]) != count:  # a stopped one leaving
            time.sleep(0.2)
        client.run(_warm)
        return str(client.scheduler.address)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> None:
    load_before = load_line()
    times: dict[int, list[float]] = {1: [], 2: []}
    overhead: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        course = make_course(where / "ours", ASSIGNMENT)
        (where / "exchange").mkdir()
        release(course, ASSIGNMENT, exchange=where / "exchange")
        submit(course, ASSIGNMENT, SUBMISSIONS)
        scheduler_file = where / "scheduler.json"
        cluster = where / "cluster"
        cluster.mkdir()
        args = ["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0"]
        args += ["--no-dashboard", "--scheduler-file", str(scheduler_file)]
        processes = [_start(args, cluster)]
        try:
            deadline = time.monotonic() + 60
            while not scheduler_file.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            processes.append(_worker(scheduler_file, "w1", cluster))
            for k, count in enumerate((1, 2, 1, 2)):
                if count == 2:
                    processes.append(_worker(scheduler_file, f"w2-{k}", cluster))
                elif len(processes) == 3:
                    _stop(processes.pop())
                address = _ready(scheduler_file, count)
                grade = [*grader_cmd(course), "autograde", ASSIGNMENT, "--force"]
                start = time.perf_counter()
                run([*grade, "--scheduler", address], course)
                times[count].append(time.perf_counter() - start)
                rows = ledger_timings(course / "gradebook.db", ASSIGNMENT)
                overhead[count].append(median_overhead(rows))
        finally:
            for process in reversed(processes):
                _stop(process)
    load_after = load_line()
    one, two = (statistics.median(times[n]) for n in (1, 2))
    ratio = one / two
    best = min(times[1]) / min(times[2])  # each side's least disturbed run
    verdict = "meets it" if ratio >= TARGET else "does NOT meet it"
    runs = {n: ", ".join(f"{t:.1f}" for t in times[n]) for n in (1, 2)}
    share = {n: f"{100 * statistics.median(overhead[n]):.0f}%" for n in (1, 2)}
    write_section(
        "grading_dask",
        f"""## Grading on Dask: 2 workers vs 1 (`benchmarks/grading_dask.py`)

A `dask scheduler` and single-threaded `dask worker` processes on 127.0.0.1 (each in its own
folder), `autograde --scheduler` as the coordinator, {SUBMISSIONS} `autograd` submissions (half
correct, half partial), every cap on ({caps()}). Order: 1, 2, 1, 2 workers; medians.
All of it (scheduler, workers, coordinator, kernels) shares this machine's {os.cpu_count()} cores.

| workers | seconds for {SUBMISSIONS} | submissions per minute | median overhead share |
|---|---:|---:|---:|
| 1 (runs: {runs[1]}) | {one:.1f} | {60 * SUBMISSIONS / one:.1f} | {share[1]} |
| 2 (runs: {runs[2]}) | {two:.1f} | {60 * SUBMISSIONS / two:.1f} | {share[2]} |

Throughput with 2 workers / 1 worker: **{ratio:.2f}x** (target ≥ {TARGET:g}x: {verdict}).
Fastest run against fastest run (each side's least disturbed by other jobs): {best:.2f}x.
Before the run: {load_before}; after: {load_after}.""",
    )


if __name__ == "__main__":
    main()
