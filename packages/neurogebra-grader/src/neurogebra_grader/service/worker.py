"""Background grading workers: threads of the serving process that drain the queue.

Each worker claims the oldest queued submission, grades it through the pipeline and records
the outcome; with nothing queued it waits until ``wake()`` (a new upload) or a second passes.

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

    def start(self) -> None:
        requeued = self.queue.requeue_abandoned()
        if requeued:
            log.warning("%d submission(s) left running by a stopped service: requeued", requeued)
        for n in range(self.count):
            thread = threading.Thread(target=self._loop, name=f"grading-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def wake(self) -> None:
        self._event.set()

    def stop(self) -> None:
        self._stop.set()
        self._event.set()
        for thread in self._threads:
            thread.join(timeout=5)

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
        outcome = self.grader.grade(claimed)
        try:
            recorded = self.queue.finish(claimed, outcome)
        except Exception:
            log.exception("submission %d: the result could not be recorded", claimed.id)
            recorded = self.queue.finish(claimed, Outcome("error", error="not recorded"))
        if not recorded:
            log.warning("submission %d: the claim was lost; result dropped", claimed.id)
