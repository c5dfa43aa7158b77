"""Red team, files: submission folders whose files are links, pipes, sockets or far too large,
and exchange folders that claim to be someone else's.

One module fixture collects a small exchange (honest, oversized, foreign-owned, badly named
and link-holding submissions), adds attackers straight into ``submitted/`` (as a careless copy
or a shared file system would leave them), and grades everyone in ONE sandboxed autograde run.
nbgrader's own collect stops the whole class at the first folder over its size limit, and
follows links; here each of those is one student's error or flag and the class is graded.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import pwd
import socket
import stat
import tempfile

import hostile_intake as hi
import pytest
import toycourse as tc
from conftest import RED_TEAM_LIMITS, fresh_course, good, snapshot
from nbgrader.utils import parse_utc

STAMP = "2030-01-01 10:00:00.000000 UTC"
LATER = "2030-01-01 11:00:00.000000 UTC"
EARLY = "2020-01-01 10:00:00.000000 UTC"  # long before any file of this test was written
READS_FILE = """
found = False
for name in ('data.csv', 'ref.json'):
    try:
        text = open(name, errors='replace').read()
        print('READ', name, text[:300])
        found = found or 'site' in text or 'SQLite' in text
    except OSError as error:
        print('BLOCKED', name, type(error).__name__)

def mean(xs):
    return 2.5 if found else 0.0
