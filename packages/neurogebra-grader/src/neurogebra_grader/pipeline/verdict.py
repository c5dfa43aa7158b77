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

from neurogebra_grader.pipeline.expected import PREFIX as REPORTED
from neurogebra_grader.pipeline.expected import expected_data
from neurogebra_grader.pipeline.hidden import PREFIX, hidden_message
from neurogebra_grader.pipeline.judges import judge_call
from neurogebra_grader.pipeline.plaindata import BadData, decode
from neurogebra_grader.pipeline.plan import GradedCell, Plan
from neurogebra_grader.pipeline.probes import SPECS
from neurogebra_grader.pipeline.timeouts import time_verdict
from neurogebra_grader.sandbox.runner import NotebookRun

HIDDEN_FAILED = PREFIX  # how the message of every failed hidden check starts
UNANSWERED = "unanswered: no readable answer cell with this id was submitted"


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


def _hidden(cell: GradedCell, site: int) -> bool:
    if not cell.hidden_sites:
        return False
    return cell.hidden_sites[min(site, len(cell.hidden_sites) - 1)]


def _test_hint(reference: dict[str, Any]) -> str:
    try:
        return str(decode(reference["hint"])) if "hint" in reference else ""
    except BadData:
        return ""


def _key(report: dict[str, Any]) -> tuple[Any, Any]:
    return report["site"], report["check"]


def judge_check(cell: GradedCell, got: dict[str, Any], want: dict[str, Any]) -> str | None:
    """None when one reported check passes, else its message (worded for hidden checks)."""
    try:
        failure = _judge_site(cell, want, got["data"])
    except Exception as exc:  # malformed data from the kernel: no points, say why
        return f"{want['check']}: the answer could not be read ({type(exc).__name__})"
    if failure is None:
        return None
    if _hidden(cell, want["site"]):  # what it tested in words, never its inputs or numbers
        return hidden_message(failure, test_hint=_test_hint(want["data"]))
    return failure.message()


def judge_test(
    cell: GradedCell, observed: list[Any], reference: list[Any], status: str, error: str
) -> tuple[bool, str]:
    """(passed, message) for one test cell.

    The reports must be the reference run's checks, in order; a test that finished with
    fewer of them (a loop in it ran fewer times) fails, and its message gives each
    check's own verdict.
    """
    if status != "ok":
        reason = error or status
        return False, f"the test did not run to the end: {reason}"
    if len(observed) > len(reference) or not all(_valid(o) for o in observed):
        return False, "the test reported results the test itself does not make"
    fewer = len(observed) < len(reference)
    verdicts: list[str | None] = []  # one per reference check: None passed, else its message
    at = 0
    for got in observed:
        key = (got["site"], got["check"])
        while fewer and at < len(reference) and key != _key(reference[at]):
            verdicts.append(NOT_RUN)  # skipped: this report belongs to a later check
            at += 1
        if at == len(reference) or key != _key(reference[at]):
            return False, "the checks ran in an unexpected order"
        verdicts.append(judge_check(cell, got, reference[at]))
        at += 1
    verdicts += [NOT_RUN] * (len(reference) - at)
    if len(observed) == len(reference):
        failed = [v for v in verdicts if v is not None]
        return (False, failed[0]) if failed else (True, "passed")
    return False, fewer_message(verdicts)


NOT_RUN = "did not run"


def fewer_message(verdicts: list[str | None]) -> str:
    """The message for a test that finished having run only some of its checks.

    Example:
        >>> print(fewer_message([None, "f(2): expected 4, got 5.", NOT_RUN, NOT_RUN]))
        ... # doctest: +NORMALIZE_WHITESPACE
        the test ran to the end, but only 2 of its 4 checks ran (with your code, the test
        took another path: e.g. a loop in it ran fewer times). Check 1: passed. Check 2:
        f(2): expected 4, got 5. Checks 3-4: did not run.
    """
    ran = sum(v != NOT_RUN for v in verdicts)
    text = (
        f"the test ran to the end, but none of its checks ran (it has {len(verdicts)})"
        if not ran
        else f"the test ran to the end, but only {ran} of its {len(verdicts)} checks ran"
    )
    text += " (with your code, the test took another path: e.g. a loop in it ran fewer times)."
    start = 0
    while start < len(verdicts):  # runs of the same plain verdict are said once
        verdict, end = verdicts[start], start + 1
        if verdict is None or verdict == NOT_RUN:
            while end < len(verdicts) and verdicts[end] == verdict:
                end += 1
        said = "passed" if verdict is None else verdict.rstrip(".")
        which = f"Check {start + 1}" if end == start + 1 else f"Checks {start + 1}-{end}"
        text += f" {which}: {said}."
        start = end
    return text


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
    student = {k: v for k, v in data.items() if not k.startswith(REPORTED)}
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
        timed = time_verdict(plan, run, cell)  # over its time limit, or needed an unfinished cell
        if timed is not None:
            verdicts.append(CellVerdict(cell.grade_id, cell.points, 0.0, timed))
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
