"""The trusted half of every check: judge a student's plain data against the reference.

Runs in the grader's own process. It reads only decoded plain data (see plaindata.py): the
student's observations, and the reference run's observations of the instructor's solution
(expected values, settings), completed by the check's own defaults. It calls the check's judge
from the registry, which calls the package's ``judge_*`` functions, so a grade means exactly
what the check means in a student's notebook.

Example:
    >>> import numpy as np
    >>> from neurogebra_grader.pipeline.plaindata import encode
    >>> student = {"got": encode(np.array([1.0, 2.0]))}
    >>> reference = {"got": encode(np.array([1.0, 2.5])), "expected": encode(np.array([1.0, 2.5]))}
    >>> judge_call("check_close", student, reference).got
    '[1, 2] (1 of 2 items differ, the first at index 1)'
"""

from __future__ import annotations

from typing import Any

from neurogebra_grader.failure import Failure
from neurogebra_grader.pipeline.plaindata import BadData, decode
from neurogebra_grader.pipeline.probes import SPECS


def _settings(check: str, reference: dict[str, Any]) -> dict[str, Any]:
    """Every parameter of the check: the reference run's values, else the check's defaults."""
    values = SPECS[check].defaults()
    values.update({name: decode(value) for name, value in reference.items()})
    return values


def _unreadable(what: str, data: Any, hint: str) -> Failure | None:
    if isinstance(data, dict) and ("not_plain" in data or "error" in data):
        got = str(data.get("not_plain") or data.get("error"))[:200]
        return Failure(what, "plain numbers", got, hint or "return floats, lists or arrays")
    return None


def judge_call(check: str, student: dict[str, Any], reference: dict[str, Any]) -> Failure | None:
    """A Failure, or None when the student's observation passes this check call: the common
    checks of the reported data here, then the check's own judge (see checks/registry.py)."""
    if check not in SPECS:
        raise ValueError(f"no judge for {check}")
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
    return SPECS[check].judge(got, ref, what, hint)
