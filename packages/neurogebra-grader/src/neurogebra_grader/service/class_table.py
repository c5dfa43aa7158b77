"""The class at a glance, as pure functions of submission rows (``Store.list``, newest first):
each student's latest and best score per assignment, and every submission as CSV.

Example:
    >>> rows = [{"student": "a", "assignment": "x", "id": 1}]
    >>> [r["id"] for r in latest(rows, "x")]
    [1]
"""

from __future__ import annotations

import csv
import io
from typing import Any


def latest(rows: list[dict[str, Any]], assignment: str) -> list[dict[str, Any]]:
    """Each student's newest submission of ``assignment`` (``rows`` newest first)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["assignment"] == assignment and row["student"] not in seen:
            seen[row["student"]] = row
    return list(seen.values())


def class_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per student and assignment: latest and best score, flags, submissions made.

    Example:
        >>> rows = [{"student": "a", "assignment": "x", "state": "graded", "score": 1.0,
        ...          "max_score": 2.0, "flags": [], "late": False, "id": 2},
        ...         {"student": "a", "assignment": "x", "state": "graded", "score": 2.0,
        ...          "max_score": 2.0, "flags": ["f"], "late": False, "id": 1}]
        >>> t = class_table(rows)[0]; (t["latest"]["score"], t["best"], t["flags"])
        (1.0, 2.0, ['f'])
    """
    table: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:  # newest first
        key = (row["student"], row["assignment"])
        entry = table.setdefault(
            key,
            {
                "student": row["student"],
                "assignment": row["assignment"],
                "latest": row,
                "best": None,
                "flags": [],
                "late": False,
                "count": 0,
            },
        )
        entry["count"] += 1
        entry["late"] = entry["late"] or row["late"]
        entry["flags"] = sorted(set(entry["flags"]) | set(row["flags"]))
        if row["state"] == "graded" and row["score"] is not None:
            entry["best"] = max(entry["best"] or 0.0, row["score"])
    return [table[k] for k in sorted(table)]


CSV_COLUMNS = ["id", "assignment", "student", "received_at", "state", "score", "max_score"]
CSV_COLUMNS += ["late", "late_penalty", "flags", "error"]


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet never reads as a formula.

    Example:
        >>> _cell("=1+1"), _cell(["a", "b"]), _cell(None)
        ("'=1+1", 'a; b', '')
    """
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    text = "" if value is None else text
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(rows: list[dict[str, Any]]) -> str:
    """Every submission the account may see, oldest first, as CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in sorted(rows, key=lambda r: r["id"]):
        writer.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
    return out.getvalue()
