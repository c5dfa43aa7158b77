"""The grading queue, kept in the database: claim the oldest queued submission, record its
result once.

A worker claims a row with a conditional ``UPDATE ... WHERE state = 'queued'`` and owns it
only if that changed one row (the same on SQLite and PostgreSQL). It records the result in
one transaction that changes the row only while it still holds the claim, and inserts the
row's single ``results`` entry (a primary key: a result is recorded once). A service killed
mid-grading leaves rows 'running': ``requeue_abandoned`` puts them back at start, and
grading them again is harmless (the pipeline sets scores, it never adds them).

Example:
    >>> queue = Queue(store)  # doctest: +SKIP
    >>> claimed = queue.claim()  # doctest: +SKIP
    >>> queue.finish(claimed, Outcome(state="graded", score=1.0, max_score=1.0))  # doctest: +SKIP
    True
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from neurogebra_grader.service.store import Store, now, results, submissions


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
    """The queue over the store's submissions table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def requeue_abandoned(self) -> int:
        """Put back every row left 'running' (by a service that was killed); how many."""
        with self.store.engine.begin() as db:
            done = db.execute(
                submissions.update()
                .where(submissions.c.state == "running")
                .values(state="queued", claim=None)
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
            with self.store.engine.begin() as db:
                done = db.execute(
                    submissions.update()
                    .where(submissions.c.id == row.id, submissions.c.state == "queued")
                    .values(state="running", claim=claim)
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
