"""The database queue on its own: concurrent workers claim every row once, never two rows of
one student at a time, and a lost claim records nothing."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

from neurogebra_grader.service.queue import Outcome, Queue
from neurogebra_grader.service.store import Store


def test_concurrent_workers_grade_each_submission_once(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'gradebook.db'}", tmp_path)
    students = [f"s{n}" for n in range(8)]
    ids = [store.accept(students[n % 8], "toy", "toy", b"{}", late=False) for n in range(40)]
    queue = Queue(store)
    finished: Counter[int] = Counter()
    running: Counter[str] = Counter()
    overlaps: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        while (claimed := queue.claim()) is not None:
            with lock:
                running[claimed.student] += 1
                if running[claimed.student] > 1:
                    overlaps.append(claimed.student)
            time.sleep(0.005)
            with lock:
                running[claimed.student] -= 1
            assert queue.finish(claimed, Outcome("graded", score=1.0, max_score=1.0))
            with lock:
                finished[claimed.id] += 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert finished == Counter({i: 1 for i in ids})
    assert overlaps == []
    assert all(store.result_count(i) == 1 for i in ids)


def test_a_requeued_claim_is_not_recorded_by_its_old_owner(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'gradebook.db'}", tmp_path)
    submission = store.accept("alice", "toy", "toy", b"{}", late=False)
    queue = Queue(store, lease=0.3)
    old = queue.claim()
    assert old is not None and queue.claim() is None  # alice has one running already
    assert queue.requeue_expired() == 0  # its lease is fresh
    time.sleep(0.5)
    assert queue.requeue_expired() == 1  # as a restarted service does, once it ran out
    new = queue.claim()
    assert new is not None and new.id == old.id
    assert not queue.finish(old, Outcome("graded", score=0.0, max_score=1.0))
    assert queue.finish(new, Outcome("graded", score=1.0, max_score=1.0))
    assert store.result_count(submission) == 1
