"""The service's record: accounts, submissions and per-assignment settings, as tables in the
course's gradebook database (beside nbgrader's tables and the pipeline's ledger).

Secrets are random tokens of 256 bits (``new_secret()``) stored only as their SHA-256. A slow
password hash (bcrypt, argon2) exists to make guessing a *human-chosen* secret expensive; a
uniformly random 256-bit token cannot be guessed at any speed, so one fast hash already makes
a stolen table useless, and it lets a login look the hash up by index.

An accepted upload is written durably (temporary file, fsync, rename, fsync of the folder)
and its row committed before the service answers "accepted".

Several service processes may share one database, so what must hold per student holds in the
database, not in a process: ``locked(student)`` is a transaction that first writes the
student's row of the ``locks`` table. On PostgreSQL that row lock is held to the commit; on
SQLite the write takes the database's write lock (waiting, with the busy timeout) before the
transaction reads anything. Either way, a second transaction of the same student waits, and
then sees what the first committed (the rate-limit count, a running submission).

Example:
    >>> store = Store("sqlite://", Path(tempfile.mkdtemp()))
    >>> token = store.add_account("alice")
    >>> store.account_for_token(token).student
    'alice'
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

PREFIX = "neurogebra_service_"
ROLES = ("student", "instructor")
STATES = ("queued", "running", "graded", "error")

metadata = MetaData()
accounts = Table(
    f"{PREFIX}accounts",
    metadata,
    Column("student", String(200), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)
submissions = Table(
    f"{PREFIX}submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("student", String(200), nullable=False, index=True),
    Column("assignment", String(200), nullable=False),
    Column("notebook", String(200), nullable=False),
    Column("received_at", DateTime, nullable=False),  # the server's clock, naive UTC
    Column("sha256", String(64), nullable=False),
    Column("path", Text, nullable=False),
    Column("state", String(20), nullable=False, index=True),
    Column("claim", String(64)),  # which worker runs it (state 'running')
    Column("claimed_by", String(64)),  # the service instance of that worker
    Column("lease_until", DateTime),  # renewed while it runs; past it, anyone may requeue it
    Column("score", Float),
    Column("max_score", Float),
    Column("questions", Text),  # JSON: [{"question", "points", "score", "message"}]
    Column("error", Text),
    Column("late", Boolean, nullable=False, default=False),
    Column("late_penalty", Float),  # points taken off, per the course's late-submission plugin
    Column("flags", Text),  # JSON list of flag codes
    Column("graded_at", DateTime),
)
# One row per recorded result: its primary key is what makes "recorded once" checkable.
results = Table(
    f"{PREFIX}results",
    metadata,
    Column("submission_id", Integer, primary_key=True),
    Column("recorded_at", DateTime, nullable=False),
)
# One row per student, written first by every transaction that must not interleave with
# another of the same student (admission's count-then-insert, a worker's claim).
locks = Table(
    f"{PREFIX}locks",
    metadata,
    Column("name", String(250), primary_key=True),
    Column("taken", Integer, nullable=False, default=0),
)
settings = Table(
    f"{PREFIX}assignments",
    metadata,
    Column("assignment", String(200), primary_key=True),
    Column("accept_late", Boolean, nullable=False, default=False),
    Column("rate_limit", Integer, nullable=False, default=10),
    Column("rate_window", Integer, nullable=False, default=3600),  # seconds
)


def now() -> datetime.datetime:
    """The server's clock, naive UTC (as nbgrader's gradebook keeps times)."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


SECRET_PREFIX = "ngs_"


def new_secret() -> str:
    """A student's secret: 256 random bits, URL-safe, behind a fixed prefix.

    The prefix keeps a secret from ever starting with ``-`` (one in 64 bare
    ``token_urlsafe`` values does), which a command line would read as an option:
    ``submit --token -abc`` fails. It also lets secret scanners recognise a leaked token.

    Example:
        >>> secret = new_secret()
        >>> secret.startswith("ngs_") and len(secret) == 47
        True
    """
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Account:
    student: str
    role: str

    @property
    def instructor(self) -> bool:
        return self.role == "instructor"


@dataclass(frozen=True)
class Settings:
    """What the instructor sets per assignment: late submissions and the rate limit."""

    accept_late: bool = False
    rate_limit: int = 10
    rate_window: int = 3600


