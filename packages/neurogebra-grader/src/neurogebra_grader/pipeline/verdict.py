"""Verdicts for every graded cell, decided in the trusted process from plain data.

A test cell earns its points when the kernel ran it without error and reported, call for
call, the same checks as the instructor's solution run, each of which the trusted judge
passes. Anything else (a missing, extra or malformed report, an error, a timeout) earns
nothing. Messages about hidden tests never show their expected values.

Example:
    >>> CellVerdict("t1", 5.0, 5.0, "passed").passed
    True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from neurogebra_grader.pipeline.expected import PREFIX, expected_data
from neurogebra_grader.pipeline.judges import judge_call
from neurogebra_grader.pipeline.plan import GradedCell, Plan
from neurogebra_grader.pipeline.probes import SPECS
from neurogebra_grader.sandbox.runner import NotebookRun

UNANSWERED = "unanswered: no readable answer cell with this id was submitted"
HIDDEN_FAILED = "a hidden test failed: the answer is wrong on inputs the visible tests don't try"


@dataclass
class CellVerdict:
    """The score of one graded cell (None: waits for manual grading) and what to tell."""

    grade_id: str
    points: float
    score: float | None
    message: str

    @property
    def passed(self) -> bool:
        return self.score is not None and self.score >= self.points

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _valid(observation: Any) -> bool:
    """A report of the shape observe() makes; anything else (e.g. a list as the check's name,
    which can't even be looked up) is hostile data and fails the test, never the judge."""
    return (
        type(observation) is dict
        and type(observation.get("site")) is int
        and type(observation.get("check")) is str
        and observation["check"] in SPECS
        and type(observation.get("data")) is dict
    )


def judge_test(
    cell: GradedCell, observed: list[Any], reference: list[Any], status: str, error: str
) -> tuple[bool, str]:
    """(passed, message) for one test cell."""
    if status != "ok":
        reason = error or status
        return False, f"the test did not run to the end: {reason}"
    if len(observed) < len(reference):
        return False, "the test stopped before all its checks ran"
    if len(observed) > len(reference) or not all(_valid(o) for o in observed):
        return False, "the test reported results the test itself does not make"
    for got, want in zip(observed, reference, strict=True):
        if (got["site"], got["check"]) != (want["site"], want["check"]):
            return False, "the checks ran in an unexpected order"
        try:
            failure = _judge_site(cell, want, got["data"])
        except Exception as exc:  # malformed data from the kernel: no points, say why
            return False, f"{want['check']}: the answer could not be read ({type(exc).__name__})"
        if failure is not None:
            hidden = (
                cell.hidden_sites[min(want["site"], len(cell.hidden_sites) - 1)]
                if cell.hidden_sites
                else False
            )
            if hidden:  # say which part, never what the hidden test tried or expected
                return False, HIDDEN_FAILED
            return False, failure.message()
    return True, "passed"


def _judge_site(cell: GradedCell, want: dict[str, Any], data: dict[str, Any]) -> Any:
    """judge_call, with the recomputed expected arguments (expected.py) computed first."""
    site = want["site"]
    recipes = cell.recipes[site] if 0 <= site < len(cell.recipes) else {}
    reference = want["data"]
    if recipes:
        what = str(reference.get("what", "the result"))
        reference, failure = expected_data(recipes, data, reference, what)
        if failure is not None:
            return failure
    student = {k: v for k, v in data.items() if not k.startswith(PREFIX)}
    return judge_call(want["check"], student, reference)


def judge_plan(plan: Plan, run: NotebookRun, reference: dict[str, list[Any]]) -> list[CellVerdict]:
    """One verdict per graded cell of ``plan``."""
    verdicts = []
    for cell in plan.graded:
        ran = run.cells[cell.index] if cell.index < len(run.cells) else None
        status, error = (ran.status, ran.error) if ran else ("not run", "")
        if cell.kind == "manual":
            verdicts.append(CellVerdict(cell.grade_id, cell.points, None, "graded by hand"))
            continue
        if cell.kind == "answer" and not cell.answered:
            verdicts.append(CellVerdict(cell.grade_id, cell.points, 0.0, UNANSWERED))
            continue
        if cell.kind == "answer":
            ok = status == "ok"
            verdicts.append(
                CellVerdict(
                    cell.grade_id,
                    cell.points,
                    cell.points if ok else 0.0,
                    "ran without error" if ok else f"failed: {error or status}",
                )
            )
            continue
        observed = ran.observations if ran and type(ran.observations) is list else []
        try:
            passed, message = judge_test(
                cell, observed, reference.get(cell.grade_id, []), status, str(error)[:500]
            )
        except Exception as exc:  # whatever the kernel sent, it fails this test only
            passed, message = False, f"the test's reports could not be read ({type(exc).__name__})"
        verdicts.append(
            CellVerdict(cell.grade_id, cell.points, cell.points if passed else 0.0, message)
        )
    return verdicts


RESOURCE_ERRORS = ("MemoryError", "RecursionError", "BlockingIOError", "PermissionError")


def resource_errors(run: NotebookRun, plan: Plan) -> list[str]:
    """Errors in the student's own cells that mean a limit or the sandbox stopped them."""
    graded = {g.index for g in plan.graded}
    return [
        f"cell {cell.index + 1}: {cell.error} (stopped by the sandbox's limits)"
        for cell in run.cells
        if cell.index not in graded
        and cell.status == "error"
        and str(cell.error).split(":")[0] in RESOURCE_ERRORS
    ]


def unrun_verdicts(plan: Plan, reason: str) -> list[CellVerdict]:
    """Zero for every graded cell of a plan whose notebook could not be run or judged."""
    return [CellVerdict(g.grade_id, g.points, 0.0, reason) for g in plan.graded]
