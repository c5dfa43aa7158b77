"""The submission service in standalone mode, end to end: a real uvicorn server (the
`neurogebra-grader serve` command) on 127.0.0.1, SQLite, local sandboxed workers, and a toy
course with one question (a visible and a hidden check) released with the pipeline's own
toy-course helpers.

The core flow (graded with per-question scores, isolation between students, kill -9 and
restart recording each result once) runs again with the gradebook on a real PostgreSQL
server, named by a plain `postgresql://` URL in the course's config and `--db`. Only the core
flow: the whole file takes minutes, and the other tests do not touch the database differently.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import nbformat
import pytest
import sqlalchemy as sa
from live_service import Live, cli, gradebook_rows, live
from toy_service import (
    HIDDEN_CODE,
    RIGHT,
    WRONG,
    csrf,
    notebook,
    tc,
)

__all__ = ["live"]  # the module-scoped server fixture (live_service.py)

ON_POSTGRES_TOO = {  # the core flow, run on both databases (see the module's docstring)
    "test_a_student_submits_and_reads_her_scores_and_feedback",
    "test_no_student_reaches_another_students_submission",
    "test_killed_mid_queue_loses_nothing_and_grades_nothing_twice",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test gets the SQLite server; the core flow also a PostgreSQL one."""
    if "live" in metafunc.fixturenames:
        databases = ["sqlite"]
        if metafunc.function.__name__ in ON_POSTGRES_TOO:
            databases.append("postgresql")
        metafunc.parametrize("live", databases, indirect=True, scope="module")


@pytest.fixture(scope="module")
def alices(live: Live) -> dict:
    """Alice logs in, uploads a half-right notebook through the page, and it is graded."""
    client = live.browser("alice")
    page = client.get("/student")
    assert page.status_code == 200 and "10 of 10 submissions left" in page.text
    files = {"notebook": ("toy.ipynb", notebook(live.server.course, WRONG), "application/json")}
    form = {"csrf": csrf(page.text), "assignment": tc.ASSIGNMENT}
    done = client.post("/submit", data=form, files=files)
    assert done.status_code == 303
    submission_id = int(done.headers["location"].rsplit("/", 1)[1])
    body = live.wait_graded(client, submission_id)
    return {"client": client, "id": submission_id, "body": body}


def test_a_student_submits_and_reads_her_scores_and_feedback(live: Live, alices: dict) -> None:
    body, client = alices["body"], alices["client"]
    assert body["state"] == "graded", body
    assert body["seen"][-1] == "graded" and set(body["seen"]) <= {"queued", "running", "graded"}
    assert [(q["question"], q["score"], q["points"]) for q in body["questions"]] == [
        ("test_square", 0.0, 10.0)
    ]
    assert "square(3)" in body["questions"][0]["message"]  # the visible check is named
    page = client.get(body["url"])
    assert page.status_code == 200 and "test_square" in page.text and "0 / 10" in page.text
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    feedback = client.get(body["feedback_url"])
    assert feedback.status_code == 200 and "square" in feedback.text
    assert HIDDEN_CODE not in feedback.text and "HIDDEN TESTS" not in feedback.text
    assert "sandbox" in feedback.headers["content-security-policy"]
    assert client.get("/student").text.count("9 of 10 submissions left") >= 1


def test_the_submit_command_waits_and_prints_scores(live: Live, tmp_path: Path) -> None:
    path = tmp_path / "toy.ipynb"
    path.write_bytes(notebook(live.server.course, RIGHT))
    args = ["submit", str(path), "--assignment", "toy", "--server", live.server.url]
    done = cli(live.server.course, *args, "--token", live.tokens["bob"])
    assert "test_square: 10 / 10" in done.stdout and "score: 10 / 10" in done.stdout
    assert f"{live.server.url}/submissions/" in done.stdout and "/feedback" in done.stdout


def test_no_student_reaches_another_students_submission(live: Live, alices: dict) -> None:
    theirs = alices["id"]
    bob = live.browser("bob")
    alice_cookie = dict(alices["client"].cookies)
    paths = [
        f"/submissions/{theirs}",
        f"/submissions/{theirs}/feedback",
        f"/api/submissions/{theirs}",
        f"/submissions/{theirs}?student=alice",
        f"/api/submissions/{theirs}?student=alice",
        f"/submissions/{theirs}%2F..%2F{theirs}",
        f"/submissions/0{theirs}",
        "/instructor",
        "/instructor/export.csv",
    ]
    spoof = {"X-Student": "alice", "X-Forwarded-User": "alice", "Remote-User": "alice"}
    for client in (bob, live.bearer("bob")):
        for path in paths:
            answer = client.get(path, headers=spoof)
            assert answer.status_code == 404, (path, answer.status_code)
            assert "alice" not in answer.text
        listed = client.get("/api/submissions", params={"student": "alice"}, headers=spoof)
        assert all(s["student"] == "bob" for s in listed.json()["submissions"])
    # bob's bearer token wins over alice's cookie sent alongside it
    mixed = httpx.Client(base_url=live.server.url, cookies=alice_cookie, timeout=30)
    headers = {"Authorization": f"Bearer {live.tokens['bob']}"}
    assert mixed.get(f"/api/submissions/{theirs}", headers=headers).status_code == 404
    # nor regrade it, nor submit as her
    page = bob.get("/student")
    regrade = bob.post(f"/instructor/regrade/{theirs}", data={"csrf": csrf(page.text)})
    assert regrade.status_code == 404
    sent = live.upload(live.bearer("bob"), notebook(live.server.course, RIGHT), student="alice")
    assert sent.status_code == 202
    mine = live.bearer("bob").get(sent.json()["api"]).json()
    assert mine["student"] == "bob"
    live.wait_graded(live.bearer("bob"), mine["id"])
    assert live.bearer("alice").get(sent.json()["api"]).status_code == 404


