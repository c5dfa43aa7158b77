"""What a fairness case is: a student's notebook, described by the answer cells it changes, and
the grade a fair teaching assistant gives it.

A case starts from the released notebook with every answer cell filled in with the
instructor's solution (markers removed, as a student who solved it would have it); ``cells``
then replaces the named answer cells with the student's own code, or leaves them as released
(``UNTOUCHED``). ``points`` holds the fair points of every graded cell the student does not
earn in full: a number, or a ``(low, high)`` range where a TA could go either way. Every other
graded cell is worth full marks. ``messages`` lists, per graded cell, the key words its failure
message must contain (``"a|b"``: either word will do; ``"!a"``: must *not* contain ``a``, e.g.
a hint that would send the student after the wrong cause; case does not matter).

Example:
    >>> case = Case("ann", "a typo", {"mse": swap("mse", "np.mean", "np.sum")},
    ...             points={"test-mse": 0})
    >>> case.fair("test-mse", 5.0), case.fair("test-predict", 5.0)
    ((0.0, 0.0), (5.0, 5.0))
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "course"))

from notebook_sources import autograd, linear_regression, spiral_network  # noqa: E402
from notebook_sources.cells import replace_once, solved  # noqa: E402

MODULES = {m.NAME: m for m in (autograd, linear_regression, spiral_network)}
UNTOUCHED = None  # an answer cell left as released (# YOUR CODE HERE)


def solution_code(assignment: str) -> dict[str, str]:
    """Every answer cell of ``assignment`` as a student who solved it writes it."""
    nb = MODULES[assignment].build()
    return {
        c.metadata["nbgrader"]["grade_id"]: solved(c.source)
        for c in nb.cells
        if c.metadata["nbgrader"].get("solution")
    }


def _assignment_of(cell: str) -> str:
    found = [name for name in MODULES if cell in solution_code(name)]
    if len(found) != 1:
        raise ValueError(f"answer cell {cell!r} is in {found or 'no assignment'}")
    return found[0]


def swap(cell: str, old: str, new: str, *more: str) -> str:
    """The solution of answer cell ``cell`` with ``old`` replaced by ``new`` (exactly once);
    ``more`` are further (old, new) pairs."""
    text = solution_code(_assignment_of(cell))[cell]
    pairs = [(old, new), *zip(more[::2], more[1::2], strict=True)]
    for a, b in pairs:
        text = replace_once(text, a, b)
    return text


@dataclass(frozen=True)
class Case:
    """One student's submission and its fair grade (see the module docstring)."""

    student: str
    story: str
    cells: dict[str, str | None]
    points: dict[str, float | tuple[float, float]] = field(default_factory=dict)
    messages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    flags: tuple[str, ...] = ()  # flag codes the report must show (and no others)

    def fair(self, grade_id: str, full: float) -> tuple[float, float]:
        """The fair score range of one graded cell worth ``full`` points."""
        value = self.points.get(grade_id, full)
        low, high = value if isinstance(value, tuple) else (value, value)
        return float(low), float(high)
