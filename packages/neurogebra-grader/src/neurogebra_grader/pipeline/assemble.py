"""Build the notebook that is actually run: the instructor's cells, the student's answers.

Only the student's answers (solution cells) and the cells they added are taken from the
submission. Every locked cell and every test cell comes from the instructor's source
notebook, in the source's order, so an edited or deleted test still runs as written (and is
flagged); test cells are rewritten to report plain data (see rewrite.py). Cell ids and points
come from the source, never from the submission's metadata.

Example:
    >>> plan = assemble(source_nb, source_nb, source_nb, role="reference")  # doctest: +SKIP
    >>> [g.grade_id for g in plan.graded]  # doctest: +SKIP
    ['test-mse', 'test-gradient']
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import nbformat

from neurogebra_grader.pipeline.rewrite import rewrite_test_sites
from neurogebra_grader.pipeline.tamper import Flag, scan_code

_HIDDEN = re.compile(
    r"^[ \t]*#+ *BEGIN HIDDEN TESTS.*?^[ \t]*#+ *END HIDDEN TESTS[^\n]*\n?", re.S | re.M
)


def _nbg(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def without_hidden_tests(source: str) -> str:
    """A test cell's source with its hidden-test regions removed (what students may see)."""
    return _HIDDEN.sub("", source).rstrip() + "\n" if _HIDDEN.search(source) else source


def hidden_lines(source: str) -> set[int]:
    """Line numbers (from 1) inside hidden-test regions."""
    inside, lines = False, set()
    for number, line in enumerate(source.splitlines(), start=1):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            lines.add(number)
    return lines


@dataclass
class GradedCell:
    """A cell that earns points: ``kind`` is test (judged), answer (runs clean) or manual."""

    grade_id: str
    points: float
    kind: str
    index: int
    sites: list[str] = field(default_factory=list)
    hidden_sites: list[bool] = field(default_factory=list)
    shown_source: str = ""


@dataclass
class Plan:
    """The notebook to run, where its graded cells are, and the structure flags."""

    notebook: Any
    graded: list[GradedCell]
    flags: list[Flag]
    student_code: dict[str, str]


def _is_test(meta: dict[str, Any], cell: Any) -> bool:
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def assemble(submission: Any, source: Any, release: Any, *, role: str = "student") -> Plan:
    """Merge a submission into the instructor's source notebook (see the module docstring)."""
    source_cells = list(source.cells)
    position = {
        _nbg(c)["grade_id"]: i for i, c in enumerate(source_cells) if _nbg(c).get("grade_id")
    }
    released = {_nbg(c).get("grade_id"): c for c in release.cells if _nbg(c).get("grade_id")}
    submitted_ids = [_nbg(c).get("grade_id") for c in submission.cells]
    flags: list[Flag] = []
    out: list[Any] = []
    emitted: set[str] = set()
    student_code: dict[str, str] = {}

    def emit_source(i: int, student_cell: Any | None) -> None:
        cell = copy.deepcopy(source_cells[i])
        meta = _nbg(cell)
        gid = meta["grade_id"]
        emitted.add(gid)
        if student_cell is None:
            if meta.get("locked") or meta.get("grade"):
                flags.append(Flag("deleted-cell", gid, "a locked or graded cell was deleted"))
        else:
            _compare(student_cell, released.get(gid, cell), gid, flags)
            if meta.get("solution"):
                cell.source = student_cell.get("source", "")
                if cell.cell_type == "code":
                    student_code[gid] = cell.source
        out.append(cell)

    def emit_missing_before(limit: int) -> None:
        for i in range(limit):
            gid = (
                _nbg(source_cells[i])["grade_id"] if _nbg(source_cells[i]).get("grade_id") else None
            )
            if gid and gid not in emitted and gid not in submitted_ids:
                emit_source(i, None)

    for n, cell in enumerate(submission.cells):
        gid = _nbg(cell).get("grade_id")
        if gid in position and gid not in emitted:
            emit_missing_before(position[gid])
            emit_source(position[gid], cell)
            continue
        label = f"cell {n + 1}"
        if gid in emitted:
            flags.append(
                Flag("duplicate-id", str(gid), f"{label} repeats a cell id; run as plain code")
            )
        elif gid:
            flags.append(
                Flag("unknown-id", str(gid), f"{label} has a cell id the release does not")
            )
        plain = nbformat.from_dict(
            {
                "cell_type": cell.get("cell_type", "code"),
                "metadata": {},
                "source": cell.get("source", ""),
            }
        )
        if plain.cell_type == "code":
            plain.outputs, plain.execution_count = [], None
            student_code[label] = plain.source
        elif plain.cell_type not in ("markdown", "raw"):
            plain.cell_type = "raw"
        out.append(plain)
    emit_missing_before(len(source_cells))

    graded: list[GradedCell] = []
    for index, cell in enumerate(out):
        meta = _nbg(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if (
            not meta.get("grade")
            or meta.get("grade_id") not in position
            or not _owned(cell, meta, out, index)
        ):
            continue
        points = float(_nbg(source_cells[position[meta["grade_id"]]]).get("points", 0))
        if _is_test(meta, cell):
            shown = without_hidden_tests(cell.source)
            hidden = hidden_lines(cell.source)
            cell.source, sites = rewrite_test_sites(cell.source, role)
            graded.append(
                GradedCell(
                    meta["grade_id"],
                    points,
                    "test",
                    index,
                    [name for name, _ in sites],
                    [line in hidden for _, line in sites],
                    shown,
                )
            )
        elif cell.cell_type == "code":
            graded.append(GradedCell(meta["grade_id"], points, "answer", index, [], cell.source))
        else:
            graded.append(GradedCell(meta["grade_id"], points, "manual", index, [], cell.source))
    for gid, code in student_code.items():
        flags += scan_code(code, gid)
    notebook = nbformat.v4.new_notebook(cells=out, metadata=copy.deepcopy(source.metadata))
    return Plan(notebook, graded, flags, student_code)


def _owned(cell: Any, meta: dict[str, Any], out: list[Any], index: int) -> bool:
    """True for the source's own copy of a graded cell (student copies were made plain)."""
    return bool(meta.get("grade_id"))


def _compare(student: Any, released: Any, gid: str, flags: list[Flag]) -> None:
    """Structure flags for one submitted cell that has a known id."""
    mine, theirs = _nbg(student), _nbg(released)
    if student.get("cell_type") != released.cell_type:
        flags.append(
            Flag(
                "changed-type", gid, f"{released.cell_type} cell became {student.get('cell_type')}"
            )
        )
    if theirs.get("points") != mine.get("points") and (theirs.get("grade") or mine.get("grade")):
        flags.append(
            Flag(
                "changed-points", gid, f"points {theirs.get('points')} became {mine.get('points')}"
            )
        )
    for key in ("grade", "solution", "locked"):
        if bool(theirs.get(key)) != bool(mine.get(key)):
            flags.append(Flag("changed-metadata", gid, f"'{key}' was changed"))
    edited = str(student.get("source", "")).strip() != str(released.source).strip()
    if theirs.get("locked") and not theirs.get("solution") and edited:
        flags.append(Flag("edited-locked-cell", gid, "the student edited a locked cell"))
