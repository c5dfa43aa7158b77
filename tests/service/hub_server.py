"""A real JupyterHub on 127.0.0.1 for the service's tests, and the tiny app it serves.

`running_hub(folder)` starts PyPI's `jupyterhub` with npm's `configurable-http-proxy` (from the
repository's node_modules, `npm ci`), in a temporary folder: an SQLite database, a cookie secret,
free ports, users with their own passwords (a tiny authenticator, no PAM), no user servers, and
`demo_app` registered as a Hub-managed service, so the Hub itself starts it (uvicorn) with the
environment it gives every service. Everything stops when the `with` block ends, even on errors.

Example:

    with running_hub(tmp_path) as hub:
        client = httpx.Client(base_url=hub.url, follow_redirects=True)
        hub.login(client, "alice")
        assert client.get(hub.service_path).text.startswith("hello alice")
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route

from neurogebra_grader.service.hub import HubIdentity

REPO = Path(__file__).resolve().parents[2]
PROXY = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
GUIDE = REPO / "docs" / "instructor"  # the Hub's registration of the service comes from here
SERVICE = "neurogebra-grader"
STUDENTS = ("alice", "bob")
INSTRUCTOR = "ingrid"  # in the Hub group `instructors`
NAMED_INSTRUCTOR = "ian"  # in no group, named in NEUROGEBRA_HUB_INSTRUCTORS
OUTSIDER = "mallory"  # a Hub user without access to the service
PID_FILE_VARIABLE = "HUB_DEMO_PID_FILE"  # where demo_app writes its pid, so the tests can stop it
START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo_app() -> Starlette:
    """`hello <user> (<role>)` behind HubIdentity; uvicorn builds it (`--factory`) as the Hub's
    managed service, from the environment the Hub gives it.
    """
    pid_file = os.environ.get(PID_FILE_VARIABLE)
    if pid_file:
        Path(pid_file).write_text(str(os.getpid()))
    identity = HubIdentity.from_environ(os.environ)

    async def hello(request: Request) -> Response:
        user = await identity.who(request)
        if user is None:
            return identity.login_redirect(request)
        return PlainTextResponse(f"hello {user.student} ({user.role})")

    routes = [Route("/", hello), *identity.routes()]
    return Starlette(routes=[Mount(identity.mount_path, routes=routes)])


CONFIG = """\
# Written by tests/service/hub_server.py for one test run.
import hmac
from jupyterhub.auth import Authenticator

PASSWORDS = {passwords!r}


class PasswordsAuthenticator(Authenticator):
    # Each user has a password of their own (no PAM, no system users).
    async def authenticate(self, handler, data):
        name, password = data.get("username", ""), data.get("password", "")
        expected = PASSWORDS.get(name)
        if expected is not None and hmac.compare_digest(expected, password):
            return name
        return None


c.JupyterHub.authenticator_class = PasswordsAuthenticator
c.Authenticator.allowed_users = set(PASSWORDS)
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {proxy_port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.JupyterHub.db_url = {db_url!r}
c.JupyterHub.cookie_secret_file = {cookie_secret_file!r}
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.auth_token = {proxy_token!r}
c.ConfigurableHTTPProxy.pid_file = {proxy_pid_file!r}
c.Spawner.cmd = ["/bin/false"]  # users need no server: none is ever started

# The service's registration, groups and role, verbatim from the instructor guide
# (docs/instructor/service.md):
{documented}
# ... with this run's own port, command and secrets.
service = c.JupyterHub.services[0]
service["url"] = "http://127.0.0.1:{service_port}"
service["command"] = {command!r}
service["environment"].update({environment!r})
"""


def documented_registration() -> str:
    """The guide's `jupyterhub_config.py` block: the service, its instructors' group, the
    students' group and the role that lets them in (the names this module's users have)."""
    page = (GUIDE / "service.md").read_text()
    found = re.search(r'```python title="jupyterhub_config.py"\n(.*?)```', page, re.S)
    assert found, f"{GUIDE / 'service.md'} has no jupyterhub_config.py block"
    return found.group(1)


@dataclass
class RunningHub:
    """A started Hub: its public URL (the proxy), the service's path, the users' passwords."""

    url: str
    service_path: str
    passwords: dict[str, str]
    cookie_secret: str  # the service's NEUROGEBRA_HUB_COOKIE_SECRET (hex)
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        """The end of the Hub's log (the proxy's and the service's output are in it too)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def login(self, client: httpx.Client, name: str, password: str | None = None) -> httpx.Response:
        """Log `name` into the Hub with its login form (and its `_xsrf` field)."""
        form = client.get("/hub/login")
        match = re.search(r'name="_xsrf"\s+value="([^"]*)"', form.text)
        xsrf = html.unescape(match.group(1)) if match else ""
        data = {"username": name, "password": password or self.passwords[name], "_xsrf": xsrf}
        return client.post("/hub/login", data=data, follow_redirects=False)

    def api_token(self, client: httpx.Client, name: str, scopes: list[str] | None = None) -> str:
        """A new Hub API token of `name`, asked by their logged-in browser as JupyterHub's token
        page does: with all their scopes, or only `scopes` (a subset of theirs).
        """
        request: dict[str, object] = {"note": "test", "expires_in": 600}
        if scopes is not None:
            request["scopes"] = scopes
        answer = client.post(
            f"/hub/api/users/{name}/tokens",
            json=request,
            headers={"X-XSRFToken": client.cookies.get("_xsrf") or ""},
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["token"])


