"""The class at a glance, as pure functions of submission rows (``Store.list``, newest first):
each student's latest and best score per assignment, and every submission as CSV.

A score here is always the one a submission counts for, after its late penalty
(``final_score``): the instructor's page, the CSV and the student's page all use it.

Example:
    >>> rows = [{"student": "a", "assignment": "x", "id": 1}]
    >>> [r["id"] for r in latest(rows, "x")]
    [1]
"""

from __future__ import annotations

import csv
import io
from typing import Any

from neurogebra_grader.pipeline.summary import spreadsheet_safe


def final_score(row: dict[str, Any]) -> float | None:
    """What a submission counts for: its score minus its late penalty (None until graded).

    Example:
        >>> final_score({"state": "graded", "score": 10.0, "late_penalty": 2.0})
        8.0
        >>> final_score({"state": "queued", "score": None, "late_penalty": None}) is None
        True
    """
    if row.get("state") != "graded" or row.get("score") is None:
        return None
    return float(row["score"]) - float(row.get("late_penalty") or 0.0)


def score_text(row: dict[str, Any], out_of: bool = True) -> str:
    """A submission's final score as shown on a page, saying when a late penalty applied.

    Example:
        >>> row = {"state": "graded", "score": 10.0, "max_score": 10.0, "late_penalty": 2.0}
        >>> score_text(row), score_text(row, out_of=False)
        ('8 / 10 (late, −2)', '8 (late, −2)')
        >>> score_text(row | {"late_penalty": None})
        '10 / 10'
    """
    final = final_score(row)
    if final is None:
        return ""
    text = f"{final:g}"
    if out_of and row.get("max_score") is not None:
        text += f" / {row['max_score']:g}"
    penalty = float(row.get("late_penalty") or 0.0)
    return text + (f" (late, −{penalty:g})" if penalty else "")


def latest(rows: list[dict[str, Any]], assignment: str) -> list[dict[str, Any]]:
    """Each student's newest submission of ``assignment`` (``rows`` newest first)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["assignment"] == assignment and row["student"] not in seen:
            seen[row["student"]] = row
    return list(seen.values())


def class_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per student and assignment: latest submission, best final score (and its submission,
    ``best_row``), flags, whether any was late, submissions made.

    Example:
        >>> rows = [{"student": "a", "assignment": "x", "state": "graded", "score": 1.0,
        ...          "max_score": 2.0, "flags": [], "late": False, "id": 2},
        ...         {"student": "a", "assignment": "x", "state": "graded", "score": 2.0,
        ...          "max_score": 2.0, "flags": ["f"], "late": False, "id": 1}]
        >>> t = class_table(rows)[0]; (t["latest"]["score"], t["best"], t["flags"])
        (1.0, 2.0, ['f'])
        >>> rows[1] |= {"late": True, "late_penalty": 1.5}  # the best is after the penalty
        >>> t = class_table(rows)[0]; (t["best"], t["best_row"]["id"])
        (1.0, 2)
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
                "best_row": None,
                "flags": [],
                "late": False,
                "count": 0,
            },
        )
        entry["count"] += 1
        entry["late"] = entry["late"] or row["late"]
        entry["flags"] = sorted(set(entry["flags"]) | set(row["flags"]))
        score = final_score(row)
        if score is not None and (entry["best"] is None or score > entry["best"]):
            entry["best"], entry["best_row"] = score, row  # ties: the newest
    return [table[k] for k in sorted(table)]


CSV_COLUMNS = ["id", "assignment", "student", "received_at", "state", "score", "max_score"]
CSV_COLUMNS += ["late", "late_penalty", "final_score", "flags", "error"]


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet never reads as a formula (one rule for every export:
    :func:`~neurogebra_grader.pipeline.summary.spreadsheet_safe`).

    Example:
        >>> _cell("=1+1"), _cell(["a", "b"]), _cell(None), _cell(-2.0)
        ("'=1+1", 'a; b', '', '-2.0')
    """
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    return str(spreadsheet_safe(value))


def export_csv(rows: list[dict[str, Any]]) -> str:
    """Every submission the account may see, oldest first, as CSV (``final_score``: after the
    late penalty).

    Example:
        >>> row = {"id": 1, "state": "graded", "score": 10.0, "late_penalty": 2.0}
        >>> export_csv([row]).splitlines()[1]
        '1,,,,graded,10.0,,,2.0,8.0,,'
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in sorted(rows, key=lambda r: r["id"]):
        values = row | {"final_score": final_score(row)}
        writer.writerow([_cell(values.get(c)) for c in CSV_COLUMNS])
    return out.getvalue()
