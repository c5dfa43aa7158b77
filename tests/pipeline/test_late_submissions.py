"""Deadlines follow nbgrader's own settings: the gradebook's due date and
LateSubmissionPlugin.penalty_method; report and export show lateness and the penalty."""

from __future__ import annotations

import csv
import io

import toycourse as tc
from conftest import fresh_course, good


def test_a_late_submission_is_reported_and_penalised_as_nbgrader_says(released, tmp_path):
    course = fresh_course(tmp_path, released)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + 'c.LateSubmissionPlugin.penalty_method = "zero"\n')
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "toy-course") as gb:
        gb.update_or_create_assignment("toy", duedate=parse_utc("2030-01-01 12:00:00 UTC"))
    tc.place_submission(course, "early", good(course), "2030-01-01 11:00:00.000000 UTC")
    tc.place_submission(course, "late", good(course), "2030-01-01 14:00:00.000000 UTC")
    tc.grader("autograde", "toy", course=course)

    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(
        tc.grader("export", "toy", course=course).stdout))}  # fmt: skip
    assert float(rows["early"]["seconds_late"]) == 0
    assert float(rows["early"]["final_score"]) == 40
    assert float(rows["late"]["seconds_late"]) == 7200
    assert float(rows["late"]["score"]) == 40
    assert float(rows["late"]["late_penalty"]) == 40  # "zero": a late notebook scores nothing
    assert float(rows["late"]["final_score"]) == 0
    report = tc.grader("report", "toy", course=course).stdout
    assert "2.0 h late" in report and "on time" in report
