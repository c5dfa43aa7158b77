"""Match, the second pass: pair each cell of a submission with the release's cell of its id.

The course's cells that carry an nbgrader id are *slots*, in the source's order. A submitted
cell fills the slot of its id when it is the first cell with that id, keeps the release's
order relative to the other matched cells, keeps its cell type and could be read. Then:

- a locked or test slot always holds the instructor's cell (an edited copy is only flagged);
- a solution slot holds the student's text, and nothing else: a solution cell that is missing,
  moved, retyped, renamed, unreadable or without its metadata leaves the slot *unanswered*
  (it holds the release's stub, which students were given, and earns nothing) and is flagged.
  The instructor's solution is never a candidate;
- every other submitted cell is the student's own extra cell and runs where they put it.

Example:
    >>> from neurogebra_grader.pipeline.submitted import SubmittedCell, SubmittedNotebook
    >>> matched = match(SubmittedNotebook("hw", ()), source_nb, release_nb)  # doctest: +SKIP
    >>> [s.kind for s in matched.slots], [f.code for f in matched.flags]  # doctest: +SKIP
    (['instructor', 'answer', 'instructor'], ['deleted-cell', 'unanswered', 'deleted-cell'])
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from neurogebra_grader.pipeline.submitted import SubmittedCell, SubmittedNotebook
from neurogebra_grader.pipeline.tamper import Flag


def nbgrader_meta(cell: Any) -> dict[str, Any]:
    """nbgrader's metadata of a course (trusted) cell, or {}."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def course_id(cell: Any) -> str | None:
    gid = nbgrader_meta(cell).get("grade_id")
    return gid if isinstance(gid, str) and gid else None


@dataclass(frozen=True)
class Slot:
    """One cell of the notebook to run.

    ``kind``: ``instructor`` (a locked or test cell, from the course), ``answer`` (a solution
    slot: the student's ``text``, or the release's stub when ``answered`` is False) or ``extra``
    (a cell the student added, of ``cell_type``).
    """

    kind: str
    grade_id: str | None = None
    text: str = ""
    cell_type: str = "code"
    answered: bool = True
    label: str = ""


@dataclass
class Match:
    """The slots in run order, and the structure flags found on the way."""

    slots: list[Slot]
    flags: list[Flag]


def _in_order(claimed: list[SubmittedCell], order: dict[str, int]) -> set[str]:
    """The ids of the longest run of claimed cells that keeps the release's order."""
    ranks = [order[c.grade_id] for c in claimed if c.grade_id is not None]
    tails: list[int] = []  # patience sorting: tails[k] ends the best run of length k + 1
    tail_at: list[int] = []
    previous = [-1] * len(ranks)
    for i, rank in enumerate(ranks):
        k = bisect.bisect_left(tails, rank)
        previous[i] = tail_at[k - 1] if k else -1
        if k == len(tails):
            tails.append(rank)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = rank, i
    kept: set[str] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        gid = claimed[i].grade_id
        if gid is not None:
            kept.add(gid)
        i = previous[i]
    return kept


def _compare(student: SubmittedCell, released: Any, gid: str, flags: list[Flag]) -> None:
    """Flags for a submitted cell whose id is known: what the student changed that is locked."""
    theirs, mine = nbgrader_meta(released), student.meta
    if student.cell_type != released.cell_type:
        flags.append(
            Flag("changed-type", gid, f"{released.cell_type} cell became {student.cell_type}")
        )
    if (theirs.get("grade") or mine.grade) and _points(theirs.get("points")) != mine.points:
        flags.append(
            Flag("changed-points", gid, f"points {theirs.get('points')} became {mine.points}")
        )
    for key in ("grade", "solution", "locked"):
        if bool(theirs.get(key)) != bool(getattr(mine, key)):
            flags.append(Flag("changed-metadata", gid, f"'{key}' was changed"))
    edited = student.source.strip() != str(released.source).strip()
    if theirs.get("locked") and not theirs.get("solution") and edited:
        flags.append(Flag("edited-locked-cell", gid, "the student edited a locked cell"))


def _points(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _extra(cell: SubmittedCell) -> Slot:
    cell_type = cell.cell_type if cell.cell_type != "unknown" else "raw"
    return Slot("extra", None, cell.source, cell_type, True, cell.label)


def match(submitted: SubmittedNotebook, source: Any, release: Any) -> Match:
    """Slots for ``submitted`` against the course's ``source`` and ``release`` notebooks."""
    course = [cell for cell in source.cells if course_id(cell)]
    order = {str(course_id(cell)): i for i, cell in enumerate(course)}
    released = {course_id(cell): cell for cell in release.cells if course_id(cell)}
    flags: list[Flag] = []
    claims: dict[str, SubmittedCell] = {}
    for cell in submitted.cells:
        for problem in cell.problems:
            flags.append(Flag("malformed-cell", cell.grade_id or cell.label, problem))
        gid = cell.grade_id
        if gid is None:
            continue
        if gid not in order:
            flags.append(
                Flag("unknown-id", gid, f"{cell.label} has a cell id the release does not")
            )
        elif gid in claims:
            first = claims[gid].position + 1
            flags.append(
                Flag(
                    "duplicate-id", gid, f"{cell.label} repeats the id of cell {first}; run as code"
                )
            )
        else:
            claims[gid] = cell
    in_order = _in_order(sorted(claims.values(), key=lambda c: c.position), order)
    why_unanswered: dict[str, str] = {}
    for gid, cell in claims.items():
        course_cell = course[order[gid]]
        _compare(cell, released.get(gid, course_cell), gid, flags)
        if gid not in in_order:
            flags.append(Flag("moved-cell", gid, f"{cell.label} is out of the release's order"))
            why_unanswered[gid] = "it was moved"
        elif cell.cell_type != course_cell.cell_type:
            why_unanswered[gid] = f"it became a {cell.cell_type} cell"
        elif cell.problems:
            why_unanswered[gid] = "it could not be read"
    matched = {gid: cell for gid, cell in claims.items() if gid not in why_unanswered}

    slots: list[Slot] = []
    next_course = 0

    def course_slots_until(stop: int) -> None:
        nonlocal next_course
        for cell in course[next_course:stop]:
            gid = course_id(cell)
            assert gid is not None
            meta = nbgrader_meta(cell)
            if meta.get("solution"):
                reason = why_unanswered.get(gid, "no cell with its id was submitted")
                flags.append(Flag("unanswered", gid, f"answer not graded: {reason}"))
                stub = released.get(gid)
                text = str(stub.source) if stub is not None else ""
                slots.append(Slot("answer", gid, text, cell.cell_type, False, gid))
            else:
                if gid not in claims and (meta.get("locked") or meta.get("grade")):
                    flags.append(Flag("deleted-cell", gid, "a locked or graded cell was deleted"))
                slots.append(Slot("instructor", gid, "", cell.cell_type, True, gid))
        next_course = max(next_course, stop)

    for cell in submitted.cells:
        gid = cell.grade_id
        if gid is not None and matched.get(gid) is cell:
            course_slots_until(order[gid])
            course_cell = course[order[gid]]
            if nbgrader_meta(course_cell).get("solution"):
                slots.append(Slot("answer", gid, cell.source, cell.cell_type, True, gid))
            else:
                slots.append(Slot("instructor", gid, "", course_cell.cell_type, True, gid))
            next_course = order[gid] + 1
        else:
            slots.append(_extra(cell))
    course_slots_until(len(course))
    return Match(slots, flags)
