"""Autograde one or more assignments: a pipeline of small passes over every submission.

    intake -> match -> plan -> run -> judge -> record

``intake`` reads the submission folder as untrusted files (intake.py), ``match`` pairs its
cells with the release's by id (match.py), ``plan`` builds the notebook to run (plan.py),
``run`` executes it in a sandbox on a worker (job.py, execution.py), ``judge`` decides each
graded cell from plain data (verdict.py) and ``record`` writes the graded notebook and one
gradebook transaction (record.py, ledger.py). Each pass is timed per submission (timing.py).

The coordinating process (this one) is the only writer of the gradebook. A fault in any pass
of one submission becomes that student's error row, and the batch goes on; only faults on the
instructor's side (a missing course, an unreleased assignment, an unwritable gradebook) stop
it, with a CourseError.

Example:
    >>> results = autograde(Course.load("course"), "autograd", workers=2)  # doctest: +SKIP
    >>> results[0].score, results[0].max_score  # doctest: +SKIP
    (100.0, 100.0)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import LateSubmissionPlugin

from neurogebra_grader.pipeline import ledger, own_work
from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.course_limits import record_limits, resolve_limits
from neurogebra_grader.pipeline.execution import run_jobs
from neurogebra_grader.pipeline.intake import Intake, IntakeLimits, take_in
from neurogebra_grader.pipeline.job import Job
from neurogebra_grader.pipeline.match import match, nbgrader_meta
from neurogebra_grader.pipeline.plan import CourseCells, Plan, build_plan, course_cells
from neurogebra_grader.pipeline.record import write_autograded
from neurogebra_grader.pipeline.reference import assignment_files, load_notebooks, reference_for
from neurogebra_grader.pipeline.submitted import UnreadableNotebook, read_notebook
from neurogebra_grader.pipeline.timing import PassTimes
from neurogebra_grader.pipeline.verdict import (
    CellVerdict,
    judge_plan,
    resource_errors,
    unrun_verdicts,
)
from neurogebra_grader.sandbox.bwrap import find_bwrap
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.runner import NotebookRun
from neurogebra_grader.sandbox.warm import warm_up

Progress = Callable[[str, Any], None]


@dataclass(frozen=True)
class JobKey:
    """Which notebook of which submission a job runs."""

    assignment: str
    student: str
    notebook: str


@dataclass
class AssignmentSetup:
    """The instructor's side of one assignment, read once and trusted."""

    name: str
    notebooks: list[str]
    course_notebooks: dict[str, tuple[Any, Any]]  # notebook -> (source, release)
    references: dict[str, dict[str, list[Any]]]
    given_files: dict[str, bytes]  # the release's data files, as students were given them
    # each notebook's test cells rewritten for students: once per batch, not per submission
    prepared: dict[str, CourseCells] = field(default_factory=dict)

    def zero_verdicts(self, notebook: str, reason: str) -> list[dict[str, Any]]:
        """A zero for every graded cell of ``notebook`` (for one that could not be graded)."""
        source, _ = self.course_notebooks[notebook]
        out = []
        for cell in source.cells:
            meta = nbgrader_meta(cell)
            if meta.get("grade") and meta.get("grade_id"):
                points = float(meta.get("points", 0) or 0)
                out.append(CellVerdict(meta["grade_id"], points, 0.0, reason).as_dict())
        return out


@dataclass
class InFlight:
    """One submission between its plan and its record."""

    setup: AssignmentSetup
    result: ledger.SubmissionResult
    intake: Intake
    plans: dict[str, Plan] = field(default_factory=dict)
    runs: dict[str, NotebookRun | None] = field(default_factory=dict)
    times: PassTimes = field(default_factory=PassTimes)

    def done(self) -> bool:
        return len(self.runs) == len(self.plans)


def prepare(course: Course, assignment: str, limits: Limits, sandbox: bool) -> AssignmentSetup:
    """Read and check the instructor's side (CourseError names what is missing)."""
    notebooks = course.notebooks(assignment)
    pairs = {nb: load_notebooks(course, assignment, nb) for nb in notebooks}
    references = {
        nb: reference_for(course, assignment, nb, limits, sandbox=sandbox) for nb in pairs
    }
    given = assignment_files(course.path("release", ".", assignment))
    prepared = {nb: course_cells(source, "student") for nb, (source, _) in pairs.items()}
    return AssignmentSetup(assignment, notebooks, pairs, references, given, prepared)


def _why_missing(intake: Intake, name: str) -> str:
    reasons = [f.detail for f in intake.flags if f.cell == name]
    if reasons:
        return f"{name} was not taken in ({reasons[0]})"
    return f"no submitted file {name}"


