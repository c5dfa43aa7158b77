"""Collect submissions from nbgrader's exchange, one student at a time, as untrusted files.

nbgrader's own collect follows links, stops the whole class at the first folder that is too
large ("Directory size is too big") and only warns when a folder's owner is not the student
it names. This collect reads the same exchange layout (``inbound/<student>+<assignment>+
<timestamp>+<random>``) and, per student, takes the newest submission that may be collected:

- only regular files are copied (intake.py's rules: no links, devices, FIFOs or sockets;
  a file over the per-file limit is left out unread and named);
- a submission over the limits becomes that student's error (its folder holds only a note
  saying why, which autograde records) and the rest of the class is collected;
- where the student has a system user (JupyterHub), every file must be owned by that user;
  a submission owned by someone else is not collected over the student's own (their newest
  own submission is taken instead), and is named in the collect report
  (``.neurogebra/collect-<assignment>.json``, shown by ``report``).

Example:
    >>> outcomes = collect(Course.load("course"), "autograd")  # doctest: +SKIP
    >>> [(o.student, o.status) for o in outcomes]  # doctest: +SKIP
    [('alice', 'collected'), ('mallory', 'rejected')]
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nbgrader.utils import parse_utc

from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.intake import (
    LEFT_OUT_NOTE,
    REJECTED_NOTE,
    TOO_MANY,
    IntakeLimits,
    read_regular,
    scan,
)
from neurogebra_grader.pipeline.tamper import Flag


@dataclass(frozen=True)
class Collected:
    """What collect did with one student's submission, and why."""

    student: str
    status: str  # collected, unchanged, rejected, refused
    detail: str = ""


def safe_student_name(name: str) -> bool:
    """A student id usable as a folder name: no path tricks, no control characters."""
    return (
        0 < len(name) <= 100
        and name not in (".", "..")
        and not name.startswith(".")
        and "/" not in name
        and not any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
    )


def _inbound(course: Course) -> Path:
    root = course.config.get("Exchange", {}).get("root", "/srv/nbgrader/exchange")
    return Path(root) / course.course_id / "inbound"


def _candidates(inbound: Path, assignment: str) -> dict[str, list[tuple[Any, Path]]]:
    """Every inbound folder of ``assignment`` by the student it names, newest first."""
    found: dict[str, list[tuple[Any, Path]]] = {}
    for entry in os.scandir(inbound):
        parts = entry.name.rsplit("+", 3)
        if len(parts) < 3 or parts[1] != assignment:
            continue
        try:
            when = parse_utc(parts[2])
        except Exception:  # any name can be written into the inbound folder
            continue
        found.setdefault(parts[0], []).append((when, Path(entry.path)))
    return {student: sorted(c, key=lambda wc: wc[0], reverse=True) for student, c in found.items()}


def owner_problem(folder: Path, student: str, files: list[tuple[str, os.stat_result]]) -> str:
    """Why ``folder`` is not ``student``'s own ("" when it is, or no such system user exists)."""
    try:
        uid = pwd.getpwnam(student).pw_uid
    except KeyError:
        return ""
    owners = {os.lstat(folder).st_uid} | {st.st_uid for _, st in files}
    if owners != {uid}:
        names = []
        for owner in sorted(owners - {uid}):
            try:
                names.append(pwd.getpwuid(owner).pw_name)
            except KeyError:
                names.append(f"uid {owner}")
        return f"it names {student} but is owned by {', '.join(names)}"
    return ""


def _existing_stamp(folder: Path) -> Any:
    try:
        raw = read_regular(folder / "timestamp.txt", os.lstat(folder / "timestamp.txt"))
        return parse_utc(raw.decode("utf-8", errors="replace").strip()[:64])
    except Exception:
        return None


