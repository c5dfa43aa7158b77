"""The real service in JupyterHub mode (issue 16, §2 and §5): a real Hub and proxy on
127.0.0.1 start `neurogebra-grader serve --jupyterhub` on the toy course as their managed
service; students reach it through the Hub's OAuth and see only their own submissions, and an
instructor (by Hub group) sees the class.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hub_server import INSTRUCTOR, SERVICE, RunningHub, running_hub
from toy_service import HIDDEN_CODE, RIGHT, WRONG, csrf, notebook, one_question_course, tc
from toy_service import wait_graded as graded

PREFIX = f"/services/{SERVICE}"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningHub, Path]]:
    """The Hub, running the real service on a one-question toy course."""
    course = one_question_course(tmp_path_factory.mktemp("course"))
    command = [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(course)]
    command += ["serve", "--jupyterhub", "--workers", "1"]
    with running_hub(tmp_path_factory.mktemp("hub"), service_command=command) as running:
        yield running, course


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


@pytest.fixture(scope="module")
def alices(hub: tuple[RunningHub, Path]) -> Iterator[tuple[httpx.Client, int, dict]]:
    """Alice reaches the service through the Hub and uploads a half-right notebook."""
    running, course = hub
    with service_as(running, "alice") as alice:
        submission_id = submit(alice, notebook(course, WRONG))
        yield alice, submission_id, graded(alice, submission_id)


def test_a_student_reaches_the_service_through_the_hub_and_is_graded(alices: tuple) -> None:
    alice, submission_id, body = alices
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
    with httpx.Client(base_url=running.url, follow_redirects=True, timeout=30) as alice_hub:
        running.login(alice_hub, "alice")
        alice_token = running.api_token(alice_hub, "alice")
    with service_as(running, "bob") as bob:
        mine = submit(bob, notebook(course, RIGHT))
        tricks: list[dict[str, str]] = [
            {},
            {"X-Forwarded-User": "alice", "X-Remote-User": "alice"},
            {"Authorization": f"Bearer {alice_token}"},  # alice's own Hub token names nobody
            {"Authorization": "token " + alice_token},
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
        bearer = {"Authorization": "Bearer anything"}  # no bearer skips the check behind the Hub
        sent = alice.post("/api/submissions", data=form, files=files, headers=bearer)
        assert sent.status_code == 403
