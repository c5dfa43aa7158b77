"""The ledger's gradebook writes: one transaction per submission, hashes read once per batch."""

from __future__ import annotations

import datetime

import pytest
from nbgrader.api import Gradebook
from nbgrader.plugins import LateSubmissionPlugin
from sqlalchemy import event

from neurogebra_grader.pipeline import ledger


@pytest.fixture
def gb(tmp_path):
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as book:
        book.add_assignment("hw", duedate=datetime.datetime(2026, 1, 1))
        book.add_notebook("hw", "hw")
        book.add_grade_cell("q1", "hw", "hw", max_score=2.0, cell_type="code")
        book.add_grade_cell("q2", "hw", "hw", max_score=3.0, cell_type="code")
        ledger.ensure_table(book)
        yield book


def result(student: str, digest: str, q1: float, day: int = 1) -> ledger.SubmissionResult:
    out = ledger.SubmissionResult("hw", student, digest, datetime.datetime(2025, 12, day))
    out.notebooks["hw"] = [
        {"grade_id": "q1", "points": 2.0, "score": q1},
        {"grade_id": "q2", "points": 3.0, "score": 3.0},
    ]
    return out


def commits(gb: Gradebook) -> list[int]:
    seen: list[int] = []
    event.listen(gb.db, "after_commit", lambda session: seen.append(1))
    return seen


def test_a_regraded_submission_is_written_in_one_transaction(gb) -> None:
    late = LateSubmissionPlugin()
    ledger.record(gb, result("ada", "h1", 0.0), late)  # new: nbgrader makes student, skeleton
    seen = commits(gb)
    ledger.record(gb, result("ada", "h2", 2.0, day=3), late)
    assert len(seen) == 1
    submission = gb.find_submission("hw", "ada")
    assert submission.score == 5.0
    assert submission.timestamp == datetime.datetime(2025, 12, 3)
    assert ledger.graded_hash(gb, "hw", "ada") == "h2"


def test_a_failed_ledger_write_keeps_nothing_of_the_submission(gb, monkeypatch) -> None:
    late = LateSubmissionPlugin()
    ledger.record(gb, result("ada", "h1", 0.0), late)
    broken = result("ada", "h2", 2.0, day=3)
    broken.flags = [{"code": object()}]  # cannot be written as JSON: the insert fails
    with pytest.raises(TypeError):
        ledger.record(gb, broken, late)
    submission = gb.find_submission("hw", "ada")
    assert submission.score == 3.0 and submission.timestamp == datetime.datetime(2025, 12, 1)
    assert ledger.graded_hash(gb, "hw", "ada") == "h1"


def test_the_batch_reads_every_graded_hash_at_once(gb) -> None:
    late = LateSubmissionPlugin()
    for student, digest in (("ada", "h1"), ("ben", "h2")):
        ledger.record(gb, result(student, digest, 1.0), late)
    assert ledger.graded_hashes(gb, "hw") == {"ada": "h1", "ben": "h2"}
    assert ledger.graded_hashes(gb, "other") == {}