def _replace(dest: Path, fill: Any) -> None:
    """Build the new folder beside ``dest`` with ``fill(folder)``, then swap it in."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=".collect-", dir=dest.parent))
    try:
        fill(build)
        if os.path.lexists(dest):
            shutil.rmtree(dest) if not dest.is_symlink() else dest.unlink()
        build.rename(dest)
    finally:
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)


def collect_one(
    course: Course, assignment: str, student: str, source: Path, when: Any, limits: IntakeLimits
) -> Collected:
    """Collect one inbound folder (see the module docstring)."""
    if not safe_student_name(student):
        return Collected(repr(student)[:60], "refused", "not a usable student id")
    dest = course.path("submitted", student, assignment)
    if not stat.S_ISDIR(os.lstat(source).st_mode):
        return Collected(student, "refused", "the inbound entry is not a folder")
    files, flags = scan(source, limits)
    problem = owner_problem(source, student, files)
    if problem:
        return Collected(student, "refused", problem + ": not collected")
    previous = _existing_stamp(dest)
    if previous is not None and when <= previous:
        return Collected(student, "unchanged", "no newer submission")
    for name, st in files:
        if st.st_size > limits.file_bytes:  # left out unread, as intake would
            flags.append(Flag("too-large", name, f"{st.st_size:,} bytes: over the per-file limit"))
    files = [(name, st) for name, st in files if st.st_size <= limits.file_bytes]
    total = sum(st.st_size for _, st in files)
    stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f %Z").strip()
    too_many = len(files) > limits.files or any(f.code == TOO_MANY for f in flags)
    if too_many or total > limits.submission_bytes:
        count = f"more than {limits.files:,}" if too_many else f"{len(files):,}"
        reason = (
            f"the submission was not collected: {count} files and {total:,} bytes, over "
            f"the limits of {limits.files:,} files and {limits.submission_bytes:,} bytes"
        )

        def note(folder: Path) -> None:
            (folder / "timestamp.txt").write_text(stamp)
            (folder / REJECTED_NOTE).write_text(reason)

        _replace(dest, note)
        return Collected(student, "rejected", reason)

    def copy(folder: Path) -> None:
        for name, st in files:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(read_regular(source / name, st))
        if flags:
            (folder / LEFT_OUT_NOTE).write_text(json.dumps([f.as_dict() for f in flags]))

    _replace(dest, copy)
    left_out = "; ".join(f"{f.cell}: {f.detail}" for f in flags)
    return Collected(student, "collected", f"left out {left_out}" if left_out else "")


def _older(detail: str) -> str:
    return "; ".join(filter(None, ["an older submission (the newer one was refused)", detail]))


def collect(course: Course, assignment: str, limits: IntakeLimits | None = None) -> list[Collected]:
    """Collect every student's newest submission of ``assignment``; one outcome per student."""
    inbound = _inbound(course)
    if not inbound.is_dir():
        raise CourseError(f"no exchange inbound folder at {inbound}: check Exchange.root")
    limits = limits or IntakeLimits()
    outcomes = []
    for student, candidates in sorted(_candidates(inbound, assignment).items()):
        # newest first; one refused (someone else's, say) never hides the student's own
        for n, (when, source) in enumerate(candidates):
            try:
                outcome = collect_one(course, assignment, student, source, when, limits)
            except Exception as error:  # one unreadable folder is that student's problem only
                outcome = Collected(student, "refused", f"could not be collected: {error!r}")
            if n and outcome.status == "collected":
                outcome = Collected(student, "collected", _older(outcome.detail))
            outcomes.append(outcome)
            if outcome.status != "refused" or not safe_student_name(student):
                break
    report = course.state_dir() / f"collect-{assignment}.json"
    report.write_text(json.dumps([asdict(o) for o in outcomes], indent=1))
    return outcomes


def collect_report(course: Course, assignment: str) -> list[Collected]:
    """The outcomes of the last collect of ``assignment`` (empty if never collected here)."""
    path = course.state_dir() / f"collect-{assignment}.json"
    if not path.exists():
        return []
    return [Collected(**item) for item in json.loads(path.read_text())]
