"""JupyterHub mode (issue 16, §2 and §5): a real Hub and proxy on 127.0.0.1, the service
registered with it, and each user's OAuth flow reaching the service as that user and no other.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hub_server import (
    INSTRUCTOR,
    NAMED_INSTRUCTOR,
    OUTSIDER,
    SERVICE,
    RunningHub,
    running_hub,
)
from itsdangerous import TimestampSigner

from neurogebra_grader.service.hub import SESSION_SALT

SESSION_COOKIE = f"service-{SERVICE}"  # the Hub's OAuth client id of the service


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningHub]:
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


@pytest.fixture
def client(hub: RunningHub) -> Iterator[httpx.Client]:
    """A browser of its own: its own cookies, redirects followed."""
    with httpx.Client(base_url=hub.url, follow_redirects=True, timeout=10) as browser:
        yield browser


@contextlib.contextmanager
def logged_in(hub: RunningHub, name: str) -> Iterator[httpx.Client]:
    """A browser of its own, logged into the Hub (not yet into the service) as `name`."""
    with httpx.Client(base_url=hub.url, follow_redirects=True, timeout=10) as browser:
        answer = hub.login(browser, name)
        assert answer.status_code == 302, f"{name} could not log into the Hub:\n{hub.log_tail()}"
        yield browser


def start_oauth(hub: RunningHub, browser: httpx.Client) -> tuple[str, str]:
    """Open the service and follow the Hub's OAuth by hand, up to (not into) the callback.

    Returns the callback URL the Hub sent the browser to, and its state.
    """
    to_hub = browser.get(hub.service_path, follow_redirects=False)
    assert to_hub.status_code == 302
    assert "/hub/api/oauth2/authorize" in to_hub.headers["location"]
    to_callback = browser.get(to_hub.headers["location"], follow_redirects=False)
    assert to_callback.status_code == 302, hub.log_tail()
    callback = to_callback.headers["location"]
    assert urlsplit(callback).path == f"{hub.service_path}oauth_callback"
    return callback, parse_qs(urlsplit(callback).query)["state"][0]


def with_state(callback: str, state: str | None) -> str:
    """The callback URL with its state replaced (or removed, for None)."""
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.pop("state")
    if state is not None:
        query["state"] = state
    return str(httpx.URL(parts.path, params=query))


def test_each_user_reaches_the_service_as_themselves_through_oauth(hub: RunningHub) -> None:
    for name in ("alice", "bob"):
        with logged_in(hub, name) as browser:
            page = browser.get(hub.service_path)
            assert page.status_code == 200, hub.log_tail()
            assert page.text == f"hello {name} (student)"
            visited = [urlsplit(str(step.url)).path for step in page.history]
            assert "/hub/api/oauth2/authorize" in visited
            assert f"{hub.service_path}oauth_callback" in visited
            # the session is the service's own cookie now: no Hub round trip on the next visit
            again = browser.get(hub.service_path)
            assert again.text == f"hello {name} (student)" and not again.history
    # the OAuth dance brings the browser back to the very page it asked for
    with logged_in(hub, "alice") as browser:
        page = browser.get(f"{hub.service_path}?page=2&sort=name")
        assert page.text == "hello alice (student)" and len(page.history) == 3
        assert str(page.url) == f"{hub.url}{hub.service_path}?page=2&sort=name"


def test_instructors_by_hub_group_or_by_name(hub: RunningHub) -> None:
    for name in (INSTRUCTOR, NAMED_INSTRUCTOR):
        with logged_in(hub, name) as browser:
            assert browser.get(hub.service_path).text == f"hello {name} (instructor)"


def test_without_a_hub_login_the_service_sends_the_browser_to_the_hub_login(
    hub: RunningHub, client: httpx.Client
) -> None:
    page = client.get(hub.service_path)
    assert urlsplit(str(page.url)).path == "/hub/login"
    assert "hello" not in page.text
    assert any("/hub/api/oauth2/authorize" in str(step.url) for step in page.history)


def test_a_hub_user_without_access_to_the_service_is_not_let_in(hub: RunningHub) -> None:
    with logged_in(hub, OUTSIDER) as browser:
        page = browser.get(hub.service_path)
        assert page.status_code == 403
        assert "hello" not in page.text
        assert SESSION_COOKIE not in browser.cookies


def test_the_callback_refuses_a_missing_forged_or_foreign_state(hub: RunningHub) -> None:
    with logged_in(hub, "alice") as alice, logged_in(hub, "bob") as bob:
        callback, state = start_oauth(hub, alice)

        missing = alice.get(with_state(callback, None), follow_redirects=False)
        assert missing.status_code == 400
        forged = alice.get(with_state(callback, secrets.token_urlsafe(24)), follow_redirects=False)
        assert forged.status_code == 403
        # alice's code and state in bob's browser (login CSRF): bob has no such login under way
        foreign = bob.get(callback, follow_redirects=False)
        assert foreign.status_code == 403
        assert SESSION_COOKIE not in bob.cookies
        assert SESSION_COOKIE not in alice.cookies
        assert bob.get(hub.service_path).text == "hello bob (student)"

        # alice's own login still completes, once
        done = alice.get(callback)
        assert done.text == "hello alice (student)"
        replayed = alice.get(callback, follow_redirects=False)
        assert replayed.status_code == 403

    # a right state with a made-up code: the Hub refuses the trade, and so does the service
    with logged_in(hub, "bob") as bob:
        callback, state = start_oauth(hub, bob)
        made_up = str(httpx.URL(urlsplit(callback).path, params={"code": "x" * 40, "state": state}))
        assert bob.get(made_up, follow_redirects=False).status_code == 403
        assert SESSION_COOKIE not in bob.cookies


def test_made_up_cookies_and_identity_headers_are_nobody(
    hub: RunningHub, client: httpx.Client
) -> None:
    with logged_in(hub, "alice") as alice:
        assert alice.get(hub.service_path).text == "hello alice (student)"
        real = alice.cookies[SESSION_COOKIE]
    value, _, signature = real.rpartition(".")
    cookies = [
        "alice",
        TimestampSigner(secrets.token_bytes(32), salt="neurogebra-hub-session")
        .sign(secrets.token_hex(16))
        .decode(),
        f"{value}.{signature[::-1]}",  # alice's cookie with its signature altered
    ]
    headers = [
        {"X-Forwarded-User": "alice"},
        {"X-Remote-User": "alice"},
        {"Remote-User": "alice"},
        {"X-JupyterHub-User": "alice"},
        {"Authorization": f"token {secrets.token_hex(16)}"},
    ]
    attempts: list[tuple[dict[str, str], dict[str, str]]] = [
        ({SESSION_COOKIE: cookie}, {}) for cookie in cookies
    ]
    attempts += [({}, header) for header in headers]
    for cookie_jar, header in attempts:
        client.cookies.clear()
        for name, value in cookie_jar.items():
            client.cookies.set(name, value)
        answer = client.get(hub.service_path, headers=header)
        assert urlsplit(str(answer.url)).path == "/hub/login", (cookie_jar, header)
        assert "hello" not in answer.text


def test_the_service_checks_the_hub_scopes_itself(hub: RunningHub) -> None:
    """Even with a real Hub token of hers in a cookie signed with the service's own secret
    (which only the service has), a user without access to the service is nobody.
    """
    signer = TimestampSigner(bytes.fromhex(hub.cookie_secret), salt=SESSION_SALT)
    for name, expected in ((OUTSIDER, None), ("alice", "hello alice (student)")):
        with logged_in(hub, name) as browser:
            browser.cookies.set(SESSION_COOKIE, signer.sign(hub.api_token(browser, name)).decode())
            answer = browser.get(hub.service_path, follow_redirects=False)
            if expected is None:
                assert answer.status_code == 302
                assert "/hub/api/oauth2/authorize" in answer.headers["location"]
            else:  # the same way with a token that has the access scope: the check is the scope
                assert answer.text == expected


def test_logging_out_ends_the_service_session_too(hub: RunningHub, client: httpx.Client) -> None:
    for logout in ("/hub/logout", f"{hub.service_path}logout"):  # the Hub's page, the service's
        with logged_in(hub, "alice") as alice:
            assert alice.get(hub.service_path).text == "hello alice (student)"
            old_cookie = alice.cookies[SESSION_COOKIE]
            alice.get(logout)
            after = alice.get(hub.service_path)
            assert urlsplit(str(after.url)).path == "/hub/login", logout
        # the Hub deleted the session's token: the old cookie, replayed elsewhere, is nobody
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, old_cookie)
        replayed = client.get(hub.service_path)
        assert urlsplit(str(replayed.url)).path == "/hub/login", logout
