"""Two service instances on one database (a SQLite file, then a real PostgreSQL): each is a
separate process with its own engine, as two `serve` processes would be.

The rate limit holds across them, no student ever has two running submissions, and a
running submission's lease keeps the other instance off it until its instance dies (kill -9)
and the lease runs out; then the other requeues and grades it, and it is recorded once.
"""

from __future__ import annotations

import datetime
import itertools
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

from neurogebra_grader.service.queue import Claimed, Outcome, Queue
from neurogebra_grader.service.store import Settings, Store, submissions
from neurogebra_grader.service.worker import Workers

LIMIT = 5
spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing shared


def _admit_many(db_url: str, folder: str, start_at: float, tries: int) -> list[int | None]:
    """One instance: ``tries`` uploads of alice at once from 4 threads, from ``start_at``."""
    store = Store(db_url, Path(folder))
    limit = Settings(rate_limit=LIMIT, rate_window=3600)
    time.sleep(max(0.0, start_at - time.time()))

    def one(_: int) -> int | None:
        return store.accept("alice", "toy", "toy", b"{}", late=False, limit=limit)

    try:
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(one, range(tries)))
    finally:
        store.engine.dispose()


def _grade_all(db_url: str, folder: str, total: int) -> list[tuple[str, float, float, int]]:
    """One instance: once both instances are ready (whatever their start-up took), 3 threads
    claim and grade until ``total`` results are recorded; returns (student, claimed at,
    finishing at, running rows of that student seen) per grading."""
    store = Store(db_url, Path(folder))
    ready = Path(folder) / "ready"
    ready.mkdir(exist_ok=True)
    (ready / str(os.getpid())).touch()
    while len(list(ready.iterdir())) < 2:  # a barrier across the two processes
        time.sleep(0.01)
    queue = Queue(store)
    seen: list[tuple[str, float, float, int]] = []
    lock = threading.Lock()

    def running_of(student: str) -> int:
        with store.engine.connect() as db:
            query = sa.select(sa.func.count()).where(
                submissions.c.student == student, submissions.c.state == "running"
            )
            return int(db.execute(query).scalar_one())

    def work() -> None:
        while _graded(store) < total:
            claimed = queue.claim()
            if claimed is None:
                time.sleep(0.01)
                continue
            start = time.time()
            count = running_of(claimed.student)
            time.sleep(0.05)  # long enough that the other instance claims in the meantime
            end = time.time()
            assert queue.finish(claimed, Outcome("graded", score=1.0, max_score=1.0))
            with lock:
                seen.append((claimed.student, start, end, count))

    try:
        threads = [threading.Thread(target=work) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return seen
    finally:
        store.engine.dispose()


def _graded(store: Store) -> int:
    with store.engine.connect() as db:
        query = sa.select(sa.func.count()).where(submissions.c.state == "graded")
        return int(db.execute(query).scalar_one())


class _Forever:
    """A grader that never finishes: the instance is busy grading when it is killed."""

    def grade(self, claimed: Claimed) -> Outcome:
        threading.Event().wait()
        raise AssertionError("unreachable")


def _serve_and_hang(db_url: str, folder: str) -> None:
    """One instance's workers (lease 1 s, renewed every 0.25 s) grading forever."""
    store = Store(db_url, Path(folder))
    Workers(Queue(store, lease=1.0), _Forever(), count=1).start()  # type: ignore[arg-type]
    threading.Event().wait()


def test_two_instances_never_admit_past_the_rate_limit(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url, tmp_path / "one")  # makes the tables once, before the race
    start_at = time.time() + 3
    with spawn.Pool(2) as pool:
        outcomes = pool.starmap(
            _admit_many,
            [
                (db_url, str(tmp_path / "one"), start_at, 8),
                (db_url, str(tmp_path / "two"), start_at, 8),
            ],
        )
    accepted = [i for result in outcomes for i in result if i is not None]
    assert len(accepted) == LIMIT, outcomes
    assert all(len([i for i in result if i is not None]) < 8 for result in outcomes)
    assert store.count_since("alice", "toy", datetime.datetime(2000, 1, 1)) == LIMIT
    kept = list((tmp_path / "one" / "uploads").glob("*.ipynb"))
    kept += list((tmp_path / "two" / "uploads").glob("*.ipynb"))
    assert len(kept) == LIMIT  # a refused upload leaves no file
    assert store.accept("bob", "toy", "toy", b"{}", late=False, limit=Settings(rate_limit=LIMIT))
    store.engine.dispose()


def test_a_students_lock_makes_the_other_instance_wait(db_url: str, tmp_path: Path) -> None:
    one, two = Store(db_url, tmp_path), Store(db_url, tmp_path)  # two engines
    held = threading.Event()
    waited: list[float] = []

    def second() -> None:
        held.wait()
        start = time.monotonic()
        with two.locked("alice") as db:
            waited.append(time.monotonic() - start)
            assert two.count_since("alice", "toy", datetime.datetime(2000, 1, 1), db) == 1

    thread = threading.Thread(target=second)
    thread.start()
    with one.locked("alice") as db:
        held.set()
        time.sleep(1.0)
        db.execute(
            submissions.insert().values(
                student="alice",
                assignment="toy",
                notebook="toy",
                received_at=datetime.datetime(2026, 1, 1),
                sha256="0" * 64,
                path="-",
                state="queued",
            )
        )
    thread.join()
    assert waited and waited[0] > 0.8  # it waited, then saw the first's row
    with two.locked("bob"):  # another student's lock is free
        pass
    one.engine.dispose()
    two.engine.dispose()


def test_no_student_has_two_running_submissions_across_instances(
    db_url: str, tmp_path: Path
) -> None:
    store = Store(db_url, tmp_path)
    students = [f"s{n}" for n in range(4)]
    ids = [store.accept(students[n % 4], "toy", "toy", b"{}", late=False) for n in range(24)]
    with spawn.Pool(2) as pool:
        runs = pool.starmap(_grade_all, [(db_url, str(tmp_path), len(ids))] * 2)
    assert all(runs), "both instances graded"
    seen = [run for instance in runs for run in instance]
    assert len(seen) == len(ids)
    assert {count for *_, count in seen} == {1}  # the database never showed two
    for student in students:
        spans = sorted((start, end) for who, start, end, _ in seen if who == student)
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start, f"{student} was graded twice at once"
    assert all(store.result_count(i) == 1 for i in ids if i is not None)
    store.engine.dispose()


def test_a_live_lease_is_left_alone_and_an_expired_one_requeued(
    db_url: str, tmp_path: Path
) -> None:
    store = Store(db_url, tmp_path / "b")
    first = store.accept("alice", "toy", "toy", b"{}", late=False)
    second = store.accept("alice", "toy", "toy", b"{}", late=False)
    other = spawn.Process(target=_serve_and_hang, args=(db_url, str(tmp_path / "a")))
    other.start()
    try:
        deadline = time.monotonic() + 60
        while _state(store, first) != "running":
            assert time.monotonic() < deadline and other.is_alive()
            time.sleep(0.05)
        queue = Queue(store, lease=1.0)  # a second instance, starting now
        for _ in range(12):  # 3 s: three leases, each renewed by the first instance
            assert queue.requeue_expired() == 0
            assert queue.claim() is None  # alice's second waits: her first is running
            time.sleep(0.25)
        assert _state(store, first) == "running" and _state(store, second) == "queued"
    finally:
        assert other.pid is not None
        os.kill(other.pid, signal.SIGKILL)
        other.join()
    deadline = time.monotonic() + 10
    while queue.requeue_expired() == 0:  # the dead instance's lease runs out
        assert time.monotonic() < deadline, "never requeued"
        time.sleep(0.1)
    for expected in (first, second):
        claimed = queue.claim()
        assert claimed is not None and claimed.id == expected
        assert queue.claim() is None  # one at a time for alice
        assert queue.finish(claimed, Outcome("graded", score=1.0, max_score=1.0))
    assert store.result_count(first) == store.result_count(second) == 1
    store.engine.dispose()


def _state(store: Store, submission_id: int | None) -> str:
    with store.engine.connect() as db:
        query = sa.select(submissions.c.state).where(submissions.c.id == submission_id)
        return str(db.execute(query).scalar_one())
