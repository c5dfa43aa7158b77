"""Grade a whole class of the toy course in one run, and look at what it left behind.

Used by the resource and hidden-test red teams: each module grades its honest students and
attackers in ONE `autograde --workers 2` run (module-scoped fixture), then every test reads
the same results. Besides the grades, a `Graded` class knows what must not have happened:
a file changed outside the sandbox, a process that outlived its sandbox (every sandbox of a
class is made under that class's own job folder, which its bubblewrap and kernel command
lines name; attackers start their daemons as `sleep <marker>`), a cgroup or tmpfs mount left
behind.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import toycourse as tc
from conftest import Batch, fresh_course, grade_watched, grader_limits, watched

HONEST = ("alice", "bob", "blank")
# what each honest student earns, question by question (see toycourse and conftest.partial)
HONEST_SCORES = {
    "alice": {"test_square": 10.0, "test_engine": 20.0, "test_mean": 10.0},
    "bob": {"test_square": 10.0, "test_engine": 20.0, "test_mean": 0.0},
    "blank": {"test_square": 0.0, "test_engine": 0.0, "test_mean": 0.0},
}


def notebook(course: Path, **answers: str) -> nbformat.NotebookNode:
    """A submission: the solution's answers, with the named answer cells replaced."""

    def edit(by_id, nb):
        tc.solution_answers(by_id, nb)
        for cell_id, code in answers.items():
            by_id[cell_id].source = code

    return tc.submission_from_release(course, edit)


def blank(course: Path) -> nbformat.NotebookNode:
    """The released notebook, submitted as it is (an honest student who answered nothing)."""
    return tc.submission_from_release(course, lambda by_id, nb: None)


def honest_class(course: Path, port: int = 0) -> dict[str, nbformat.NotebookNode]:
    from conftest import good, partial

    return {"alice": good(course), "bob": partial(course), "blank": blank(course)}


def processes_with(marker: str) -> list[str]:
    """Command lines of live processes (anywhere on the machine) that contain ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmdline and "pytest" not in cmdline:
            found.append(f"{entry.name}: {cmdline}")
    return found


def leftover_cgroups() -> list[str]:
    """Sandbox cgroups whose grading process has ended (none may be left behind)."""
    found = []
    for base in Path("/sys/fs/cgroup").rglob("neurogebra-*"):
        match = re.fullmatch(r"neurogebra-(\d+)-\d+", base.name)
        if match and base.is_dir() and not Path(f"/proc/{match.group(1)}").exists():
            found.append(str(base))
    return found


def leftover_mounts() -> list[str]:
    """Private tmpfs mounts whose grading process has ended (none may be left behind).

    Their folders are named ``ng-box-<pid of the grader>-...``; a grader that is still running
    (another test's, at the same time) keeps its own.
    """
    text = Path("/proc/self/mounts").read_text()
    found = []
    for line in text.splitlines():
        match = re.search(r"/ng-box-(\d+)-", line)
        if match and not Path(f"/proc/{match.group(1)}").exists():
            found.append(line)
    return found


@dataclass
class Graded(Batch):
    """A graded class (conftest's Batch), with a few more ways to read it."""

    exported: str = ""
    jobs: Path | None = None  # the folder every sandbox of this class was made in

    def survivors(self, *markers: str) -> list[str]:
        """Processes left from this class's sandboxes, or named by one of ``markers``."""
        named = [str(self.jobs)] if self.jobs else []
        return sorted({p for marker in (*named, *markers) for p in processes_with(marker)})

    def scores(self) -> dict[str, dict[str, float]]:
        return self.nbgrader_scores()

    def export(self) -> str:
        """The CSV export (run once per class)."""
        if not self.exported:
            self.exported = tc.grader("export", tc.ASSIGNMENT, course=self.course).stdout
        return self.exported

    def visible_text(self, student: str) -> str:
        """Everything the student can be shown: graded notebook outputs, verdicts, errors."""
        row = self.ledger().get(student, {})
        verdicts = [v["message"] for vs in row.get("verdicts", {}).values() for v in vs]
        return "\n".join([self.autograded_text(student), *row.get("errors", []), *verdicts])


LIMITS = grader_limits(20, 60)  # the red team's caps, with time for a class of honest students


def grade_class(
    tmp: Path,
    released: Path,
    submissions: Callable[[Path, int], dict[str, nbformat.NotebookNode]],
    *,
    workers: int = 2,
) -> Graded:
    """Place the class ``submissions(course, port)`` returns and grade it in one run."""
    course = fresh_course(tmp, released)
    outside, listener = watched(course)
    for student, nb in submissions(course, listener.port).items():
        tc.place_submission(course, student, nb)
    jobs = tmp / "jobs"  # short: the kernels' ipc socket paths must stay under 108 bytes
    jobs.mkdir()
    env = dict(os.environ, NEUROGEBRA_JOB_DIR=str(jobs))
    args = ["--workers", str(workers), *LIMITS]
    return grade_watched(course, outside, listener, args, env, Graded, jobs=jobs)
