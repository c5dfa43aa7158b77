"""Shared by the grading benchmarks: a copy of one course assignment, its sample class, and
the grader's and nbgrader's command lines run on it.

Submissions are made by the demo's sample recipes (``cli/samples.py``): even-numbered students
hand in the instructor's solution ("correct"), odd-numbered ones the first half of it
("partial"), as a student would fill in the released notebook.

Example:
    >>> course = make_course(Path(tempfile.mkdtemp()), "autograd")  # doctest: +SKIP
    >>> release(course, "autograd"); submit(course, "autograd", 4)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def env() -> dict[str, str]:
    """This interpreter's environment, its scripts first on PATH."""
    return dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])


def make_course(where: Path, assignment: str) -> Path:
    """A course folder under ``where`` with the repository's config and one assignment."""
    course = where / "course"
    course.mkdir(parents=True)
    shutil.copy(ROOT / "course" / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "course" / "source" / assignment, course / "source" / assignment)
    return course


def run(cmd: list[str], course: Path, extra_env: dict[str, str] | None = None) -> str:
    """Run a command in ``course``; its output, or SystemExit with its tail if it fails."""
    done = subprocess.run(
        cmd, cwd=course, env=env() | (extra_env or {}), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd[:4])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    return done.stdout


def nbgrader_cmd() -> list[str]:
    return [sys.executable, "-m", "nbgrader"]


def grader_cmd(course: Path) -> list[str]:
    return [sys.executable, "-m", "neurogebra_grader.cli.main", "--course", str(course)]


def release(course: Path, assignment: str, exchange: Path | None = None) -> None:
    """``nbgrader generate_assignment``; with ``exchange``, also the grader's reference run."""
    extra = [f"--Exchange.root={exchange}"] if exchange else []
    run([*nbgrader_cmd(), "generate_assignment", assignment, "--force", *extra], course)
    if exchange is None:
        return
    from neurogebra_grader.pipeline.course import Course
    from neurogebra_grader.pipeline.reference import reference_for
    from neurogebra_grader.sandbox.limits import Limits

    # done once per assignment at release, so left out of every timing
    reference_for(Course.load(course), assignment, assignment, Limits())


def submit(
    course: Path, assignment: str, count: int, kinds: tuple[str, ...] = ("correct", "partial")
) -> list[Path]:
    """``count`` sample submissions, of ``kinds`` in turn; the paths of their notebooks."""
    from neurogebra_grader.cli.samples import make_sample

    source = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", 4)
    released = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", 4)
    out = []
    for k in range(count):
        folder = course / "submitted" / f"student{k:02d}" / assignment
        folder.mkdir(parents=True)
        kind = kinds[k % len(kinds)]
        path = folder / f"{assignment}.ipynb"
        nbformat.write(make_sample(kind, released, source), path)
        out.append(path)
    return out


def caps() -> str:
    """Which of the sandbox's caps this machine gives (cgroup, private tmpfs)."""
    from neurogebra_grader.sandbox import cgroups

    support = cgroups.support()
    cgroup = f"cgroup {support.kind} memory/pids/cpu" if support.kind else support.reason
    tmpfs = "private tmpfs" if os.geteuid() == 0 else "no private tmpfs (not root)"
    from neurogebra_grader.sandbox.warm import template_wanted

    kernels = (
        "kernels forked from the template into their own namespaces"
        if template_wanted(sandbox=True)
        else "bubblewrap"
    )
    return f"{kernels}, {tmpfs}, {cgroup}, message budget, hidden-output cut"


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f}, {five:.1f}, {fifteen:.1f} (1, 5, 15 min)"


def scores(course: Path, assignment: str) -> list[tuple[float, float]]:
    """(score, max score) of every graded submission of ``assignment``, in order."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "neurogebra") as gb:
        return sorted((s.score, s.max_score) for s in gb.assignment_submissions(assignment))
