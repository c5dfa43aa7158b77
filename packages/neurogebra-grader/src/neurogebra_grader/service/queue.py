"""The grading queue, kept in the database: claim the oldest queued submission, record its
result once, on one service process or several sharing the database.

A worker claims a row in a transaction under its student's lock (``Store.locked``) with a
conditional ``UPDATE ... WHERE state = 'queued' AND NOT EXISTS`` (a running row of that
student), so it owns the row only if that changed one row, and no student ever has two
running rows, whichever processes claim. It records the result in one transaction that
changes the row only while it still holds the claim, and inserts the row's single
``results`` entry (a primary key: a result is recorded once).

A claimed row carries a lease: ``claimed_by`` (the service instance) and ``lease_until``,
which the instance renews while it grades. Only a row whose lease ran out is put back in the
queue (``requeue_expired``, at start and then every few seconds): a service killed mid-grading
leaves rows that another instance, or the next start, requeues once their lease ends, and a
live instance's rows are never taken from it. Grading a row again is harmless (the pipeline
sets scores, it never adds them); its old owner's result is then dropped. Leases compare the
instances' clocks, which must agree to well under the lease (NTP).

Example:
    >>> queue = Queue(store, lease=60)  # doctest: +SKIP
    >>> claimed = queue.claim()  # doctest: +SKIP
    >>> queue.finish(claimed, Outcome(state="graded", score=1.0, max_score=1.0))  # doctest: +SKIP
    True
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from neurogebra_grader.service.store import Store, now, results, submissions

LEASE_ENV = "NEUROGEBRA_GRADER_LEASE"  # seconds; tests shorten it
DEFAULT_LEASE = 60.0


def default_lease() -> float:
    """The lease of a claimed row: ``$NEUROGEBRA_GRADER_LEASE`` seconds, else 60 (at least 1)."""
    try:
        return max(1.0, float(os.environ.get(LEASE_ENV, DEFAULT_LEASE)))
    except ValueError:
        return DEFAULT_LEASE


@dataclass(frozen=True)
class Claimed:
    """A submission this worker now owns: what grading it needs."""

    id: int
    student: str
    assignment: str
    notebook: str
    path: str
    received_at: Any
    claim: str


@dataclass
class Outcome:
    """What grading decided (state 'graded' or 'error')."""

    state: str
    score: float | None = None
    max_score: float | None = None
    questions: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    flags: list[str] = field(default_factory=list)
    late_penalty: float | None = None


class Queue:
    """The queue over the store's submissions table, as one service instance sees it."""

    def __init__(self, store: Store, lease: float | None = None) -> None:
        self.store = store
        self.lease = default_lease() if lease is None else lease
        self.instance = secrets.token_hex(8)  # this process's queue, in ``claimed_by``

    def _until(self) -> datetime.datetime:
        return now() + datetime.timedelta(seconds=self.lease)

    def requeue_expired(self) -> int:
        """Put back every running row whose lease ran out (its instance stopped or hangs), and
        any left by a build without leases; how many."""
        expired = or_(submissions.c.lease_until.is_(None), submissions.c.lease_until < now())
        with self.store.engine.begin() as db:
            done = db.execute(
                submissions.update()
                .where(submissions.c.state == "running", expired)
                .values(state="queued", claim=None, claimed_by=None, lease_until=None)
            )
            return int(done.rowcount)

    def renew(self, claims: Iterable[str]) -> int:
        """Extend the lease of the rows this instance is grading (by their claims); how many
        it still holds."""
        held = list(claims)
        if not held:
            return 0
        with self.store.engine.begin() as db:
            done = db.execute(
                submissions.update()
                .where(
                    submissions.c.state == "running",
                    submissions.c.claimed_by == self.instance,
                    submissions.c.claim.in_(held),
                )
                .values(lease_until=self._until())
            )
            return int(done.rowcount)

    def release(self) -> int:
        """Put this instance's running rows back in the queue (a service stopping); how many."""
        with self.store.engine.begin() as db:
            done = db.execute(
                submissions.update()
                .where(
                    submissions.c.state == "running",
                    submissions.c.claimed_by == self.instance,
                )
                .values(state="queued", claim=None, claimed_by=None, lease_until=None)
            )
            return int(done.rowcount)

    def claim(self) -> Claimed | None:
        """The oldest queued submission of a student with none running, now this worker's."""
        other = aliased(submissions)
        busy = exists().where(
            and_(other.c.student == submissions.c.student, other.c.state == "running")
        )
        for _ in range(20):  # another worker may win a row; try the next one
            with self.store.engine.connect() as db:
                row = db.execute(
                    select(submissions)
                    .where(submissions.c.state == "queued", ~busy)
                    .order_by(submissions.c.id)
                    .limit(1)
                ).first()
            if row is None:
                return None
            claim = secrets.token_hex(16)
            running = exists().where(
                and_(other.c.student == row.student, other.c.state == "running")
            )
            with self.store.locked(row.student) as db:
                done = db.execute(
                    submissions.update()
                    .where(
                        submissions.c.id == row.id,
                        submissions.c.state == "queued",
                        ~running,
                    )
                    .values(
                        state="running",
                        claim=claim,
                        claimed_by=self.instance,
                        lease_until=self._until(),
                    )
                )
            if done.rowcount == 1:
                return Claimed(
                    row.id,
                    row.student,
                    row.assignment,
                    row.notebook,
                    row.path,
                    row.received_at,
                    claim,
                )
        return None

    def finish(self, claimed: Claimed, outcome: Outcome) -> bool:
        """Record ``outcome`` if this worker still owns the row; False if it lost it."""
        with self.store.engine.begin() as db:
            done = db.execute(
                submissions.update()
                .where(
                    submissions.c.id == claimed.id,
                    submissions.c.state == "running",
                    submissions.c.claim == claimed.claim,
                )
                .values(
                    state=outcome.state,
                    claim=None,
                    claimed_by=None,
                    lease_until=None,
                    score=outcome.score,
                    max_score=outcome.max_score,
                    questions=json.dumps(outcome.questions),
                    error=outcome.error,
                    flags=json.dumps(outcome.flags),
                    late_penalty=outcome.late_penalty,
                    graded_at=now(),
                )
            )
            if done.rowcount != 1:
                return False
            db.execute(results.insert().values(submission_id=claimed.id, recorded_at=now()))
        return True
