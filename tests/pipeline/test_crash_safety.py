"""Kill autograde mid-batch, run it again: every submission graded exactly once."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

import toycourse as tc
from classroom import leftover_cgroups, leftover_mounts
from conftest import fresh_course, partial

SLOW_GOOD_MEAN = "import time\ntime.sleep(1.5)\ndef mean(xs):\n    return sum(xs) / len(xs)\n"


def ledger(course) -> dict[str, tuple[str, float]]:
    db = sqlite3.connect(course / "gradebook.db")
    try:
        rows = db.execute("SELECT student, graded_at, score FROM neurogebra_grading").fetchall()
    except sqlite3.OperationalError:  # the table does not exist yet
        rows = []
    db.close()
    return {student: (graded_at, score) for student, graded_at, score in rows}


def test_kill_and_rerun_grades_each_submission_exactly_once(released, tmp_path):
    course = fresh_course(tmp_path, released)
    expected = {}
    for k in range(6):
        student = f"s{k}"
        if k % 2:
            tc.place_submission(course, student, partial(course))
            expected[student] = 30.0
        else:

            def edit(by_id, nb):
                tc.solution_answers(by_id, nb)
                by_id["mean"].source = SLOW_GOOD_MEAN

            tc.place_submission(course, student, tc.submission_from_release(course, edit))
            expected[student] = 40.0
    cmd = [
        sys.executable,
        "-m",
        "neurogebra_grader.cli.main",
        "--course",
        str(course),
        "autograde",
        "toy",
        "--workers",
        "1",
    ]
    first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while len(ledger(course)) < 2 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.1)
    first.send_signal(signal.SIGKILL)
    first.wait()
    before = ledger(course)
    assert 2 <= len(before) < 6, f"the kill should land mid-batch, not {len(before)} of 6"

    second = subprocess.run(cmd, capture_output=True, text=True)
    assert second.returncode == 0, second.stdout + second.stderr
    # the killed run's sandbox disks and cgroups were swept by the rerun
    assert leftover_mounts() == [] and leftover_cgroups() == []
    after = ledger(course)
    # nothing lost: every submission has its grade; nothing doubled: one row each, and the
    # ones graded before the kill were not graded again
    assert {s: score for s, (_, score) in after.items()} == expected
    for student, row in before.items():
        assert after[student] == row
        assert f"{student}: already graded, skipped" in second.stdout
    assert second.stdout.count("already graded, skipped") == len(before)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "toy-course") as gb:
        submissions = gb.assignment_submissions("toy")
        assert sorted(s.student_id for s in submissions) == sorted(expected)
        assert {s.student_id: s.score for s in submissions} == expected
