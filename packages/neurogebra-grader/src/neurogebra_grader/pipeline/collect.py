"""Collect submissions from nbgrader's exchange, one student at a time, as untrusted files.

nbgrader's own collect follows links, stops the whole class at the first folder that is too
large ("Directory size is too big") and only warns when a folder's owner is not the student
it names. This collect reads the same exchange layout (``inbound/<student>+<assignment>+
<timestamp>+<random>``) and, per student, takes the newest submission that may be collected:

- only regular files are copied (intake.py's rules: no links, devices, FIFOs or sockets;
  a file over the per-file limit is left out unread and named);
- a submission over the limits becomes that student's error (its folder holds only a note
  saying why, which autograde records) and the rest of the class is collected;
- the folder is walked by descriptors (intake.py's ``Folder``): a folder or file swapped for
  a link while collect runs is left out and flagged, never followed, and the copy is written
  the same way;
- the submission time is the newest change time (``ctime``) of the folder and its files,
  which a student cannot set back; collect writes ``timestamp.txt`` itself and flags
  (``forged-timestamp``) a student's ``timestamp.txt`` or folder name that claims earlier;
- where the student has a system user (JupyterHub), every file must be owned by that user
  (``system_user`` maps a student id to that user's name: ``"{student}"`` for JupyterHub's
  local users, ``"jupyter-{student}"`` for The Littlest JupyterHub);
  a submission owned by someone else is not collected over the student's own (their newest
  own submission is taken instead), and is named in the collect report
  (``.neurogebra/collect-<assignment>.json``, shown by ``report``).

Example:
    >>> outcomes = collect(Course.load("course"), "autograd")  # doctest: +SKIP
    >>> [(o.student, o.status) for o in outcomes]  # doctest: +SKIP
    [('alice', 'collected'), ('mallory', 'rejected')]
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import pwd
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nbgrader.utils import parse_utc

from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.intake import (
    FOLDER_FLAGS,
    LEFT_OUT_NOTE,
    REJECTED_NOTE,
    TOO_MANY,
    Folder,
    Found,
    IntakeLimits,
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


def owner_problem(
    folder: Folder, student: str, files: list[Found], system_user: str = "{student}"
) -> str:
    """Why ``folder`` is not ``student``'s own ("" when it is, or no such system user exists).

    ``system_user`` names the student's system user, e.g. ``"jupyter-{student}"``.
    """
    try:
        uid = pwd.getpwnam(system_user.format(student=student)).pw_uid
    except KeyError:
        return ""
    owners = {folder.info.st_uid} | {f.info.st_uid for f in files}
    if owners != {uid}:
        names = []
        for owner in sorted(owners - {uid}):
            try:
                names.append(pwd.getpwuid(owner).pw_name)
            except KeyError:
                names.append(f"uid {owner}")
        return f"it names {student} but is owned by {', '.join(names)}"
    return ""


# A student's own claim of when she submitted may lag the files' change time by this much
# (clocks, copying) before it is flagged as set back.
CLAIM_SLACK = datetime.timedelta(minutes=1)


def stamp_text(when: datetime.datetime) -> str:
    """``when`` (naive UTC) in nbgrader's timestamp.txt format."""
    return when.strftime("%Y-%m-%d %H:%M:%S.%f") + " UTC"


def submission_time(folder: Folder, files: list[Found]) -> datetime.datetime:
    """When the submission was last changed (naive UTC): the newest ctime of the folder and
    its files, without following links. Nobody but root can set a ctime back, so a student
    can make her submission later this way but never earlier.

    Example:
        >>> import tempfile
        >>> with Folder(Path(tempfile.mkdtemp())) as folder:
        ...     when = submission_time(folder, [])
        >>> abs(when - datetime.datetime.now(datetime.UTC).replace(tzinfo=None)).seconds < 60
        True
    """
    newest = max([folder.info.st_ctime, *(f.info.st_ctime for f in files)])
    aware = datetime.datetime.fromtimestamp(newest, datetime.UTC)
    return aware.replace(tzinfo=None)


def _claimed(folder: Folder, files: list[Found]) -> Any:
    """The time in the student's own timestamp.txt, if it is one (None otherwise)."""
    for item in files:
        if item.name == "timestamp.txt" and item.info.st_size <= 200:
            try:
                text = folder.read(item).decode("utf-8", errors="replace").strip()
                return parse_utc(text[:64])
            except Exception:  # any text at all can be written into timestamp.txt
                return None
    return None


def claim_flags(real: datetime.datetime, claims: dict[str, Any]) -> list[Flag]:
    """Flags for every claimed time (by where it was written) earlier than ``real``.

    Example:
        >>> real = datetime.datetime(2030, 1, 2, 12, 0)
        >>> [f.cell for f in claim_flags(real, {"timestamp.txt": datetime.datetime(2030, 1, 1),
        ...                                     "folder name": real})]
        ['timestamp.txt']
    """
    return [
        Flag(
            "forged-timestamp",
            where,
            f"says {stamp_text(claim)}, but the files were last changed at {stamp_text(real)}:"
            " graded as submitted then",
        )
        for where, claim in claims.items()
        if isinstance(claim, datetime.datetime)
        and claim.tzinfo is None
        and claim < real - CLAIM_SLACK
    ]


def _existing_stamp(dest: Path) -> Any:
    try:
        with Folder(dest) as folder:
            raw = folder.read_top("timestamp.txt", 200)
        return parse_utc((raw or b"").decode("utf-8", errors="replace").strip()[:64])
    except Exception:
        return None


