"""``check_axes``: a matplotlib Axes with the lines, points, fills and labels asked for.

Its student-facing function, the kernel's probe of the ``axes`` kind (:func:`describe_axes`
reads an Axes into plain data), the judge of that description, and its
:class:`~neurogebra_grader.checks.check.Check`. It has no expected side: what the plot must
contain is settings written in the test.

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1, 2], [1, 0, 1]); _ = ax.set_xlabel("epoch"); _ = ax.set_ylabel("loss")
    >>> check_axes(ax, lines=1, what="the loss curve")
    >>> plt.close(fig)
    >>> AXES.student
    {'ax': 'axes'}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from neurogebra_grader.checks.check import TEXT, VALUE, Check
from neurogebra_grader.failure import Failure, raise_failure

__all__ = ["AXES", "REQUIREMENTS", "Requirement", "check_axes", "describe_axes", "judge_axes"]


def _markers_only(line: Any) -> bool:
    """A line drawn as markers without a line, as ``ax.plot(x, y, "o")`` draws a scatter."""
    style = line.get_linestyle()
    return style in ("None", "none", " ", "") and line.get_marker() not in (
        "None",
        "none",
        "",
        None,
    )


def describe_axes(ax: Any) -> dict[str, Any]:
    """Plain facts about a matplotlib Axes: line lengths, scatter sizes, fills, labels.

    ``lines`` lists the lines drawn as lines; ``markers`` the lines drawn as markers only
    (``ax.plot(x, y, "o")``), which count as scatter plots and as point-per-value curves.
    """
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.contour import ContourSet

    # offsets: an (N, 2) array; its first dimension, typed for mypy with matplotlib's stubs
    scatter_points = [
        int(np.shape(c.get_offsets())[0]) for c in ax.collections if isinstance(c, PathCollection)
    ]
    filled = any(
        isinstance(c, ContourSet) and c.filled
        for c in [*ax.collections, *getattr(ax, "_children", [])]
    ) or any(type(c).__name__ in {"QuadMesh", "AxesImage"} for c in [*ax.collections, *ax.images])
    return {
        "lines": [len(line.get_xdata()) for line in ax.get_lines() if not _markers_only(line)],
        "markers": [len(line.get_xdata()) for line in ax.get_lines() if _markers_only(line)],
        "scatter_points": scatter_points,
        "filled": bool(filled),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "title": ax.get_title(),
    }


@dataclass(frozen=True)
class Requirement:
    """One thing a test can ask of a plot: when it applies, when it is met, and its message.

    Each function takes the plot's facts (from :func:`describe_axes`) and the test's setting.

    Example:
        >>> REQUIREMENTS[0].name, REQUIREMENTS[0].met({"lines": [5]}, 1)
        ('lines', True)
    """

    name: str
    met: Callable[[dict[str, Any], Any], bool]
    expected: Callable[[Any], str]
    got: Callable[[dict[str, Any]], str]
    hint: str
    applies: Callable[[Any], bool] = lambda setting: setting is not None


def _points_or_markers(facts: dict[str, Any], key: str) -> list[int]:
    """Point counts of the ``key`` plots and of marker-only lines, which count as either."""
    return [*facts[key], *facts.get("markers", [])]


# In the order a student would fix them; the first one not met is the one reported.
REQUIREMENTS = (
    Requirement(
        "lines",
        met=lambda facts, n: len(facts["lines"]) >= n,
        expected=lambda n: f"at least {n} line(s)",
        got=lambda facts: f"{len(facts['lines'])}",
        hint="draw it with ax.plot",
    ),
    Requirement(
        "line_points",
        met=lambda facts, n: n in _points_or_markers(facts, "lines"),
        expected=lambda n: f"a line through {n} points",
        got=lambda facts: f"lines of {facts['lines']} points",
        hint="plot one point per value",
    ),
    Requirement(
        "scatter_points",
        met=lambda facts, n: n in _points_or_markers(facts, "scatter_points"),
        expected=lambda n: f"a scatter plot of {n} points",
        got=lambda facts: f"scatter plots of {_points_or_markers(facts, 'scatter_points')} points",
        hint='draw the data points with ax.scatter (or ax.plot(x, y, "o"))',
    ),
    Requirement(
        "filled",
        met=lambda facts, _: bool(facts["filled"]),
        expected=lambda _: "filled class regions",
        got=lambda _: "none",
        hint="draw the regions with ax.contourf",
        applies=bool,
    ),
    Requirement(
        "labelled",
        met=lambda facts, _: bool(facts["xlabel"] and facts["ylabel"]),
        expected=lambda _: "both axes labelled",
        got=lambda facts: f"xlabel={facts['xlabel']!r}, ylabel={facts['ylabel']!r}",
        hint="name the axes with ax.set_xlabel and ax.set_ylabel",
        applies=bool,
    ),
)


def judge_axes(
    what: str,
    facts: dict[str, Any],
    *,
    lines: int | None = None,
    line_points: int | None = None,
    scatter_points: int | None = None,
    filled: bool = False,
    labelled: bool = True,
    hint: str = "",
) -> Failure | None:
    """A Failure for the first requirement the plot misses, else None.

    A scatter plot may be drawn with ``ax.scatter`` or as markers without a line
    (``ax.plot(x, y, "o")``); a curve of ``line_points`` points as a line or as markers.

    Example:
        >>> facts = {"lines": [3], "markers": [], "scatter_points": [], "filled": False,
        ...          "xlabel": "x", "ylabel": ""}
        >>> judge_axes("the fit", facts, lines=1).expected
        'both axes labelled'
    """
    settings = {
        "lines": lines,
        "line_points": line_points,
        "scatter_points": scatter_points,
        "filled": filled,
        "labelled": labelled,
    }
    for need in REQUIREMENTS:
        setting = settings[need.name]
        if need.applies(setting) and not need.met(facts, setting):
            return Failure(what, need.expected(setting), need.got(facts), hint or need.hint)
    return None


def check_axes(
    ax: Any,
    *,
    what: str = "the plot",
    lines: int | None = None,
    line_points: int | None = None,
    scatter_points: int | None = None,
    filled: bool = False,
    labelled: bool = True,
    hint: str = "",
) -> None:
    """Check that a matplotlib Axes shows the expected lines, scatter points and labels.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots()
        >>> _ = ax.scatter([1, 2], [3, 4])
        >>> check_axes(ax, scatter_points=2, labelled=False)
        >>> plt.close(fig)
    """
    __tracebackhide__ = True
    if not hasattr(ax, "get_lines"):
        raise_failure(Failure(what, "a matplotlib Axes", f"a {type(ax).__name__}", hint))
    facts = describe_axes(ax)
    raise_failure(
        judge_axes(
            what,
            facts,
            lines=lines,
            line_points=line_points,
            scatter_points=scatter_points,
            filled=filled,
            labelled=labelled,
            hint=hint,
        )
    )


_SETTINGS = tuple(need.name for need in REQUIREMENTS)


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
    expected={},  # no expected side: what the plot must show is settings
)
