"""`neurogebra-grader serve --demo` (the README's "run a live course" command): it releases the
sample course, starts the service on 127.0.0.1 and prints working login links for two demo
students (and an instructor)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_service import csrf, free_port

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_links(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The links the command prints, once the server it started answers."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("live") / "live"
    cmd = [sys.executable, "-m", "neurogebra_grader.cli.main", "serve", "--demo"]
    cmd += ["--port", str(port), "--workdir", str(workdir)]
    process = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        links: dict[str, str] = {}
        printed = []
        assert process.stdout is not None
        while len(links) < 3:
            line = process.stdout.readline()
            assert line, "the command ended:\n" + "".join(printed)
            printed.append(line)
            found = re.match(r"(\w+) \((student|instructor)\): (http://\S+)$", line.strip())
            if found:
                links[found.group(1)] = found.group(3)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield links
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_live_course_prints_two_students_login_links(demo_links: dict[str, str]) -> None:
    assert list(demo_links) == ["ada", "ben", "prof"]
    for who in ("ada", "ben"):
        link = demo_links[who]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/login\?token=[\w-]+", link), link
        client = httpx.Client(timeout=30)
        form = client.get(link)
        token = link.split("token=", 1)[1]
        assert form.status_code == 200 and f'value="{token}"' in form.text
        base = link.split("/login", 1)[0]
        assert client.get(f"{base}/student").status_code == 303  # a GET logs nobody in
        done = client.post(f"{base}/login", data={"csrf": csrf(form.text), "token": token})
        assert done.status_code == 303, done.text
        page = client.get(f"{base}/student")
        assert page.status_code == 200 and f"Signed in as {who} (student)" in page.text
        assert "autograd" in page.text  # the sample course's assignments are released


def test_a_login_link_with_a_wrong_token_logs_nobody_in(demo_links: dict[str, str]) -> None:
    base = demo_links["ada"].split("/login", 1)[0]
    client = httpx.Client(timeout=30)
    form = client.get(f"{base}/login", params={"token": '"><script>alert(1)</script>'})
    assert "<script>alert" not in form.text  # escaped into the value attribute
    done = client.post(f"{base}/login", data={"csrf": csrf(form.text), "token": "nope"})
    assert done.status_code == 401 and "not valid" in done.text
