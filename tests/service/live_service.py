"""The submission service, live: a real uvicorn server (the `neurogebra-grader serve` command)
on 127.0.0.1, SQLite, local sandboxed workers, and a toy course with one question (a visible
and a hidden check) released with the pipeline's own toy-course helpers. Shared by the
service's end-to-end tests (standalone API, pages in the browser):

    from live_service import Live, live  # noqa: F401 (`live` is a module-scoped fixture)

    def test_alice_logs_in(live: Live) -> None:
        assert live.browser("alice").get("/student").status_code == 200
"""

from __future__ import annotations

import json
import os
import re
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

sys.path.insert(0, str(Path(__file__).parents[1] / "pipeline"))

import toycourse as tc

HIDDEN_CODE = "square(-2.5)"  # the toy question's hidden check


def one_question_course(root: Path) -> Path:
    """The toy course cut to its first question (square: a visible and a hidden check)."""
    source = tc.notebook_of(tc.source_notebook().cells[:3])
    course = tc.make_course(root, source)
    tc.grader("release", course=course)
    return course


def notebook(course: Path, answer: str) -> bytes:
    def edit(by_id, nb):
        by_id["square"].source = answer

    return json.dumps(tc.submission_from_release(course, edit)).encode()


RIGHT = "def square(x):\n    return x * x"
WRONG = "def square(x):\n    return x + x"


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
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(self.course)]
        cmd += ["serve", "--port", str(self.port), "--workers", "2"]
        log = open(self.course.parent / f"serve-{time.time():.0f}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
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
        deadline = time.monotonic() + seconds
        seen = []
        while time.monotonic() < deadline:
            body = client.get(f"/api/submissions/{submission_id}").json()
            if not seen or seen[-1] != body["state"]:
                seen.append(body["state"])
            if body["state"] in ("graded", "error"):
                body["seen"] = seen
                return body
            time.sleep(0.3)
        raise AssertionError(f"submission {submission_id} still {seen[-1:]} after {seconds} s")


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    course = one_question_course(tmp_path_factory.mktemp("service"))
    with (course / "nbgrader_config.py").open("a") as config:  # late work scores nothing
        config.write('c.LateSubmissionPlugin.penalty_method = "zero"\n')
    roster = course.parent / "roster.csv"
    roster.write_text(
        "id,role\nalice,student\nana,student\nbob,\nkim,student\nlee,student\nprof,instructor\n"
    )
    printed = cli(course, "students", "import", str(roster)).stdout.strip().splitlines()
    rows = [line.split("\t") for line in printed]
    assert [row[:2] for row in rows][-2:] == [["lee", "student"], ["prof", "instructor"]]
    tokens = {name: token for name, _, token in rows}
    server = Server(course)
    server.start()
    yield Live(server, tokens)
    server.stop()
