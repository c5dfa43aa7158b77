"""Per-student and per-question summaries from the gradebook and the ledger, and CSV export.

Example:
    >>> rows = student_rows(course, "autograd")  # doctest: +SKIP
    >>> rows[0]["student"], rows[0]["score"]  # doctest: +SKIP
    ('alice', 100.0)
"""

from __future__ import annotations

import csv
import io
from typing import Any

from nbgrader.api import Gradebook, MissingEntry

from neurogebra_grader.pipeline import ledger
from neurogebra_grader.pipeline.course import Course
from neurogebra_grader.pipeline.course_limits import describe, recorded_limits, resolve_limits

CSV_COLUMNS = [
    "assignment",
    "student",
    "timestamp",
    "seconds_late",
    "score",
    "late_penalty",
    "final_score",
    "max_score",
    "flags",
    "errors",
]


def student_rows(course: Course, assignment: str | None = None) -> list[dict[str, Any]]:
    """One row per graded submission: scores, lateness (nbgrader's settings), flags, errors."""
    out = []
    with Gradebook(course.db_url, course.course_id) as gb:
        ledger.ensure_table(gb)
        for row in ledger.rows(gb, assignment):
            try:
                submission = gb.find_submission(row["assignment"], row["student"])
                late = float(submission.total_seconds_late)
                stamp = submission.timestamp.isoformat() if submission.timestamp else ""
            except MissingEntry:
                late, stamp = 0.0, ""
            penalty = float(row["late_penalty"] or 0.0)
            out.append(
                {
                    "assignment": row["assignment"],
                    "student": row["student"],
                    "timestamp": stamp,
                    "seconds_late": late,
                    "score": float(row["score"]),
                    "late_penalty": penalty,
                    "final_score": float(row["score"]) - penalty,
                    "max_score": float(row["max_score"]),
                    "flags": "; ".join(f"{f['code']} ({f['cell']})" for f in row["flags"]),
                    "flag_codes": list(dict.fromkeys(str(f["code"]) for f in row["flags"])),
                    "errors": "; ".join(row["errors"]),
                    "verdicts": row["verdicts"],
                }
            )
    return out


def question_rows(course: Course, assignment: str) -> list[dict[str, Any]]:
    """One row per graded cell: points, average score, how many passed, how many students."""
    stats: dict[tuple[str, str], dict[str, Any]] = {}
    for row in student_rows(course, assignment):
        for notebook, verdicts in row["verdicts"].items():
            for v in verdicts:
                entry = stats.setdefault(
                    (notebook, v["grade_id"]),
                    {
                        "notebook": notebook,
                        "question": v["grade_id"],
                        "points": v["points"],
                        "total": 0.0,
                        "passed": 0,
                        "students": 0,
                        "manual": 0,
                    },
                )
                entry["students"] += 1
                if v["score"] is None:
                    entry["manual"] += 1
                else:
                    entry["total"] += v["score"]
                    entry["passed"] += int(v["score"] >= v["points"])
    for entry in stats.values():
        graded = entry["students"] - entry["manual"]
        entry["average"] = entry["total"] / graded if graded else 0.0
    return list(stats.values())


def limits_line(course: Course, assignment: str) -> str:
    """The time limits of the last autograde run of ``assignment`` (else the course's own)."""
    recorded = recorded_limits(course, assignment)
    if recorded is not None:
        return describe(*recorded)
    limits, said = resolve_limits(course.config)
    return f"{describe(limits, said)}; not yet used by autograde"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet will not run as a formula: a leading = + - @ gets a quote.

    >>> spreadsheet_safe("=1+2"), spreadsheet_safe("@SUM(A1)"), spreadsheet_safe(-2.5)
    ("'=1+2", "'@SUM(A1)", -2.5)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_csv(course: Course, assignment: str | None = None) -> str:
    """The grades as CSV (one line per submission), flags and errors included.

    Student-controlled text (names, flags, errors) is neutralised for spreadsheets.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in student_rows(course, assignment):
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return buffer.getvalue()
