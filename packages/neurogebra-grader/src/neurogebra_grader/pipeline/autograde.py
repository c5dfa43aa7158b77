"""Autograde one assignment: plan every submission, run the plans in sandboxes, judge, record.

The coordinating process (this one) reads the course, builds each run plan, judges the
results and is the only writer of the gradebook. Runs happen in a local worker pool or on a
Dask cluster. Each submission is recorded as soon as its notebooks are judged, in one
transaction, so the batch can be killed and rerun at any point.

Example:
    >>> results = autograde(Course.load("course"), "autograd", workers=2)  # doctest: +SKIP
    >>> results[0].score, results[0].max_score  # doctest: +SKIP
    (100.0, 100.0)
"""

from __future__ import annotations

import copy
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import LateSubmissionPlugin

from neurogebra_grader.pipeline import ledger
from neurogebra_grader.pipeline.assemble import Plan, assemble
from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.execution import run_jobs
from neurogebra_grader.pipeline.job import Job
from neurogebra_grader.pipeline.reference import assignment_files, load_notebooks, reference_for
from neurogebra_grader.pipeline.verdict import CellVerdict, judge_plan
from neurogebra_grader.sandbox.bwrap import find_bwrap
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.runner import NotebookRun

MAX_FILE_BYTES = 20_000_000
Progress = Callable[[str, Any], None]


def submission_hash(folder: Path) -> str:
    """A digest of every file of a submission (its notebooks, data and timestamp)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class _Pending:
    result: ledger.SubmissionResult
    plans: dict[str, Plan] = field(default_factory=dict)
    runs: dict[str, NotebookRun | None] = field(default_factory=dict)

    def done(self) -> bool:
        return len(self.runs) == len(self.plans)


def _zero_verdicts(source: Any, reason: str) -> list[dict[str, Any]]:
    out = []
    for cell in source.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and meta.get("grade_id"):
            out.append(
                CellVerdict(meta["grade_id"], float(meta.get("points", 0)), 0.0, reason).as_dict()
            )
    return out


def _read_submission(path: Path) -> Any:
    """The submitted notebook, or ValueError saying why it can't be read."""
    if not path.exists():
        raise ValueError(f"no submitted file {path.name}")
    try:
        notebook = nbformat.reads(path.read_text(encoding="utf-8", errors="replace"), as_version=4)
    except Exception as error:
        raise ValueError(
            f"{path.name} is not valid notebook JSON ({type(error).__name__}: {str(error)[:120]})"
        ) from None
    if not isinstance(notebook.get("cells"), list):
        raise ValueError(f"{path.name} has no list of cells")
    return notebook


