"""Grading where the student's code dominates: `spiral_network`, ours against plain nbclient.

Workload: 6 finished submissions of the course's `spiral_network` assignment (the demo's
"correct" sample recipe: the instructor's solution in every answer cell, so each notebook
trains its network and draws its decision boundary). Ours: `neurogebra-grader autograde
--workers <cores>`, every kernel under bubblewrap with every cap on, judged outside the kernel.
Yardstick: the same notebooks, their hidden tests put back as the grader runs them, executed
by plain nbclient in ordinary kernels, no sandbox, as many at once as we have workers
(`_plain_nbclient.py`). Both include their command's start-up; the reference run is done
beforehand, as at release. Target (issue 17): ours within 1.3x of nbclient's time.

It also writes the per-stage table of this run (median and worst per submission).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from _grading import caps, grader_cmd, load_line, make_course, release, run, scores, submit
from _report import median_seconds, write_section
from _stages import ledger_timings, median_overhead, stage_table

ASSIGNMENT = "spiral_network"
SUBMISSIONS = 6  # each trains a scalar-autograd network: seconds per notebook
REPEATS = 1
TARGET = 1.3
HERE = Path(__file__).resolve().parent


def _with_tests(submitted: Path, source: Path, into: Path) -> Path:
    """The submission with every test cell as the source has it (hidden tests included)."""
    tests = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(source, 4).cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    }
    nb = nbformat.read(submitted, 4)
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in tests:
            cell.source = tests[gid]
    into.mkdir(parents=True)
    nbformat.write(nb, into / submitted.name)
    return into / submitted.name


def main() -> None:
    workers = os.cpu_count() or 1
    load_before = load_line()
    with tempfile.TemporaryDirectory() as tmp:
        ours = make_course(Path(tmp) / "ours", ASSIGNMENT)
        (Path(tmp) / "exchange").mkdir()
        release(ours, ASSIGNMENT, exchange=Path(tmp) / "exchange")
        submitted = submit(ours, ASSIGNMENT, SUBMISSIONS, kinds=("correct",))
        source = ours / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        plain = [
            _with_tests(path, source, Path(tmp) / "plain" / f"{k:02d}")
            for k, path in enumerate(submitted)
        ]
        # matplotlib builds its font cache on first use: not part of either runner's time
        run([sys.executable, "-c", "import matplotlib.pyplot"], Path(tmp))
        grade = [*grader_cmd(ours), "autograde", ASSIGNMENT, "--force", "--workers", str(workers)]
        nbclient = [sys.executable, str(HERE / "_plain_nbclient.py"), str(workers)]
        pipeline_s, plain_s = median_seconds(
            [
                lambda: run(grade, ours),
                lambda: run([*nbclient, *map(str, plain)], Path(tmp)),
            ],
            REPEATS,
        )
        load_after = load_line()
        rows = ledger_timings(ours / "gradebook.db", ASSIGNMENT)
        graded = scores(ours, ASSIGNMENT)
    ratio = pipeline_s / plain_s
    each = {"plain": f"{plain_s / SUBMISSIONS:.2f}", "ours": f"{pipeline_s / SUBMISSIONS:.2f}"}
    verdict = "meets it" if ratio <= TARGET else "does NOT meet it"
    full = sum(1 for score, top in graded if score == top)
    write_section(
        "grading_spiral",
        f"""## `spiral_network`: grader vs plain nbclient (`benchmarks/grading_spiral.py`)

{SUBMISSIONS} finished submissions (the instructor's solution in every answer cell: each trains
its network and draws its decision boundary), {workers} at a time for both, in the same run.
Ours with every cap on ({caps()}); nbclient runs the same notebooks, hidden tests put back, in
ordinary kernels.

| runner | seconds for {SUBMISSIONS} | per submission |
|---|---:|---:|
| plain nbclient (no sandbox, no judging, no gradebook) | {plain_s:.1f} | {each["plain"]} |
| neurogebra-grader (sandboxed, {workers} workers) | {pipeline_s:.1f} | {each["ours"]} |

Our time / nbclient's: **{ratio:.2f}x** (target within {TARGET:g}x: {verdict}).
Submissions with full marks: {full} of {len(graded)}. Before the run: {load_before}; after:
{load_after}.

Where each submission's time goes (from the ledger; {workers} graded at once):

{stage_table(rows)}

(Overhead median {100 * median_overhead(rows):.0f}%: here the student's training dominates.)""",
    )


if __name__ == "__main__":
    main()
