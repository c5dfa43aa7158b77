"""The time limits a course's notebooks are graded under, and where each one comes from.

Precedence, for the limit per cell: the command line (``--cell-timeout``), then the course's
``nbgrader_config.py`` (``c.Execute.timeout``, read as nbgrader reads it: traitlets also
applies ``ExecutePreprocessor.timeout`` and ``NotebookClient.timeout``, nbgrader's
``Execute`` being their subclass), then the grader's default (60 s). A course timeout of
``None`` or ``-1`` (nbgrader: no limit) leaves each cell only the notebook's budget. The
budget per notebook is ``--timeout`` or the grader's default (240 s): nbgrader has no such
setting.

``autograde`` writes the limits it used into the course's ``.neurogebra/limits/`` folder, so
``report`` can print them.

Example:
    >>> from traitlets.config import Config
    >>> config = Config()
    >>> config.Execute.timeout = 120
    >>> course_cell_timeout(config)
    120.0
    >>> limits, said = resolve_limits(config)
    >>> limits.cell_seconds, said["cell_seconds"]
    (120.0, 'nbgrader_config.py: c.Execute.timeout')
    >>> resolve_limits(config, cell_seconds=5)[1]["cell_seconds"]
    'command line'
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from traitlets import TraitError
from traitlets.config import Config

from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.sandbox.limits import Limits

DEFAULT = "the grader's default"
CLI = "command line"
SOLUTION_SHARE = 3  # the solution may use at most a third of the limit per cell


def _setting(config: Config) -> str | None:
    """Which class's ``timeout`` of the course's config nbgrader's Execute would use, if any."""
    from nbgrader.preprocessors import Execute

    for cls in Execute.mro():  # the most specific first, as traitlets decides
        if hasattr(cls, "class_traits") and "timeout" in config.get(cls.__name__, {}):
            return cls.__name__
    return None


def course_cell_timeout(config: Config) -> float | None:
    """The course's own limit per cell in seconds, math.inf for "no limit", None if unset.

    Read by instantiating nbgrader's ``Execute`` with the course's config, exactly as nbgrader
    does when it autogrades (so a value set on a parent class counts too); a value nbgrader
    would refuse is a CourseError here.
    """
    from nbgrader.preprocessors import Execute

    if _setting(config) is None:
        return None
    try:
        timeout = Execute(config=config).timeout
    except TraitError as error:
        raise CourseError(f"nbgrader_config.py: c.Execute.timeout is not valid: {error}") from None
    if timeout is None or timeout <= 0:
        return math.inf
    return float(timeout)


def resolve_limits(
    config: Config,
    base: Limits | None = None,
    *,
    cell_seconds: float | None = None,
    wall_seconds: float | None = None,
) -> tuple[Limits, dict[str, str]]:
    """The limits to grade with, and where each time limit came from (see module docstring).

    ``base`` holds the other caps; ``cell_seconds`` and ``wall_seconds`` are what the command
    line gave (None: not given).
    """
    base = base or Limits()
    wall, wall_from = (
        (wall_seconds, CLI) if wall_seconds is not None else (base.wall_seconds, DEFAULT)
    )
    course = course_cell_timeout(config)
    if cell_seconds is not None:
        cell, cell_from = cell_seconds, CLI
    elif course is None:
        cell, cell_from = base.cell_seconds, DEFAULT
    elif math.isinf(course):  # no limit per cell: the notebook's budget is the only one
        cell, cell_from = wall, f"nbgrader_config.py: c.{_setting(config)}.timeout is unlimited"
    else:
        cell, cell_from = course, f"nbgrader_config.py: c.{_setting(config)}.timeout"
    limits = dataclasses.replace(base, cell_seconds=cell, wall_seconds=wall)
    return limits, {"cell_seconds": cell_from, "wall_seconds": wall_from}


def describe(limits: Limits, said: dict[str, str] | None = None) -> str:
    """One line for the report.

    >>> describe(Limits(cell_seconds=120), {"cell_seconds": "course", "wall_seconds": "default"})
    'time limits: 120 s per cell (course), 240 s per notebook (default)'
    """
    said = said or {}
    cell = f" ({said['cell_seconds']})" if "cell_seconds" in said else ""
    wall = f" ({said['wall_seconds']})" if "wall_seconds" in said else ""
    return (
        f"time limits: {limits.cell_seconds:g} s per cell{cell}, "
        f"{limits.wall_seconds:g} s per notebook{wall}"
    )


def _record_path(course: Course, assignment: str) -> Path:
    return course.state_dir() / "limits" / f"{assignment}.json"


def record_limits(course: Course, assignment: str, limits: Limits, said: dict[str, str]) -> None:
    """Keep the limits an autograde run used, for ``report``."""
    path = _record_path(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"limits": limits.as_dict(), "from": said}))


def recorded_limits(course: Course, assignment: str) -> tuple[Limits, dict[str, str]] | None:
    """The limits the last autograde run of ``assignment`` used (None: none recorded)."""
    path = _record_path(course, assignment)
    try:
        data: dict[str, Any] = json.loads(path.read_text())
        return Limits(**data["limits"]), dict(data.get("from", {}))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def slow_solution_cells(seconds: dict[str, float], limits: Limits) -> list[str]:
    """Warnings for the solution's cells that use more than a third of the limit per cell.

    ``seconds`` maps each cell's name to the time the instructor's solution took in it.

    >>> slow_solution_cells({"train": 25.0, "mse": 0.1}, Limits(cell_seconds=60))
    ['cell train took 25.0 s, more than a third of the 60 s limit per cell (20 s)']
    """
    share = limits.cell_seconds / SOLUTION_SHARE
    return [
        f"cell {name} took {took:.1f} s, more than a third of the "
        f"{limits.cell_seconds:g} s limit per cell ({share:g} s)"
        for name, took in seconds.items()
        if took > share
    ]
