"""The submission service under load (issue 16, §5): a real uvicorn server on 127.0.0.1 (the
`serve` command, SQLite, two local sandboxed workers) and the one-question toy course of
`test_standalone`, whose helpers this reuses.

Ten enrolled students, each its own client thread, submit 50 notebooks in all; each answer
carries a marker naming its student and number. Then every accepted submission is graded
exactly once (one `results` row each, none lost, nothing left queued), each student's scores
and feedback pages are their own, and a poller's status requests, sent without pause while
grading runs, are each answered within a second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest
from live_service import RIGHT, WRONG, Live, Server, csrf, gradebook_rows, notebook, tc
from live_service import one_question_course as toy_course

from neurogebra_grader.pipeline.course import Course
from neurogebra_grader.service.store import Store

STUDENTS = [f"load{k:02d}" for k in range(10)]
PER_STUDENT = 5  # 10 x 5 = 50 notebooks
RESPONSIVE_S = 1.0  # every status request answered within this, while grading runs
GRADING_S = 600  # the whole load, graded (two workers on a shared two-core machine)


def answer(student: str, n: int) -> tuple[str, float]:
    """The answer the student sends as her ``n``-th submission, and the score it earns.

    Example:
        >>> answer("load01", 2)[1]
        10.0
    """
    right = (STUDENTS.index(student) + n) % 2 == 1
    body = RIGHT if right else WRONG
    marker = f"# marker {student} {n}"
    return body.replace("\n", f"\n    {marker}\n", 1), 10.0 if right else 0.0


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    course = toy_course(tmp_path_factory.mktemp("load"))
    # enrolled here, not by `students import` (test_standalone runs that): a command's own
    # Python start costs seconds on a busy machine
    on = Course.load(course)
    store = Store(on.db_url, on.state_dir() / "service")
    tokens = {who: store.add_account(who) for who in STUDENTS}
    tokens["prof"] = store.add_account("prof", "instructor")
    store.engine.dispose()
    server = Server(course)
    server.start()
    live = Live(server, tokens)
    prof = live.browser("prof")
    form = {"csrf": csrf(prof.get("/instructor").text), "assignment": tc.ASSIGNMENT}
    saved = prof.post(
        "/instructor/settings", data=form | {"rate_limit": "100", "rate_window": "3600"}
    )
    assert saved.status_code == 303, saved.text
    yield live
    server.stop()


@dataclass
class Poller:
    """Sends status requests without pause (one of each kind in turn) and times each."""

    client: httpx.Client
    ids: list[int]
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    states: set[str] = field(default_factory=set)  # the states its answers reported
    slowest: tuple[float, str, float] = (0.0, "", 0.0)  # seconds, path, when
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        k = 0
        while not self.stop.is_set():
            paths = ["/api/submissions"] + [f"/api/submissions/{i}" for i in list(self.ids)]
            path = paths[k % len(paths)]
            k += 1
            start = time.perf_counter()
            try:
                reply = self.client.get(path)
            except httpx.HTTPError as error:
                self.failures.append(f"{path}: {error!r}")
                continue
            self.latencies.append(time.perf_counter() - start)
            self.slowest = max(self.slowest, (self.latencies[-1], path, time.monotonic()))
            if reply.status_code != 200:
                self.failures.append(f"{path}: {reply.status_code}")
            elif path != "/api/submissions":
                self.states.add(reply.json()["state"])
            time.sleep(0.005)  # ~150 requests a second: no real class polls faster


def send_all(
    live: Live, student: str, payloads: list[bytes], accepted: list[int]
) -> list[tuple[int, str, float]]:
    """One student's client: her submissions, one after another, as (id, marker, score)."""
    client = live.bearer(student)
    sent = []
    for n, payload in enumerate(payloads):
        score = answer(student, n)[1]
        reply = live.upload(client, payload)
        assert reply.status_code == 202, (student, n, reply.text)
        assert reply.json()["remaining"] == 100 - n - 1
        accepted.append(reply.json()["id"])  # the poller asks about it from now on
        sent.append((reply.json()["id"], f"marker {student} {n}", score))
    return sent


def all_done(client: httpx.Client, ids: list[int]) -> bool:
    listed = client.get("/api/submissions").json()["submissions"]
    states = {row["id"]: row["state"] for row in listed}
    return all(states.get(i) in ("graded", "error") for i in ids)


def test_fifty_submissions_from_ten_students_graded_once_while_status_stays_fast(
    loaded: Live,
) -> None:
    live = loaded
    prof = live.bearer("prof")
    payloads = {  # made beforehand: the clients' threads only send
        who: [notebook(live.server.course, answer(who, n)[0]) for n in range(PER_STUDENT)]
        for who in STUDENTS
    }
    poller = Poller(prof, [])
    watcher = threading.Thread(target=poller.run, name="status-poller", daemon=True)
    watcher.start()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(len(STUDENTS)) as pool:
            sending = pool.map(lambda s: send_all(live, s, payloads[s], poller.ids), STUDENTS)
            batches = dict(zip(STUDENTS, sending, strict=True))
        sent_at = time.monotonic()
        sent = {
            i: (who, marker, score) for who, batch in batches.items() for i, marker, score in batch
        }
        deadline = time.monotonic() + GRADING_S
        while not all_done(prof, list(sent)):
            assert time.monotonic() < deadline, f"not all graded within {GRADING_S} s"
            time.sleep(1.0)
    finally:
        poller.stop.set()
        watcher.join(10)
    elapsed = time.monotonic() - started
    worst, where, when = poller.slowest
    print(
        f"\n{len(sent)} graded in {elapsed:.0f} s; {len(poller.latencies)} status requests, "
        f"99% within {sorted(poller.latencies)[len(poller.latencies) * 99 // 100]:.3f} s, "
        f"the slowest {worst:.3f} s ({where}, {when - started:.0f} s in; all sent at "
        f"{sent_at - started:.0f} s)"
    )

    assert len(sent) == len(STUDENTS) * PER_STUDENT  # 50 distinct ids, all accepted
    assert poller.failures == [], poller.failures[:5]
    assert {"queued", "running", "graded"} <= poller.states  # it asked while grading ran
    assert len(poller.latencies) > 50
    assert worst < RESPONSIVE_S, f"a status request took {worst:.2f} s under load"

    course = live.server.course
    recorded = [row[0] for row in gradebook_rows(course, "neurogebra_service_results")]
    assert sorted(recorded) == sorted(sent)  # each recorded once: none twice, none lost
    rows = gradebook_rows(course, "neurogebra_service_submissions")
    assert sorted(row[0] for row in rows) == sorted(sent)  # no row but the 50 accepted
    for who in STUDENTS:
        mine = live.bearer(who)
        listed = mine.get("/api/submissions").json()["submissions"]
        assert sorted(r["id"] for r in listed) == sorted(i for i, _, _ in batches[who])
        for submission_id, marker, score in batches[who]:
            body = mine.get(f"/api/submissions/{submission_id}").json()
            assert (body["student"], body["state"]) == (who, "graded"), body
            assert (body["score"], body["max_score"]) == (score, 10.0), (who, marker, body)
            page = mine.get(body["feedback_url"]).text
            assert marker in page, (who, marker)  # her own notebook, graded
            others = [m for _, (w, m, _) in sent.items() if w != who and m in page]
            assert others == [], (who, others)
    ledger = tc.ledger(course)
    assert sorted(ledger) == STUDENTS  # the gradebook's ledger: one row per student
    for who in STUDENTS:  # holding her newest submission's score
        newest = batches[who][-1]
        assert ledger[who]["score"] == newest[2], (who, ledger[who]["score"])
