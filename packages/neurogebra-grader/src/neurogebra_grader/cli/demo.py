"""``neurogebra-grader demo``: the whole course pipeline on a sample class, from a clean state.

It copies the course into a fresh folder, releases the three assignments (checking each
instructor solution against its tests), autogrades a correct, a partial, a broken and a
hostile submission of each in the sandbox, prints the grade table and writes feedback HTML.

Example (from the repository root)::

    neurogebra-grader demo --workdir build/demo
"""

from __future__ import annotations

import argparse
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from rich.console import Console
from traitlets.config import Config

from neurogebra_grader.cli.samples import KINDS, make_sample
from neurogebra_grader.pipeline import nbgrader_steps, summary
from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.reference import reference_for

REPO_COURSE = Path(__file__).resolve().parents[5] / "course"


def _find_course() -> Path:
    for candidate in (Path.cwd() / "course", REPO_COURSE):
        if (candidate / "nbgrader_config.py").exists():
            return candidate
    raise CourseError("the demo needs the course folder: run it from the repository root")


def prepare(workdir: Path) -> Course:
    """A clean copy of the course (config and sources only) with its own exchange."""
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "exchange").mkdir(parents=True)
    course_dir = workdir / "course"
    course_dir.mkdir()
    original = _find_course()
    shutil.copy(original / "nbgrader_config.py", course_dir)
    shutil.copytree(original / "source", course_dir / "source")
    extra = Config()
    extra.Exchange.root = str(workdir / "exchange")
    return Course.load(course_dir, extra)


def run_demo(args: argparse.Namespace, console: Console) -> None:
    from neurogebra_grader.cli.main import grade_with_progress, limits_from, show_report

    started = time.perf_counter()
    workdir = Path(args.workdir or "build/demo").resolve()
    course = prepare(workdir)
    limits, said = limits_from(args, course)
    sandbox = not args.unsandboxed
    assignments = course.assignments()
    console.rule("1. release")
    for name in assignments:
        nbgrader_steps.release(course, name)
        console.print(f"released {name} to {workdir / 'exchange'}")
    checking = console.status("checking each instructor solution against its tests (sandboxed)")

    def check(assignment: str) -> None:
        for notebook in course.notebooks(assignment):
            reference_for(course, assignment, notebook, limits, sandbox=sandbox)

    with checking, ThreadPoolExecutor(max_workers=args.workers or 2) as pool:
        list(pool.map(check, assignments))
    console.print(f"solutions pass every test ({time.perf_counter() - started:.0f} s so far)")
    console.rule("2. a sample class submits")
    for name in assignments:
        for notebook in course.notebooks(name):
            source = nbformat.read(course.path("source", ".", name) / f"{notebook}.ipynb", 4)
            release = nbformat.read(course.path("release", ".", name) / f"{notebook}.ipynb", 4)
            for kind in KINDS:
                folder = course.path("submitted", kind, name)
                folder.mkdir(parents=True, exist_ok=True)
                nbformat.write(make_sample(kind, release, source), folder / f"{notebook}.ipynb")
                (folder / "timestamp.txt").write_text("2026-01-01 09:00:00.000000 UTC")
    console.print(f"students {', '.join(KINDS)} submitted {', '.join(assignments)}")
    console.rule("3. autograde (sandboxed, judged outside the kernel)")
    grade_with_progress(
        course,
        assignments,
        workers=args.workers,
        sandbox=sandbox,
        limits=limits,
        limit_sources=said,
    )
    console.rule("4. report")
    show_report(course, None)
    console.rule("5. feedback")
    for name in assignments:
        nbgrader_steps.feedback(course, name, release=False)
    pages = sorted(course.root.glob("feedback/*/*/*.html"))
    console.print(
        f"wrote {len(pages)} feedback pages (no hidden tests) under {course.root / 'feedback'}"
    )
    csv = workdir / "grades.csv"
    csv.write_text(summary.export_csv(course))
    console.print(f"grades with flags: {csv}")
    console.print(f"[bold green]demo finished in {time.perf_counter() - started:.0f} s[/]")
