"""Transactional gradebook writes, and the ledger that makes autograde safe to rerun.

A submission's scores, its late penalty and its ledger row (submission hash, flags, errors,
verdicts) are committed in one transaction on nbgrader's own gradebook database (SQLite or
PostgreSQL).
The ledger row is what says "graded": a rerun skips every submission whose row matches the
current files, and regrades the rest, so killing autograde at any moment loses nothing and
doubles nothing (scores are set per cell, never added).

Example:
    >>> gb = Gradebook("sqlite://")  # doctest: +SKIP
    >>> ensure_table(gb); graded_hash(gb, "a", "alice") is None  # doctest: +SKIP
    True
"""

from __future__ import annotations

import datetime
import json
import warnings
from dataclasses import dataclass, field
from typing import Any

from nbgrader.api import Comment, Grade, Gradebook, MissingEntry, SubmittedNotebook
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.utils import parse_utc
from sqlalchemy import Column, Float, MetaData, Table, Text, inspect, text
from sqlalchemy.exc import DBAPIError, SAWarning
from sqlalchemy.orm import joinedload, selectinload

TABLE = "neurogebra_grading"


@dataclass
class SubmissionResult:
    """Everything the pipeline decided about one student's submission of one assignment."""

    assignment: str
    student: str
    submission_hash: str
    timestamp: datetime.datetime | None
    notebooks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # verdicts
    flags: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timings: dict[str, Any] = field(default_factory=dict)  # see timing.py

    @property
    def score(self) -> float:
        return sum(v["score"] or 0.0 for vs in self.notebooks.values() for v in vs)

    @property
    def max_score(self) -> float:
        return sum(v["points"] for vs in self.notebooks.values() for v in vs)


# The ledger's columns, made by SQLAlchemy so that one definition works on SQLite and
# PostgreSQL (Float is REAL on SQLite, double precision on PostgreSQL; JSON is kept as text).
metadata = MetaData()
ledger = Table(
    TABLE,
    metadata,
    Column("assignment", Text, primary_key=True),
    Column("student", Text, primary_key=True),
    Column("submission_hash", Text, nullable=False),
    Column("graded_at", Text, nullable=False),  # ISO 8601, UTC
    Column("score", Float),
    Column("max_score", Float),
    Column("late_penalty", Float),
    Column("flags", Text),
    Column("errors", Text),
    Column("verdicts", Text),
    Column("timings", Text),
)


def ensure_table(gb: Gradebook) -> None:
    """Make the ledger table if it is missing, and add what older versions lacked."""
    connection = gb.db.connection()
    try:
        metadata.create_all(connection, checkfirst=True)
    except DBAPIError:  # another grader (the service's other worker) made it since the check
        gb.db.rollback()
        connection = gb.db.connection()
        if not inspect(connection).has_table(TABLE):
            raise
    columns = {column["name"] for column in inspect(connection).get_columns(TABLE)}
    if "timings" not in columns:  # a gradebook from 0.1.0
        gb.db.execute(text(f"ALTER TABLE {TABLE} ADD COLUMN timings TEXT"))
    gb.db.commit()


def graded_hash(gb: Gradebook, assignment: str, student: str) -> str | None:
    row = gb.db.execute(
        text(f"SELECT submission_hash FROM {TABLE} WHERE assignment = :a AND student = :s"),
        {"a": assignment, "s": student},
    ).first()
    return row[0] if row else None


def graded_hashes(gb: Gradebook, assignment: str) -> dict[str, str]:
    """:func:`graded_hash` of every student of ``assignment``, in one query (for a batch)."""
    found = gb.db.execute(
        text(f"SELECT student, submission_hash FROM {TABLE} WHERE assignment = :a"),
        {"a": assignment},
    )
    return {str(student): str(digest) for student, digest in found}


def rows(gb: Gradebook, assignment: str | None = None) -> list[dict[str, Any]]:
    query = f"SELECT * FROM {TABLE}" + (" WHERE assignment = :a" if assignment else "")
    result = gb.db.execute(text(query + " ORDER BY assignment, student"), {"a": assignment})
    out = []
    for row in result.mappings():
        item = dict(row)
        for key, empty in (("flags", []), ("errors", []), ("verdicts", {}), ("timings", {})):
            item[key] = _decoded(item.get(key), empty)
        out.append(item)
    return out


