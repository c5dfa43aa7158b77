"""Fixtures for the pipeline's tests: a toy course, released once, and a graded hostile batch."""

from __future__ import annotations

import hashlib
import os
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import hostile
import toycourse as tc

SECRET = "instructor-secret-7f3a9c"


def grader_limits(cell_seconds: int, notebook_seconds: int) -> list[str]:
    """The command-line limits of a test's grading run: the time limits it names, and the same
    memory, process, output and CPU caps for every run.

    Example: ``grader_limits(6, 40)`` gives ``["--cell-timeout", "6", "--timeout", "40", ...]``.
    """
    caps = {"--memory-mb": 1536, "--processes": 48, "--output-bytes": 300_000, "--cpu-seconds": 60}
    times = {"--cell-timeout": cell_seconds, "--timeout": notebook_seconds}
    return [str(part) for flag, value in {**times, **caps}.items() for part in (flag, value)]


# Tight limits so the red-team batch finishes quickly; the toy solution needs ~1 s per cell.
RED_TEAM_LIMITS = grader_limits(6, 40)
GRADER_OUTPUTS = ("autograded", "feedback", "gradebook.db", ".neurogebra")


def snapshot(root: Path) -> dict[str, str]:
    """Hash of every file under ``root`` except what the grader itself writes."""
    out = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(
            part in GRADER_OUTPUTS or part.startswith("gradebook.db") for part in relative.parts
        ):
            continue
        if path.is_file():
            out[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            out[str(relative)] = "dir"
    return out


@dataclass
class Listener:
    """A TCP server on 127.0.0.1 that records every connection it accepts."""

    sock: socket.socket
    accepted: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def serve(self) -> None:
        self.sock.settimeout(0.5)
        while True:
            try:
                conn, addr = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(str(addr))
            conn.close()


def watched(course: Path) -> tuple[Path, Listener]:
    """What a grading run of ``course`` must leave alone: a folder beside the course's copy
    (``outside-canary``, holding ``canary.txt``) and a Listener serving on 127.0.0.1 (close its
    ``sock`` when the run is over)."""
    outside = course.parent.parent / "outside-canary"
    outside.mkdir()
    (outside / "canary.txt").write_text("untouched")
    listener = Listener(socket.create_server(("127.0.0.1", 0)))
    threading.Thread(target=listener.serve, daemon=True).start()
    return outside, listener


@pytest.fixture(scope="session")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A toy course, released (the instructor's solution is checked while releasing)."""
    course = tc.make_course(tmp_path_factory.mktemp("toy"))
    tc.grader("release", course=course)
    return course


def fresh_course(tmp_path: Path, released: Path) -> Path:
    """A private copy of the released toy course (own gradebook, own exchange folder)."""
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(released.parent, root, symlinks=True)
    course = root / "course"
    config = (course / "nbgrader_config.py").read_text()
    config = config.replace(str(released.parent), str(root))
    (course / "nbgrader_config.py").write_text(config)
    return course


def good(course: Path) -> nbformat.NotebookNode:
    return tc.submission_from_release(course, tc.solution_answers)


def partial(course: Path) -> nbformat.NotebookNode:
    def edit(by_id, nb):
        tc.solution_answers(by_id, nb)
        by_id["mean"].source = "def mean(xs):\n    return sum(xs) / (len(xs) + 1)"

    return tc.submission_from_release(course, edit)


def attack(course: Path, code: str) -> nbformat.NotebookNode:
    def edit(by_id, nb):
        tc.solution_answers(by_id, nb)
        by_id["mean"].source = code

    return tc.submission_from_release(course, edit)


def structural(course: Path, kind: str):
    if kind == "malformed_json":
        return '{"cells": [ {"cell_type": "code", "source": "def mean(xs): return 2.5"'

    def edit(by_id, nb):
        tc.solution_answers(by_id, nb)
        by_id["mean"].source = hostile.WRONG_MEAN
        if kind == "deleted_test_cell":
            nb.cells = [c for c in nb.cells if c is not by_id["test_mean"]]
        if kind == "changed_points":
            by_id["test_square"].metadata["nbgrader"]["points"] = 1000
            by_id["test_mean"].metadata["nbgrader"]["points"] = 1000
            by_id["test_mean"].source = "pass"

    return tc.submission_from_release(course, edit)


@dataclass
class Batch:
    course: Path
    before: dict[str, str]
    after: dict[str, str]
    outside_before: dict[str, str]
    outside_after: dict[str, str]
    listener: Listener
    stdout: str

    def ledger(self) -> dict[str, dict]:
        return tc.ledger(self.course)

    def nbgrader_scores(self) -> dict[str, dict[str, float]]:
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}", "toy-course") as gb:
            return {
                s.student_id: {g.name: g.score for g in s.notebooks[0].grades}
                for s in gb.assignment_submissions(tc.ASSIGNMENT)
            }

    def autograded_text(self, student: str) -> str:
        """Everything the graded notebook's cells printed or displayed (not their code)."""
        path = self.course / "autograded" / student / tc.ASSIGNMENT / f"{tc.ASSIGNMENT}.ipynb"
        if not path.exists():
            return ""
        nb = nbformat.read(path, as_version=4)
        parts = []
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                parts.append(str(out.get("text", "")) + str(out.get("data", "")))
                parts.append(str(out.get("evalue", "")) + str(out.get("ename", "")))
        return "\n".join(parts)


B = TypeVar("B", bound=Batch)


@pytest.fixture(scope="session")
def batch(released: Path, tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """Two honest students and every hostile one, graded in one sandboxed batch."""
    course = fresh_course(tmp_path_factory.mktemp("redteam"), released)
    outside, listener = watched(course)
    tc.place_submission(course, "alice", good(course))
    tc.place_submission(course, "bob", partial(course))
    for name, code in hostile.ATTACKS.items():
        code = code.format(course=course, port=listener.port)
        tc.place_submission(course, name, attack(course, code))
    for name in hostile.STRUCTURAL:
        tc.place_submission(course, name, structural(course, name))
    env = dict(os.environ, NEUROGEBRA_TEST_SECRET=SECRET)
    args = ["--workers", "2", *RED_TEAM_LIMITS]
    return grade_watched(course, outside, listener, args, env, Batch)


def grade_watched(
    course: Path,
    outside: Path,
    listener: Listener,
    args: list[str],
    env: dict[str, str],
    kind: type[B],
    **extra: object,
) -> B:
    """Autograde the submissions placed in ``course`` in one run (``args`` after the
    assignment's name), and return it as ``kind`` (Batch or a subclass, given ``extra``).
    ``outside`` and ``listener`` come from :func:`watched`; the listener stops when it is done.
    """
    before, outside_before = snapshot(course.parent), snapshot(outside)
    done = tc.grader("autograde", tc.ASSIGNMENT, *args, course=course, env=env)
    listener.sock.close()
    after, outside_after = snapshot(course.parent), snapshot(outside)
    out = done.stdout
    return kind(course, before, after, outside_before, outside_after, listener, out, **extra)