def test_the_instructor_sees_the_class_and_exports_it(live: Live, alices: dict) -> None:
    prof = live.browser("prof")
    page = prof.get("/instructor")
    assert page.status_code == 200
    assert "alice" in page.text and "bob" in page.text and "test_square" in page.text
    assert prof.get(f"/submissions/{alices['id']}").status_code == 200
    export = prof.get("/instructor/export.csv")
    rows = [line.split(",") for line in export.text.strip().splitlines()]
    assert rows[0][:3] == ["id", "assignment", "student"]
    assert {r[2] for r in rows[1:]} == {"alice", "bob"}
    # regrade: only a student's newest submission (the gradebook keeps the last graded)
    listed = prof.get("/api/submissions").json()["submissions"]
    bobs = [row["id"] for row in listed if row["student"] == "bob"]
    assert len(bobs) == 2
    form = {"csrf": csrf(page.text)}
    assert prof.post(f"/instructor/regrade/{min(bobs)}", data=form).status_code == 404
    assert prof.post(f"/instructor/regrade/{max(bobs)}", data=form).status_code == 303
    again = live.wait_graded(prof, max(bobs))
    assert again["state"] == "graded" and again["score"] == 10.0


def test_every_post_needs_the_forms_csrf_token(live: Live) -> None:
    client = live.browser("kim")
    files = {"notebook": ("toy.ipynb", notebook(live.server.course, RIGHT), "application/json")}
    for form in ({"assignment": "toy"}, {"assignment": "toy", "csrf": "forged"}):
        refused = client.post("/submit", data=form, files=files)
        assert refused.status_code == 403 and "CSRF" in refused.text
        refused = client.post("/api/submissions", data=form, files=files)
        assert refused.status_code == 403
        basic = {"Authorization": "Basic a2ltOng="}  # not a bearer token: the cookie counts
        refused = client.post("/api/submissions", data=form, files=files, headers=basic)
        assert refused.status_code == 403
    fresh = httpx.Client(base_url=live.server.url, timeout=30)
    fresh.get("/login")
    assert fresh.post("/login", data={"token": live.tokens["kim"]}).status_code == 403
    assert client.get("/api/submissions").json()["submissions"] == []


def test_the_rate_limit_refuses_clearly_and_shows_none_left(live: Live) -> None:
    prof = live.browser("prof")
    form = {"csrf": csrf(prof.get("/instructor").text), "assignment": "toy"}
    limit = {"rate_limit": "1", "rate_window": "3600"}
    saved = prof.post("/instructor/settings", data=form | limit)
    assert saved.status_code == 303
    lee = live.bearer("lee")
    first = live.upload(lee, notebook(live.server.course, RIGHT))
    assert first.status_code == 202 and first.json()["remaining"] == 0
    second = live.upload(lee, notebook(live.server.course, RIGHT))
    assert second.status_code == 429
    assert "limit" in second.json()["error"] and "0 left" in second.json()["error"]
    assert second.json()["remaining"] == 0
    assert lee.get("/api/submissions").json()["remaining"] == {"toy": 0}
    live.wait_graded(lee, first.json()["id"])


def test_refusals_name_what_is_wrong(live: Live) -> None:
    kim = live.bearer("kim")
    bad_name = kim.post(
        "/api/submissions",
        data={"assignment": "toy"},
        files={"notebook": ("other.ipynb", b"{}", "application/json")},
    )
    assert bad_name.status_code == 400 and "toy.ipynb" in bad_name.json()["error"]
    not_json = live.upload(kim, b'{"cells": [')
    assert not_json.status_code == 400 and "not valid notebook JSON" in not_json.json()["error"]
    unknown = live.upload(kim, b"{}", assignment="../toy")
    assert unknown.status_code == 404 and "no assignment" in unknown.json()["error"]


def set_duedate(live: Live, when: str | None) -> None:
    engine = sa.create_engine(live.db_url or f"sqlite:///{live.server.course / 'gradebook.db'}")
    try:
        with engine.begin() as db:
            update = "UPDATE assignment SET duedate = :when WHERE name = 'toy'"
            db.execute(sa.text(update), {"when": when})
    finally:
        engine.dispose()


