"""What the running service holds: the course, its store, the sessions, who-is-who, the workers.

Example:
    >>> service = Service.open(Course.load("course"))  # doctest: +SKIP
    >>> service.root  # doctest: +SKIP
    ''
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from neurogebra_grader.pipeline.course import Course
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.service.auth import (
    ExternalLogin,
    Identity,
    Sessions,
    StandaloneIdentity,
    load_secret,
)
from neurogebra_grader.service.grading import Grader
from neurogebra_grader.service.queue import Queue
from neurogebra_grader.service.store import Store
from neurogebra_grader.service.worker import Workers


@dataclass
class Service:
    """Everything the app needs: the course, its store, the queue and the workers."""

    course: Course
    store: Store
    sessions: Sessions
    identity: Identity
    workers: Workers | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        course: Course,
        *,
        workers: int = 1,
        scheduler: str | None = None,
        limits: Limits | None = None,
        sandbox: bool = True,
        identity: Callable[[Store, Sessions], Identity] | None = None,
    ) -> Service:
        """The service of ``course``; ``identity`` makes who-is-who from the store and the
        sessions (default: standalone tokens; e.g. a JupyterHub OAuth identity instead)."""
        folder = course.state_dir() / "service"
        store = Store(course.db_url, folder)
        sessions = Sessions(load_secret(folder))
        grader = Grader(course, store, scheduler=scheduler, limits=limits, sandbox=sandbox)
        pool = Workers(Queue(store), grader, workers) if workers > 0 else None
        who = (identity or StandaloneIdentity)(store, sessions)
        if isinstance(who, ExternalLogin):  # the CSRF cookie stays under the service's prefix
            sessions.path = who.mount_path + "/"
        return cls(course, store, sessions, who, pool)

    @property
    def login(self) -> ExternalLogin | None:
        """The identity's own login flow (JupyterHub's OAuth), or None for standalone logins."""
        return self.identity if isinstance(self.identity, ExternalLogin) else None

    @property
    def root(self) -> str:
        """The URL prefix of every page and link: "" standalone, the Hub's service prefix
        (e.g. ``/services/neurogebra-grader``) in JupyterHub mode."""
        return self.login.mount_path if self.login is not None else ""

    def assignments(self) -> list[str]:
        """The course's assignment names (what a form's ``assignment`` field may name)."""
        return self.course.assignments()

    def wake_workers(self) -> None:
        """Tell the workers a submission is waiting (no-op when this process grades nothing)."""
        if self.workers is not None:
            self.workers.wake()