def plan_submission(
    course: Course,
    setup: AssignmentSetup,
    student: str,
    limits: Limits,
    intake_limits: IntakeLimits,
    sandbox: bool,
    *,
    graded_hash: str | None,
) -> tuple[InFlight | None, list[tuple[JobKey, Job]]]:
    """The intake, match and plan passes for one submission; None if already graded as is."""
    times = PassTimes()
    folder = course.path("submitted", student, setup.name)
    with times.measure("intake"):
        intake = take_in(folder, intake_limits)
    if graded_hash == intake.digest:
        return None, []
    result = ledger.SubmissionResult(setup.name, student, intake.digest, intake.timestamp)
    result.errors += intake.errors
    result.flags += [f.as_dict() | {"notebook": ""} for f in intake.flags]
    item = InFlight(setup, result, intake, times=times)
    files = {**intake.job_files(), **setup.given_files}  # the release's data files win
    jobs = []
    for nb in setup.notebooks:
        source, release = setup.course_notebooks[nb]
        raw = intake.files.get(f"{nb}.ipynb")
        try:
            if raw is None:
                raise UnreadableNotebook(_why_missing(intake, f"{nb}.ipynb"))
            with times.measure("match"):
                matched = match(read_notebook(nb, raw), source, release)
            with times.measure("plan"):
                plan = build_plan(
                    matched, source, release, role="student", prepared=setup.prepared.get(nb)
                )
        except UnreadableNotebook as error:
            result.errors.append(f"{nb}: {error}")
            result.notebooks[nb] = setup.zero_verdicts(nb, str(error))
            continue
        item.plans[nb] = plan
        result.flags += [f.as_dict() | {"notebook": nb} for f in plan.flags]
        key = JobKey(setup.name, student, nb)
        jobs.append(
            (key, Job(f"{setup.name}/{student}/{nb}", plan.notebook, files, limits, sandbox))
        )
    return item, jobs


def judge_and_record(
    course: Course, gb: Gradebook, item: InFlight, late_plugin: LateSubmissionPlugin
) -> ledger.SubmissionResult:
    """The judge and record passes for one submission whose notebooks have all run."""
    result, setup = item.result, item.setup
    for nb, plan in item.plans.items():
        run = item.runs.get(nb)
        with item.times.measure("judge"):
            if run is None:
                verdicts = unrun_verdicts(plan, "the notebook could not be run")
            else:
                verdicts = judge_plan(plan, run, setup.references[nb])
                source_metadata = setup.course_notebooks[nb][0].metadata
                seen = own_work.runtime_flags(plan, run, source_metadata)
                result.flags += [f.as_dict() | {"notebook": nb} for f in seen]
                verdicts = own_work.withhold(verdicts, plan.flags + seen, source_metadata)
                if run.error:
                    result.errors.append(f"{nb}: {run.error}")
                result.errors += [f"{nb}: {problem}" for problem in resource_errors(run, plan)]
        result.notebooks[nb] = [v.as_dict() for v in verdicts]
        with item.times.measure("record"):
            folder = course.path("autograded", result.student, setup.name)
            write_autograded(folder, nb, plan, run, verdicts, item.intake.files)
    with item.times.measure("record"):
        result.timings = item.times.as_dict()
        ledger.record(gb, result, late_plugin)
    return result


def _failure_row(
    setup: AssignmentSetup, student: str, stage: str, error: BaseException, intake: Intake | None
) -> ledger.SubmissionResult:
    """A zero-score row saying which pass failed; rerunning autograde grades it again."""
    digest = f"failed:{intake.digest if intake else ''}"  # never equal to a real digest
    stamp = intake.timestamp if intake else None
    result = ledger.SubmissionResult(setup.name, student, digest, stamp)
    message = (
        f"not graded: the grader failed while {stage} this submission "
        f"({type(error).__name__}: {str(error)[:300]}); the rest of the class was graded. "
        f"Rerun `autograde {setup.name} --student {student}` once fixed, or report this error"
    )
    result.errors.append(message)
    for nb in setup.notebooks:
        result.notebooks[nb] = setup.zero_verdicts(nb, "not graded: the grader failed")
    return result


