"""The instructor guide works when followed literally, on a fresh copy, in a fresh venv.

Every ```` ```bash title="practice run" ```` block of docs/instructor/index.md, then of
grading.md (a regrade on a local Dask cluster), then of service.md (the submission service:
enrol, serve, submit, the instructor's CSV), then service.md's "practice run, PostgreSQL and
Dask" block (the service on a throwaway PostgreSQL server on 127.0.0.1, whose URL the test puts
in `$GRADEBOOK_URL`, grading on a local Dask cluster) runs verbatim, in order, in one bash with
`set -euo pipefail`, in an empty temporary folder. The guide's first block clones the
repository from `$NEUROGEBRA_REPO`: here a git repository made from this checkout's files
(committed or not, as a download would hold them). The guide's own lines make the virtual
environment and install into it; nothing of the environment running this test is inherited
(its venv is taken off PATH). Then the outcome is checked: both submissions graded, Alice's
partial work scored above Bob's untouched notebook, feedback fetched without hidden tests and
with KaTeX inside, a CSV written; the service graded Carol's upload with the same score as
Alice's, showed her feedback without hidden tests and listed it in the instructor's CSV; the
PostgreSQL gradebook holds Dave's graded submission. Last, the guide's clean-up block runs, and
the checkout must hold no stray file.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from codeblocks import fenced_blocks

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "service"))  # the service tests' PostgreSQL server
from postgres_server import running_postgres  # noqa: E402

# The practice run starts in the guide, continues on the grading page (the Dask cluster) and
# on the service's page (standalone, then PostgreSQL and Dask).
GUIDE_PAGES = [
    ROOT / "docs" / "instructor" / "index.md",
    ROOT / "docs" / "instructor" / "grading.md",
    ROOT / "docs" / "instructor" / "service.md",
]
PRACTICE = 'title="practice run"'
ON_POSTGRES = 'title="practice run, PostgreSQL and Dask"'
CLEAN_UP = 'title="practice run, cleaning up"'


def guide_blocks(title: str) -> list[str]:
    blocks = [
        b.code
        for page in GUIDE_PAGES
        for b in fenced_blocks(page.read_text())
        if b.language == "bash" and title in b.info
    ]
    assert blocks, f"the guide has no blocks with {title}"
    return blocks


def repository_copy(destination: Path) -> Path:
    """A git repository holding this checkout's files as they are now (what a clone or a
    download of this version would give)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@localhost", "-C", str(destination)]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run([*git, *command], check=True)
    return destination


