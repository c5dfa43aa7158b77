"""The pipeline's ledger on SQLite and on a real PostgreSQL server (the `db_url` fixture):
made by SQLAlchemy, with no SQLite-only SQL, and upgraded from a 0.1.0 gradebook."""

from __future__ import annotations

import json

import sqlalchemy as sa
from nbgrader.api import Gradebook

from neurogebra_grader.pipeline import ledger

OLD_TABLE = (  # the ledger as grader 0.1.0 made it: no `timings` column
    "CREATE TABLE neurogebra_grading (assignment TEXT NOT NULL, student TEXT NOT NULL,"
    " submission_hash TEXT NOT NULL, graded_at TEXT NOT NULL, score REAL, max_score REAL,"
    " late_penalty REAL, flags TEXT, errors TEXT, verdicts TEXT,"
    " PRIMARY KEY (assignment, student))"
)


def columns(db_url: str) -> dict[str, str]:
    engine = sa.create_engine(db_url)
    try:
        found = sa.inspect(engine).get_columns(ledger.TABLE)
    finally:
        engine.dispose()
    return {c["name"]: str(c["type"]) for c in found}


def test_the_ledger_is_made_and_read_on_both_databases(db_url) -> None:
    with Gradebook(db_url) as gb:
        ledger.ensure_table(gb)
        ledger.ensure_table(gb)  # again: nothing to do
        assert ledger.graded_hash(gb, "hw", "ada") is None
        row = {"a": "hw", "s": "ada", "h": "abc", "t": "2026-12-07T19:00:00+00:00"}
        gb.db.execute(
            sa.text(
                "INSERT INTO neurogebra_grading (assignment, student, submission_hash,"
                " graded_at, score, max_score, flags) VALUES (:a, :s, :h, :t, 2.3, 7.1, :f)"
            ),
            row | {"f": json.dumps([{"code": "late"}])},
        )
        gb.db.commit()
    with Gradebook(db_url) as gb:  # a new connection reads what the first wrote
        assert ledger.graded_hash(gb, "hw", "ada") == "abc"
        [read] = ledger.rows(gb, "hw")
    assert (read["score"], read["max_score"]) == (2.3, 7.1)  # not rounded to 4-byte floats
    assert read["flags"] == [{"code": "late"}] and read["timings"] == {}
    assert set(columns(db_url)) >= {"assignment", "student", "submission_hash", "timings"}


def test_a_ledger_from_0_1_0_gains_its_timings_column(db_url) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(OLD_TABLE))
    finally:
        engine.dispose()
    assert "timings" not in columns(db_url)
    with Gradebook(db_url) as gb:
        ledger.ensure_table(gb)
    assert "timings" in columns(db_url)
