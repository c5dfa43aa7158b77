"""The real service in JupyterHub mode (issue 16, §2 and §5): a real Hub and proxy on
127.0.0.1 start `neurogebra-grader serve --jupyterhub` on the toy course as their managed
service; students reach it through the Hub's OAuth and see only their own submissions, and an
instructor (by Hub group) sees the class. `neurogebra-grader submit` reaches it through the
Hub's proxy with the student's own Hub API token.

The core tests run twice: on the course's SQLite gradebook, and with `serve --db
postgresql://...` on the session's real PostgreSQL server (a second Hub, started only for them).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hub_server import INSTRUCTOR, OUTSIDER, SERVICE, RunningHub, running_hub
from postgres_server import PostgresServer
from toy_service import HIDDEN_CODE, RIGHT, WRONG, csrf, notebook, one_question_course, tc
from toy_service import wait_graded as graded

PREFIX = f"/services/{SERVICE}"
DATABASES = ["sqlite", "postgresql"]  # `database` parameter of the tests run on both


@contextlib.contextmanager
def hub_serving(
    tmp_path_factory: pytest.TempPathFactory, db_url: str | None = None
) -> Iterator[tuple[RunningHub, Path]]:
    """A Hub running the real service on a one-question toy course, its gradebook on `db_url`
    (given to `serve --db`, as an instructor writes it) or in the course's SQLite file."""
    course = one_question_course(tmp_path_factory.mktemp("course"), db_url)
    command = [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(course)]
    command += ["serve", "--jupyterhub", "--workers", "1"]
    command += ["--db", db_url] if db_url else []
    with running_hub(tmp_path_factory.mktemp("hub"), service_command=command) as running:
        yield running, course


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningHub, Path]]:
    """The Hub, running the real service on SQLite."""
    with hub_serving(tmp_path_factory) as served:
        yield served


@pytest.fixture(scope="module")
def hub_pg(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresServer
) -> Iterator[tuple[RunningHub, Path]]:
    """Another Hub, running the real service on a database of the session's PostgreSQL."""
    url = postgres.create_database("hub").replace("postgresql+psycopg://", "postgresql://")
    with hub_serving(tmp_path_factory, url) as served:
        yield served


def on(request: pytest.FixtureRequest, database: str, fixture: str) -> tuple:
    """The module fixture `fixture` of the SQLite run, or its `_pg` twin on PostgreSQL."""
    return tuple(request.getfixturevalue(fixture if database == "sqlite" else f"{fixture}_pg"))


@contextlib.contextmanager
def service_as(hub: RunningHub, name: str) -> Iterator[httpx.Client]:
    """A browser of `name`'s, logged into the Hub and then (OAuth) into the service; its
    relative URLs are the service's (``/student`` is ``/services/<name>/student``)."""
    with httpx.Client(base_url=hub.url, follow_redirects=True, timeout=30) as browser:
        assert hub.login(browser, name).status_code == 302, hub.log_tail()
        with httpx.Client(
            base_url=hub.url + PREFIX, cookies=browser.cookies, follow_redirects=True, timeout=30
        ) as client:
            home = client.get("/")
            assert home.status_code == 200, hub.log_tail()
            assert f"Signed in as {name}" in home.text
            yield client


def submit(client: httpx.Client, data: bytes) -> int:
    """Upload through the student page's form; the new submission's id."""
    page = client.get("/student")
    form = {"csrf": csrf(page.text), "assignment": tc.ASSIGNMENT}
    files = {"notebook": ("toy.ipynb", data, "application/json")}
    done = client.post("/submit", data=form, files=files, follow_redirects=False)
    assert done.status_code == 303, done.text
    location = done.headers["location"]
    assert location.startswith(f"{PREFIX}/submissions/"), location  # prefix-aware redirect
    return int(location.rsplit("/", 1)[1])


def alice_submits(hub: tuple[RunningHub, Path]) -> Iterator[tuple[httpx.Client, int, dict]]:
    """Alice reaches the service through the Hub and uploads a half-right notebook."""
    running, course = hub
    with service_as(running, "alice") as alice:
        submission_id = submit(alice, notebook(course, WRONG))
        yield alice, submission_id, graded(alice, submission_id)


@pytest.fixture(scope="module")
def alices(hub: tuple[RunningHub, Path]) -> Iterator[tuple[httpx.Client, int, dict]]:
    yield from alice_submits(hub)


@pytest.fixture(scope="module")
def alices_pg(hub_pg: tuple[RunningHub, Path]) -> Iterator[tuple[httpx.Client, int, dict]]:
    yield from alice_submits(hub_pg)


