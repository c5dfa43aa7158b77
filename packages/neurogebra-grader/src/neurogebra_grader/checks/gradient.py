"""``check_gradient``: a gradient against central differences of the reference function.

Example:
    >>> GRADIENT.reference["f"]
    'gradient'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from neurogebra_grader.checks.check import TEXT, VALUE, Check
from neurogebra_grader.checks.gradients import central_differences, check_gradient, judge_gradient
from neurogebra_grader.failure import Failure


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    return judge_gradient(
        what,
        got["got"],
        np.asarray(ref["f"], dtype=float),
        list(np.ravel(ref["at"])),
        rtol=float(ref["rtol"]),
        atol=float(ref["atol"]),
        names=list(ref["names"] or ()),
        hint=hint,
    )


def _probe(value: Any, setting: Callable[[str], Any]) -> Any:
    return central_differences(value, setting("at"), h=setting("h"))


GRADIENT = Check(
    check_gradient,
    student={"got": "array"},
    reference={
        "f": "gradient",
        "at": "array",
        "h": VALUE,
        "names": VALUE,
        "rtol": VALUE,
        "atol": VALUE,
        **TEXT,
    },
    judge=_judge,
    probes={"gradient": _probe},
)
