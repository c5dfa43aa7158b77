"""After a cell runs out of time: which cells a fresh kernel re-runs, and what to say.

A cell over its time limit fails alone. The runner kills the kernel (it never interrupts it),
starts a fresh one in the same sandbox and re-runs, in order, the earlier cells that set up
what later cells use: the student's answers and own cells and the instructor's locked cells,
but no test cell and no cell that ran out of time. Then it goes on after the stopped cell.
Restarts and re-runs are charged to the notebook's one wall-clock budget, so a notebook whose
every cell loops costs no more than that budget.

Example:
    >>> roles = ["given", "answer", "test", "answer", "test", "extra", "test"]
    >>> replay_after(roles, upto=4, skipped={3})
    [0, 1]
    >>> replay_after(roles, upto=7, skipped={3, 6})
    [0, 1, 5]
    >>> cell_timeout(2.04, 2)
    'the cell ran longer than 2 s (its time limit per cell) and was stopped after 2.0 s'
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

# the cells whose effects later cells may use: re-run after a restart
SETUP_ROLES = ("given", "answer", "extra")


def cell_role(cell: Any) -> str:
    """What a planned cell is: answer, test, given (instructor's locked code), extra or text.

    ``extra`` is a code cell without nbgrader metadata: one the student added.

    >>> import nbformat
    >>> cell_role(nbformat.v4.new_code_cell("x = 1"))
    'extra'
    >>> cell_role(nbformat.v4.new_markdown_cell("# Task"))
    'text'
    """
    if cell.get("cell_type") != "code":
        return "text"
    meta = cell.get("metadata", {}).get("nbgrader")
    if not isinstance(meta, dict) or not meta:
        return "extra"
    if meta.get("solution"):
        return "answer"
    if meta.get("grade"):
        return "test"
    return "given"


def replay_after(roles: Sequence[str], upto: int, skipped: Collection[int]) -> list[int]:
    """Indices to re-run, in order, in a fresh kernel before it runs cell ``upto`` and on.

    ``roles`` are the notebook's cell roles (:func:`cell_role`); ``skipped`` the cells that ran
    out of time so far (never re-run: each would only run out of time again).
    """
    return [
        index
        for index, role in enumerate(roles[:upto])
        if role in SETUP_ROLES and index not in skipped
    ]


def cell_timeout(seconds: float, limit: float) -> str:
    """A timed-out cell's error: the limit and the time it ran."""
    return (
        f"the cell ran longer than {limit:g} s (its time limit per cell) "
        f"and was stopped after {seconds:.1f} s"
    )


def budget_timeout(seconds: float, budget: float) -> str:
    """The error of the cell during which the notebook's budget ran out."""
    return (
        f"the notebook ran out of time: this cell was stopped after {seconds:.1f} s, when the "
        f"notebook's budget of {budget:g} s in all was used up"
    )


def budget_used_up(budget: float) -> str:
    """The error of each cell that never ran because the budget was used up."""
    return f"not run: the notebook's time budget of {budget:g} s in all was used up before it"


def restarted(index: int, error: str, replayed: int | None) -> str:
    """The run's note on a cell that ran out of time (for the report's error column).

    ``replayed`` is how many earlier cells a fresh kernel re-ran (None: no restart followed).

    >>> restarted(3, "the cell ran longer than ...", 2)
    'cell 4: the cell ran longer than ...; the kernel was restarted and 2 earlier cells re-run'
    """
    if replayed is None:
        return f"cell {index + 1}: {error}"
    again = f"{replayed} earlier cell{'s' if replayed != 1 else ''}"
    return f"cell {index + 1}: {error}; the kernel was restarted and {again} re-run"
