"""End to end through nbgrader's exchange: two students fetch, work, submit; the instructor
collects, autogrades (sandboxed) and releases feedback; each student fetches their own.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import nbformat
import toycourse as tc
from conftest import fresh_course


def student_step(home: Path, exchange: Path, *args: str) -> subprocess.Popen:
    """An nbgrader student command, run in the student's own folder (nbgrader's own CLI).

    Each student has their own nbgrader cache, as separate accounts on a real hub do.
    """
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nbgrader",
            *args,
            "--course",
            "toy-course",
            f"--Exchange.root={exchange}",
            f"--Exchange.cache={home / '.nbgrader-cache'}",
        ],
        cwd=home,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def visible_text(html: str) -> str:
    """The page's text without its style sheets and scripts (whose numbers mean nothing)."""
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", html))


def both(steps: dict[str, subprocess.Popen]) -> None:
    for name, step in steps.items():
        out, _ = step.communicate(timeout=300)
        assert step.returncode == 0, f"{name}: {out[-2000:]}"


def complete(path: Path, *, correct_mean: bool) -> None:
    """A student's work: every answer from the solution, except (for one) a wrong mean."""
    nb = nbformat.read(path, as_version=4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    tc.solution_answers(by_id, nb)
    if not correct_mean:
        by_id["mean"].source = "def mean(xs):\n    return max(xs)"
    nbformat.write(nb, path)


def test_two_students_through_the_exchange(released, tmp_path):
    course = fresh_course(tmp_path, released)
    exchange = course.parent / "exchange"
    tc.grader("release", course=course)  # into this copy's own exchange
    homes = {s: tmp_path / s for s in ("alice", "bob")}
    for home in homes.values():
        home.mkdir()
    both({s: student_step(h, exchange, "fetch_assignment", "toy") for s, h in homes.items()})
    complete(homes["alice"] / "toy" / "toy.ipynb", correct_mean=True)
    complete(homes["bob"] / "toy" / "toy.ipynb", correct_mean=False)
    both({s: student_step(h, exchange, "submit", "toy", "--student", s) for s, h in homes.items()})

    collected = tc.grader("collect", "toy", course=course).stdout
    assert "alice" in collected and "bob" in collected
    graded = tc.grader("autograde", "toy", course=course).stdout
    assert "alice: 40 / 40" in graded and "bob: 30 / 40" in graded
    released_to = tc.grader("feedback", "toy", course=course).stdout
    assert "alice" in released_to and "bob" in released_to
    both(
        {
            s: student_step(h, exchange, "fetch_feedback", "toy", "--student", s)
            for s, h in homes.items()
        }
    )

    for student, score in (("alice", "40.0"), ("bob", "30.0")):
        pages = list((homes[student] / "toy" / "feedback").rglob("toy.html"))
        assert len(pages) == 1, pages
        html = pages[0].read_text()
        assert f"Score: {score} / 40.0" in html.replace("<span>", "").replace("</span>", "")
        body = visible_text(html)
        assert "square(3)" in body  # the visible test is shown
        # no hidden test: neither its code nor its expected values
        for secret in ("HIDDEN TESTS", "square(-2.5)", "6.25", "expected_mean", "2.5"):
            assert secret not in body, (student, secret)
    bob = next((homes["bob"] / "toy" / "feedback").rglob("toy.html")).read_text()
    assert "a hidden test failed" in bob
    alice = next((homes["alice"] / "toy" / "feedback").rglob("toy.html")).read_text()
    assert "a hidden test failed" not in alice
