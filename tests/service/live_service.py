"""The submission service, live: a real uvicorn server (the `neurogebra-grader serve` command)
on 127.0.0.1, SQLite, local sandboxed workers, and a toy course with one question (a visible
and a hidden check) released with the pipeline's own toy-course helpers. Shared by the
service's end-to-end tests (standalone API, pages in the browser):

    from live_service import Live, live  # noqa: F401 (`live` is a module-scoped fixture)

    def test_alice_logs_in(live: Live) -> None:
        assert live.browser("alice").get("/student").status_code == 200
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from toy_service import (  # noqa: F401 (re-exported for the tests that use the server)
    HIDDEN_CODE,
    RIGHT,
    WRONG,
    csrf,
    notebook,
    one_question_course,
    tc,
    wait_graded,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(course: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(course), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@dataclass
class Server:
    course: Path
    db: list[str] = field(default_factory=list)  # ["--db", URL] or nothing (the course's)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(self.course)]
        cmd += ["serve", "--port", str(self.port), "--workers", "2", *self.db]
        log = open(self.course.parent / f"serve-{time.time():.0f}.log", "w")  # noqa: SIM115
        env = os.environ | {"NEUROGEBRA_GRADER_LEASE": "4"}  # a killed server's rows: 4 s
        self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server exited"
            try:
                if httpx.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise AssertionError("the server did not answer within 60 s")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Live:
    server: Server
    tokens: dict[str, str]
    db_url: str | None = None  # the gradebook, as SQLAlchemy opens it (None: the course's file)

    def bearer(self, who: str) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return httpx.Client(base_url=self.server.url, headers=headers, timeout=30)

    def browser(self, who: str) -> httpx.Client:
        """A client logged in through the login form (session cookie, CSRF tokens)."""
        client = httpx.Client(base_url=self.server.url, timeout=30)
        page = client.get("/login")
        done = client.post("/login", data={"csrf": csrf(page.text), "token": self.tokens[who]})
        assert done.status_code == 303, done.text
        return client

    def upload(self, client: httpx.Client, data: bytes, **form: str) -> httpx.Response:
        form.setdefault("assignment", tc.ASSIGNMENT)
        files = {"notebook": (f"{tc.ASSIGNMENT}.ipynb", data, "application/json")}
        return client.post("/api/submissions", data=form, files=files)

    def wait_graded(self, client: httpx.Client, submission_id: int, seconds: float = 120) -> dict:
        return wait_graded(client, submission_id, seconds)


def gradebook_rows(
    course: Path, table: str, where: str = "", db_url: str | None = None
) -> list[tuple]:
    """Rows of ``table`` in the gradebook on ``db_url`` (default: the course's SQLite file)."""
    engine = sa.create_engine(db_url or f"sqlite:///{course / 'gradebook.db'}")
    try:
        with engine.connect() as db:
            return [tuple(row) for row in db.execute(sa.text(f"SELECT * FROM {table} {where}"))]
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """The server on SQLite, or (``indirect`` parameter "postgresql") on a real PostgreSQL."""
    root = tmp_path_factory.mktemp("service")
    if getattr(request, "param", "sqlite") == "postgresql":
        db_url = request.getfixturevalue("postgres").create_database("standalone")
        plain = db_url.replace("postgresql+psycopg://", "postgresql://")  # as a user writes it
        course, db = one_question_course(root, plain), ["--db", plain]
    else:
        course, db = one_question_course(root), []
        db_url = None
    with (course / "nbgrader_config.py").open("a") as config:  # late work scores nothing
        config.write('c.LateSubmissionPlugin.penalty_method = "zero"\n')
    roster = course.parent / "roster.csv"
    roster.write_text(
        "id,role\nalice,student\nana,student\nbob,\nkim,student\nlee,student\nprof,instructor\n"
    )
    printed = cli(course, "students", "import", str(roster), *db).stdout.strip().splitlines()
    rows = [line.split("\t") for line in printed]
    assert [row[:2] for row in rows][-2:] == [["lee", "student"], ["prof", "instructor"]]
    tokens = {name: token for name, _, token in rows}
    server = Server(course, db)
    server.start()
    yield Live(server, tokens, db_url)
    server.stop()