@pytest.mark.parametrize("database", DATABASES)
def test_a_student_reaches_the_service_through_the_hub_and_is_graded(
    request: pytest.FixtureRequest, database: str
) -> None:
    alice, submission_id, body = on(request, database, "alices")
    assert body["state"] == "graded", body
    assert [(q["question"], q["score"]) for q in body["questions"]] == [("test_square", 0.0)]
    assert body["url"] == f"{PREFIX}/submissions/{submission_id}"
    page = alice.get(f"/submissions/{submission_id}")
    assert page.status_code == 200 and "0 / 10" in page.text
    assert f'href="{PREFIX}/submissions/{submission_id}/feedback"' in page.text
    assert f'action="{PREFIX}/logout"' in page.text  # every link stays under the prefix
    feedback = alice.get(body["feedback_url"].removeprefix(PREFIX))
    assert feedback.status_code == 200 and HIDDEN_CODE not in feedback.text
    session = [c for c in alice.cookies.jar if c.name == "ng_session"]
    assert [c.path for c in session] == [f"{PREFIX}/"]  # the CSRF cookie stays the service's


def test_without_a_hub_login_pages_go_to_the_hub_and_the_api_says_401(
    hub: tuple[RunningHub, Path], alices: tuple
) -> None:
    running, _ = hub
    _, submission_id, _ = alices
    with httpx.Client(base_url=running.url + PREFIX, timeout=30) as anonymous:
        page = anonymous.get(f"/submissions/{submission_id}")
        assert page.status_code == 302 and "/hub/api/oauth2/authorize" in page.headers["location"]
        assert anonymous.get(f"/api/submissions/{submission_id}").status_code == 401
        assert anonymous.get("/login").status_code == 404  # no standalone token login here


def test_bob_cannot_see_open_or_download_alices_submission(
    hub: tuple[RunningHub, Path], alices: tuple
) -> None:
    running, course = hub
    alice, theirs, _ = alices
    with service_as(running, "bob") as bob:
        mine = submit(bob, notebook(course, RIGHT))
        tricks: list[dict[str, str]] = [  # (Hub API tokens: test_submit_with_hub_api_tokens)
            {},
            {"X-Forwarded-User": "alice", "X-Remote-User": "alice"},
        ]
        for headers in tricks:
            for path in (
                f"/submissions/{theirs}",
                f"/submissions/{theirs}/feedback",
                f"/api/submissions/{theirs}",
                f"/submissions/{theirs}?student=alice",
                f"/submissions/0{theirs}",
            ):
                answer = bob.get(path, headers=headers)
                assert answer.status_code == 404, (path, headers, answer.text[:200])
            listed = bob.get("/api/submissions", headers=headers).json()["submissions"]
            assert {row["student"] for row in listed} == {"bob"}
        for other in range(0, max(theirs, mine) + 5):
            if other != mine:
                assert bob.get(f"/api/submissions/{other}").status_code == 404
        assert "alice" not in bob.get("/student").text
        assert bob.get("/instructor").status_code == 404
        assert bob.get("/instructor/export.csv").status_code == 404
        page = bob.get("/student")
        regrade = bob.post(f"/instructor/regrade/{theirs}", data={"csrf": csrf(page.text)})
        assert regrade.status_code == 404
        assert graded(bob, mine)["state"] == "graded"
    assert graded(alice, theirs)["questions"][0]["score"] == 0.0  # hers, untouched


def test_an_instructor_by_group_sees_the_class(hub: tuple[RunningHub, Path], alices: tuple) -> None:
    running, _ = hub
    _, theirs, _ = alices
    with service_as(running, INSTRUCTOR) as ingrid:
        page = ingrid.get("/")
        assert page.url.path == f"{PREFIX}/instructor"
        assert f"Signed in as {INSTRUCTOR} (instructor)" in page.text
        assert ">alice<" in page.text and ">bob<" in page.text
        assert f'href="{PREFIX}/submissions/{theirs}"' in page.text
        assert ingrid.get(f"/submissions/{theirs}").status_code == 200
        export = ingrid.get("/instructor/export.csv")
        assert export.status_code == 200
        students = {line.split(",")[2] for line in export.text.splitlines()[1:]}
        assert students == {"alice", "bob"}


def test_a_post_without_the_forms_csrf_token_is_refused(hub: tuple[RunningHub, Path]) -> None:
    running, course = hub
    with service_as(running, "alice") as alice:
        files = {"notebook": ("toy.ipynb", notebook(course, RIGHT), "application/json")}
        form = {"assignment": tc.ASSIGNMENT}
        assert alice.post("/submit", data=form, files=files).status_code == 403
        # a made-up token header skips no check: it names nobody, even next to alice's cookie
        bearer = {"Authorization": f"Bearer {secrets.token_hex(16)}"}
        sent = alice.post("/api/submissions", data=form, files=files, headers=bearer)
        assert sent.status_code == 401


def submit_command(
    folder: Path, data: bytes, server: str, environ_token: str | None, *args: str
) -> tuple[int, str]:
    """`neurogebra-grader submit` as a student runs it in her JupyterHub server (where the Hub
    sets $JUPYTERHUB_API_TOKEN to `environ_token`); its exit code and its output, unwrapped."""
    path = folder / secrets.token_hex(4) / f"{tc.ASSIGNMENT}.ipynb"
    path.parent.mkdir()
    path.write_bytes(data)
    environ = {key: value for key, value in os.environ.items() if key != "JUPYTERHUB_API_TOKEN"}
    if environ_token is not None:
        environ["JUPYTERHUB_API_TOKEN"] = environ_token
    command = [sys.executable, "-m", "neurogebra_grader.cli.main", "submit", str(path)]
    command += ["--assignment", tc.ASSIGNMENT, "--server", server, *args]
    done = subprocess.run(
        command, cwd=folder, env=environ, capture_output=True, text=True, timeout=300
    )
    return done.returncode, " ".join((done.stdout + done.stderr).split())