def _write_config(
    folder: Path,
    passwords: dict[str, str],
    pid_file: Path,
    cookie_secret: str,
    service_command: list[str] | None,
) -> tuple[Path, int]:
    """The Hub's config file; returns it and the public (proxy) port."""
    proxy_port, hub_port, api_port, service_port = (free_port() for _ in range(4))
    command = service_command or [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "hub_server:demo_app",
        "--app-dir",
        str(Path(__file__).parent),
        "--host",
        "127.0.0.1",
        "--port",
        str(service_port),
        "--log-level",
        "warning",
    ]
    environment = {PID_FILE_VARIABLE: str(pid_file), "NEUROGEBRA_HUB_COOKIE_SECRET": cookie_secret}
    config = folder / "jupyterhub_config.py"
    config.write_text(
        CONFIG.format(
            passwords=passwords,
            proxy_port=proxy_port,
            hub_port=hub_port,
            db_url=f"sqlite:///{folder / 'jupyterhub.sqlite'}",
            cookie_secret_file=str(folder / "jupyterhub_cookie_secret"),
            proxy_pid_file=str(folder / "jupyterhub-proxy.pid"),
            proxy=str(PROXY),
            proxy_api_port=api_port,
            proxy_token=secrets.token_hex(32),
            documented=documented_registration(),
            service_port=service_port,
            command=command,
            environment=environment,
        )
    )
    return config, proxy_port


def _wait_until_served(hub: RunningHub) -> None:
    """Until the proxy routes both the Hub and the service (the service asks for a login)."""
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(base_url=hub.url, timeout=5) as client:
        while time.monotonic() < deadline:
            if hub.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited at start:\n{hub.log_tail()}")
            with contextlib.suppress(httpx.TransportError):
                health = client.get("/hub/health")
                service = client.get(hub.service_path)
                if health.status_code == 200 and "oauth2/authorize" in service.headers.get(
                    "location", ""
                ):
                    return
            time.sleep(0.3)
    raise RuntimeError(f"JupyterHub or its service not up in {START_TIMEOUT} s:\n{hub.log_tail()}")


def _stop_pid(pid: int) -> None:
    """Stop a process of ours by its id: SIGTERM, then SIGKILL after 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def running_hub(folder: Path, service_command: list[str] | None = None) -> Iterator[RunningHub]:
    """Start the Hub (with its proxy and the demo service) in `folder`; stop all of it after.

    `service_command` runs another service in the demo's place (it listens where the Hub's
    JUPYTERHUB_SERVICE_URL says), e.g. the real `neurogebra-grader serve --jupyterhub`.
    """
    if not PROXY.exists():
        raise RuntimeError(
            f"{PROXY} is missing: run `npm ci` at the repository root (the tests-service "
            "nox session does), which installs configurable-http-proxy from package.json"
        )
    users = (*STUDENTS, INSTRUCTOR, NAMED_INSTRUCTOR, OUTSIDER)
    passwords = {name: secrets.token_urlsafe(12) for name in users}
    pid_file = folder / "demo_app.pid"
    cookie_secret = secrets.token_hex(32)
    config, proxy_port = _write_config(folder, passwords, pid_file, cookie_secret, service_command)
    log_path = folder / "jupyterhub.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the proxy is in it too
        )
    hub = RunningHub(
        url=f"http://127.0.0.1:{proxy_port}",
        service_path=f"/services/{SERVICE}/",
        passwords=passwords,
        cookie_secret=cookie_secret,
        process=process,
        log_path=log_path,
    )
    try:
        _wait_until_served(hub)
        yield hub
    finally:
        process.send_signal(signal.SIGTERM)  # the Hub stops its proxy and the service itself
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # a Hub that stopped cleanly removed the proxy's pid file; the service runs in a
        # session of its own and writes its pid itself
        for leftover in (folder / "jupyterhub-proxy.pid", pid_file):
            with contextlib.suppress(FileNotFoundError, ValueError):
                _stop_pid(int(leftover.read_text()))