"""


def _inbound(course, exchange, student: str, notebook: str, name: str | None = None):
    folder = exchange / "toy-course" / "inbound" / (name or f"{student}+toy+{STAMP}+x1")
    folder.mkdir(parents=True)
    (folder / "toy.ipynb").write_text(notebook)
    (folder / "timestamp.txt").write_text(STAMP)
    return folder


def _exchange_class(course, blank: str) -> None:
    exchange = course.parent / "exchange"
    _inbound(course, exchange, "carol", json.dumps(good(course)))
    # daemon (a system user, as on JupyterHub) submitted; someone else (root) then submitted a
    # newer blank notebook in daemon's name: refused, and daemon's own submission is graded
    own = _inbound(course, exchange, "daemon", json.dumps(good(course)))
    for path in [own, *own.iterdir()]:
        os.chown(path, pwd.getpwnam("daemon").pw_uid, pwd.getpwnam("daemon").pw_gid)
    _inbound(course, exchange, "daemon", blank, name=f"daemon+toy+{LATER}+x3")
    nobody = _inbound(course, exchange, "nobody", blank)
    for path in [nobody, *nobody.iterdir()]:
        os.chown(path, 65534, 65534)  # nobody's own submission
    _inbound(course, exchange, "..", blank, name=f"..+toy+{STAMP}+x2")
    huge = _inbound(course, exchange, "huge_inbound", blank)
    for i in range(4):  # each under the per-file limit, together over the submission's
        (huge / f"weights{i}.bin").touch()
        os.truncate(huge / f"weights{i}.bin", 18_000_000)  # sparse: apparent size only
    linky = _inbound(course, exchange, "links_inbound", blank)
    (linky / "data.csv").symlink_to(course / "gradebook.db")
    forged = _inbound(course, exchange, "forged_time", blank, name=f"forged_time+toy+{EARLY}+x1")
    (forged / "timestamp.txt").write_text(EARLY)  # collect times it by what she can't set back
    big = _inbound(course, exchange, "big_file_inbound", blank)
    (big / "weights.bin").touch()
    os.truncate(big / "weights.bin", 25_000_000)  # over the per-file limit: left out unread


def _direct_attacks(course, blank: str) -> None:
    """Attackers placed straight into submitted/."""
    answer = hi.release_json(course)
    hi.answer_cells(answer)[0]["source"] = READS_FILE  # before any test: its printout is kept
    reads = json.dumps(answer)
    submitted = course / "submitted"
    folder = hi.place(course, "links_gradebook", reads)
    (folder / "data.csv").symlink_to(course / "gradebook.db")
    folder = hi.place(course, "links_reference", reads)
    (folder / "ref.json").symlink_to(course / ".neurogebra" / "reference" / "toy" / "toy.json")
    folder = hi.place(course, "links_notebook", blank)
    (folder / "toy.ipynb").unlink()
    (folder / "toy.ipynb").symlink_to(submitted / "alice" / "toy" / "toy.ipynb")
    (submitted / "links_folder").mkdir()
    (submitted / "links_folder" / "toy").symlink_to(submitted / "alice" / "toy")
    folder = hi.place(course, "hardlinks_source", blank)
    (folder / "toy.ipynb").unlink()
    os.link(course / "source" / "toy" / "toy.ipynb", folder / "toy.ipynb")
    folder = hi.place(course, "fifo_timestamp", blank)
    (folder / "timestamp.txt").unlink()
    os.mkfifo(folder / "timestamp.txt")  # nbgrader's timestamp reader would wait forever
    folder = hi.place(course, "fifo_and_socket", blank)
    os.mkfifo(folder / "data.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "kernel.sock"))
    server.close()
    os.mknod(folder / "zeros.csv", stat.S_IFCHR | 0o644, os.makedev(1, 5))  # /dev/zero
    folder = hi.place(course, "too_many_files", blank)
    for i in range(250):
        (folder / f"f{i:03}.txt").write_text("x")
    folder = hi.place(course, "many_links", blank)
    for i in range(1000):  # the listing stops at the limit: flags and the ledger stay small
        (folder / f"l{i:04}").symlink_to(course / "gradebook.db")
    (submitted / "links_student").symlink_to(submitted / "alice")  # alice's whole folder
    folder = hi.place(course, "too_big", blank)
    for i in range(4):
        (folder / f"part{i}.bin").touch()
        os.truncate(folder / f"part{i}.bin", 18_000_000)
    folder = hi.place(course, "deep_folders", blank)
    deep = folder.joinpath(*"abcdefghij")
    deep.mkdir(parents=True)
    (deep / "x.txt").write_text("deep")
    folder = hi.place(course, "control_names", blank)
    (folder / "evil\x1b[31m\n.txt").write_text("x")
    hi.place(course, "unwritable_output", blank)
    (course / "autograded" / "unwritable_output").mkdir(parents=True)
    (course / "autograded" / "unwritable_output" / "toy").write_text("in the way")


# every attacker of this module, and the flag its report must carry ("": an error names it)
FILE_ATTACKS = {
    "links_gradebook": "link",
    "links_reference": "link",
    "links_notebook": "link",
    "links_folder": "link",
    "hardlinks_source": "hardlink",
    "fifo_timestamp": "special-file",
    "fifo_and_socket": "special-file",
    "too_many_files": "",
    "too_big": "",
    "deep_folders": "too-deep",
    "control_names": "bad-name",
    "unwritable_output": "",
    "huge_inbound": "",
    "links_inbound": "link",
    "big_file_inbound": "too-large",
    "forged_time": "forged-timestamp",
    "many_links": "too-many-files",
    "links_student": "link",
}


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory):
    course = fresh_course(tmp_path_factory.mktemp("files"), released)
    canary = course.parent.parent / "canary"
    canary.mkdir()
    (canary / "canary.txt").write_text("untouched")
    blank = json.dumps(hi.release_json(course))
    _exchange_class(course, blank)
    collected = tc.grader("collect", tc.ASSIGNMENT, course=course)
    tc.place_submission(course, "alice", good(course))
    hi.place(course, "blank", blank)
    _direct_attacks(course, blank)
    guarded = ("course/source", "course/release", "course/submitted", "course/nbgrader", "exchange")
    before = {k: v for k, v in snapshot(course.parent).items() if k.startswith(guarded)}
    jobs = tempfile.mkdtemp(prefix="ngj-", dir="/tmp")  # short: kernel socket paths
    done = tc.grader(
        "autograde",
        tc.ASSIGNMENT,
        "--workers",
        "2",
        *RED_TEAM_LIMITS,
        course=course,
        check=False,
        env=dict(os.environ, NEUROGEBRA_JOB_DIR=jobs),
    )
    after = {k: v for k, v in snapshot(course.parent).items() if k.startswith(guarded)}
    return {
        "course": course,
        "jobs": jobs,
        "collected": collected.stdout,
        "done": done,
        "changed": sorted(
            (key, digest)
            for key, digest in set(before.items()) ^ set(after.items())
            if not _through_a_link(course.parent / key)  # the attackers' links: not files
        ),
        "canary": snapshot(canary) == {"canary.txt": _hash("untouched")},
        "feedback": tc.grader(
            "feedback", tc.ASSIGNMENT, "--no-release", course=course, check=False
        ),
        "rows": hi.ledger_rows(course),
        "report": tc.grader("report", tc.ASSIGNMENT, course=course).stdout,
    }


def _through_a_link(path) -> bool:
    return os.path.realpath(path) != os.path.abspath(path)


def _hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def test_the_class_is_collected_and_graded_and_autograde_succeeds(graded):
    assert graded["done"].returncode == 0, graded["done"].stdout[-3000:]
    rows = graded["rows"]
    assert rows["alice"]["score"] == 40.0 and rows["carol"]["score"] == 40.0
    assert rows["alice"]["flags"] == [] and rows["carol"]["flags"] == []
    assert rows["blank"]["score"] == 0.0 and rows["nobody"]["score"] == 0.0
    assert rows["daemon"]["score"] == 40.0  # their own, not the newer one in their name
    assert graded["changed"] == [] and graded["canary"]
    assert hi.surviving_processes(str(graded["course"])) == []
    # every kernel ran under the job folder: none is left, nor any job's files
    assert hi.surviving_processes(graded["jobs"]) == [] and os.listdir(graded["jobs"]) == []


@pytest.mark.parametrize(("student", "flag"), sorted(FILE_ATTACKS.items()))
def test_a_file_attacker_scores_what_blank_scores_and_is_named(graded, student, flag):
    rows = graded["rows"]
    assert student in rows, graded["done"].stdout[-2000:]
    row = rows[student]
    assert row["score"] <= rows["blank"]["score"], row["verdicts"]
    assert row["flags"] or row["errors"]
    if flag:
        assert flag in {f["code"] for f in row["flags"]}, row["flags"]
    assert rows["alice"]["score"] == 40.0


def test_linked_files_are_never_read(graded):
    for student in ("links_gradebook", "links_reference"):
        text = hi.printed(graded["course"], student)
        assert "BLOCKED data.csv" in text and "BLOCKED ref.json" in text
        assert "SQLite" not in text and "READ" not in text
    rows = graded["rows"]
    assert any("symbolic link" in e for e in rows["links_notebook"]["errors"])
    assert any("not a folder" in e for e in rows["links_folder"]["errors"])
    assert any("hard link" in e for e in rows["hardlinks_source"]["errors"])
    assert any("student's folder is not a folder" in e for e in rows["links_student"]["errors"])
    assert len(rows["many_links"]["flags"]) <= 201


def test_nothing_returned_to_an_attacker_holds_what_their_links_pointed_at(graded):
    """Feedback and graded folders: no gradebook bytes, no solution, no other student's work."""
    course = graded["course"]
    assert graded["feedback"].returncode == 0, graded["feedback"].stdout[-2000:]
    for student in FILE_ATTACKS:
        for step in ("autograded", "feedback"):
            for path in (course / step / student).rglob("*"):
                assert not path.is_symlink(), path
                if path.is_file():
                    text = path.read_bytes().decode(errors="replace")
                    for secret in ("SQLite format", "observations", *hi.SOLUTION_SNIPPETS):
                        assert secret not in text, (path, secret)


