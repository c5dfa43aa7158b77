"""Two real `serve` processes on one course and one gradebook (SQLite; the process-level
tests in test_two_instances.py run on PostgreSQL too): uploads racing to both never pass the
rate limit, and when one server is killed mid-queue the other grades what it held once its
lease runs out, each submission recorded once and no student graded twice at once.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from live_service import Live, Server, gradebook_rows, live
from toy_service import RIGHT, csrf, notebook

__all__ = ["live"]  # the module-scoped server fixture (live_service.py)


@pytest.fixture(scope="module")
def second(live: Live) -> Iterator[Server]:
    """A second server on the same course and database (the lease is 4 s, as for the first)."""
    time.sleep(1.1)  # its own log file (named by the second)
    server = Server(live.server.course, live.server.db)
    server.start()
    yield server
    server.stop()


def _set_limit(live: Live, limit: int) -> None:
    prof = live.browser("prof")
    form = {"csrf": csrf(prof.get("/instructor").text), "assignment": "toy"}
    limits = {"rate_limit": str(limit), "rate_window": "3600"}
    done = prof.post("/instructor/settings", data=form | limits)
    assert done.status_code == 303


def _client(live: Live, server: Server, who: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {live.tokens[who]}"}
    return httpx.Client(base_url=server.url, headers=headers, timeout=60)


def test_uploads_to_two_servers_never_pass_the_limit(live: Live, second: Server) -> None:
    _set_limit(live, 3)
    data = notebook(live.server.course, RIGHT)
    codes: list[int] = []
    start = threading.Barrier(8)

    def send(server: Server) -> None:
        with _client(live, server, "ana") as ana:
            start.wait()
            codes.append(live.upload(ana, data).status_code)

    threads = [threading.Thread(target=send, args=(s,)) for s in [live.server, second] * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [202] * 3 + [429] * 5
    rows = gradebook_rows(live.server.course, "neurogebra_service_submissions", "", live.db_url)
    assert [row[1] for row in rows].count("ana") == 3


def test_one_server_killed_the_other_grades_its_work_once(live: Live, second: Server) -> None:
    _set_limit(live, 10)
    course = live.server.course
    ids = []
    for n, who in enumerate(("alice", "bob", "kim", "alice", "bob", "kim")):
        with _client(live, (live.server, second)[n % 2], who) as client:
            sent = live.upload(client, notebook(course, RIGHT))
        assert sent.status_code == 202, sent.text
        ids.append(sent.json()["id"])
    twice: list[list[tuple]] = []

    def running() -> list[tuple]:
        rows = gradebook_rows(course, "neurogebra_service_submissions", "", live.db_url)
        now = [row for row in rows if row[7] == "running"]
        if max(Counter(row[1] for row in now).values(), default=0) > 1:
            twice.append(now)
        return now

    deadline = time.monotonic() + 60
    while not running():  # kill the first while grading is under way
        assert time.monotonic() < deadline, "nothing ran"
        time.sleep(0.1)
    live.server.kill()
    try:
        with _client(live, second, "prof") as prof:
            deadline = time.monotonic() + 180
            for submission_id in ids:
                while prof.get(f"/api/submissions/{submission_id}").json()["state"] != "graded":
                    assert time.monotonic() < deadline, "not graded by the other server"
                    running()
                    time.sleep(0.2)
    finally:
        live.server.start()  # the module's fixture stops it at the end
    assert twice == []  # no student ever had two running rows
    results = gradebook_rows(course, "neurogebra_service_results", "", live.db_url)
    recorded = Counter(row[0] for row in results)
    assert all(recorded[i] == 1 for i in ids), recorded
