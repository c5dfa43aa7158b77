"""Who is this request: standalone logins (a student's token) and the session cookie.

``Identity`` is the one interface the app asks (``await identity.user(request)``); the
standalone one here reads ``Authorization: Bearer <token>`` (the JSON API, the ``submit``
command) or the signed session cookie that ``/login`` sets. A JupyterHub identity (Hub OAuth,
and the user's Hub API token on the JSON API) plugs in behind the same interface.

The session cookie (``ng_session``) is signed with the service's secret (itsdangerous), is
HttpOnly and SameSite=Lax, Secure when the request came over https, and holds a CSRF token,
which every form carries and every POST must send back; a bearer request carries no cookie,
so it needs none. It also names the account's key (a prefix of its token's hash), so
re-issuing a student's token ends her sessions.

Example:
    >>> sessions = Sessions(b"k" * 32)
    >>> data = sessions.new(student="alice", key="abcd")
    >>> sessions.decode(sessions.encode(data))["student"]
    'alice'
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from neurogebra_grader.service.store import Account, Store

COOKIE = "ng_session"
MAX_AGE = 12 * 3600  # a session lasts a working day


class Identity(Protocol):
    """Who sent a request, or None (then the app asks them to log in)."""

    async def user(self, request: Request) -> Account | None: ...


@runtime_checkable
class ExternalLogin(Protocol):
    """An identity whose users log in elsewhere (JupyterHub): it brings its own routes (in
    place of ``/login`` and ``/logout``), the URL prefix the app is mounted under, and the
    answer to a page request without a user."""

    @property
    def mount_path(self) -> str: ...

    def routes(self) -> list[BaseRoute]: ...

    def login_redirect(self, request: Request) -> Response: ...


def load_secret(folder: Path) -> bytes:
    """The service's signing secret, made once (readable by the service's user only)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "session-secret"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_bytes(32))
    return path.read_bytes()


class Sessions:
    """Signed session cookies: ``{"csrf": ..., "student": ..., "key": ...}``."""

    def __init__(self, secret: bytes, path: str = "/") -> None:
        self.serializer = URLSafeTimedSerializer(secret, salt="neurogebra-session")
        self.path = path  # the cookie's path: the service's prefix behind a JupyterHub

    def new(self, student: str | None = None, key: str | None = None) -> dict[str, Any]:
        return {"csrf": secrets.token_urlsafe(24), "student": student, "key": key}

    def encode(self, data: dict[str, Any]) -> str:
        return str(self.serializer.dumps(data))

    def decode(self, raw: str) -> dict[str, Any] | None:
        try:
            data = self.serializer.loads(raw, max_age=MAX_AGE)
        except BadSignature:
            return None
        return data if isinstance(data, dict) and isinstance(data.get("csrf"), str) else None

    def read(self, request: Request) -> dict[str, Any]:
        """This request's session (a new, anonymous one if it has none): cached on the request."""
        if not hasattr(request.state, "session"):
            raw = request.cookies.get(COOKIE)
            found = self.decode(raw) if raw else None
            request.state.session = found or self.new()
            request.state.session_new = found is None
        return dict(request.state.session)

    def save(self, request: Request, response: Response, data: dict[str, Any]) -> None:
        response.set_cookie(
            COOKIE,
            self.encode(data),
            max_age=MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path=self.path,
        )

    def csrf_ok(self, request: Request, sent: object) -> bool:
        """Whether ``sent`` (a form field or header) is this session's CSRF token."""
        expected = self.read(request)["csrf"]
        return isinstance(sent, str) and hmac.compare_digest(sent.encode(), expected.encode())


def bearer(request: Request) -> str | None:
    """The token of the request's ``Authorization: Bearer <token>`` (or ``token <token>``, as
    JupyterHub writes it) header. A request that sends one is that token's user or nobody (its
    cookies do not count, in either mode), so it needs no CSRF token.
    """
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() in ("bearer", "token") and token.strip() else None


class StandaloneIdentity:
    """Tokens from ``neurogebra-grader students add``: as a bearer token, or via ``/login``."""

    def __init__(self, store: Store, sessions: Sessions) -> None:
        self.store, self.sessions = store, sessions

    async def user(self, request: Request) -> Account | None:
        token = bearer(request)
        if token is not None:
            return await run_in_threadpool(self.store.account_for_token, token)
        session = self.sessions.read(request)
        student = session.get("student")
        if not isinstance(student, str):
            return None
        key = await run_in_threadpool(self.store.key_of, student)
        if key is None or not hmac.compare_digest(key, str(session.get("key", ""))):
            return None
        return await run_in_threadpool(self.store.account, student)
