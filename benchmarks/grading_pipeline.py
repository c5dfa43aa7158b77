"""Autograding throughput: our pipeline (sandboxed, parallel) against plain `nbgrader autograde`.

Workload: 20 submissions of the course's `autograd` assignment (10 correct, 10 partial, made
by the demo's sample recipes), graded from the command line by each tool in its own copy of
the course, in the same run. Ours: `neurogebra-grader autograde --workers <cores>`, every
kernel under bubblewrap, verdicts judged outside the kernel. Baseline: `nbgrader autograde`
(one submission at a time, unsandboxed). Both include their command's start-up; the reference
run of the instructor's solution (done once per assignment, at release) is done beforehand.
Target: at least 2x nbgrader's throughput, with every sandbox cap on (private tmpfs, cgroup,
message budget, hidden-output cut).

It also reports where a submission's time goes (sandbox start, kernel start, imports, the
student's code, judging), read back from the timings the grader records in its ledger
(see `_stages.py`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from _report import median_seconds, write_section
from _stages import ledger_timings, stage_table

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "autograd"
SUBMISSIONS = 20
REPEATS = 1  # each repeat grades 20 notebooks with each tool: minutes, on this shared machine
TARGET = 2.0


def _env() -> dict[str, str]:
    return dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])


def _course(where: Path) -> Path:
    course = where / "course"
    course.mkdir(parents=True)
    shutil.copy(ROOT / "course" / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "course" / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    return course


def _submit(course: Path) -> None:
    from neurogebra_grader.cli.samples import make_sample

    source = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    for k in range(SUBMISSIONS):
        folder = course / "submitted" / f"student{k:02d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        kind = "correct" if k % 2 == 0 else "partial"
        nbformat.write(make_sample(kind, release, source), folder / f"{ASSIGNMENT}.ipynb")


def _run(cmd: list[str], course: Path) -> None:
    done = subprocess.run(cmd, cwd=course, env=_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd[:4])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )


def _scores(course: Path) -> list[float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "neurogebra") as gb:
        return sorted(s.score for s in gb.assignment_submissions(ASSIGNMENT))


def main() -> None:
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = _course(Path(tmp) / "ours"), _course(Path(tmp) / "nbgrader")
        grader = [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(ours)]
        nbgrader = [sys.executable, "-m", "nbgrader"]
        (Path(tmp) / "exchange").mkdir()
        exchange = f"--Exchange.root={Path(tmp) / 'exchange'}"
        _run([*nbgrader, "generate_assignment", ASSIGNMENT, "--force"], theirs)
        _run([*nbgrader, "generate_assignment", ASSIGNMENT, "--force", exchange], ours)
        from neurogebra_grader.pipeline.course import Course
        from neurogebra_grader.pipeline.reference import reference_for
        from neurogebra_grader.sandbox.limits import Limits

        reference_for(Course.load(ours), ASSIGNMENT, ASSIGNMENT, Limits())
        _submit(ours)
        _submit(theirs)
        pipeline_s, nbgrader_s = median_seconds(
            [
                lambda: _run(
                    [*grader, "autograde", ASSIGNMENT, "--force", "--workers", str(workers)], ours
                ),
                lambda: _run([*nbgrader, "autograde", ASSIGNMENT, "--force"], theirs),
            ],
            REPEATS,
        )
        same = _scores(ours) == _scores(theirs)
        stages = stage_table(ledger_timings(ours / "gradebook.db", ASSIGNMENT))
    ratio = nbgrader_s / pipeline_s
    verdict = "met" if ratio >= TARGET else "NOT met"

    def per_min(seconds: float) -> str:
        return f"{60 * SUBMISSIONS / seconds:.1f}"

    write_section(
        "grading_pipeline",
        f"""## Autograding throughput: neurogebra-grader vs nbgrader autograde

{SUBMISSIONS} submissions of `{ASSIGNMENT}` (half correct, half partial), each tool from its
command line, in the same run; ours sandboxed under bubblewrap with {workers} workers.

| grader | seconds for {SUBMISSIONS} | submissions per minute |
|---|---:|---:|
| nbgrader autograde 0.9.6 (sequential, unsandboxed) | {nbgrader_s:.1f} | {per_min(nbgrader_s)} |
| neurogebra-grader (bubblewrap, {workers} workers) | {pipeline_s:.1f} | {per_min(pipeline_s)} |

Throughput ratio: **{ratio:.2f}x** (target {TARGET:g}x: {verdict}).
Both gave the same scores: {same}.

Where a submission's time goes in our run (each stage's mean over the {SUBMISSIONS}
submissions; {workers} run at once, so the stages of different submissions overlap):

{stages}""",
    )


if __name__ == "__main__":
    main()
