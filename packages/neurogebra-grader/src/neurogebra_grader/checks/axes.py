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
from typing import Any

from neurogebra_grader.checks.check import TEXT, VALUE, Check
from neurogebra_grader.failure import Failure, raise_failure

__all__ = ["AXES", "check_axes", "describe_axes", "judge_axes"]


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
    """A Failure for the first thing the plot is missing.

    A scatter plot may be drawn with ``ax.scatter`` or as markers without a line
    (``ax.plot(x, y, "o")``); a curve of ``line_points`` points as a line or as markers.
    """
    markers = list(facts.get("markers", []))
    if lines is not None and len(facts["lines"]) < lines:
        return Failure(
            what,
            f"at least {lines} line(s)",
            f"{len(facts['lines'])}",
            hint or "draw it with ax.plot",
        )
    if line_points is not None and line_points not in [*facts["lines"], *markers]:
        return Failure(
            what,
            f"a line through {line_points} points",
            f"lines of {facts['lines']} points",
            hint or "plot one point per value",
        )
    if scatter_points is not None and scatter_points not in [*facts["scatter_points"], *markers]:
        return Failure(
            what,
            f"a scatter plot of {scatter_points} points",
            f"scatter plots of {[*facts['scatter_points'], *markers]} points",
            hint or 'draw the data points with ax.scatter (or ax.plot(x, y, "o"))',
        )
    if filled and not facts["filled"]:
        return Failure(
            what, "filled class regions", "none", hint or "draw the regions with ax.contourf"
        )
    if labelled and not (facts["xlabel"] and facts["ylabel"]):
        return Failure(
            what,
            "both axes labelled",
            f"xlabel={facts['xlabel']!r}, ylabel={facts['ylabel']!r}",
            hint or "name the axes with ax.set_xlabel and ax.set_ylabel",
        )
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
    expected={},  # no expected side: what the plot must show is settings
)
