"""Autograding throughput: our pipeline (sandboxed, parallel) against plain `nbgrader autograde`.

Workload: 20 submissions of the course's `autograd` assignment (10 correct, 10 partial, made
by the demo's sample recipes), graded from the command line by each tool in its own copy of
the course, in the same run. Ours: `neurogebra-grader autograde --workers <cores>`, every
kernel under bubblewrap, verdicts judged outside the kernel. Baseline: `nbgrader autograde`
(one submission at a time, unsandboxed). Both include their command's start-up; the reference
run of the instructor's solution (done once per assignment, at release) is done beforehand.
Target (issue 17): at least 4x nbgrader's throughput on 2 cores, i.e. 2x per core, with every
sandbox cap on (private tmpfs, cgroup, message budget, hidden-output cut).

From the same run it writes two more sections: where a submission's time goes (each stage's
median and worst, from the ledger, see `_stages.py`) with the overhead share (target: below
half), and the coordinator's own limit: how many submissions per second its one process can
record (`_coordinator.py`).
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from _coordinator import recording_rate
from _grading import (
    caps,
    grader_cmd,
    load_line,
    make_course,
    nbgrader_cmd,
    release,
    run,
    scores,
    submit,
)
from _report import median_seconds, write_section
from _stages import (
    coordinator_seconds,
    ledger_timings,
    median_overhead,
    per_submission,
    stage_table,
)

ASSIGNMENT = "autograd"
SUBMISSIONS = 20
REPEATS = 2  # interleaved; each grades 20 notebooks with each tool: minutes on this shared machine
TARGET = 4.0  # issue 17: 2x per core on 2 cores
OVERHEAD_TARGET = 0.5
RECORDINGS = 200  # synthetic transactions for the coordinator's limit


def main() -> None:
    workers = os.cpu_count() or 1
    load_before = load_line()
    with tempfile.TemporaryDirectory() as tmp:
        ours = make_course(Path(tmp) / "ours", ASSIGNMENT)
        theirs = make_course(Path(tmp) / "nbgrader", ASSIGNMENT)
        (Path(tmp) / "exchange").mkdir()
        release(theirs, ASSIGNMENT)
        release(ours, ASSIGNMENT, exchange=Path(tmp) / "exchange")
        submit(ours, ASSIGNMENT, SUBMISSIONS)
        submit(theirs, ASSIGNMENT, SUBMISSIONS)
        grade = [*grader_cmd(ours), "autograde", ASSIGNMENT, "--force", "--workers", str(workers)]
        pipeline_s, nbgrader_s = median_seconds(
            [
                lambda: run(grade, ours),
                lambda: run([*nbgrader_cmd(), "autograde", ASSIGNMENT, "--force"], theirs),
            ],
            REPEATS,
        )
        load_after = load_line()
        same = scores(ours, ASSIGNMENT) == scores(theirs, ASSIGNMENT)
        rows = ledger_timings(ours / "gradebook.db", ASSIGNMENT)
        transactions = recording_rate(ours, ASSIGNMENT, RECORDINGS)
    ratio = nbgrader_s / pipeline_s
    staged = sum(sum(s.values()) for s in per_submission(rows)) / workers
    planned = sum(s["intake and planning"] for s in per_submission(rows))
    verdict = "meets it" if ratio >= TARGET else "does NOT meet it"

    def per_min(seconds: float) -> str:
        return f"{60 * SUBMISSIONS / seconds:.1f}"

    write_section(
        "grading_pipeline",
        f"""## Grading throughput vs nbgrader autograde (`benchmarks/grading_pipeline.py`)

{SUBMISSIONS} submissions of `{ASSIGNMENT}` (half correct, half partial), each tool from its
command line, in the same run (median of {REPEATS} interleaved runs each; the stages below are
from the last); ours with {workers} workers and every cap on ({caps()}).

| grader | seconds for {SUBMISSIONS} | submissions per minute |
|---|---:|---:|
| nbgrader autograde 0.9.6 (sequential, unsandboxed) | {nbgrader_s:.1f} | {per_min(nbgrader_s)} |
| neurogebra-grader (sandboxed, {workers} workers) | {pipeline_s:.1f} | {per_min(pipeline_s)} |

Throughput ratio: **{ratio:.2f}x**, {ratio / workers:.2f}x per core
(target {TARGET:g}x on {workers} cores: {verdict}).
Both gave the same scores: {same}. Before the run: {load_before}; after: {load_after}.

The submissions' own stages (below) add up to {staged:.1f} s per worker, against our
{pipeline_s:.1f} s of wall time: the pool starts one kernel ahead, so a kernel's start overlaps
another submission's cells. Besides the stages, the wall time holds the command's start-up,
the intake and planning of every submission done before the first job starts
({planned:.1f} s), and workers left idle at the end.""",
    )
    overhead = median_overhead(rows)
    verdict = "meets it" if overhead < OVERHEAD_TARGET else "does NOT meet it"
    write_section(
        "grading_stages_autograd",
        f"""## Where an `autograd` submission's time goes (`benchmarks/grading_pipeline.py`)

Per submission, from the ledger of the run above ({len(rows)} submissions, {workers} graded at
once, so stages of different submissions overlap; waiting for a free worker is not counted):

{stage_table(rows)}

Target: overhead below half of each submission's time ({verdict}).""",
    )
    _write_coordinator(rows, transactions)


def _write_coordinator(rows: list, transactions: dict[str, list[float]]) -> None:
    new, again = (statistics.median(transactions[k]) for k in ("new", "again"))
    worst = max(max(t) for t in transactions.values())
    rate = len(transactions["again"]) / sum(transactions["again"])
    passes = coordinator_seconds(rows)
    whole = 1 / (passes + again)
    write_section(
        "grading_coordinator",
        f"""## The coordinator's own limit (`benchmarks/grading_pipeline.py`)

One process coordinates a batch, whatever the number of workers: it takes in and plans every
submission, judges each run, writes the graded notebook and records one gradebook transaction
per submission (SQLite here). Timed on the course graded above, with {RECORDINGS} synthetic
submissions copied from its rows:

| coordinator pass, per submission | median ms |
|---|---:|
| gradebook transaction, new student | {1000 * new:.1f} |
| gradebook transaction, resubmission | {1000 * again:.1f} |
| intake, planning, judging and the graded notebook (from the ledger above) | {1000 * passes:.1f} |

Slowest transaction: {1000 * worst:.1f} ms. Recording alone: **{rate:.0f} submissions per
second**; with every pass the coordinator does itself: **{whole:.0f} submissions per second**.
That is the ceiling of one batch, however many workers (or machines) run the notebooks.""",
    )


if __name__ == "__main__":
    main()