# SQLite only: who a token names is decided by the Hub, not the database, and the PostgreSQL
# run of the core test above already covers the service's store behind the Hub (~1 min saved).
@pytest.mark.parametrize("database", ["sqlite"])
def test_submit_with_hub_api_tokens(
    request: pytest.FixtureRequest, database: str, tmp_path: Path
) -> None:
    """Each student's own Hub API token names her on the JSON API, and nobody else does: not
    another user's token, a made-up one, or a real one without access to the service."""
    running, course = on(request, database, "hub")
    tokens: dict[str, str] = {}
    for name in ("alice", "bob", OUTSIDER):
        with httpx.Client(base_url=running.url, follow_redirects=True, timeout=30) as browser:
            assert running.login(browser, name).status_code == 302, running.log_tail()
            tokens[name] = running.api_token(browser, name)
            if name == "alice":
                # what a JupyterHub server's token has by default: no access to services
                default = ["users:activity!user"]
                tokens["alice-no-access"] = running.api_token(browser, name, default)
                # only the service's scope: enough
                only = [f"access:services!service={SERVICE}"]
                tokens["alice-service-only"] = running.api_token(browser, name, only)
    server = running.url + PREFIX  # through the Hub's proxy

    # alice, in her JupyterHub server: the token comes from the environment
    code, said = submit_command(tmp_path, notebook(course, RIGHT), server, tokens["alice"])
    assert code == 0, said + running.log_tail()
    assert "test_square: 10 / 10" in said and "score: 10 / 10" in said
    found = re.search(r"accepted as submission (\d+)", said)
    assert found, said
    alices = int(found.group(1))
    assert f"feedback: {running.url}{PREFIX}/submissions/{alices}/feedback" in said

    def api(token: str, path: str) -> httpx.Response:
        headers = {"Authorization": f"token {token}"}  # JupyterHub's spelling of Bearer
        return httpx.get(f"{server}{path}", headers=headers, timeout=30)

    # bob posts to the API with his token (no cookie, so no CSRF token); not waited for
    files = {"notebook": (f"{tc.ASSIGNMENT}.ipynb", notebook(course, WRONG), "application/json")}
    sent = httpx.post(
        f"{server}/api/submissions",
        data={"assignment": tc.ASSIGNMENT},
        files=files,
        headers={"Authorization": f"Bearer {tokens['bob']}"},
        timeout=30,
    )
    assert sent.status_code == 202, sent.text
    bobs = int(sent.json()["id"])

    for token in (tokens["alice"], tokens["alice-service-only"]):
        mine = api(token, f"/api/submissions/{alices}")
        assert mine.status_code == 200 and mine.json()["score"] == 10.0, mine.text
        assert api(token, f"/api/submissions/{bobs}").status_code == 404  # bob's: not hers
        listed = api(token, "/api/submissions").json()["submissions"]
        assert {row["student"] for row in listed} == {"alice"}
        assert bobs not in {row["id"] for row in listed}
    bob_sees = api(tokens["bob"], "/api/submissions").json()["submissions"]
    assert {row["student"] for row in bob_sees} == {"bob"}
    # a page takes no token: it asks for the Hub login
    page = httpx.get(
        f"{server}/submissions/{alices}",
        headers={"Authorization": f"token {tokens['alice']}"},
        timeout=30,
    )
    assert page.status_code == 302 and "/hub/api/oauth2/authorize" in page.headers["location"]

    nobody = {
        "made up": secrets.token_hex(16),
        "no access scope": tokens["alice-no-access"],
        "outsider": tokens[OUTSIDER],
        "too long": "a" * 1000,
    }
    for why, token in nobody.items():
        for path in ("/api/submissions", f"/api/submissions/{alices}"):
            answer = api(token, path)
            assert answer.status_code == 401, (why, path, answer.text)
            assert "alice" not in answer.text
    before = api(tokens["alice"], "/api/submissions").json()["submissions"]
    for environ_token, args in ((nobody["made up"], ()), (tokens["alice"], ("--token", "x1"))):
        # a made-up token from the environment; alice's there, but --token (made up) wins
        data = notebook(course, RIGHT)
        code, said = submit_command(tmp_path, data, server, environ_token, *args)
        assert code == 1 and "not accepted" in said and "did not accept your token" in said, said
    code, said = submit_command(tmp_path, notebook(course, RIGHT), server, None)
    assert code == 1 and "no token" in said, said
    after = api(tokens["alice"], "/api/submissions").json()["submissions"]
    assert after == before  # a refused submission leaves nothing behind