def _subfolder(parent: int, leaf: str, opened: list[int]) -> int:
    """Descriptor of folder ``leaf`` in ``parent``, made if missing; never through a link."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(leaf, 0o755, dir_fd=parent)
    fd = os.open(leaf, FOLDER_FLAGS, dir_fd=parent)
    opened.append(fd)
    return fd


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative POSIX names) into the new ``folder`` by descriptors: every
    folder is opened with ``O_NOFOLLOW`` and every file created with ``O_EXCL``, so no link
    on the way is ever followed.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> write_files(root, {"a/b.txt": b"hi"})
        >>> (root / "a" / "b.txt").read_bytes()
        b'hi'
    """
    opened = [os.open(folder, FOLDER_FLAGS)]
    try:
        folders = {"": opened[0]}
        for name in sorted(files):
            *parts, leaf = name.split("/")
            at = ""
            for part in parts:
                below = f"{at}/{part}" if at else part
                if below not in folders:
                    folders[below] = _subfolder(folders[at], part, opened)
                at = below
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(leaf, flags, 0o644, dir_fd=folders[at])
            try:
                view = memoryview(files[name])
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
    finally:
        for fd in opened:
            os.close(fd)


def _replace(dest: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a new folder beside ``dest``, then swap it in."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=".collect-", dir=dest.parent))
    try:
        write_files(build, files)
        if os.path.lexists(dest):
            shutil.rmtree(dest) if not dest.is_symlink() else dest.unlink()
        build.rename(dest)
    finally:
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)


def collect_one(
    course: Course,
    assignment: str,
    student: str,
    source: Path,
    when: Any,
    limits: IntakeLimits,
    system_user: str = "{student}",
) -> Collected:
    """Collect one inbound folder (see the module docstring); ``when`` is the time its name
    claims, which is only checked, never believed."""
    if not safe_student_name(student):
        return Collected(repr(student)[:60], "refused", "not a usable student id")
    try:
        folder = Folder(source)
    except OSError:
        return Collected(student, "refused", "the inbound entry is not a folder")
    with folder:
        return _collect_open(course, assignment, student, folder, when, limits, system_user)


def _collect_open(
    course: Course,
    assignment: str,
    student: str,
    source: Folder,
    when: Any,
    limits: IntakeLimits,
    system_user: str,
) -> Collected:
    dest = course.path("submitted", student, assignment)
    files, flags = source.scan(limits)
    problem = owner_problem(source, student, files, system_user)
    if problem:
        return Collected(student, "refused", problem + ": not collected")
    real = submission_time(source, files)
    previous = _existing_stamp(dest)
    if previous is not None and real <= previous:
        return Collected(student, "unchanged", "no newer submission")
    flags += claim_flags(real, {"timestamp.txt": _claimed(source, files), "folder name": when})
    files = [f for f in files if f.name != "timestamp.txt"]  # collect writes its own
    for item in files:
        if item.info.st_size > limits.file_bytes:  # left out unread, as intake would
            size = item.info.st_size
            flags.append(Flag("too-large", item.name, f"{size:,} bytes: over the per-file limit"))
    files = [item for item in files if item.info.st_size <= limits.file_bytes]
    total = sum(item.info.st_size for item in files)
    stamp = stamp_text(real).encode()
    too_many = len(files) > limits.files or any(f.code == TOO_MANY for f in flags)
    if too_many or total > limits.submission_bytes:
        count = f"more than {limits.files:,}" if too_many else f"{len(files):,}"
        reason = (
            f"the submission was not collected: {count} files and {total:,} bytes, over "
            f"the limits of {limits.files:,} files and {limits.submission_bytes:,} bytes"
        )
        _replace(dest, {"timestamp.txt": stamp, REJECTED_NOTE: reason.encode()})
        return Collected(student, "rejected", reason)
    copies = {"timestamp.txt": stamp}
    for item in files:
        try:
            copies[item.name] = source.read(item)
        except OSError as error:  # swapped for a link or another file since it was listed
            flags.append(Flag("unreadable", item.name, f"not read: {error}"))
    if flags:
        copies[LEFT_OUT_NOTE] = json.dumps([f.as_dict() for f in flags]).encode()
    _replace(dest, copies)
    forged = "; ".join(f"{f.cell} {f.detail}" for f in flags if f.code == "forged-timestamp")
    left_out = "; ".join(f"{f.cell}: {f.detail}" for f in flags if f.code != "forged-timestamp")
    detail = [f"flagged: {forged}" if forged else "", f"left out {left_out}" if left_out else ""]
    return Collected(student, "collected", "; ".join(filter(None, detail)))


def _older(detail: str) -> str:
    return "; ".join(filter(None, ["an older submission (the newer one was refused)", detail]))


def collect(
    course: Course,
    assignment: str,
    limits: IntakeLimits | None = None,
    system_user: str = "{student}",
) -> list[Collected]:
    """Collect every student's newest submission of ``assignment``; one outcome per student.

    ``system_user`` is the name of a student's system user (see the module docstring).
    """
    if "{student}" not in system_user:
        raise ValueError(f"system_user {system_user!r} must contain {{student}}")
    inbound = _inbound(course)
    if not inbound.is_dir():
        raise CourseError(f"no exchange inbound folder at {inbound}: check Exchange.root")
    limits = limits or IntakeLimits()
    outcomes = []
    for student, candidates in sorted(_candidates(inbound, assignment).items()):
        # newest first; one refused (someone else's, say) never hides the student's own
        for n, (when, source) in enumerate(candidates):
            try:
                outcome = collect_one(
                    course, assignment, student, source, when, limits, system_user
                )
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
