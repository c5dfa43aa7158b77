"""``check_axes``: a matplotlib Axes with the lines, points, fills and labels asked for.

Example:
    >>> AXES.student
    {'ax': 'axes'}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from neurogebra_grader.checks.check import TEXT, VALUE, Check
from neurogebra_grader.checks.plots import check_axes, describe_axes, judge_axes
from neurogebra_grader.failure import Failure

_SETTINGS = ("lines", "line_points", "scatter_points", "filled", "labelled")


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    settings = {k: ref[k] for k in _SETTINGS}
    return judge_axes(what, got["ax"], hint=hint, **settings)


def _probe(value: Any, setting: Callable[[str], Any]) -> Any:
    if not hasattr(value, "get_lines"):
        return {"not_plain": f"a {type(value).__name__}, not a matplotlib Axes"}
    return describe_axes(value)


AXES = Check(
    check_axes,
    student={"ax": "axes"},
    reference={**dict.fromkeys(_SETTINGS, VALUE), **TEXT},
    judge=_judge,
    probes={"axes": _probe},
)