def _decoded(raw: Any, empty: Any) -> Any:
    """A column's JSON, or ``empty`` if it is missing or was damaged: report always works."""
    try:
        value = json.loads(raw) if raw else empty
    except (TypeError, ValueError):
        return empty
    return value if isinstance(value, type(empty)) else empty


def _submission(gb: Gradebook, result: SubmissionResult) -> Any:
    """The student's nbgrader submission, its timestamp set but not committed yet.

    A student or submission seen before is only looked up (nbgrader's ``update_or_create_*``
    commit on their own, which would split one submission's writes over several
    transactions); a new one is made by nbgrader, which commits the empty skeleton.
    """
    with warnings.catch_warnings():
        # nbgrader's own submission code trips SQLAlchemy's autoflush warnings; they are noise
        warnings.simplefilter("ignore", SAWarning)
        try:
            submission = gb.find_submission(result.assignment, result.student)
        except MissingEntry:
            try:
                gb.find_student(result.student)
            except MissingEntry:
                gb.add_student(result.student)
            kwargs = {"timestamp": result.timestamp} if result.timestamp else {}
            return gb.add_submission(result.assignment, result.student, **kwargs)
    if result.timestamp:
        submission.timestamp = parse_utc(result.timestamp)
    return submission


def _notebooks(gb: Gradebook, submission: Any) -> list[Any]:
    """The submission's notebooks with their grades, comments and cells, in three queries
    (``submission.notebooks`` loads each grade's cell on its own: a query per grade)."""
    return (
        gb.db.query(SubmittedNotebook)
        .filter(SubmittedNotebook.assignment_id == submission.id)
        .options(
            joinedload(SubmittedNotebook.notebook),
            selectinload(SubmittedNotebook.grades).joinedload(Grade.cell),
            selectinload(SubmittedNotebook.comments).joinedload(Comment.cell),
        )
        .all()
    )


def record(gb: Gradebook, result: SubmissionResult, late_plugin: LateSubmissionPlugin) -> None:
    """Write one submission's grades and ledger row in a single transaction."""
    submission = _submission(gb, result)
    try:
        penalty_total = 0.0
        for notebook in _notebooks(gb, submission):
            verdicts = {v["grade_id"]: v for v in result.notebooks.get(notebook.name, [])}
            for grade in notebook.grades:
                verdict = verdicts.get(grade.name)
                grade.auto_score = verdict["score"] if verdict else 0.0
                grade.needs_manual_grade = (
                    grade.auto_score is None or grade.manual_score is not None
                )
            for comment in notebook.comments:
                comment.auto_comment = None
            notebook.late_submission_penalty = None
            if submission.total_seconds_late > 0:
                score = sum(v["score"] or 0.0 for v in verdicts.values())
                penalty = late_plugin.late_submission_penalty(
                    result.student, score, submission.total_seconds_late
                )
                if penalty is not None:
                    notebook.late_submission_penalty = min(max(penalty, 0.0), score)
                    penalty_total += notebook.late_submission_penalty
        gb.db.execute(
            text(f"DELETE FROM {TABLE} WHERE assignment = :a AND student = :s"),
            {"a": result.assignment, "s": result.student},
        )
        gb.db.execute(
            text(
                f"INSERT INTO {TABLE} (assignment, student, submission_hash, graded_at, score,"
                " max_score, late_penalty, flags, errors, verdicts, timings)"
                " VALUES (:a, :s, :h, :t, :score, :max, :late, :f, :e, :v, :timings)"
            ),
            {
                "a": result.assignment,
                "s": result.student,
                "h": result.submission_hash,
                "t": datetime.datetime.now(datetime.UTC).isoformat(),
                "score": result.score,
                "max": result.max_score,
                "late": penalty_total,
                "f": json.dumps(result.flags),
                "e": json.dumps(result.errors),
                "v": json.dumps(result.notebooks),
                "timings": json.dumps(result.timings),
            },
        )
        gb.db.commit()
    except Exception:
        gb.db.rollback()
        raise


def late_seconds(gb: Gradebook, assignment: str, student: str) -> float:
    try:
        return float(gb.find_submission(assignment, student).total_seconds_late)
    except MissingEntry:
        return 0.0
