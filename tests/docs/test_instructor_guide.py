"""The instructor guide's practice run works exactly as written.

Every ```` ```bash title="practice run" ```` block of docs/instructor/index.md, then of
grading.md (a regrade on a local Dask cluster), runs in order
in one bash with `set -euo pipefail`, in a scratch folder that looks like the repository root
(`course/` and `tests/` linked in), with this environment's `neurogebra-grader` and `nbgrader`
first on PATH. Then the outcome is checked: both submissions graded, Alice's partial work
scored above Bob's untouched notebook, feedback fetched without hidden tests, a CSV written.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from codeblocks import fenced_blocks

ROOT = Path(__file__).resolve().parents[2]
# The practice run starts in the guide and continues on the grading page (the Dask cluster).
GUIDE_PAGES = [
    ROOT / "docs" / "instructor" / "index.md",
    ROOT / "docs" / "instructor" / "grading.md",
]


def practice_blocks() -> list[str]:
    blocks = [
        b.code
        for page in GUIDE_PAGES
        for b in fenced_blocks(page.read_text())
        if b.language == "bash" and 'title="practice run"' in b.info
    ]
    assert blocks, "the guide has no practice-run blocks"
    return blocks


def test_practice_run_works_as_written(tmp_path: Path) -> None:
    if shutil.which("bwrap") is None:
        pytest.fail("the grader's sandbox needs bubblewrap: `apt-get install bubblewrap`")
    for name in ("course", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    script = "set -euo pipefail\n" + "\n".join(practice_blocks())
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env["PATH"]
    env["COLUMNS"] = "200"  # rich tables: one row per line
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=900,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]

    assert "alice" in output and "bob" in output
    with open(tmp_path / "practice" / "grades.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"alice", "bob"}, rows
    score = {s: float(rows[s]["score"]) for s in rows}
    assert score["bob"] == 0, rows["bob"]
    assert 0 < score["alice"] < 100, rows["alice"]

    pages = list((tmp_path / "practice" / "alice" / "autograd" / "feedback").rglob("*.html"))
    assert len(pages) == 1, pages
    html = pages[0].read_text()
    assert "BEGIN HIDDEN TESTS" not in html and "Score" in html