class Batch:
    """The grading of many submissions against one gradebook, each pass guarded per student."""

    def __init__(self, course: Course, gb: Gradebook, notify: Progress) -> None:
        self.course, self.gb, self.notify = course, gb, notify
        self.late_plugin = LateSubmissionPlugin(config=course.config)
        self.results: list[ledger.SubmissionResult] = []
        self.jobs: list[tuple[JobKey, Job]] = []  # planned, to run
        self.pending: dict[JobKey, InFlight] = {}  # the submission each job belongs to

    def plan(
        self,
        setup: AssignmentSetup,
        student: str,
        limits: Limits,
        intake_limits: IntakeLimits,
        sandbox: bool,
        graded_hash: str | None,
    ) -> None:
        """Intake, match and plan one submission; its jobs wait in ``self.jobs``."""
        try:
            item, new = plan_submission(
                self.course,
                setup,
                student,
                limits,
                intake_limits,
                sandbox,
                graded_hash=graded_hash,
            )
        except Exception as error:
            self.record_failure(setup, student, "planning", error)
            return
        if item is None:
            self.notify("skipped", student)
        elif not new:
            self.finish(item)
        else:
            self.jobs += new
            self.pending.update({key: item for key, _ in new})

    def submissions_in_flight(self) -> int:
        return len({id(item) for item in self.pending.values()})

    def take_run(self, key: JobKey, outcome: dict[str, Any]) -> None:
        """One job's outcome; the submission is judged and recorded once all its jobs are in."""
        item = self.pending.pop(key)
        try:
            item.runs[key.notebook] = _decode_run(item, key.notebook, outcome)
        except Exception as error:  # whatever came back: this notebook alone is unrun
            item.runs[key.notebook] = None
            item.result.errors.append(f"{key.notebook}: the run could not be read ({error!r})")
        if item.done():
            self.finish(item)

    def record_failure(
        self,
        setup: AssignmentSetup,
        student: str,
        stage: str,
        error: BaseException,
        intake: Intake | None = None,
    ) -> None:
        self.gb.db.rollback()
        result = _failure_row(setup, student, stage, error, intake)
        try:
            ledger.record(self.gb, result, self.late_plugin)
        except Exception as again:  # the gradebook itself refuses: the instructor must look
            self.gb.db.rollback()
            result.errors.append(f"and the gradebook could not record this row ({again!r})")
        self.results.append(result)
        self.notify("graded", result)

    def finish(self, item: InFlight) -> None:
        try:
            result = judge_and_record(self.course, self.gb, item, self.late_plugin)
        except Exception as error:
            self.record_failure(item.setup, item.result.student, "judging", error, item.intake)
            return
        self.results.append(result)
        self.notify("graded", result)


def autograde(
    course: Course,
    assignment: str | list[str],
    *,
    students: list[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    sandbox: bool = True,
    limits: Limits | None = None,
    intake_limits: IntakeLimits | None = None,
    force: bool = False,
    progress: Progress | None = None,
    limit_sources: dict[str, str] | None = None,
) -> list[ledger.SubmissionResult]:
    """Grade every (or the named) student's submission of one or more assignments.

    Several assignments share one pool of workers, so a long notebook of one assignment
    overlaps with the short ones of another. Without ``limits``, the course's own
    (``c.Execute.timeout``, see course_limits.py) apply; ``limit_sources`` says where given
    ``limits`` came from, for the report.
    """
    names = [assignment] if isinstance(assignment, str) else list(assignment)
    if limits is None:
        limits, limit_sources = resolve_limits(course.config)
    intake_limits = intake_limits or IntakeLimits()
    notify = progress or (lambda kind, data: None)
    if sandbox:
        find_bwrap()
        if not scheduler:  # local kernels: the template imports while the batch is planned
            warm_up()
    setups = {name: prepare(course, name, limits, sandbox) for name in names}
    for name in names:
        record_limits(course, name, limits, limit_sources or {})
    with Gradebook(course.db_url, course.course_id) as gb:
        ledger.ensure_table(gb)
        batch = Batch(course, gb, notify)
        for name, setup in setups.items():
            try:
                gb.find_assignment(name)
            except MissingEntry:
                raise CourseError(
                    f"{name} is not in the gradebook: run `neurogebra-grader release {name}` first"
                ) from None
            graded = {} if force else ledger.graded_hashes(gb, name)
            for student in students or course.students_with_submissions(name):
                if students and not os.path.lexists(course.path("submitted", student, name)):
                    raise CourseError(f"{student} has no submission of {name}")
                previous = graded.get(student)
                batch.plan(setup, student, limits, intake_limits, sandbox, previous)
        notify("start", batch.submissions_in_flight() + len(batch.results))
        by_name = {job.key: key for key, job in batch.jobs}
        for outcome in run_jobs(
            [job for _, job in batch.jobs], workers=workers, scheduler=scheduler
        ):
            batch.take_run(by_name[outcome["key"]], outcome)
    return batch.results


def _decode_run(item: InFlight, notebook: str, outcome: dict[str, Any]) -> NotebookRun | None:
    """The run a worker sent back, or None (and an error on the row) if there is none."""
    data = outcome.get("run")
    try:
        run = NotebookRun.from_dict(data) if isinstance(data, dict) else None
    except Exception as error:  # a worker sent something else: this notebook alone fails
        item.result.errors.append(f"{notebook}: the run's report could not be read ({error!r})")
        return None
    if run is None:
        item.result.errors.append(f"{notebook}: {outcome.get('error', 'the run failed')}")
        return None
    item.times.add("run", float(run.seconds))
    item.times.add_runner(notebook, data.get("timings") if isinstance(data, dict) else None)
    return run