def test_after_the_deadline_refused_or_accepted_as_late(live: Live) -> None:
    prof = live.browser("prof")
    form = {"csrf": csrf(prof.get("/instructor").text), "assignment": "toy"}
    form |= {"rate_limit": "10", "rate_window": "3600"}
    set_duedate(live, "2020-01-01 00:00:00.000000")
    try:
        kim = live.bearer("kim")
        refused = live.upload(kim, notebook(live.server.course, RIGHT))
        assert refused.status_code == 403
        assert "deadline of toy was 2020-01-01 00:00 UTC" in refused.json()["error"]
        assert prof.post("/instructor/settings", data=form | {"accept_late": "yes"}).is_redirect
        late = live.upload(kim, notebook(live.server.course, RIGHT))
        assert late.status_code == 202 and late.json()["late"] is True
        graded = live.wait_graded(kim, late.json()["id"])
        assert graded["late"] is True and graded["state"] == "graded"
        assert (graded["score"], graded["late_penalty"]) == (10.0, 10.0)  # the course's plugin
        page = kim.get(graded["url"]).text
        assert "minus a late penalty of 10" in page
        # the instructor's class page counts it after the penalty too, as the CSV does
        [row] = re.findall(
            r"<tr><td>kim</td><td>toy</td>(.*?)</tr>", prof.get("/instructor").text, re.S
        )
        assert "0 / 10 (late, −10)" in row and "<td>0 (late, −10)</td>" in row
        export = csv.DictReader(io.StringIO(prof.get("/instructor/export.csv").text))
        [kims] = [r for r in export if r["id"] == str(graded["id"])]
        assert (kims["score"], kims["late_penalty"], kims["final_score"]) == ("10.0", "10.0", "0.0")
    finally:
        set_duedate(live, None)
        prof.post("/instructor/settings", data=form | {"accept_late": "no"})


def test_killed_mid_queue_loses_nothing_and_grades_nothing_twice(live: Live) -> None:
    course = live.server.course
    prof = live.bearer("prof")
    page = live.browser("prof")
    form = {"csrf": csrf(page.get("/instructor").text), "assignment": "toy"}
    page.post("/instructor/settings", data=form | {"rate_limit": "10", "rate_window": "3600"})
    ids = []
    for who in ("alice", "bob", "kim", "alice", "bob"):  # senders, below
        sent = live.upload(live.bearer(who), notebook(course, RIGHT))
        assert sent.status_code == 202
        ids.append(sent.json()["id"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill while one runs and the rest wait
        states = [prof.get(f"/api/submissions/{i}").json()["state"] for i in ids]
        if "running" in states:
            break
        time.sleep(0.1)
    assert "running" in states and "queued" in states, states
    live.server.kill()
    live.server.start()
    for submission_id in ids:
        assert live.wait_graded(prof, submission_id)["state"] == "graded"

    def rows(table: str, where: str = "") -> list[tuple]:
        return gradebook_rows(course, table, where, db_url=live.db_url)

    results = rows("neurogebra_service_results")
    per_id = {row[0]: 0 for row in results}
    for row in results:
        per_id[row[0]] += 1
    assert all(per_id.get(i) == 1 for i in ids), per_id  # each recorded exactly once
    assert rows("neurogebra_service_submissions", "WHERE state != 'graded'") == []
    submitted = rows("neurogebra_service_submissions", "WHERE assignment = 'toy'")
    ledger = rows("neurogebra_grading", "WHERE assignment = 'toy'")
    assert sorted(row[1] for row in ledger) == sorted({row[1] for row in submitted})  # one each
    assert {"alice", "bob", "kim"} <= {row[1] for row in ledger}
    if live.db_url is not None:  # course, autograde and service: one database
        assert not (course / "gradebook.db").exists()
    senders = ("alice", "bob", "kim", "alice", "bob")
    for who in ("alice", "bob"):  # the ledger holds their newest submission's grade
        newest = max(i for i, w in zip(ids, senders, strict=True) if w == who)
        assert prof.get(f"/api/submissions/{newest}").json()["score"] == 10.0
    assert nbformat.reads(
        (course / "submitted" / "alice" / "toy" / "toy.ipynb").read_text(), as_version=4
    )


def test_oversized_bodies_are_refused_before_they_are_read(live: Live) -> None:
    big = b"x" * 21_000_000
    too_big = live.upload(live.bearer("kim"), big)
    assert too_big.status_code == 413 and "limit" in too_big.json()["error"]
    login = httpx.post(f"{live.server.url}/login", content=b"token=" + b"a" * 20_000)
    assert login.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it is read
        for _ in range(4):
            yield b"token=" + b"a" * 10_000

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    try:
        sent = httpx.post(f"{live.server.url}/login", content=chunks(), headers=form)
        status: int | None = sent.status_code
    except httpx.HTTPError:
        status = None  # the server cut the connection
    assert status is None or status == 413, status
    assert httpx.get(f"{live.server.url}/login").status_code == 200  # still serving
