"""Intake, the first pass: take in a submission folder as untrusted files.

Only regular files are taken in. Links (symbolic or hard), devices, FIFOs and sockets are
never opened, so a link to the gradebook, the course source, another student's folder or the
grader's environment is never read. Sizes come from ``lstat`` (a sparse file counts by its
apparent size) and the limits on file count, bytes per file and bytes per submission are
checked before any byte is read. What is left out is flagged with the reason; a submission
over the limits is rejected as a whole, as that student's error only.

The digest covers exactly what was taken in (names and contents) and what was left out, so a
rerun of an unchanged submission has the same digest and is not graded again.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "hw.ipynb").write_text("{}")
    >>> (folder / "gradebook.db").symlink_to("/etc/hostname")
    >>> taken = take_in(folder)
    >>> sorted(taken.files), [f.code for f in taken.flags]
    (['hw.ipynb'], ['link'])
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from neurogebra_grader.pipeline.tamper import Flag

# Folders and files that Jupyter and Python leave behind; never part of an answer.
IGNORED_NAMES = frozenset({"__pycache__", "feedback"})
# Files the exchange writes next to the notebooks: kept for nbgrader, never given to a kernel.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")
# Written by collect (collect.py): in place of a submission over the limits, the reason; next
# to a collected one, what was left out (links, special files). Students can't write either:
# collect never copies names that start with a dot.
REJECTED_NOTE = ".neurogebra-rejected"
LEFT_OUT_NOTE = ".neurogebra-left-out"
# The flag code of a folder with more entries than the file limit (listing stopped there).
TOO_MANY = "too-many-files"


@dataclass(frozen=True)
class IntakeLimits:
    """How much of a submission folder is read: files, bytes per file and in all, depth."""

    files: int = 200
    file_bytes: int = 20_000_000
    submission_bytes: int = 60_000_000
    depth: int = 6


@dataclass
class Intake:
    """What one submission folder holds, as far as grading goes."""

    files: dict[str, bytes] = field(default_factory=dict)  # by relative POSIX name
    flags: list[Flag] = field(default_factory=list)  # what was left out, and why
    errors: list[str] = field(default_factory=list)  # for the student's row
    digest: str = ""
    timestamp: datetime.datetime | None = None

    def job_files(self) -> dict[str, bytes]:
        """The files a kernel may see: everything but notebooks and the exchange's own files."""
        return {
            name: content
            for name, content in self.files.items()
            if not name.endswith(".ipynb") and name not in EXCHANGE_FILES
        }


def _printable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 come back as surrogates
        return False
    return not any(ord(ch) < 32 or ord(ch) == 127 for ch in name)


def scan(folder: Path, limits: IntakeLimits) -> tuple[list[tuple[str, os.stat_result]], list[Flag]]:
    """Every regular file under ``folder`` with its lstat result; flags for everything else."""
    found: list[tuple[str, os.stat_result]] = []
    flags: list[Flag] = []
    stack: list[tuple[str, int]] = [("", 0)]
    entries_left = limits.files  # files, folders, links and the rest: the listing is bounded too
    while stack:
        relative, depth = stack.pop()
        try:
            with os.scandir(folder / relative if relative else folder) as listing:
                entries = sorted(itertools.islice(listing, entries_left + 1), key=lambda e: e.name)
        except OSError as error:
            flags.append(Flag("unreadable", relative or ".", f"could not be listed ({error})"))
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            entries_left -= 1
            if entries_left < 0:
                flags.append(Flag(TOO_MANY, ".", f"more than {limits.files:,} entries"))
                return sorted(found), flags
            if entry.name.startswith(".") or entry.name in IGNORED_NAMES:
                continue
            if not _printable(name):
                flags.append(Flag("bad-name", repr(name)[:80], "a file name with control bytes"))
                continue
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                flags.append(Flag("link", name, "a symbolic link: links are never followed"))
            elif stat.S_ISDIR(info.st_mode):
                if depth + 1 > limits.depth:
                    flags.append(Flag("too-deep", name, f"folders nested over {limits.depth}"))
                else:
                    stack.append((name, depth + 1))
            elif not stat.S_ISREG(info.st_mode):
                flags.append(Flag("special-file", name, "a device, FIFO or socket: not read"))
            elif info.st_nlink > 1:
                flags.append(Flag("hardlink", name, "a hard link to another file: not read"))
            elif not name.endswith(".pyc"):
                found.append((name, info))
    return sorted(found), flags


