"""Rich tables for the grade report.

Example:
    >>> table = students_table([{"student": "alice", "score": 90.0, "max_score": 100.0,
    ...     "seconds_late": 0.0, "late_penalty": 0.0, "final_score": 90.0, "flags": "",
    ...     "errors": "", "assignment": "autograd"}])
    >>> table.row_count
    1
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text


def _late(seconds: float) -> str:
    if seconds <= 0:
        return "on time"
    hours = seconds / 3600
    return f"{hours:.1f} h late" if hours >= 1 else f"{seconds / 60:.0f} min late"


def students_table(rows: list[dict[str, Any]], title: str = "Grades") -> Table:
    table = Table(title=title)
    for name, justify in [
        ("assignment", "left"),
        ("student", "left"),
        ("score", "right"),
        ("late", "left"),
        ("final", "right"),
        ("flags", "left"),
        ("errors", "left"),
    ]:
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        # names, flags and errors hold student-controlled text: plain Text, never markup
        flags = ", ".join(row.get("flag_codes", []))
        table.add_row(
            Text(str(row["assignment"])),
            Text(str(row["student"])),
            f"{row['score']:g} / {row['max_score']:g}",
            _late(row["seconds_late"])
            + (f" (−{row['late_penalty']:g})" if row["late_penalty"] else ""),
            f"{row['final_score']:g}",
            Text(flags, style="yellow"),
            Text(str(row["errors"])[:90], style="red"),
        )
    return table


def questions_table(rows: list[dict[str, Any]], title: str = "Questions") -> Table:
    table = Table(title=title)
    for name in ("notebook", "question", "points", "average", "passed"):
        table.add_column(name, justify="left" if name in ("notebook", "question") else "right")
    for row in rows:
        table.add_row(
            Text(str(row["notebook"])),
            Text(str(row["question"])),
            f"{row['points']:g}",
            f"{row['average']:.1f}",
            f"{row['passed']} of {row['students']}",
        )
    return table
