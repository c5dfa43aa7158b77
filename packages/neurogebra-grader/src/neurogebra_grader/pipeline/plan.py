"""Plan, the third pass: the notebook a kernel runs, and where its graded cells are.

Each slot of a :class:`~neurogebra_grader.pipeline.match.Match` becomes one cell. Instructor
slots take their text from the course: a test cell from the source (hidden tests included),
rewritten so its checks report plain data (see rewrite.py); any other locked cell from the
release, as students were given it. Answer and extra slots hold only the student's text (or
the release's stub). So the instructor's solution is never part of a student's plan. Ids and
points always come from the source, never from the submission.

Example:
    >>> plan = build_plan(match(submitted, source_nb, release_nb), source_nb, release_nb,
    ...                   role="student")  # doctest: +SKIP
    >>> [(g.grade_id, g.kind, g.answered) for g in plan.graded]  # doctest: +SKIP
    [('test-mse', 'test', True), ('mse-answer', 'answer', False)]

What depends only on the course's notebooks (the rewritten test cells, the names each test
cell enters with) is a :class:`CourseCells`, made once per assignment and shared by every
submission's plan (:func:`course_cells`); it holds nothing a submission produced.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import nbformat
from nbformat.v4.nbbase import random_cell_id

from neurogebra_grader.nbschema import validator
from neurogebra_grader.pipeline import own_work
from neurogebra_grader.pipeline.expected import Recipe, entry_taints
from neurogebra_grader.pipeline.match import Match, course_id, nbgrader_meta
from neurogebra_grader.pipeline.rewrite import BadTestCell, rewrite_test_cell
from neurogebra_grader.pipeline.tamper import Flag, scan_code

_HIDDEN = re.compile(
    r"^[ \t]*#+ *BEGIN HIDDEN TESTS.*?^[ \t]*#+ *END HIDDEN TESTS[^\n]*\n?", re.S | re.M
)


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
    """A cell that earns points: ``kind`` is test (judged), answer (runs clean) or manual.

    ``answered`` is False for a solution slot the student left without a readable answer.
    """

    grade_id: str
    points: float
    kind: str
    index: int
    sites: list[str] = field(default_factory=list)
    hidden_sites: list[bool] = field(default_factory=list)
    shown_source: str = ""
    answered: bool = True
    recipes: list[dict[str, Recipe]] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)  # per check: argument -> source


@dataclass
class Plan:
    """The notebook to run, where its graded cells are, and the structure flags."""

    notebook: Any
    graded: list[GradedCell]
    flags: list[Flag]
    student_code: dict[str, str]


_MAKERS = {
    "code": nbformat.v4.new_code_cell,
    "markdown": nbformat.v4.new_markdown_cell,
    "raw": nbformat.v4.new_raw_cell,
}


def _made_cell(cell_type: str, text: str, metadata: dict[str, Any]) -> Any:
    """``nbformat.v4.new_*_cell(text, metadata=metadata)``, checked by a compiled schema.

    nbformat checks each new cell with a jsonschema validator made for it (about 0.1 ms of
    the coordinator's CPU per cell); anything the compiled check refuses is made by nbformat,
    which raises as it always did.
    """
    kind = cell_type if cell_type in ("code", "markdown") else "raw"
    fields: dict[str, Any] = {"id": random_cell_id(), "cell_type": kind}
    if kind == "code":
        fields |= {"metadata": metadata, "execution_count": None, "source": text, "outputs": []}
    else:
        fields |= {"source": text, "metadata": metadata}
    try:
        cell = nbformat.from_dict(fields)
        validator(f"{kind}_cell")(cell)
    except Exception:
        return _MAKERS[kind](text, metadata=metadata)
    return cell


def _new_cell(cell_type: str, text: str, metadata: dict[str, Any], cell_id: Any = None) -> Any:
    """A cell with a stable id: the course cell's, else one made from its position."""
    cell = _made_cell(cell_type, text, metadata)
    if isinstance(cell_id, str) and cell_id:
        cell["id"] = cell_id
    return cell


def _is_test(meta: dict[str, Any], cell_type: str) -> bool:
    return bool(meta.get("grade")) and not meta.get("solution") and cell_type == "code"


@dataclass(frozen=True)
class CourseTest:
    """One test cell as every plan runs it: rewritten once (or why it cannot be)."""

    code: str
    sites: tuple[tuple[str, int], ...]
    hidden: frozenset[int]  # source lines inside hidden-test regions
    shown_source: str
    recipes: tuple[dict[str, Recipe], ...]
    sources: tuple[dict[str, str], ...]
    error: str = ""  # the BadTestCell message, raised when a plan needs this cell


@dataclass(frozen=True)
class CourseCells:
    """What a plan takes from the course's notebooks alone, for one ``role``: the same for
    every submission of the assignment (test cells rewritten, by grade id)."""

    role: str
    tests: dict[str, CourseTest]


def _course_test(text: str, role: str, tainted: set[str]) -> CourseTest:
    hidden = frozenset(hidden_lines(text))
    try:
        rewritten = rewrite_test_cell(text, role, tainted)
    except BadTestCell as error:
        return CourseTest("", (), hidden, "", (), (), str(error))
    return CourseTest(
        rewritten.code,
        tuple(rewritten.sites),
        hidden,
        without_hidden_tests(text),
        tuple(rewritten.recipes),
        tuple(rewritten.sources),
    )


def prepare_course(source: Any, role: str = "student") -> CourseCells:
    """Rewrite every test cell of the ``source`` notebook for ``role`` (no caching)."""
    taints = entry_taints(
        [
            (str(course_id(c)), bool(nbgrader_meta(c).get("solution")), str(c.source))
            for c in source.cells
            if c.cell_type == "code" and course_id(c)
        ]
    )
    tests = {}
    for cell in source.cells:
        gid = course_id(cell)
        if gid is not None and _is_test(nbgrader_meta(cell), cell.cell_type):
            tests[gid] = _course_test(str(cell.source), role, taints.get(gid, set()))
    return CourseCells(role, tests)


_PREPARED: dict[tuple[str, str], CourseCells] = {}
_PREPARED_LOCK = threading.Lock()
_PREPARED_MAX = 32  # assignments' notebooks kept per process


def course_cells(source: Any, role: str = "student") -> CourseCells:
    """:func:`prepare_course`, once per process for each content of ``source`` and role.

    Keyed by a hash of the notebook's JSON, so an edited source is prepared again. A grading
    process (autograde's batch, a service worker, a Dask worker) rewrites each assignment once.

    Example:
        >>> nb = nbformat.v4.new_notebook()
        >>> course_cells(nb) is course_cells(nbformat.v4.new_notebook())
        True
    """
    digest = hashlib.sha256(json.dumps(source, sort_keys=True).encode()).hexdigest()
    key = (digest, role)
    with _PREPARED_LOCK:
        found = _PREPARED.get(key)
    if found is not None:
        return found
    prepared = prepare_course(source, role)
    with _PREPARED_LOCK:
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.pop(next(iter(_PREPARED)))
        return _PREPARED.setdefault(key, prepared)


def build_plan(
    matched: Match,
    source: Any,
    release: Any,
    *,
    role: str = "student",
    prepared: CourseCells | None = None,
) -> Plan:
    """The run plan for one matched submission (see the module docstring).

    ``prepared`` is :func:`course_cells` of ``source`` for ``role`` (made here when None).
    """
    if prepared is None or prepared.role != role:
        prepared = course_cells(source, role)
    course = {course_id(c): c for c in source.cells if course_id(c)}
    released = {course_id(c): c for c in release.cells if course_id(c)}
    cells: list[Any] = []
    graded: list[GradedCell] = []
    student_code: dict[str, str] = {}
    for index, slot in enumerate(matched.slots):
        if slot.kind == "extra":
            cells.append(_new_cell(slot.cell_type, slot.text, {}, f"cell-{index + 1}"))
            if slot.cell_type == "code":
                student_code[slot.label] = slot.text
            continue
        assert slot.grade_id is not None
        course_cell = course[slot.grade_id]
        meta = nbgrader_meta(course_cell)
        metadata = {"nbgrader": copy.deepcopy(meta)}
        points = float(meta.get("points", 0) or 0)
        if slot.kind == "answer":
            cells.append(
                _new_cell(course_cell.cell_type, slot.text, metadata, course_cell.get("id"))
            )
            if slot.answered and course_cell.cell_type == "code":
                student_code[slot.grade_id] = slot.text
            if meta.get("grade"):
                kind = "answer" if course_cell.cell_type == "code" else "manual"
                graded.append(
                    GradedCell(
                        slot.grade_id,
                        points,
                        kind,
                        index,
                        shown_source=slot.text,
                        answered=slot.answered,
                    )
                )
        elif _is_test(meta, course_cell.cell_type):
            test = prepared.tests[slot.grade_id]
            if test.error:
                raise BadTestCell(f"test cell {slot.grade_id}: {test.error}")
            # tells the sandbox where hidden tests start (sandbox.redact cuts output from there)
            metadata["neurogebra"] = {"hidden_tests": bool(test.hidden)}
            cells.append(_new_cell("code", test.code, metadata, course_cell.get("id")))
            graded.append(
                GradedCell(
                    slot.grade_id,
                    points,
                    "test",
                    index,
                    [name for name, _ in test.sites],
                    [line in test.hidden for _, line in test.sites],
                    test.shown_source,
                    recipes=[dict(r) for r in test.recipes],
                    sources=[dict(s) for s in test.sources],
                )
            )
        else:  # a locked cell, exactly as students were given it
            given = released.get(slot.grade_id, course_cell)
            cells.append(
                _new_cell(course_cell.cell_type, str(given.source), metadata, course_cell.get("id"))
            )
            if meta.get("grade"):
                graded.append(GradedCell(slot.grade_id, points, "manual", index))
    flags = list(matched.flags)
    for label, code in student_code.items():
        flags += scan_code(code, label)
    flags += own_work.scan(student_code, source.metadata)
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(source.metadata))
    return Plan(notebook, graded, flags, student_code)
