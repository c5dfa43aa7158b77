"""Background grading workers: threads of the serving process that drain the queue.

Each worker claims the oldest queued submission, grades it through the pipeline and records
the outcome; with nothing queued it waits until ``wake()`` (a new upload) or a second passes.
A keeper thread renews the lease of the rows being graded every quarter lease and requeues
rows whose lease ran out (another instance's, killed; or one of ours whose worker died), so
several service processes can share one database. A stopping service puts its running rows
back in the queue.

Example:
    >>> workers = Workers(queue, grader, count=1)  # doctest: +SKIP
    >>> workers.start(); workers.wake(); workers.stop()  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import threading

from neurogebra_grader.service.grading import Grader
from neurogebra_grader.service.queue import Outcome, Queue

log = logging.getLogger("neurogebra_grader.service")


class Workers:
    """``count`` grading threads over one queue."""

    def __init__(self, queue: Queue, grader: Grader, count: int = 1) -> None:
        self.queue, self.grader, self.count = queue, grader, max(1, count)
        self._event = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._grading: set[str] = set()  # the claims our workers hold now
        self._lock = threading.Lock()

    def start(self) -> None:
        try:
            self._requeue()
        except Exception:  # the database is busy a moment: the keeper tries again soon
            log.exception("grading workers: expired leases not requeued at start")
        for n in range(self.count):
            thread = threading.Thread(target=self._loop, name=f"grading-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        keeper = threading.Thread(target=self._keep, name="grading-leases", daemon=True)
        keeper.start()
        self._threads.append(keeper)

    def wake(self) -> None:
        self._event.set()

    def stop(self) -> None:
        self._stop.set()
        self._event.set()
        for thread in self._threads:
            thread.join(timeout=5)
        try:
            released = self.queue.release()
        except Exception:  # the next start (or another instance) requeues them once expired
            log.exception("grading workers: running submissions not released")
            return
        if released:
            log.warning("%d running submission(s) put back in the queue at stop", released)

    def _requeue(self) -> None:
        requeued = self.queue.requeue_expired()
        if requeued:
            log.warning("%d submission(s) whose grading lease ran out: requeued", requeued)
            self.wake()

    def _keep(self) -> None:
        """Renew our leases, then requeue expired ones, every quarter lease."""
        while not self._stop.wait(self.queue.lease / 4):
            try:
                with self._lock:
                    claims = list(self._grading)
                self.queue.renew(claims)
                self._requeue()
            except Exception:  # the database is busy or gone for a moment: next round
                log.exception("grading leases: retrying")

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._once()
            except Exception:  # the database is busy or gone for a moment: try again
                log.exception("grading worker: retrying in a second")
                self._stop.wait(1.0)

    def _once(self) -> None:
        claimed = self.queue.claim()
        if claimed is None:
            self._event.wait(1.0)
            self._event.clear()
            return
        with self._lock:
            self._grading.add(claimed.claim)
        try:
            outcome = self.grader.grade(claimed)
            try:
                recorded = self.queue.finish(claimed, outcome)
            except Exception:
                log.exception("submission %d: the result could not be recorded", claimed.id)
                recorded = self.queue.finish(claimed, Outcome("error", error="not recorded"))
        finally:
            with self._lock:
                self._grading.discard(claimed.claim)
        if not recorded:
            log.warning("submission %d: the claim was lost; result dropped", claimed.id)
