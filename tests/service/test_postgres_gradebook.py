"""The service's record on a real PostgreSQL server, and on SQLite (the `db_url` fixture).

nbgrader's gradebook makes its tables and keeps students and assignments on both; a
conditional UPDATE lets exactly one of several racing workers claim a queued submission.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
import sqlalchemy as sa
from nbgrader.api import Gradebook
from postgres_server import PostgresServer, PostgresUnavailable, find_bindir, running_postgres

DUE = datetime(2026, 12, 24, 18, 0)


def test_the_gradebook_keeps_students_and_assignments(db_url):
    with Gradebook(db_url) as gradebook:
        gradebook.add_student("ada", first_name="Ada", last_name="Lovelace")
        gradebook.add_assignment("autograd", duedate=DUE)

    engine = sa.create_engine(db_url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"student", "assignment", "submitted_assignment", "grade"} <= tables

    with Gradebook(db_url) as gradebook:  # a new connection reads what the first wrote
        assert gradebook.find_student("ada").last_name == "Lovelace"
        assert gradebook.find_assignment("autograd").duedate == DUE
        assert [s.id for s in gradebook.students] == ["ada"]


def test_the_postgres_url_is_a_password_protected_loopback_server(postgres: PostgresServer):
    url = postgres.create_database("checked")
    assert url.startswith(f"postgresql+psycopg://neurogebra:{postgres.password}@127.0.0.1:")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT version()")).startswith("PostgreSQL ")
            assert connection.scalar(sa.text("SHOW listen_addresses")) == "127.0.0.1"
            assert connection.scalar(sa.text("SHOW unix_socket_directories")) == ""
    finally:
        engine.dispose()

    wrong = sa.create_engine(url.replace(postgres.password, "not-the-password"))
    try:
        with pytest.raises(sa.exc.OperationalError, match="password authentication failed"):
            wrong.connect()
    finally:
        wrong.dispose()


def claim_race(db_url: str, workers: int) -> tuple[list[str], str, list[float]]:
    """`workers` threads, each on its own connection, try at once to claim one queued job.

    Each holds its transaction open a moment after its UPDATE, so the others' UPDATEs wait on
    the row (PostgreSQL) or the write lock (SQLite) and then see the winner's change.
    Returns who won, who the row names, and how long each loser's UPDATE took.
    """
    engine = sa.create_engine(db_url, pool_size=workers, connect_args=_wait_for_locks(db_url))
    jobs = sa.Table(
        "jobs",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("worker", sa.String(16)),
    )
    claim = (
        sa.update(jobs)
        .where(jobs.c.id == 1, jobs.c.state == "queued")
        .values(state="running", worker=sa.bindparam("me"))
    )
    start = threading.Barrier(workers)
    winners: list[str] = []
    losers_waited: list[float] = []
    errors: list[BaseException] = []

    def worker(me: str) -> None:
        try:
            with engine.connect() as connection:
                start.wait(timeout=30)
                with connection.begin():
                    began = time.monotonic()
                    if connection.execute(claim, {"me": me}).rowcount == 1:
                        winners.append(me)
                    else:
                        losers_waited.append(time.monotonic() - began)
                    time.sleep(0.2)
        except BaseException as error:
            errors.append(error)

    try:
        jobs.metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(sa.insert(jobs).values(id=1, state="queued"))
        threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        with engine.connect() as connection:
            row = connection.execute(sa.select(jobs.c.state, jobs.c.worker)).one()
    finally:
        engine.dispose()
    assert row.state == "running"
    return winners, row.worker, losers_waited


def _wait_for_locks(db_url: str) -> dict[str, float]:
    """SQLite answers "database is locked" after its timeout; give it longer than the race."""
    return {"timeout": 30.0} if db_url.startswith("sqlite") else {}


def test_exactly_one_worker_claims_a_queued_job(db_url):
    winners, named, losers_waited = claim_race(db_url, workers=6)
    assert len(winners) == 1
    assert named == winners[0]
    assert max(losers_waited) > 0.1  # a real race: a loser's UPDATE waited for the winner


def test_a_missing_server_fails_with_the_fix(tmp_path):
    with pytest.raises(PostgresUnavailable, match=r"bash tools/setup\.sh"):
        find_bindir([str(tmp_path)])


def test_the_cluster_is_removed_after_a_failure():
    with pytest.raises(ZeroDivisionError), running_postgres(find_bindir()) as server:
        url = server.create_database("doomed")
        1 / 0
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with pytest.raises(sa.exc.OperationalError):
            engine.connect()
    finally:
        engine.dispose()
