"""JupyterHub mode: a request's user is whoever the Hub's OAuth says (issue 16, §2).

The service is registered with the Hub (as a managed or external service). A browser without a
session is sent to the Hub's OAuth authorize URL, with a random state that is kept here and in a
signed cookie; the Hub sends it back to ``<service prefix>oauth_callback`` with a code, which the
service trades for an OAuth token (PKCE too). The token is kept in the service's own signed,
HttpOnly cookie, and each request asks the Hub whose token it is (cached for a few minutes per Hub
login session: a Hub logout deletes the session's tokens and ends the service's session too). The
student id is the Hub user name.

The JSON API (``<prefix>api/...``) also takes a user's own Hub API token, as
``Authorization: token <token>`` (or ``Bearer``): that is how ``neurogebra-grader submit`` works
from a user's JupyterHub server (``JUPYTERHUB_API_TOKEN``). The Hub is asked whose token it is in
the same way as for the cookie's OAuth token (same cache, same scope check, same user name), and a
request with such a header is that token's user or nobody: its cookies do not count. Nothing else
a client sends (other cookies, ``X-Forwarded-User`` headers, a token on a page, ids in the URL)
ever names a user.

OAuth states live in this process, so run one service process per Hub registration.

Example (a Starlette app behind the Hub, with the environment the Hub gives a service):

    identity = HubIdentity.from_environ(os.environ)

    async def home(request):
        user = await identity.who(request)
        if user is None:
            return identity.login_redirect(request)
        return PlainTextResponse(f"hello {user.student} ({user.role})")

    routes = [Route("/", home), *identity.routes()]
    app = Starlette(routes=[Mount(identity.mount_path, routes=routes)])
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import string
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from itsdangerous import BadSignature, TimestampSigner
from jupyterhub.services.auth import HubOAuth
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from tornado.httputil import url_concat
from tornado.web import HTTPError as HubError

from neurogebra_grader.service.hub_config import HubSettings

log = logging.getLogger(__name__)

Role = Literal["student", "instructor"]
SESSION_MAX_AGE = 24 * 3600  # then the browser goes through the (silent) OAuth dance again
SESSION_SALT = "neurogebra-hub-session"  # signs the session cookie (the OAuth token)
HUB_CACHE_SECONDS = 300  # how long the Hub's answer for a token is trusted without asking again
HUB_SESSION_COOKIE = "jupyterhub-session-id"  # the Hub's login session (path /): part of the
# cache key, so that after a Hub logout (which deletes the session's tokens) the Hub is asked anew
MAX_PENDING_LOGINS = 10_000  # anyone can start a login: keep the memory they can take bounded
MAX_TOKEN_LENGTH = 256  # Hub tokens are far shorter: a longer header is not sent to the Hub
TOKEN_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~+/=")
REQUIRED = (
    "JUPYTERHUB_API_TOKEN",
    "JUPYTERHUB_API_URL",
    "JUPYTERHUB_CLIENT_ID",
    "JUPYTERHUB_SERVICE_PREFIX",
)


@dataclass(frozen=True)
class HubUser:
    """Who a request comes from: the Hub user name (the student id) and the service role,
    the fields of the service's `store.Account`.
    """

    student: str
    role: Role


@dataclass(frozen=True)
class _Pending:
    """An OAuth login under way: where to go after it, its PKCE verifier, its state cookie."""

    started: float
    next_url: str
    verifier: str
    cookie_name: str


class _PendingLogins:
    """OAuth states of the logins under way, each usable once, forgotten after `max_age` s.

    >>> logins = _PendingLogins(max_age=600)
    >>> state = logins.add("/services/x/", "verifier", "cookie")
    >>> logins.peek(state).next_url, logins.take(state) is not None, logins.peek(state)
    ('/services/x/', True, None)
    """

    def __init__(self, max_age: float, limit: int = MAX_PENDING_LOGINS) -> None:
        self._max_age = max_age
        self._limit = limit
        self._states: OrderedDict[str, _Pending] = OrderedDict()

    def add(self, next_url: str, verifier: str, cookie_name: str) -> str:
        """Remember a new login; return its (random, URL-safe) state id."""
        self._forget_expired()
        while len(self._states) >= self._limit:
            self._states.popitem(last=False)
        state = secrets.token_urlsafe(24)
        self._states[state] = _Pending(time.monotonic(), next_url, verifier, cookie_name)
        return state

    def peek(self, state: str) -> _Pending | None:
        """The login of this state, if it is known and fresh."""
        self._forget_expired()
        return self._states.get(state)

    def take(self, state: str) -> _Pending | None:
        """The login of this state, forgotten from now on."""
        self._forget_expired()
        return self._states.pop(state, None)

    def _forget_expired(self) -> None:
        deadline = time.monotonic() - self._max_age
        while self._states:
            first = next(iter(self._states.values()))
            if first.started >= deadline:
                break
            self._states.popitem(last=False)


def api_token(header: str) -> str | None:
    """The token of an ``Authorization: token <t>`` (or ``Bearer <t>``) header, if it looks like
    one: anything else is nobody's, and is never sent to the Hub.

    >>> api_token("token 0123abcd"), api_token("Bearer 0123abcd"), api_token("Basic YWxpY2U6")
    ('0123abcd', '0123abcd', None)
    >>> api_token("token " + "a" * 300), api_token("token a b"), api_token("token")
    (None, None, None)
    """
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() not in ("token", "bearer") or not token:
        return None
    if len(token) > MAX_TOKEN_LENGTH or not set(token) <= TOKEN_CHARACTERS:
        return None
    return token


def _hub_oauth(environ: Mapping[str, str]) -> HubOAuth:
    """HubOAuth configured from the variables the Hub gives a service (not from os.environ)."""
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        raise ValueError(
            "JupyterHub mode needs " + ", ".join(missing) + " (the Hub sets them for a managed "
            "service; for an external one, set them from its `c.JupyterHub.services` entry)"
        )
    prefix = environ["JUPYTERHUB_SERVICE_PREFIX"]
    scopes_json = environ.get("JUPYTERHUB_OAUTH_ACCESS_SCOPES") or "[]"
    access_scopes = set(json.loads(scopes_json))
    if not access_scopes and environ.get("JUPYTERHUB_SERVICE_NAME"):
        access_scopes = {f"access:services!service={environ['JUPYTERHUB_SERVICE_NAME']}"}
    if not access_scopes:
        raise ValueError(
            "JupyterHub mode needs JUPYTERHUB_OAUTH_ACCESS_SCOPES or JUPYTERHUB_SERVICE_NAME: "
            "the scope a user's token must carry to use this service"
        )
    base = environ.get("JUPYTERHUB_BASE_URL", "/").rstrip("/")
    return HubOAuth(
        api_token=environ["JUPYTERHUB_API_TOKEN"],
        api_url=environ["JUPYTERHUB_API_URL"],
        oauth_client_id=environ["JUPYTERHUB_CLIENT_ID"],
        base_url=prefix,
        oauth_redirect_uri=environ.get("JUPYTERHUB_OAUTH_CALLBACK_URL")
        or prefix.rstrip("/") + "/oauth_callback",
        hub_prefix=base + "/hub/",
        hub_host=environ.get("JUPYTERHUB_HOST", ""),
        access_scopes=access_scopes,
        cache_max_age=HUB_CACHE_SECONDS,
    )


class HubIdentity:
    """The service's `Identity` in JupyterHub mode: `await identity.user(request)` is the Hub
    user name of a logged-in request, else None (then answer with `login_redirect(request)`).
    """

    def __init__(self, auth: HubOAuth, settings: HubSettings) -> None:
        self._auth = auth
        self._settings = settings
        self._pending = _PendingLogins(max_age=auth.oauth_state_max_age)
        self._session = TimestampSigner(settings.cookie_secret, salt=SESSION_SALT)
        self._state = TimestampSigner(settings.cookie_secret, salt="neurogebra-hub-oauth-state")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> HubIdentity:
        """Build it from the environment JupyterHub gives a service, plus `hub_config`'s."""
        return cls(_hub_oauth(environ), HubSettings.from_environ(environ))

    @property
    def prefix(self) -> str:
        """The service's URL prefix on the Hub, e.g. ``/services/neurogebra-grader/``."""
        return str(self._auth.base_url)

    @property
    def mount_path(self) -> str:
        """The prefix as a Starlette `Mount` path (no trailing slash)."""
        return self.prefix.rstrip("/")

    @property
    def hub_login_url(self) -> str:
        """The Hub's login page."""
        return str(self._auth.hub_host) + str(self._auth.hub_prefix) + "login"

    async def user(self, request: Request) -> str | None:
        """The Hub user name of the request's session, or None when there is none."""
        who = await self.who(request)
        return None if who is None else who.student

    async def who(self, request: Request) -> HubUser | None:
        """The request's Hub user and role, or None: on the JSON API, the user of the Hub API
        token in its ``Authorization`` header, if it has one; else the user of the OAuth token
        in the service's signed cookie.
        """
        if hasattr(request.state, "hub_user"):
            return request.state.hub_user  # type: ignore[no-any-return]
        user: HubUser | None
        if self.is_api(request) and "authorization" in request.headers:
            token = api_token(request.headers["authorization"])
            user = None if token is None else await self._identify(token, session_id="")
        else:
            token = self._session_token(request)
            session_id = request.cookies.get(HUB_SESSION_COOKIE, "")
            user = None if token is None else await self._identify(token, session_id)
        request.state.hub_user = user
        return user

    def is_api(self, request: Request) -> bool:
        """Whether the request is for the service's JSON API (``<prefix>api/...``)."""
        return request.url.path.startswith(self.prefix + "api/")

    def login_redirect(self, request: Request) -> Response:
        """Send a browser to the Hub's OAuth authorize URL, with a fresh state and PKCE."""
        next_url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if not next_url.startswith(self.prefix):
            next_url = self.prefix
        verifier, challenge, method = self._auth.generate_pkce_code_challenge()
        cookie_name = self._auth.state_cookie_name
        if cookie_name in request.cookies:  # another login in another tab: keep both
            cookie_name = f"{cookie_name}-{secrets.token_hex(4)}"
        state = self._pending.add(next_url, verifier, cookie_name)
        url = url_concat(
            self._auth.login_url,
            {"state": state, "code_challenge": challenge, "code_challenge_method": method},
        )
        response = RedirectResponse(url, status_code=302)
        self._set_cookie(
            request,
            response,
            cookie_name,
            self._state.sign(state).decode(),
            max_age=int(self._auth.oauth_state_max_age),
        )
        return response

    def routes(self) -> list[Route]:
        """The OAuth callback and logout routes, relative to the service prefix (`Mount` them)."""
        return [
            Route("/oauth_callback", self._callback, methods=["GET"], name="hub_oauth_callback"),
            Route("/logout", self._logout, methods=["GET", "POST"], name="hub_logout"),
        ]

    async def _callback(self, request: Request) -> Response:
        """Finish the OAuth login: check the state, trade the code for a token, set the cookie."""
        if "error" in request.query_params:
            return self._refuse(400, "JupyterHub refused the login. Log in again.")
        code = request.query_params.get("code", "")
        state = request.query_params.get("state", "")
        if not code or not state:
            return self._refuse(400, "The login came back without code or state.")
        pending = self._pending.peek(state)
        cookie = None if pending is None else request.cookies.get(pending.cookie_name)
        max_age = int(self._auth.oauth_state_max_age)
        signed_state = None if cookie is None else self._unsign(self._state, cookie, max_age)
        if pending is None or signed_state is None or not hmac.compare_digest(signed_state, state):
            log.warning("refused an OAuth callback whose state matches no login of this browser")
            return self._refuse(403, "This login was not started here. Log in again.")
        self._pending.take(state)
        try:
            token = await self._auth.token_for_code(
                code, code_verifier=pending.verifier, sync=False
            )
        except HubError as error:
            log.warning("JupyterHub did not trade the OAuth code: %s", error)
            return self._refuse(403, "JupyterHub did not accept this login. Log in again.")
        session_id = request.cookies.get(HUB_SESSION_COOKIE, "")
        if await self._identify(token, session_id) is None:
            return self._refuse(403, "This JupyterHub user may not use this service.")
        response = RedirectResponse(pending.next_url, status_code=302)
        self._clear_state_cookies(request, response)
        self._set_cookie(
            request, response, self._auth.cookie_name, self._session.sign(token).decode()
        )
        return response

    async def _logout(self, request: Request) -> Response:
        """Forget the service's session, then log out of the Hub as well."""
        response = RedirectResponse(str(self._auth.hub_prefix) + "logout", status_code=302)
        response.delete_cookie(self._auth.cookie_name, path=self._auth.cookie_path)
        return response

    async def _identify(self, token: str, session_id: str) -> HubUser | None:
        """Ask the Hub whose token this is (an OAuth token of the service's login, or a user's
        API token): a user allowed to use the service, or None. `session_id` (the Hub's login
        session, or "") is part of the cache key of the Hub's answer.
        """
        try:
            model: dict[str, Any] | None = await self._auth.user_for_token(
                token, session_id=session_id, sync=False
            )
        except HubError as error:
            log.error("could not ask JupyterHub who a token belongs to: %s", error)
            raise HTTPException(502, "JupyterHub could not be asked who you are.") from None
        if not model or model.get("kind", "user") != "user":
            return None
        name = model.get("name")
        if not isinstance(name, str) or not name:
            return None
        if not self._auth.check_scopes(self._auth.access_scopes, model):
            log.warning("Hub user %r lacks the scopes %s", name, sorted(self._auth.access_scopes))
            return None
        groups = {group for group in model.get("groups") or () if isinstance(group, str)}
        instructor = name in self._settings.instructors or groups & self._settings.instructor_groups
        return HubUser(student=name, role="instructor" if instructor else "student")

    def _session_token(self, request: Request) -> str | None:
        """The OAuth token in the service's cookie, if its signature is ours and fresh."""
        cookie = request.cookies.get(self._auth.cookie_name)
        if cookie is None:
            return None
        return self._unsign(self._session, cookie, SESSION_MAX_AGE)

    @staticmethod
    def _unsign(signer: TimestampSigner, value: str, max_age: int) -> str | None:
        """The signed text, if `signer` signed it less than `max_age` seconds ago."""
        try:
            return signer.unsign(value, max_age=max_age).decode("ascii")
        except (BadSignature, UnicodeDecodeError):  # BadSignature: also expired ones
            return None

    def _set_cookie(
        self,
        request: Request,
        response: Response,
        name: str,
        value: str,
        max_age: int | None = None,
    ) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path=self._auth.cookie_path,
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="lax",
        )

    def _clear_state_cookies(self, request: Request, response: Response) -> None:
        for name in request.cookies:
            if name.startswith(self._auth.state_cookie_name):
                response.delete_cookie(name, path=self._auth.cookie_path)

    def _refuse(self, status: int, message: str) -> Response:
        """A refused callback; it leaves the browser's own logins under way alone, so that a
        forged callback link cannot cancel them.
        """
        return PlainTextResponse(f"{message}\nLog in at {self.hub_login_url}\n", status_code=status)