def outside_environment() -> dict[str, str]:
    """This process's environment without its virtualenv: the guide makes its own."""
    # nox points uv at its own venv through UV_PYTHON and UV_PROJECT_ENVIRONMENT
    inherited = ("VIRTUAL_ENV", "PYTHON", "UV_PYTHON", "UV_PROJECT_ENVIRONMENT", "CONDA")
    env = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    venv_bin = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != venv_bin)
    env["COLUMNS"] = "200"  # rich tables: one row per line
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run_bash(script: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    return output


def hidden_test_lines(notebook: Path) -> list[str]:
    """The distinctive lines of a source notebook's hidden tests (none may reach a student)."""
    cells = json.loads(notebook.read_text())["cells"]
    blocks = re.findall(
        r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
        "\n".join("".join(cell["source"]) for cell in cells),
        re.S,
    )
    lines = {line.strip() for block in blocks for line in block.splitlines()}
    return sorted(line for line in lines if len(line) > 40 and not line.startswith("#"))


def postgres_submissions(checkout: Path, url: str) -> list[tuple]:
    """(student, state, score) of every service submission in the gradebook at ``url``, read
    with the checkout's venv (which the guide gave the PostgreSQL driver)."""
    query = (
        "import sys, sqlalchemy as sa\n"
        "from neurogebra_grader.service.store import submissions as s\n"
        "engine = sa.create_engine(sys.argv[1])\n"
        "with engine.connect() as db:\n"
        "    for row in db.execute(sa.select(s.c.student, s.c.state, s.c.score)):\n"
        "        print(*row, sep='\\t')\n"
    )
    python = checkout / ".venv" / "bin" / "python"
    done = subprocess.run(
        [python, "-c", query, url], capture_output=True, text=True, check=True
    ).stdout  # fmt: skip
    return [
        (n, state, float(score))
        for n, state, score in (r.split("\t") for r in done.split("\n") if r)
    ]


def test_the_guide_works_as_written_in_a_fresh_venv(tmp_path: Path) -> None:
    if shutil.which("bwrap") is None:
        pytest.fail("the grader's sandbox needs bubblewrap: `apt-get install bubblewrap`")
    upstream = repository_copy(tmp_path / "upstream")
    work = tmp_path / "work"
    work.mkdir()
    env = outside_environment()
    env["NEUROGEBRA_REPO"] = str(upstream)
    with running_postgres() as postgres:
        # as a user writes it; the grader picks the psycopg driver itself
        env["GRADEBOOK_URL"] = postgres.url("postgres").replace("+psycopg", "")
        script = "\n".join(guide_blocks(PRACTICE) + guide_blocks(ON_POSTGRES))
        output = run_bash(script, work, env)
        on_postgres = postgres_submissions(work / "neurogebra", postgres.url("postgres"))

    checkout = work / "neurogebra"
    venv_python = checkout / ".venv" / "bin" / "python"
    assert venv_python.exists(), "the guide's venv was not made in the checkout"
    installed = subprocess.run(
        [venv_python, "-c", "import neurogebra_grader as g, matplotlib; print(g.__file__)"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert installed.startswith(str(checkout)), f"the grader came from elsewhere: {installed}"
    practice = checkout / "practice"
    assert "alice" in output and "bob" in output
    with open(practice / "grades.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"alice", "bob"}, rows
    score = {s: float(rows[s]["score"]) for s in rows}
    assert score["bob"] == 0, rows["bob"]
    assert 0 < score["alice"] < 100, rows["alice"]
    assert float(rows["alice"]["seconds_late"]) == 0, "the due date is years away"

    pages = list((practice / "alice" / "autograd" / "feedback").rglob("*.html"))
    assert len(pages) == 1, pages
    page = pages[0].read_text()
    assert "BEGIN HIDDEN TESTS" not in page and "Score" in page
    # The math travels inside the page (KaTeX from the guide's `npm ci`): nothing from a CDN.
    assert "renderMathInElement" in page and "mathjax" not in page.lower()

    # The service, standalone: Carol's upload of Alice's partial notebook scores as Alice's did.
    assert "accepted as submission 1" in output and "graded" in output
    assert f"score: {score['alice']:g} / 100" in output, output[-3000:]
    feedback = (practice / "carol" / "feedback.html").read_text()
    assert "Score" in feedback and "BEGIN HIDDEN TESTS" not in feedback
    shown = html.unescape(re.sub(r"<[^>]+>", "", feedback))  # highlighted code, rejoined
    hidden = hidden_test_lines(ROOT / "course" / "source" / "autograd" / "autograd.ipynb")
    assert hidden and not [line for line in hidden if line in shown]
    with open(practice / "submissions.csv", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["student"], row["assignment"], row["state"]) == ("carol", "autograd", "graded")
    assert float(row["score"]) == score["alice"] and row["late"] == "False", row
    # On PostgreSQL, graded through the Dask worker: the same score, in that database.
    assert on_postgres == [("dave", "graded", score["alice"])], on_postgres

    # The clean-up block leaves the checkout as cloned: no stray gradebook, no scratch files.
    status = run_bash("\n".join(guide_blocks(CLEAN_UP)), checkout, env)
    assert status.strip() == "", f"stray files after the practice run:\n{status}"
    assert sorted(p.name for p in work.iterdir()) == ["neurogebra"], "files outside the checkout"
    ignored = subprocess.run(
        ["git", "status", "--short", "--ignored"], cwd=checkout, capture_output=True, text=True
    ).stdout.split("\n")
    stray = [
        line
        for line in ignored
        if line and not line.endswith((".venv/", "node_modules/", "__pycache__/"))
    ]
    assert not stray, f"ignored but stray files after the practice run: {stray}"