def read_regular(path: Path, expected: os.stat_result) -> bytes:
    """The file's bytes, if it is still the regular file that was scanned (no link followed)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        now = os.fstat(fd)
        same = (now.st_ino, now.st_dev) == (expected.st_ino, expected.st_dev)
        if not stat.S_ISREG(now.st_mode) or not same or now.st_nlink > 1:
            raise OSError("it changed while it was being read")
        chunks, left = [], expected.st_size + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > expected.st_size:
            raise OSError("it grew while it was being read")
        return data
    finally:
        os.close(fd)


def _digest(files: dict[str, bytes], flags: list[Flag], errors: list[str]) -> str:
    digest = hashlib.sha256(b"neurogebra-intake-1\0")
    for error in errors:
        digest.update(error.encode() + b"\0")
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    for flag in flags:
        digest.update(f"\0{flag.code}\0{flag.cell}\0{flag.detail}".encode())
    return digest.hexdigest()


def _timestamp(raw: bytes | None, flags: list[Flag]) -> datetime.datetime | None:
    if raw is None:
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(raw.decode("utf-8", errors="replace").strip()[:64])
    except Exception:  # any text at all can be written into timestamp.txt
        flags.append(Flag("bad-timestamp", "timestamp.txt", "not a date: lateness unknown"))
        return None


def _left_out_at_collect(folder: Path) -> list[Flag]:
    note = folder / LEFT_OUT_NOTE
    if not os.path.isfile(note) or os.path.islink(note):
        return []
    try:
        items = json.loads(read_regular(note, os.lstat(note))[:100_000])
        return [
            Flag(str(item["code"]), str(item["cell"]), f"{item['detail']} (left out by collect)")
            for item in items
        ]
    except (OSError, ValueError, TypeError, KeyError):
        return [Flag("unreadable", LEFT_OUT_NOTE, "collect's note could not be read")]


def take_in(folder: Path, limits: IntakeLimits | None = None) -> Intake:
    """Read ``folder`` as untrusted files (see the module docstring)."""
    limits = limits or IntakeLimits()
    intake = Intake()
    info = os.lstat(folder)
    if not stat.S_ISDIR(os.lstat(folder.parent).st_mode):
        # submitted/<student> itself a link (to another student's folder, say): never followed
        intake.errors.append(
            "the student's folder is not a folder (a link or a file): nothing read"
        )
        intake.flags.append(Flag("link", "..", "the student's folder itself is a link"))
    elif not stat.S_ISDIR(info.st_mode):
        intake.errors.append("the submission is not a folder (a link or a file): nothing read")
        intake.flags.append(Flag("link", ".", "the submission folder itself is a link"))
    elif os.path.isfile(folder / REJECTED_NOTE) and not os.path.islink(folder / REJECTED_NOTE):
        note = folder / REJECTED_NOTE
        intake.errors.append(read_regular(note, os.lstat(note))[:2000].decode(errors="replace"))
        stamp = folder / "timestamp.txt"
        if stat.S_ISREG(os.lstat(stamp).st_mode if os.path.lexists(stamp) else 0):
            intake.files["timestamp.txt"] = read_regular(stamp, os.lstat(stamp))[:200]
    else:
        found, intake.flags = scan(folder, limits)
        for name, st in found:
            if st.st_size > limits.file_bytes:  # left out; it does not count towards the total
                intake.flags.append(
                    Flag("too-large", name, f"{st.st_size:,} bytes: over the per-file limit")
                )
                intake.errors.append(
                    f"{name} is {st.st_size:,} bytes, more than the limit of "
                    f"{limits.file_bytes:,} per file: it was left out"
                )
        found = [(name, st) for name, st in found if st.st_size <= limits.file_bytes]
        total = sum(st.st_size for _, st in found)
        if len(found) > limits.files or any(f.code == TOO_MANY for f in intake.flags):
            intake.errors.append(
                f"the submission holds more files, folders or links than the limit of "
                f"{limits.files:,}: nothing was graded; submit the notebook and its data only"
            )
        elif total > limits.submission_bytes:
            intake.errors.append(
                f"the submission holds {total:,} bytes, more than the limit of "
                f"{limits.submission_bytes:,}: nothing was graded; leave large files out"
            )
        else:
            for name, st in found:
                try:
                    intake.files[name] = read_regular(folder / name, st)
                except OSError as error:
                    intake.flags.append(Flag("unreadable", name, f"not read: {error}"))
    intake.flags += _left_out_at_collect(folder)
    intake.timestamp = _timestamp(intake.files.get("timestamp.txt"), intake.flags)
    intake.digest = _digest(intake.files, intake.flags, intake.errors)
    return intake