def _job_files(
    course: Course, assignment: str, folder: Path, errors: list[str]
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for name, content in assignment_files(folder).items():
        if len(content) > MAX_FILE_BYTES:
            errors.append(f"{name} is larger than {MAX_FILE_BYTES:,} bytes and was left out")
        elif name not in ("timestamp.txt", "submission_secret.txt"):
            files[name] = content
    # like nbgrader: the instructor's data files replace any the student changed
    files.update(assignment_files(course.path("source", ".", assignment)))
    return files


RESOURCE_ERRORS = ("MemoryError", "RecursionError", "BlockingIOError", "PermissionError")


def resource_errors(run: NotebookRun, plan: Plan) -> list[str]:
    """Errors in the student's own cells that mean a limit or the sandbox stopped them."""
    graded = {g.index for g in plan.graded}
    return [
        f"cell {cell.index + 1}: {cell.error} (stopped by the sandbox's limits)"
        for cell in run.cells
        if cell.index not in graded
        and cell.status == "error"
        and cell.error.split(":")[0] in RESOURCE_ERRORS
    ]


def write_autograded(
    course: Course,
    student: str,
    assignment: str,
    notebook: str,
    plan: Plan,
    run: NotebookRun | None,
    verdicts: list[CellVerdict],
) -> None:
    """The graded notebook for formgrader and feedback: outputs, verdicts, no hidden tests."""
    folder = course.path("autograded", student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    nb = copy.deepcopy(plan.notebook)
    by_index = {g.index: g for g in plan.graded}
    by_id = {v.grade_id: v for v in verdicts}
    for index, cell in enumerate(nb.cells):
        ran = run.cells[index] if run and index < len(run.cells) else None
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(o) for o in ran.outputs] if ran else []
        graded = by_index.get(index)
        if graded and graded.kind == "test":
            cell.source = graded.shown_source
            verdict = by_id[graded.grade_id]
            mark = "✓" if verdict.passed else "✗"
            text = (
                f"{mark} {verdict.score or 0:g} of {verdict.points:g} points: {verdict.message}\n"
            )
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nbformat.write(nb, folder / f"{notebook}.ipynb")
    for name in ("timestamp.txt", "submission_secret.txt"):  # nbgrader's feedback needs both
        kept = course.path("submitted", student, assignment) / name
        if kept.exists():
            shutil.copy(kept, folder / name)


def autograde(
    course: Course,
    assignment: str | list[str],
    *,
    students: list[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    sandbox: bool = True,
    limits: Limits | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> list[ledger.SubmissionResult]:
    """Grade every (or the named) student's submission of one or more assignments.

    Several assignments share one pool of workers, so a long notebook of one assignment
    overlaps with the short ones of another.
    """
    assignments = [assignment] if isinstance(assignment, str) else list(assignment)
    limits = limits or Limits()
    notify = progress or (lambda kind, data: None)
    if sandbox:
        find_bwrap()
    notebooks = {a: course.notebooks(a) for a in assignments}
    sources = {(a, nb): load_notebooks(course, a, nb) for a in assignments for nb in notebooks[a]}
    references = {
        (a, nb): reference_for(course, a, nb, limits, sandbox=sandbox)
        for a in assignments
        for nb in notebooks[a]
    }
    late_plugin = LateSubmissionPlugin(config=course.config)
    results: list[ledger.SubmissionResult] = []
    with Gradebook(course.db_url, course.course_id) as gb:
        ledger.ensure_table(gb)
        pending: dict[tuple[str, str], _Pending] = {}
        jobs: list[Job] = []
        for name in assignments:
            try:
                gb.find_assignment(name)
            except MissingEntry:
                raise CourseError(
                    f"{name} is not in the gradebook: run `neurogebra-grader release {name}` first"
                ) from None
            for student in students or course.students_with_submissions(name):
                item = _plan_submission(
                    course,
                    gb,
                    name,
                    student,
                    notebooks[name],
                    sources,
                    limits,
                    sandbox,
                    force,
                    jobs,
                )
                if item is None:
                    notify("skipped", student)
                else:
                    pending[(name, student)] = item
        notify("start", len(pending))
        for key in [k for k, p in pending.items() if p.done()]:
            results.append(_finish(course, gb, pending.pop(key), references, late_plugin, notify))
        for outcome in run_jobs(jobs, workers=workers, scheduler=scheduler):
            name, student, nb = outcome["key"].split("\0")
            item = pending[(name, student)]
            if outcome.get("run") is None:
                item.result.errors.append(f"{nb}: {outcome.get('error', 'the run failed')}")
                item.runs[nb] = None
            else:
                item.runs[nb] = NotebookRun.from_dict(outcome["run"])
            if item.done():
                results.append(
                    _finish(
                        course, gb, pending.pop((name, student)), references, late_plugin, notify
                    )
                )
    return results


def _plan_submission(
    course: Course,
    gb: Gradebook,
    assignment: str,
    student: str,
    notebooks: list[str],
    sources: dict[tuple[str, str], Any],
    limits: Limits,
    sandbox: bool,
    force: bool,
    jobs: list[Job],
) -> _Pending | None:
    """Plans and jobs for one submission (None when it is already graded as it stands)."""
    folder = course.path("submitted", student, assignment)
    if not folder.is_dir():
        raise CourseError(f"{student} has no submission of {assignment} in {folder.parent}")
    digest = submission_hash(folder)
    if not force and ledger.graded_hash(gb, assignment, student) == digest:
        return None
    stamp = course.coursedir.get_existing_timestamp(str(folder))
    item = _Pending(ledger.SubmissionResult(assignment, student, digest, stamp))
    files = _job_files(course, assignment, folder, item.result.errors)
    for nb in notebooks:
        source, release = sources[(assignment, nb)]
        try:
            submitted = _read_submission(folder / f"{nb}.ipynb")
            plan = assemble(submitted, source, release, role="student")
        except ValueError as error:
            item.result.errors.append(f"{nb}: {error}")
            item.result.notebooks[nb] = _zero_verdicts(source, str(error))
            continue
        item.plans[nb] = plan
        item.result.flags += [f.as_dict() | {"notebook": nb} for f in plan.flags]
        jobs.append(Job(f"{assignment}\0{student}\0{nb}", plan.notebook, files, limits, sandbox))
    return item


def _finish(
    course: Course,
    gb: Gradebook,
    item: _Pending,
    references: dict[str, Any],
    late_plugin: LateSubmissionPlugin,
    notify: Progress,
) -> ledger.SubmissionResult:
    result = item.result
    for nb, plan in item.plans.items():
        run = item.runs.get(nb)
        if run is None:
            verdicts = [
                CellVerdict(g.grade_id, g.points, 0.0, "the notebook could not be run")
                for g in plan.graded
            ]
        else:
            verdicts = judge_plan(plan, run, references[(result.assignment, nb)])
            if run.error:
                result.errors.append(f"{nb}: {run.error}")
            result.errors += [
                f"{nb}: {problem}" for problem in resource_errors(run, item.plans[nb])
            ]
        result.notebooks[nb] = [v.as_dict() for v in verdicts]
        write_autograded(course, result.student, result.assignment, nb, plan, run, verdicts)
    ledger.record(gb, result, late_plugin)
    notify("graded", result)
    return result
