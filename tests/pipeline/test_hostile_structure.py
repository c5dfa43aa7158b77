"""Red team, structure: notebooks whose JSON, cell ids, metadata or names are the attack.

One sandboxed autograde run grades an honest student (alice), an honest blank notebook and
every structural attacker; feedback is then generated for the class. Before this pipeline, a
deleted, retyped or metadata-stripped answer cell was filled with the instructor's solution
(full marks, and the solution shown in feedback); an unreadable timestamp, an unhashable id or
markup in a name stopped the whole batch or the report.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile

import hostile_intake as hi
import pytest
import toycourse as tc
from conftest import RED_TEAM_LIMITS, fresh_course, good, snapshot

ATTACKERS: list[str] = []


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory):
    course = fresh_course(tmp_path_factory.mktemp("structure"), released)
    canary = course.parent.parent / "canary"
    canary.mkdir()
    (canary / "canary.txt").write_text("untouched")
    tc.place_submission(course, "alice", good(course))
    hi.place(course, "blank", json.dumps(hi.release_json(course)))
    ATTACKERS[:] = hi.place_structure_attacks(course)
    before, canary_before = snapshot(course.parent), snapshot(canary)
    jobs = tempfile.mkdtemp(prefix="ngj-", dir="/tmp")  # short: kernel socket paths
    env = dict(os.environ, NEUROGEBRA_JOB_DIR=jobs)
    done = tc.grader(
        "autograde", tc.ASSIGNMENT, "--workers", "2", *RED_TEAM_LIMITS, course=course, env=env
    )
    feedback = tc.grader("feedback", tc.ASSIGNMENT, "--no-release", course=course, check=False)
    return {
        "course": course,
        "jobs": jobs,
        "stdout": done.stdout,
        "feedback": feedback,
        "unchanged": snapshot(course.parent) == before and snapshot(canary) == canary_before,
        "rows": hi.ledger_rows(course),
        "export": tc.grader("export", tc.ASSIGNMENT, course=course).stdout,
        "report": tc.grader("report", tc.ASSIGNMENT, course=course).stdout,
    }


def test_honest_students_are_graded_as_before(graded):
    rows = graded["rows"]
    assert rows["alice"]["score"] == 40.0 and rows["alice"]["flags"] == []
    assert rows["blank"]["flags"] == [] and rows["blank"]["errors"] == []
    assert rows["blank"]["score"] == 0.0
    assert graded["unchanged"]
    assert hi.surviving_processes(str(graded["course"])) == []
    # every kernel ran under the job folder: none is left, nor any job's files
    assert hi.surviving_processes(graded["jobs"]) == [] and os.listdir(graded["jobs"]) == []


@pytest.mark.parametrize("student", [*hi.EDITS, *hi.RAW, "huge_notebook", "bad_timestamp"])
def test_an_attacker_scores_what_a_blank_notebook_scores(graded, student):
    rows = graded["rows"]
    assert student in rows, graded["stdout"][-3000:]
    assert rows[student]["score"] <= rows["blank"]["score"], rows[student]["verdicts"]
    if student != "big_output":  # saved outputs are never read: nothing there to flag
        assert rows[student]["flags"] or rows[student]["errors"], "must be flagged or named"
    assert rows["alice"]["score"] == 40.0


@pytest.mark.parametrize(
    ("student", "flag"),
    [
        ("deletes_answers", "unanswered"),
        ("strips_metadata", "unanswered"),
        ("retypes_answers", "changed-type"),
        ("renames_answers", "unknown-id"),
        ("moves_answers", "moved-cell"),
        ("claims_test_ids", "duplicate-id"),
        ("null_sources", "malformed-cell"),
        ("odd_sources", "malformed-cell"),
        ("unhashable_ids", "malformed-cell"),
        ("huge_ids", "malformed-cell"),
        ("forges_points", "changed-points"),
        ("huge_notebook", "too-large"),
        ("bad_timestamp", "bad-timestamp"),
    ],
)
def test_each_structural_attack_is_flagged_by_name(graded, student, flag):
    assert flag in {f["code"] for f in graded["rows"][student]["flags"]}


@pytest.mark.parametrize(
    ("student", "error"),
    [
        ("nbformat_3", "nbformat 3, not 4"),
        ("nbformat_99", "nbformat 99, not 4"),
        ("deep_nesting", "nested too deeply"),
        ("cells_not_a_list", "no list of cells"),
        ("not_utf8", "not UTF-8"),
        ("huge_notebook", "more than the limit"),
    ],
)
def test_an_unreadable_notebook_is_that_students_clear_error(graded, student, error):
    assert any(error in e for e in graded["rows"][student]["errors"]), graded["rows"][student]


def test_the_instructors_solution_reaches_nothing_a_student_sees(graded):
    course = graded["course"]
    for student in ["blank", *ATTACKERS]:
        seen = [json.dumps(graded["rows"][student])]
        for path in (course / "autograded" / student).rglob("*"):
            if path.is_file():
                seen.append(path.read_text(errors="replace"))
        for path in (course / "feedback" / student).rglob("*"):
            if path.is_file():
                seen.append(path.read_text(errors="replace"))
        text = "\n".join(seen)
        for snippet in hi.SOLUTION_SNIPPETS:
            assert snippet not in text, (student, snippet)
    # the sandbox itself: every file the peeking student could read from inside, and the
    # code of every cell run before theirs (it runs before the first test, so its printout
    # is kept; what a cell prints after the hidden tests start is cut, see test_hidden_tests)
    peek = hi.printed(course, "peeks_at_everything")
    assert "SEEN" in peek and "HISTORY" in peek
    for snippet in ("6.25", "expected_mean", *hi.SOLUTION_SNIPPETS):
        assert snippet not in peek, snippet


def test_no_job_carries_the_solution_or_an_expected_value(graded):
    """What the grader sends a sandbox (the notebook to run, the files beside it), per student."""
    from neurogebra_grader.pipeline.autograde import plan_submission, prepare
    from neurogebra_grader.pipeline.course import Course
    from neurogebra_grader.pipeline.intake import IntakeLimits
    from neurogebra_grader.sandbox.limits import Limits

    course = Course.load(graded["course"])
    setup = prepare(course, tc.ASSIGNMENT, Limits(), sandbox=True)  # the cached reference
    planned = 0
    for student in ["blank", *ATTACKERS]:
        _, jobs = plan_submission(
            course, setup, student, Limits(), IntakeLimits(), True, graded_hash=None
        )
        for _, job in jobs:
            planned += 1
            files = {name: data.decode(errors="replace") for name, data in job.files.items()}
            payload = json.dumps([job.notebook, files])
            for secret in ("6.25", "expected_mean", *hi.SOLUTION_SNIPPETS):
                assert secret not in payload, (student, secret)
    assert planned >= len(hi.EDITS)


def test_feedback_for_the_class_is_generated(graded):
    assert graded["feedback"].returncode == 0, graded["feedback"].stdout[-2000:]
    pages = list((graded["course"] / "feedback").rglob("toy.html"))
    assert len(pages) >= 10
    for page in pages:
        html = page.read_text()
        assert "<script>alert('xss')</script>" not in html
        assert "&lt;script&gt;alert" in html or "markup_everywhere" not in str(page)


def test_forged_and_unhashable_reports_fail_only_their_tests(graded):
    row = graded["rows"]["forges_reports"]
    verdicts = {v["grade_id"]: v for v in row["verdicts"]["toy"]}
    assert all(v["score"] == 0.0 for v in verdicts.values())
    assert "could not be read" not in " ".join(row["errors"])  # judged, not crashed


def test_student_markup_is_shown_literally(graded):
    assert "[link=" in graded["report"] and "MarkupError" not in graded["report"]
    row = graded["rows"]["markup_everywhere"]
    assert any(hi.MARKUP in e for e in row["errors"]), row["errors"]
    notebook = graded["course"] / "autograded" / "markup_everywhere" / "toy" / "toy.ipynb"
    text = notebook.read_text()
    assert "text/html" not in text and "&lt;script&gt;" in text


def test_export_neutralises_spreadsheet_formulas(graded):
    rows = list(csv.DictReader(io.StringIO(graded["export"])))
    students = {r["student"] for r in rows}
    assert {"'=HYPERLINK(1)", "'@SUM(1+1)", "'+cmd", "'-2+3"} <= students
    assert not any(
        value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values() if value
    )
    assert "alice" in students and len(rows) == 2 + len(ATTACKERS)


def test_a_rerun_without_force_grades_nothing_again(graded):
    again = tc.grader("autograde", tc.ASSIGNMENT, *RED_TEAM_LIMITS, course=graded["course"])
    assert again.stdout.count("already graded, skipped") == 2 + len(ATTACKERS), again.stdout
    assert hi.ledger_rows(graded["course"]) == graded["rows"]
    assert os.path.exists(graded["course"] / "gradebook.db")
