"""The trusted half of every check: judge a student's plain data against the reference.

Runs in the grader's own process. It reads only decoded plain data (see plaindata.py): the
student's observations, and the reference run's observations of the instructor's solution
(expected values, settings), completed by the check's own defaults. It calls the package's
``judge_*`` functions, so a grade means exactly what the check means in a student's notebook.

Example:
    >>> from neurogebra_grader.pipeline.plaindata import encode
    >>> student = {"got": encode(np.array([1.0, 2.0]))}
    >>> reference = {"got": encode(np.array([1.0, 2.5])), "expected": encode(np.array([1.0, 2.5]))}
    >>> judge_call("check_close", student, reference).got
    '[1, 2] (1 of 2 items differ, the first at index 1)'
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from neurogebra_grader.failure import Failure
from neurogebra_grader.pipeline.plaindata import BadData, decode
from neurogebra_grader.pipeline.probes import SPECS


def _settings(check: str, reference: dict[str, Any]) -> dict[str, Any]:
    """Every parameter of the check: the reference run's values, else the check's defaults."""
    import neurogebra_grader.checks as checks

    params = inspect.signature(getattr(checks, check)).parameters
    values = {n: p.default for n, p in params.items() if p.default is not inspect.Parameter.empty}
    values.update({name: decode(value) for name, value in reference.items()})
    return values


def _unreadable(what: str, data: Any, hint: str) -> Failure | None:
    if isinstance(data, dict) and ("not_plain" in data or "error" in data):
        got = str(data.get("not_plain") or data.get("error"))[:200]
        return Failure(what, "plain numbers", got, hint or "return floats, lists or arrays")
    return None


def judge_call(check: str, student: dict[str, Any], reference: dict[str, Any]) -> Failure | None:
    """A Failure, or None when the student's observation passes this check call."""
    from neurogebra_grader.checks import classification, engine, gradients, numbers, plots

    ref = _settings(check, reference)
    what, hint = str(ref.get("what", "the result")), str(ref.get("hint", ""))
    missing = [name for name in SPECS[check].student if name not in student]
    missing = [m for m in missing if SPECS[check].student[m] not in ("none", "value")]
    if missing:
        return Failure(what, "an answer", "nothing was reported", "run every cell in order")
    try:
        got = {name: decode(value) for name, value in student.items()}
    except BadData as error:
        return Failure(
            what, "plain data", f"unreadable data ({error})", hint or "return floats or lists"
        )
    for name, kind in SPECS[check].student.items():
        if kind not in ("value", "none") and name in got:
            failure = _unreadable(what, got[name], hint)
            if failure:
                return failure
    if check == "check_close":
        return numbers.judge_close(
            what,
            got["got"],
            np.asarray(ref["expected"], dtype=float),
            rtol=float(ref["rtol"]),
            atol=float(ref["atol"]),
            hint=hint,
        )
    if check == "check_equal":
        expected = ref["expected"]
        value = got["got"]
        if isinstance(expected, list) and isinstance(value, list):
            expected, value = tuple(expected), tuple(value)
        return numbers.judge_equal(what, value, expected, hint=hint)
    if check == "check_decreasing":
        return numbers.judge_decreasing(what, got["values"], factor=float(ref["factor"]), hint=hint)
    if check == "check_type":
        info = got["obj"]
        if isinstance(info, dict) and info.get("isinstance") is True:
            return None
        return Failure(
            what, "the right type", f"a {info.get('type', '?')}", hint or "see the task text"
        )
    if check == "check_gradient":
        return gradients.judge_gradient(
            what,
            got["got"],
            np.asarray(ref["f"], dtype=float),
            list(np.ravel(ref["at"])),
            rtol=float(ref["rtol"]),
            atol=float(ref["atol"]),
            names=list(ref["names"] or ()),
            hint=hint,
        )
    if check == "check_accuracy":
        return classification.judge_accuracy(
            what,
            got["predictions"],
            np.asarray(ref["labels"]),
            at_least=float(ref["at_least"]),
            hint=hint,
        )
    if check == "check_value_engine":
        return _judge_engine(got["value_cls"], ref, engine)
    if check == "check_axes":
        settings = {
            k: ref[k] for k in ("lines", "line_points", "scatter_points", "filled", "labelled")
        }
        return plots.judge_axes(what, got["ax"], hint=hint, **settings)
    raise ValueError(f"no judge for {check}")


_ENGINE_HINT = "leave check_value_engine and the battery it runs as they are"


def _judge_engine(reports: Any, ref: dict[str, Any], engine: Any) -> Failure | None:
    ops = tuple(ref["ops"]) if isinstance(ref["ops"], list | tuple) else ref["ops"]
    programs = engine.battery(ops, seed=int(ref["seed"]), n_graphs=int(ref["n_graphs"]))
    expected = ref.get("value_cls")
    if not isinstance(reports, list) or len(reports) != len(programs):
        return Failure(
            "Value engine", f"{len(programs)} results", "a different number", _ENGINE_HINT
        )
    if not isinstance(expected, list) or len(expected) != len(programs):
        raise ValueError("the reference run did not report the Value-engine battery")
    for program, got, want in zip(programs, reports, expected, strict=True):
        try:
            got, want = _engine_report(got), _engine_report(want)
        except (TypeError, ValueError, KeyError):
            return Failure("Value engine", "a report per program", "malformed data", _ENGINE_HINT)
        if "error" not in got and len(got["grads"]) != len(program.leaves):
            return Failure(
                "Value engine", "one gradient per leaf", "a different number", _ENGINE_HINT
            )
        failure = engine.judge_run(program, got, want)
        if failure is not None:
            return failure
    return None


def _engine_report(report: Any) -> dict[str, Any]:
    """A run_program report rebuilt from plain data with builtin types only."""
    if not isinstance(report, dict):
        raise TypeError("not a report")
    if "error" in report:
        return {"error": str(report["error"]), "during": str(report.get("during", ""))}
    return {
        "data": float(report["data"]),
        "grads": [float(g) for g in report["grads"]],
        "initial_grads": [float(g) for g in report["initial_grads"]],
    }
