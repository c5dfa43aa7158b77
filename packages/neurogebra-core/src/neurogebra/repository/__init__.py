"""The formula repository: every pre-built formula, one module per category.

Each module holds a list ``ENTRIES`` of :class:`FormulaEntry`; :func:`all_entries` gathers them
(checking that names are unique) for :class:`~neurogebra.core.forge.MathForge`.

Example:
    >>> len(CATEGORIES)
    10
    >>> entries_by_name()["relu"].formula
    'Max(0, x)'
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from neurogebra.repository.entry import FormulaEntry

__all__ = ["CATEGORIES", "FormulaEntry", "all_entries", "entries_by_name"]

# The categories, in the order the documentation lists them; each is a module of this package.
CATEGORIES = (
    "activations",
    "losses",
    "regularizers",
    "algebra",
    "calculus",
    "statistics",
    "linear_algebra",
    "metrics",
    "optimization",
    "transforms",
)


@cache
def all_entries() -> tuple[FormulaEntry, ...]:
    """Every entry of every category, in category order."""
    entries: list[FormulaEntry] = []
    for category in CATEGORIES:
        module = import_module(f"neurogebra.repository.{category}")
        for entry in module.ENTRIES:
            if entry.category != category:
                raise RuntimeError(f"{entry.name} is filed under {category}, not {entry.category}")
            entries.append(entry)
    names = [e.name for e in entries]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise RuntimeError(f"repository names used twice: {', '.join(duplicates)}")
    return tuple(entries)


@cache
def entries_by_name() -> dict[str, FormulaEntry]:
    """Entries keyed by name."""
    return {entry.name: entry for entry in all_entries()}