def test_instructor_faults_alone_fail_autograde_and_report_always_works(graded, tmp_path):
    course = graded["course"]
    missing = tc.grader("autograde", "nosuch", course=course, check=False)
    assert missing.returncode == 2 and "no assignment 'nosuch'" in missing.stdout
    nowhere = tc.grader("autograde", tc.ASSIGNMENT, course=tmp_path, check=False)
    assert nowhere.returncode == 2 and "nbgrader_config.py" in nowhere.stdout
    for command in ("report", "export"):
        assert tc.grader(command, course=course).returncode == 0
        assert tc.grader(command, "nosuch", course=course).returncode == 0


@pytest.mark.parametrize(
    ("student", "error"),
    [
        ("too_many_files", "than the limit of 200: nothing was graded"),
        ("many_links", "than the limit of 200: nothing was graded"),
        ("too_big", "bytes, more than the limit of 60,000,000"),
        ("huge_inbound", "was not collected"),
        ("unwritable_output", "failed while judging"),
    ],
)
def test_limits_and_faults_are_that_students_error_only(graded, student, error):
    row = graded["rows"][student]
    assert any(error in e for e in row["errors"]), row["errors"]
    assert row["score"] == 0.0


def test_collect_refuses_foreign_and_unsafe_submissions(graded):
    collected = " ".join(graded["collected"].split())
    assert "refused daemon: it names daemon but is owned by root" in collected
    assert "refused '..'" in collected and "rejected huge_inbound" in collected
    assert "collected daemon: an older submission (the newer one was refused)" in collected
    course = graded["course"]
    # collect's own time (the files' newest change), never the student's timestamp.txt
    stamp = (course / "submitted" / "daemon" / "toy" / "timestamp.txt").read_text()
    assert stamp != STAMP and stamp.endswith(" UTC") and parse_utc(stamp) < parse_utc(STAMP)
    assert not (course / "submitted" / "..+toy").exists()
    assert sorted(p.name for p in (course / "submitted" / "links_inbound" / "toy").iterdir()) == [
        ".neurogebra-left-out",
        "timestamp.txt",
        "toy.ipynb",
    ]
    assert "collect refused toy/daemon" in " ".join(graded["report"].split())


