"""Submission service: time from submit to feedback (issue 16, §6).

Workload: the course's `autograd` assignment, released by `neurogebra-grader release` into a
fresh copy of the course, served by `neurogebra-grader serve` (SQLite, one local sandboxed
worker per core) on 127.0.0.1. Each submission is the partial notebook of
tests/submissions/autograd/, sent through the JSON API; its latency runs from the upload's
start until the status endpoint says `graded` with a feedback page (polled every 0.1 s).

Two rounds: one student submitting 10 times, one after another, and 10 students at once,
each submitting twice in a row. Target: a median under 15 s with one student.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from _report import write_section

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "autograd"
SUBMISSION = ROOT / "tests" / "submissions" / ASSIGNMENT / "partial.ipynb"
ALONE = 10  # one student's sequential submissions
CLASS = 10  # students submitting at once
EACH = 2  # submissions per student in the concurrent round
TARGET_S = 15.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1): a value that was measured.

    Example:
        >>> percentile([3.0, 1.0, 2.0, 4.0], 0.95), percentile([3.0, 1.0, 2.0, 4.0], 0.5)
        (4.0, 2.0)
    """
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil, at least the first
    return ordered[int(rank) - 1]


def _grader(course: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(course), *args]


def _run(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd[3:6])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    return done.stdout


def _course(where: Path) -> Path:
    """A released copy of the course's autograd assignment (its exchange beside it)."""
    course = where / "course"
    shutil.copytree(ROOT / "course" / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    config = (ROOT / "course" / "nbgrader_config.py").read_text()
    exchange = where / "exchange"
    exchange.mkdir()
    (course / "nbgrader_config.py").write_text(f"{config}\nc.Exchange.root = {str(exchange)!r}\n")
    _run(_grader(course, "release", ASSIGNMENT))
    return course


def _enrol(course: Path, students: list[str]) -> dict[str, str]:
    roster = course.parent / "roster.csv"
    roster.write_text("id\n" + "".join(f"{s}\n" for s in students))
    printed = _run(_grader(course, "students", "import", str(roster)))
    tokens = {}
    for line in printed.splitlines():
        name, _, token = line.split("\t")
        tokens[name] = token
    from neurogebra_grader.pipeline.course import Course
    from neurogebra_grader.service.store import Settings, Store

    loaded = Course.load(course)  # room for every submission of the run (the default is 10)
    store = Store(loaded.db_url, loaded.state_dir() / "service")
    store.set_settings(ASSIGNMENT, Settings(accept_late=False, rate_limit=100, rate_window=3600))
    return tokens


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(course: Path, port: int, workers: int) -> subprocess.Popen:
    log = open(course.parent / "serve.log", "w")  # noqa: SIM115 (open while it runs)
    cmd = _grader(course, "serve", "--port", str(port), "--workers", str(workers))
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the service exited:\n{(course.parent / 'serve.log').read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the service did not answer within 120 s")


def submit_and_wait(url: str, token: str, data: bytes) -> float:
    """Seconds from the upload's start until its feedback is there."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        start = time.perf_counter()
        files = {"notebook": (f"{ASSIGNMENT}.ipynb", data, "application/json")}
        sent = client.post("/api/submissions", data={"assignment": ASSIGNMENT}, files=files)
        if sent.status_code != 202:
            raise SystemExit(f"refused: {sent.status_code} {sent.text}")
        while True:
            body = client.get(sent.json()["api"]).json()
            if body["state"] == "graded" and body["feedback_url"]:
                return time.perf_counter() - start
            if body["state"] == "error" or time.perf_counter() - start > 600:
                raise SystemExit(f"submission {body['id']} did not grade: {body}")
            time.sleep(0.1)


def _row(label: str, seconds: list[float]) -> str:
    median, p95 = statistics.median(seconds), percentile(seconds, 0.95)
    return f"| {label} | {len(seconds)} | {median:.1f} | {p95:.1f} | {max(seconds):.1f} |"


def main() -> None:
    workers = os.cpu_count() or 1
    data = json.dumps(json.loads(SUBMISSION.read_text())).encode()
    students = [f"student{k:02d}" for k in range(CLASS)]
    with tempfile.TemporaryDirectory() as tmp:
        course = _course(Path(tmp))
        tokens = _enrol(course, students)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = _serve(course, port, workers)
        try:
            submit_and_wait(url, tokens[students[-1]], data)  # warm-up, not counted
            alone = [submit_and_wait(url, tokens[students[0]], data) for _ in range(ALONE)]

            def one_student(name: str) -> list[float]:
                return [submit_and_wait(url, tokens[name], data) for _ in range(EACH)]

            with ThreadPoolExecutor(CLASS) as pool:
                together = [s for batch in pool.map(one_student, students) for s in batch]
        finally:
            server.terminate()
            server.wait(30)
    median = statistics.median(alone)
    verdict = "met" if median < TARGET_S else "NOT met"
    write_section(
        "service_latency",
        f"""## Submission service: submit to feedback (`benchmarks/service_latency.py`)

The `autograd` assignment's partial notebook sent to `neurogebra-grader serve` (SQLite,
{workers} local workers, every kernel under bubblewrap) through the JSON API, timed from the
upload's start until the status endpoint reports `graded` with its feedback page.

| students | submissions | median s | 95th percentile s | slowest s |
|---|---:|---:|---:|---:|
{_row("1 (one after another)", alone)}
{_row(f"{CLASS} at once ({EACH} each, in a row)", together)}

Median with one student: **{median:.1f} s** (target under {TARGET_S:g} s: {verdict}).""",
    )


if __name__ == "__main__":
    main()
