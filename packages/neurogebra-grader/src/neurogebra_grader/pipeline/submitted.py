"""Read a submitted notebook as hostile JSON: only the few fields grading needs, each checked.

A student controls every byte of their notebook, so nothing here trusts nbformat's schema:
the reader takes the cell type, the source text and nbgrader's cell id and flags, checks the
type of each, and ignores everything else (outputs, attachments, other metadata). A field of
the wrong type becomes a problem on that cell (its cell then counts as unanswered), and a
notebook that cannot be read at all raises :class:`UnreadableNotebook` with a message that
says what is wrong and how to fix it.

Example:
    >>> nb = read_notebook("hw", b'{"nbformat": 4, "nbformat_minor": 5, "cells": ['
    ...     b'{"cell_type": "code", "source": ["x = ", "1"], "metadata": {}}]}')
    >>> nb.cells[0].source, nb.cells[0].grade_id
    ('x = 1', None)
    >>> try:
    ...     read_notebook("hw", b'{"nbformat": 3, "worksheets": []}')
    ... except UnreadableNotebook as error:
    ...     print(error)
    hw.ipynb is in nbformat 3, not 4: open it in Jupyter and save it again
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

CELL_TYPES = ("code", "markdown", "raw")
MAX_CELLS = 5_000
MAX_ID_CHARS = 120
MAX_SOURCE_CHARS = 2_000_000
_ID = re.compile(r"^[^\x00-\x1f\x7f]+$")  # printable: it is shown in reports


class UnreadableNotebook(ValueError):
    """A submitted notebook that cannot be graded at all; the message names the fix."""


@dataclass(frozen=True)
class CellMeta:
    """nbgrader's per-cell metadata, as the student's file states it (all of it untrusted)."""

    present: bool = False
    grade: bool = False
    solution: bool = False
    locked: bool = False
    points: float | None = None


@dataclass(frozen=True)
class SubmittedCell:
    """One cell of a submitted notebook: what it claims to be and the text it holds."""

    position: int
    cell_type: str  # code, markdown, raw, or "unknown"
    source: str
    grade_id: str | None
    meta: CellMeta = field(default_factory=CellMeta)
    problems: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"cell {self.position + 1}"


@dataclass(frozen=True)
class SubmittedNotebook:
    """The cells of one submitted notebook, in the order the student left them."""

    name: str
    cells: tuple[SubmittedCell, ...]


def _text(value: Any) -> str | None:
    """A source field: a string, or a list of strings joined (nbformat allows both)."""
    if type(value) is str:
        return value
    if type(value) is list and all(type(line) is str for line in value):
        return "".join(value)
    return None


def _flag(meta: dict[str, Any], key: str, problems: list[str]) -> bool:
    value = meta.get(key, False)
    if type(value) is not bool:
        problems.append(f"nbgrader '{key}' is not true or false")
        return False
    return value


def _points(value: Any) -> float | None:
    if type(value) in (int, float) and math.isfinite(value):
        return float(value)
    return None


def _grade_id(value: Any, problems: list[str]) -> str | None:
    if value is None:
        return None
    if type(value) is not str or not value or len(value) > MAX_ID_CHARS or not _ID.match(value):
        shown = repr(value)[:40] if type(value) is str else f"a {type(value).__name__}"
        problems.append(f"unreadable cell id ({shown})")
        return None
    return value


def _cell(position: int, raw: Any) -> SubmittedCell:
    problems: list[str] = []
    if type(raw) is not dict:
        return SubmittedCell(position, "unknown", "", None, problems=("the cell is not an object",))
    cell_type = raw.get("cell_type")
    if type(cell_type) is not str or cell_type not in CELL_TYPES:
        problems.append("unknown cell type")
        cell_type = "unknown"
    source = _text(raw.get("source", ""))
    if source is None:
        problems.append("its source is not text")
        source = ""
    elif len(source) > MAX_SOURCE_CHARS:
        problems.append(f"its source is longer than {MAX_SOURCE_CHARS:,} characters")
        source = ""
    metadata = raw.get("metadata")
    nbgrader = metadata.get("nbgrader") if type(metadata) is dict else None
    if type(nbgrader) is not dict:
        return SubmittedCell(position, cell_type, source, None, problems=tuple(problems))
    meta = CellMeta(
        present=True,
        grade=_flag(nbgrader, "grade", problems),
        solution=_flag(nbgrader, "solution", problems),
        locked=_flag(nbgrader, "locked", problems),
        points=_points(nbgrader.get("points")),
    )
    grade_id = _grade_id(nbgrader.get("grade_id"), problems)
    return SubmittedCell(position, cell_type, source, grade_id, meta, tuple(problems))


def read_notebook(name: str, raw: bytes) -> SubmittedNotebook:
    """Parse ``raw`` (the bytes of ``name``.ipynb); UnreadableNotebook if it can't be graded."""
    file = f"{name}.ipynb"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableNotebook(f"{file} is not UTF-8 text: save it again from Jupyter") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise UnreadableNotebook(f"{file} is nested too deeply to be a notebook") from None
    except ValueError as error:
        raise UnreadableNotebook(
            f"{file} is not valid notebook JSON ({str(error)[:120]}): "
            "download it again from Jupyter, or submit the released notebook"
        ) from None
    if type(data) is not dict:
        raise UnreadableNotebook(f"{file} is not a notebook (its JSON is not an object)")
    version = data.get("nbformat")
    if type(version) is not int or version != 4:
        shown = (
            version if type(version) is int else f"an unreadable version ({type(version).__name__})"
        )
        raise UnreadableNotebook(
            f"{file} is in nbformat {shown}, not 4: open it in Jupyter and save it again"
        )
    cells = data.get("cells")
    if type(cells) is not list:
        raise UnreadableNotebook(f"{file} has no list of cells")
    if len(cells) > MAX_CELLS:
        raise UnreadableNotebook(f"{file} has {len(cells):,} cells, more than {MAX_CELLS:,}")
    return SubmittedNotebook(name, tuple(_cell(i, cell) for i, cell in enumerate(cells)))


def from_trusted(name: str, notebook: Any) -> SubmittedNotebook:
    """The same view of an instructor's notebook (a NotebookNode), e.g. for the reference run."""
    return read_notebook(name, json.dumps(notebook).encode())