def fsync_write(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` durably: a temporary file, fsync, rename, fsync the
    folder (so the name survives a power cut too)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    final = folder / name
    os.replace(tmp, final)
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final


def make_engine(url: str) -> Engine:
    """An engine on ``url``. On SQLite the file is put in WAL mode (write-ahead log, kept in
    the file, so nbgrader's own connections use it too): a reader then never waits for a
    writer, so a status request is not held up while grading commits. ``synchronous=FULL``
    keeps every commit durable (the WAL is synced at each commit), as "accepted" needs.
    Writers still take turns and wait for each other (``busy_timeout``).

    Example:
        >>> folder = Path(tempfile.mkdtemp())
        >>> with make_engine(f"sqlite:///{folder}/g.db").connect() as db:
        ...     db.exec_driver_sql("PRAGMA journal_mode").scalar()
        'wal'
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 60000")
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
                cursor.execute("PRAGMA journal_mode = WAL")  # once per file: it persists
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """The service's tables on ``url`` and its uploads under ``folder``."""

    def __init__(self, url: str, folder: Path) -> None:
        self.engine = make_engine(url)
        self.folder = folder
        metadata.create_all(self.engine)
        _add_lease_columns(self.engine)

    # accounts -------------------------------------------------------------------------------
    def add_account(self, student: str, role: str | None = None) -> str:
        """Enrol (or re-key) ``student``; returns the new token, which is never stored.

        Without ``role`` a new account is a student's and an existing one keeps its role, so
        re-keying an instructor never quietly makes them a student.

        Example:
            >>> store = Store("sqlite://", Path(tempfile.mkdtemp()))
            >>> _ = store.add_account("prof", "instructor"); _ = store.add_account("prof")
            >>> store.account("prof").role
            'instructor'
        """
        if role is not None and role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        token = new_secret()
        row: dict[str, Any] = {"token_hash": token_hash(token), "created_at": now()}
        with self.engine.begin() as db:
            changes = row if role is None else {**row, "role": role}
            done = db.execute(
                accounts.update().where(accounts.c.student == student).values(changes)
            )
            if done.rowcount == 0:
                db.execute(accounts.insert().values(student=student, role=role or "student", **row))
        return token

    def ensure_account(self, student: str, role: str) -> Account:
        """The account of a user whom another system vouches for (JupyterHub), with the role
        it gives: made on first sight, its role kept as that system says now."""
        found = self.account(student)
        if found is None or found.role != role:
            try:
                self.add_account(student, role)
            except IntegrityError:  # another request made it at the same moment
                self.add_account(student, role)
        return Account(student, role)

    def account_for_token(self, token: str) -> Account | None:
        with self.engine.connect() as db:
            row = db.execute(
                select(accounts.c.student, accounts.c.role).where(
                    accounts.c.token_hash == token_hash(token)
                )
            ).first()
        return Account(row.student, row.role) if row else None

    def account(self, student: str) -> Account | None:
        with self.engine.connect() as db:
            row = db.execute(
                select(accounts.c.student, accounts.c.role).where(accounts.c.student == student)
            ).first()
        return Account(row.student, row.role) if row else None

    def key_of(self, student: str) -> str | None:
        """A prefix of the account's token hash: a session names it, so re-keying ends it."""
        with self.engine.connect() as db:
            value = db.execute(
                select(accounts.c.token_hash).where(accounts.c.student == student)
            ).scalar()
        return value[:16] if value else None

    def students(self) -> list[str]:
        with self.engine.connect() as db:
            rows = db.execute(
                select(accounts.c.student).where(accounts.c.role == "student").order_by("student")
            )
            return [r.student for r in rows]

    # settings -------------------------------------------------------------------------------
    def settings(self, assignment: str) -> Settings:
        with self.engine.connect() as db:
            row = db.execute(select(settings).where(settings.c.assignment == assignment)).first()
        if row is None:
            return Settings()
        return Settings(bool(row.accept_late), int(row.rate_limit), int(row.rate_window))

    def set_settings(self, assignment: str, value: Settings) -> None:
        row = {
            "accept_late": value.accept_late,
            "rate_limit": value.rate_limit,
            "rate_window": value.rate_window,
        }
        with self.engine.begin() as db:
            done = db.execute(
                settings.update().where(settings.c.assignment == assignment).values(row)
            )
            if done.rowcount == 0:
                db.execute(settings.insert().values(assignment=assignment, **row))

    # submissions ----------------------------------------------------------------------------
    @contextmanager
    def locked(self, student: str) -> Iterator[Connection]:
        """A transaction that holds ``student``'s lock until it ends (see the module's text)."""
        name = f"student:{student}"
        for _ in range(2):
            with self.engine.begin() as db:
                taken = db.execute(
                    locks.update().where(locks.c.name == name).values(taken=locks.c.taken + 1)
                )
                if taken.rowcount == 1:
                    yield db
                    return
            try:  # the student's first: make the row, then take it
                with self.engine.begin() as db:
                    db.execute(locks.insert().values(name=name, taken=0))
            except IntegrityError:  # another process made it at the same moment
                pass
        raise RuntimeError(f"no lock row for {student!r}")  # pragma: no cover

    def count_since(
        self,
        student: str,
        assignment: str,
        since: datetime.datetime,
        db: Connection | None = None,
    ) -> int:
        query = (
            select(func.count())
            .select_from(submissions)
            .where(
                submissions.c.student == student,
                submissions.c.assignment == assignment,
                submissions.c.received_at > since,
            )
        )
        if db is not None:
            return int(db.execute(query).scalar_one())
        with self.engine.connect() as own:
            return int(own.execute(query).scalar_one())

    def accept(
        self,
        student: str,
        assignment: str,
        notebook: str,
        data: bytes,
        *,
        late: bool,
        limit: Settings | None = None,
    ) -> int | None:
        """Store the upload durably and commit its queued row; returns the submission's id.

        With ``limit``, the row is inserted only if the student has fewer than
        ``limit.rate_limit`` submissions of ``assignment`` in the last ``limit.rate_window``
        seconds, counted under the student's lock; otherwise nothing is kept and it returns
        None."""
        digest = hashlib.sha256(data).hexdigest()
        received = now()
        name = f"{received:%Y%m%dT%H%M%S%f}-{secrets.token_hex(8)}.ipynb"
        path = fsync_write(self.folder / "uploads", name, data)
        try:
            with self.locked(student) as db:
                if limit is not None:
                    since = now() - datetime.timedelta(seconds=limit.rate_window)
                    if self.count_since(student, assignment, since, db) >= limit.rate_limit:
                        path.unlink()
                        return None
                done = db.execute(
                    submissions.insert().values(
                        student=student,
                        assignment=assignment,
                        notebook=notebook,
                        received_at=now(),
                        sha256=digest,
                        path=str(path),
                        state="queued",
                        late=late,
                    )
                )
                key = done.inserted_primary_key
                assert key is not None
                return int(key[0])
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    def get(self, submission_id: int, account: Account) -> dict[str, Any] | None:
        """One submission, if ``account`` may see it (its own, or any for an instructor)."""
        query = select(submissions).where(submissions.c.id == submission_id)
        if not account.instructor:
            query = query.where(submissions.c.student == account.student)
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        return _public(dict(row)) if row else None

    def list(self, account: Account, assignment: str | None = None) -> list[dict[str, Any]]:
        """The submissions ``account`` may see, newest first."""
        query = select(submissions).order_by(submissions.c.id.desc())
        if not account.instructor:
            query = query.where(submissions.c.student == account.student)
        if assignment is not None:
            query = query.where(submissions.c.assignment == assignment)
        with self.engine.connect() as db:
            return [_public(dict(r)) for r in db.execute(query).mappings()]

    def regrade(self, submission_id: int) -> bool:
        """Queue a student's newest submission of an assignment again (graded or failed); its
        earlier result is replaced. Only the newest: the gradebook keeps the grade of the
        submission graded last, which must stay the student's latest."""
        newer = submissions.alias("newer")
        with self.engine.begin() as db:
            row = db.execute(
                select(submissions.c.student, submissions.c.assignment).where(
                    submissions.c.id == submission_id
                )
            ).first()
            if row is None:
                return False
            latest = db.execute(
                select(func.max(newer.c.id)).where(
                    newer.c.student == row.student, newer.c.assignment == row.assignment
                )
            ).scalar()
            if latest != submission_id:
                return False
            done = db.execute(
                submissions.update()
                .where(submissions.c.id == submission_id)
                .where(submissions.c.state.in_(("graded", "error")))
                .values(state="queued", claim=None, claimed_by=None, lease_until=None)
            )
            if done.rowcount == 1:
                db.execute(results.delete().where(results.c.submission_id == submission_id))
            return done.rowcount == 1

    def result_count(self, submission_id: int) -> int:
        with self.engine.connect() as db:
            return int(
                db.execute(
                    select(func.count())
                    .select_from(results)
                    .where(results.c.submission_id == submission_id)
                ).scalar_one()
            )

    def stored_path(self, submission_id: int) -> Path:
        with self.engine.connect() as db:
            value = db.execute(
                select(submissions.c.path).where(submissions.c.id == submission_id)
            ).scalar_one()
        return Path(value)

    def feedback_path(self, submission_id: int) -> Path:
        return self.folder / "feedback" / f"{int(submission_id)}.html"


def _add_lease_columns(engine: Engine) -> None:
    """A database made by an earlier 0.3.0 development build lacks the lease columns: add them
    (both nullable, so existing rows stay valid)."""
    have = {c["name"] for c in inspect(engine).get_columns(submissions.name)}
    with engine.begin() as db:
        for column in ("claimed_by", "lease_until"):
            if column not in have:
                kind = submissions.c[column].type.compile(dialect=engine.dialect)
                db.execute(text(f"ALTER TABLE {submissions.name} ADD COLUMN {column} {kind}"))


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """A submission row as pages and the API show it (no stored path, JSON decoded)."""
    row = dict(row)
    row.pop("path", None)
    for key in ("claim", "claimed_by", "lease_until"):
        row.pop(key, None)
    row["questions"] = json.loads(row["questions"]) if row.get("questions") else []
    row["flags"] = json.loads(row["flags"]) if row.get("flags") else []
    for key in ("received_at", "graded_at"):
        if isinstance(row.get(key), datetime.datetime):
            row[key] = row[key].isoformat(sep=" ", timespec="seconds") + " UTC"
    row["late"] = bool(row["late"])
    return row
