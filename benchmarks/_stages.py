"""Where a graded submission's time goes, read back from the gradebook's ledger.

Each ledger row records, per submission, the seconds of the coordinator's passes (``seconds``:
intake, match, plan, run, judge, record) and, per notebook, what the sandbox's runner reported
(``runner``: sandbox_start, kernel_start, imports, cells, teardown). This module turns them into
one time per stage and submission, and writes the table the grading benchmarks print: the
median and the worst submission of each stage, and the share that is overhead (everything but
executing the notebook's cells).

``record`` in the ledger is the graded notebook's write; the gradebook transaction that stores
the row cannot time itself, so ``_coordinator.py`` times it apart.

Example:
    >>> rows = [{"seconds": {"judge": 0.2}, "runner": {"nb": {"kernel_start": 1.0, "cells": 3.0}}}]
    >>> per_submission(rows)[0]["kernel start"], per_submission(rows)[0]["judging"]
    (1.0, 0.2)
    >>> [round(share, 2) for share in overhead_shares(rows)]  # (1.0 + 0.2) / 4.2
    [0.29]
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from pathlib import Path
from typing import Any

# (name, label in the table, where it is recorded: "runner" or "seconds", its keys there)
STAGES = (
    ("intake and planning", "intake and planning (read, match, plan)", "seconds",
     ("intake", "match", "plan")),
    ("sandbox start", "sandbox start (tmpfs, copy, cgroup)", "runner", ("sandbox_start",)),
    ("kernel start", "kernel start (sandbox, ipykernel)", "runner", ("kernel_start",)),
    ("imports", "imports (grader checks, NumPy)", "runner", ("imports",)),
    ("cells", "student's and tests' cells", "runner", ("cells",)),
    ("teardown", "sandbox teardown (kill, unmount)", "runner", ("teardown",)),
    ("judging", "judging (outside the kernel)", "seconds", ("judge",)),
    ("recording", "recording (graded notebook written)", "seconds", ("record",)),
)  # fmt: skip
WORK = "cells"  # the one stage that is not overhead


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


def per_submission(rows: list[dict[str, Any]]) -> list[dict[str, float]]:
    """Seconds of each stage for each submission (runner stages summed over its notebooks)."""
    out = []
    for row in rows:
        seconds, notebooks = row.get("seconds", {}), row.get("runner", {}).values()
        stages = {}
        for name, _, where, keys in STAGES:
            if where == "seconds":
                stages[name] = sum(seconds.get(key, 0.0) for key in keys)
            else:
                stages[name] = sum(nb.get(key, 0.0) for nb in notebooks for key in keys)
        out.append(stages)
    return out


def overhead_shares(rows: list[dict[str, Any]]) -> list[float]:
    """Each submission's overhead (all stages but its cells) as a share of all its stages."""
    shares = []
    for stages in per_submission(rows):
        total = sum(stages.values())
        shares.append((total - stages[WORK]) / total if total else 0.0)
    return shares


def stage_table(rows: list[dict[str, Any]]) -> str:
    """A markdown table: each stage's median and worst seconds per submission, and its share."""
    if not rows:
        return "No per-stage timings in the ledger (the grader did not record them)."
    subs = per_submission(rows)
    totals = [sum(s.values()) for s in subs]
    mean_total = statistics.fmean(totals) or 1.0
    lines = [
        "| stage | median s | worst s | share of the mean |",
        "|---|---:|---:|---:|",
    ]
    for name, label, _, _ in STAGES:
        values = [s[name] for s in subs]
        share = 100 * statistics.fmean(values) / mean_total
        lines.append(
            f"| {label} | {statistics.median(values):.3f} | {max(values):.3f} | {share:.0f}% |"
        )
    lines.append(f"| all stages | {statistics.median(totals):.3f} | {max(totals):.3f} | 100% |")
    shares = overhead_shares(rows)
    lines.append(
        f"\nOverhead (every stage but the cells), per submission: median "
        f"**{100 * statistics.median(shares):.0f}%**, worst {100 * max(shares):.0f}%."
    )
    return "\n".join(lines)


def median_overhead(rows: list[dict[str, Any]]) -> float:
    """The median submission's overhead share (0 when nothing is recorded)."""
    return statistics.median(overhead_shares(rows)) if rows else 0.0


def coordinator_seconds(rows: list[dict[str, Any]]) -> float:
    """Median seconds per submission of the passes the coordinator's own process does."""
    subs = per_submission(rows)
    mine = ("intake and planning", "judging", "recording")
    return statistics.median(sum(s[name] for name in mine) for s in subs) if subs else 0.0
