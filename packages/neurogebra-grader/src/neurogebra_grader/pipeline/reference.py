"""Reference observations: what the instructor's solution reports for every check call.

They are computed once per source notebook (in the sandbox, like any run), validated (the
solution must pass every test under the trusted judges) and cached in the course's
``.neurogebra/`` folder, keyed by the source notebook's hash. They never enter a student's
sandbox: the judges compare against them in the grader's own process.

Before they are cached, the solution is also graded exactly as a student's notebook is (the
student-role rewrite of every test cell, one more sandboxed run): it must earn full marks, or
the release stops with an error naming the test cell (a test cell whose student rewrite
changes its meaning would otherwise cost every honest student its points).

Example:
    >>> reference_for(course, "autograd", "autograd", Limits())  # doctest: +SKIP
    {'test-add': [{'site': 0, 'check': 'check_close', 'data': {...}}], ...}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat

from neurogebra_grader.pipeline.assemble import Plan, assemble
from neurogebra_grader.pipeline.cachekey import reference_key
from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.expected import verify_reference
from neurogebra_grader.pipeline.job import Job, execute_job
from neurogebra_grader.pipeline.rewrite import BadTestCell
from neurogebra_grader.pipeline.verdict import judge_plan
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.runner import NotebookRun


def assignment_files(folder: Path) -> dict[str, bytes]:
    """The non-notebook files of an assignment folder (data files), by relative name."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if (
            path.is_file()
            and path.suffix != ".ipynb"
            and not any(part.startswith(".") for part in relative.parts)
        ):
            files[relative.as_posix()] = path.read_bytes()
    return files


def load_notebooks(course: Course, assignment: str, notebook: str) -> tuple[Any, Any]:
    """(source, release) notebooks; a clear error when the release is missing."""
    source = course.path("source", ".", assignment) / f"{notebook}.ipynb"
    release = course.path("release", ".", assignment) / f"{notebook}.ipynb"
    if not release.exists():
        raise CourseError(
            f"{assignment} has not been released ({release} is missing): "
            f"run `neurogebra-grader release {assignment}` first"
        )
    return nbformat.read(source, as_version=4), nbformat.read(release, as_version=4)


def reference_for(
    course: Course, assignment: str, notebook: str, limits: Limits, *, sandbox: bool = True
) -> dict[str, list[Any]]:
    """The reference observations for one notebook (from the cache when still valid)."""
    source_path = course.path("source", ".", assignment) / f"{notebook}.ipynb"
    files = assignment_files(source_path.parent)
    key = reference_key(source_path.read_bytes(), files, course.root / "nbgrader_config.py")
    cache = course.state_dir() / "reference" / assignment / f"{notebook}.json"
    if cache.exists():
        stored = json.loads(cache.read_text())
        if stored.get("key") == key:  # the key covers reference.py, so the cache format too
            return stored["observations"]
    source, release = load_notebooks(course, assignment, notebook)
    try:
        plan = assemble(source, source, release, role="reference")
    except BadTestCell as error:
        raise CourseError(
            f"{assignment}/{notebook}, {error}; fix the test cell, then release again"
        ) from None
    result = execute_job(
        Job(f"{assignment}/reference/{notebook}", plan.notebook, files, limits, sandbox)
    )
    run = NotebookRun.from_dict(result["run"])
    observations = {
        cell.grade_id: run.cells[cell.index].observations
        for cell in plan.graded
        if cell.kind == "test"
    }
    for verdict in judge_plan(plan, run, observations):
        if verdict.score is not None and not verdict.passed:
            raise CourseError(
                f"the instructor's solution of {assignment}/{notebook} fails {verdict.grade_id}: "
                f"{verdict.message}{' (' + run.error + ')' if run.error else ''}; "
                "fix the source notebook, then release again"
            )
    check_recomputed(f"{assignment}/{notebook}", plan, observations)
    check_graded_as_student(
        f"{assignment}/{notebook}", (source, release), files, observations, limits, sandbox
    )
    cache.parent.mkdir(parents=True, exist_ok=True)
    seconds = {  # for release's warning when the solution is slow (course_limits.py)
        _name(plan.notebook.cells[c.index], c.index): c.seconds
        for c in run.cells
        if plan.notebook.cells[c.index].cell_type == "code"
    }
    # where each check's expected value comes from, for instructors to audit (expected.py)
    sources = {cell.grade_id: cell.sources for cell in plan.graded if cell.kind == "test"}
    cache.write_text(
        json.dumps(
            {"key": key, "observations": observations, "seconds": seconds, "sources": sources}
        )
    )
    return observations


def _name(cell: Any, index: int) -> str:
    """A cell's name in warnings: its nbgrader id, else its number."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return str(grade_id) if grade_id else str(index + 1)


def reference_seconds(course: Course, assignment: str, notebook: str) -> dict[str, float]:
    """How long each code cell of the instructor's solution ran when ``reference_for`` ran it.

    Kept in the reference cache; empty until the solution has been run.
    """
    cache = course.state_dir() / "reference" / assignment / f"{notebook}.json"
    try:
        seconds = json.loads(cache.read_text()).get("seconds", {})
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in seconds.items()} if isinstance(seconds, dict) else {}


def check_recomputed(name: str, plan: Plan, observations: dict[str, list[Any]]) -> None:
    """CourseError unless every expected side the grader recomputes from a student's data
    (see expected.py) gives, on the reference run's own data, the value that run computed."""
    for cell in plan.graded:
        for number, observed in enumerate(observations.get(cell.grade_id, [])):
            site = observed.get("site", -1) if isinstance(observed, dict) else -1
            recipes = cell.recipes[site] if 0 <= site < len(cell.recipes) else {}
            problem = verify_reference(recipes, observed.get("data", {})) if recipes else None
            if problem:
                raise CourseError(
                    f"{name}, test cell {cell.grade_id}, check call {number + 1} "
                    f"({observed.get('check')}): {problem}; write the expected side from "
                    "plain data the test reads before the check"
                )


def check_graded_as_student(
    name: str,
    notebooks: tuple[Any, Any],
    files: dict[str, bytes],
    observations: dict[str, list[Any]],
    limits: Limits,
    sandbox: bool,
) -> None:
    """Grade the instructor's solution as a student's notebook; CourseError unless full marks.

    The student-role rewrite leaves the expected side out of every test cell; should it leave
    out something the student's side depends on (a ``loss.backward()`` whose gradients the
    tested code reads), the solution itself loses points here, before any student does.
    """
    source, release = notebooks
    plan = assemble(source, source, release, role="student")
    result = execute_job(Job(f"{name}/solution-as-student", plan.notebook, files, limits, sandbox))
    run = NotebookRun.from_dict(result["run"])
    for verdict in judge_plan(plan, run, observations):
        if verdict.score is not None and not verdict.passed:
            raise CourseError(
                f"graded as a student's notebook, the instructor's solution of "
                f"{name} fails test cell {verdict.grade_id}: {verdict.message}; "
                "the grader's student version of that test cell (expected values left out) "
                "does not behave as the cell does: report it, or write the cell's expected "
                "values without side effects on the tested objects"
            )
