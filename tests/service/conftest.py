"""Shared set-up of the submission service's tests (issue 16): real servers on 127.0.0.1.

`db_url` runs a test twice, on a SQLite file and on a fresh database of a real PostgreSQL
server (started once per session by `postgres_server.running_postgres`):

    def test_gradebook(db_url):
        with Gradebook(db_url) as gb: ...
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres_server import PostgresServer, running_postgres

_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server; fails (never skips) when it cannot start."""
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres: PostgresServer) -> str:
    """A database on the session's server, shared by the tests that ask for it."""
    return postgres.create_database("service")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database for this test: a SQLite file, then one on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gradebook.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database(f"test_{next(_databases)}")