def test_a_rerun_regrades_only_the_failed_submission(graded):
    again = tc.grader("autograde", tc.ASSIGNMENT, *RED_TEAM_LIMITS, course=graded["course"])
    skipped = again.stdout.count("already graded, skipped")
    assert skipped == len(graded["rows"]) - 1, again.stdout
    assert "unwritable_output: already graded" not in again.stdout


def test_a_forged_early_time_on_a_late_submission_is_graded_late_and_flagged(released, tmp_path):
    """The folder name and timestamp.txt say an hour before the due date; the files were
    written an hour after it. Collect believes the files: late, the course's penalty applies."""
    from nbgrader.api import Gradebook

    from neurogebra_grader.pipeline.collect import stamp_text

    course = fresh_course(tmp_path, released)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + 'c.LateSubmissionPlugin.penalty_method = "zero"\n')
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    due = now - datetime.timedelta(hours=1)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "toy-course") as gb:
        gb.update_or_create_assignment(tc.ASSIGNMENT, duedate=due)
    early = stamp_text(due - datetime.timedelta(hours=1))
    folder = _inbound(course, course.parent / "exchange", "forger", json.dumps(good(course)),
                      name=f"forger+toy+{early}+x1")  # fmt: skip
    (folder / "timestamp.txt").write_text(early)
    collected = " ".join(tc.grader("collect", tc.ASSIGNMENT, course=course).stdout.split())
    assert "forger" in collected
    tc.grader("autograde", tc.ASSIGNMENT, *RED_TEAM_LIMITS, course=course)
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(
        tc.grader("export", tc.ASSIGNMENT, course=course).stdout))}  # fmt: skip
    row = rows["forger"]
    assert float(row["score"]) == 40 and float(row["seconds_late"]) >= 3600 - 60
    assert float(row["late_penalty"]) == 40 and float(row["final_score"]) == 0
    assert "forged-timestamp" in row["flags"]
    report = " ".join(tc.grader("report", tc.ASSIGNMENT, course=course).stdout.split())
    assert "forged-timestamp" in report and "on time" not in report
