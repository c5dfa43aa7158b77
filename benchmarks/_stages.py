"""Where a graded submission's time goes, read back from the gradebook's ledger.

Each ledger row records, per submission, the seconds of the coordinator's passes (``seconds``:
intake, match, plan, run, judge, record) and, per notebook, what the sandbox's runner reported
(``runner``: sandbox_start, kernel_start, imports, cells, teardown). This module averages them
over a class and writes the table the grading benchmark prints.

Example:
    >>> rows = [{"seconds": {"judge": 0.2}, "runner": {"nb": {"kernel_start": 1.0, "cells": 3.0}}}]
    >>> stage_means(rows)["kernel start"], stage_means(rows)["judging"]
    (1.0, 0.2)
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

# (label, where it is recorded: "runner" or "seconds", its key there)
STAGES = (
    ("sandbox start (tmpfs, copy, cgroup)", "runner", "sandbox_start"),
    ("kernel start (bubblewrap, ipykernel)", "runner", "kernel_start"),
    ("imports (grader checks, NumPy)", "runner", "imports"),
    ("student code and tests (cells)", "runner", "cells"),
    ("sandbox teardown (kill, unmount)", "runner", "teardown"),
    ("judging (outside the kernel)", "seconds", "judge"),
)
SHORT = {
    "sandbox_start": "sandbox start",
    "kernel_start": "kernel start",
    "imports": "imports",
    "cells": "student code",
    "teardown": "teardown",
    "judge": "judging",
}


def ledger_timings(gradebook: Path, assignment: str) -> list[dict[str, Any]]:
    """The ``timings`` of every ledger row of ``assignment`` ([] when none are recorded)."""
    with sqlite3.connect(gradebook) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(neurogebra_grading)")}
        if "timings" not in columns:
            return []
        found = db.execute(
            "SELECT timings FROM neurogebra_grading WHERE assignment = ?", (assignment,)
        ).fetchall()
    return [json.loads(text) for (text,) in found if text]


def stage_means(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Mean seconds per submission of each stage (runner stages summed over its notebooks)."""
    totals = dict.fromkeys(SHORT.values(), 0.0)
    for row in rows:
        for notebook in row.get("runner", {}).values():
            for key, seconds in notebook.items():
                if key in SHORT:
                    totals[SHORT[key]] += seconds
        totals["judging"] += row.get("seconds", {}).get("judge", 0.0)
    return {name: total / max(1, len(rows)) for name, total in totals.items()}


def stage_table(rows: list[dict[str, Any]]) -> str:
    """A markdown table of :func:`stage_means`, with each stage's share of their sum."""
    if not rows:
        return "No per-stage timings in the ledger (the grader did not record them)."
    means = stage_means(rows)
    total = sum(means.values()) or 1.0
    lines = ["| stage | mean seconds per submission | share |", "|---|---:|---:|"]
    for label, _, key in STAGES:
        seconds = means[SHORT[key]]
        lines.append(f"| {label} | {seconds:.2f} | {100 * seconds / total:.0f}% |")
    lines.append(f"| all stages | {total:.2f} | 100% |")
    return "\n".join(lines)
