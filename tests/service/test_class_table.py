"""The instructor's class table counts each submission after its late penalty, like the CSV and
the student's submission page (one function, `final_score`, for all three)."""

from __future__ import annotations

import csv
import io

from neurogebra_grader.service.class_table import class_table, export_csv, final_score, score_text


def graded(id: int, score: float, penalty: float | None = None) -> dict:
    return {
        "id": id,
        "student": "kim",
        "assignment": "toy",
        "state": "graded",
        "score": score,
        "max_score": 10.0,
        "late": penalty is not None,
        "late_penalty": penalty,
        "flags": [],
    }


def test_latest_and_best_are_after_the_late_penalty() -> None:
    # newest first: a late 10 with a penalty of 4, then an on-time 7
    rows = [graded(2, 10.0, penalty=4.0), graded(1, 7.0)]
    [entry] = class_table(rows)
    assert final_score(entry["latest"]) == 6.0
    assert score_text(entry["latest"]) == "6 / 10 (late, −4)"
    assert entry["best"] == 7.0 and entry["best_row"]["id"] == 1  # not the late 10
    assert score_text(entry["best_row"], out_of=False) == "7"


def test_the_csv_holds_the_same_final_score() -> None:
    rows = [graded(2, 10.0, penalty=4.0), graded(1, 7.0)]
    table = list(csv.DictReader(io.StringIO(export_csv(rows))))
    assert [(r["score"], r["late_penalty"], r["final_score"]) for r in table] == [
        ("7.0", "", "7.0"),
        ("10.0", "4.0", "6.0"),
    ]


def test_ungraded_rows_have_no_score() -> None:
    queued = graded(3, 0.0) | {"state": "queued", "score": None}
    [entry] = class_table([queued])
    assert entry["best"] is None and entry["best_row"] is None
    assert score_text(queued) == ""
