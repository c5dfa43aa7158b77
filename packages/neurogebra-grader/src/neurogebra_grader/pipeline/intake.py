"""Intake, the first pass: take in a submission folder as untrusted files.

Only regular files are taken in. Links (symbolic or hard), devices, FIFOs and sockets are
never opened, so a link to the gradebook, the course source, another student's folder or the
grader's environment is never read. Sizes come from ``lstat`` (a sparse file counts by its
apparent size) and the limits on file count, bytes per file and bytes per submission are
checked before any byte is read. The folder is walked by descriptors (``Folder``): nothing is
opened by a path built from names, so swapping a folder for a link mid-walk gains nothing.
What is left out is flagged with the reason; a submission over the limits is rejected as a
whole, as that student's error only.

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


FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@dataclass(frozen=True)
class Found:
    """A regular file seen in a listing: its name, its lstat, and the open folder it is in."""

    name: str  # relative POSIX name, for the grader
    info: os.stat_result  # from the listing, without following links
    parent: int  # descriptor of the folder it was listed in (open while its Folder is)
    leaf: str  # its name inside that folder


class Folder:
    """An untrusted folder walked by descriptors: no path is ever opened twice.

    Each folder is opened from its parent's descriptor with ``O_NOFOLLOW`` and checked to be
    the very folder the listing showed; each file is opened the same way and checked to be a
    regular file with one link. A student who swaps a folder for a link while it is walked
    (``renameat2(RENAME_EXCHANGE)`` from another process) gets the swapped name left out,
    never the link's target read.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / "data").mkdir()
        >>> _ = (root / "data" / "x.csv").write_text("1,2")
        >>> with Folder(root) as folder:
        ...     found, flags = folder.scan(IntakeLimits())
        ...     [(f.name, folder.read(f)) for f in found], flags
        ([('data/x.csv', b'1,2')], [])
    """

    def __init__(self, path: Path) -> None:
        self._fds: list[int] = []
        try:
            parent = self._keep(os.open(path.parent, FOLDER_FLAGS))
            self.fd = self._keep(os.open(path.name, FOLDER_FLAGS, dir_fd=parent))
        except OSError:
            self.close()
            raise
        self.info = os.fstat(self.fd)  # the folder itself, as opened: who owns it, when

    def _keep(self, fd: int) -> int:
        self._fds.append(fd)
        return fd

    def close(self) -> None:
        """Close every descriptor this walk opened."""
        while self._fds:
            os.close(self._fds.pop())

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def open_folder(self, parent: int, leaf: str, listed: os.stat_result) -> int:
        """Open ``leaf`` in ``parent``, if it is still the folder that was listed there."""
        fd = self._keep(os.open(leaf, FOLDER_FLAGS, dir_fd=parent))
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (listed.st_dev, listed.st_ino):
            raise OSError("it was swapped for another folder while it was being read")
        return fd

    def scan(self, limits: IntakeLimits) -> tuple[list[Found], list[Flag]]:
        """Every regular file in the folder with its lstat result; flags for everything else."""
        found: list[Found] = []
        flags: list[Flag] = []
        stack: list[tuple[str, int, int]] = [("", self.fd, 0)]
        entries_left = limits.files  # files, folders, links and the rest: listing is bounded
        while stack:
            relative, fd, depth = stack.pop()
            try:
                with os.scandir(fd) as listing:
                    entries = sorted(
                        itertools.islice(listing, entries_left + 1), key=lambda e: e.name
                    )
            except OSError as error:
                flags.append(Flag("unreadable", relative or ".", f"could not be listed ({error})"))
                continue
            for entry in entries:
                name = f"{relative}/{entry.name}" if relative else entry.name
                entries_left -= 1
                if entries_left < 0:
                    flags.append(Flag(TOO_MANY, ".", f"more than {limits.files:,} entries"))
                    return sorted(found, key=lambda f: f.name), flags
                if entry.name.startswith(".") or entry.name in IGNORED_NAMES:
                    continue
                if not _printable(name):
                    flags.append(
                        Flag("bad-name", repr(name)[:80], "a file name with control bytes")
                    )
                    continue
                try:
                    info = os.stat(entry.name, dir_fd=fd, follow_symlinks=False)
                except OSError as error:
                    flags.append(Flag("unreadable", name, f"vanished while listed ({error})"))
                    continue
                if stat.S_ISLNK(info.st_mode):
                    flags.append(Flag("link", name, "a symbolic link: links are never followed"))
                elif stat.S_ISDIR(info.st_mode):
                    if depth + 1 > limits.depth:
                        flags.append(Flag("too-deep", name, f"folders nested over {limits.depth}"))
                        continue
                    try:
                        stack.append((name, self.open_folder(fd, entry.name, info), depth + 1))
                    except OSError as error:  # ELOOP: swapped for a link since it was listed
                        flags.append(Flag("unreadable", name, f"not read: {error}"))
                elif not stat.S_ISREG(info.st_mode):
                    flags.append(Flag("special-file", name, "a device, FIFO or socket: not read"))
                elif info.st_nlink > 1:
                    flags.append(Flag("hardlink", name, "a hard link to another file: not read"))
                elif not name.endswith(".pyc"):
                    found.append(Found(name, info, fd, entry.name))
        return sorted(found, key=lambda f: f.name), flags

    def read(self, found: Found) -> bytes:
        """The file's bytes, if it is still the regular file that was listed (no link followed)."""
        return read_at(found.parent, found.leaf, found.info)

    def read_top(self, name: str, limit: int) -> bytes | None:
        """Up to ``limit`` bytes of a regular file at the top of the folder; None if none is."""
        try:
            info = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                return None
            return read_at(self.fd, name, info)[:limit]
        except OSError:
            return None


def read_at(parent: int, leaf: str, expected: os.stat_result) -> bytes:
    """The bytes of ``leaf`` in folder ``parent``, if it is still the regular file expected."""
    fd = os.open(leaf, FILE_FLAGS, dir_fd=parent)
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


def _left_out_at_collect(folder: Folder) -> list[Flag]:
    raw = folder.read_top(LEFT_OUT_NOTE, 100_000)
    if raw is None:
        return []
    try:
        return [
            Flag(str(item["code"]), str(item["cell"]), f"{item['detail']} (noted by collect)")
            for item in json.loads(raw)
        ]
    except (ValueError, TypeError, KeyError):
        return [Flag("unreadable", LEFT_OUT_NOTE, "collect's note could not be read")]


def _check_limits(found: list[Found], limits: IntakeLimits, intake: Intake) -> list[Found]:
    """The files to read; errors and flags for what is over the limits (nothing read yet)."""
    for item in found:
        if item.info.st_size > limits.file_bytes:  # left out; not counted towards the total
            size = item.info.st_size
            intake.flags.append(Flag("too-large", item.name, f"{size:,} bytes: over the limit"))
            intake.errors.append(
                f"{item.name} is {size:,} bytes, more than the limit of "
                f"{limits.file_bytes:,} per file: it was left out"
            )
    found = [item for item in found if item.info.st_size <= limits.file_bytes]
    total = sum(item.info.st_size for item in found)
    if len(found) > limits.files or any(f.code == TOO_MANY for f in intake.flags):
        intake.errors.append(
            f"the submission holds more files, folders or links than the limit of "
            f"{limits.files:,}: nothing was graded; submit the notebook and its data only"
        )
        return []
    if total > limits.submission_bytes:
        intake.errors.append(
            f"the submission holds {total:,} bytes, more than the limit of "
            f"{limits.submission_bytes:,}: nothing was graded; leave large files out"
        )
        return []
    return found


def _take_in_open(folder: Folder, limits: IntakeLimits, intake: Intake) -> None:
    rejected = folder.read_top(REJECTED_NOTE, 2000)
    if rejected is not None:
        intake.errors.append(rejected.decode(errors="replace"))
        stamp = folder.read_top("timestamp.txt", 200)
        if stamp is not None:
            intake.files["timestamp.txt"] = stamp
    else:
        found, intake.flags = folder.scan(limits)
        for item in _check_limits(found, limits, intake):
            try:
                intake.files[item.name] = folder.read(item)
            except OSError as error:
                intake.flags.append(Flag("unreadable", item.name, f"not read: {error}"))
    intake.flags += _left_out_at_collect(folder)


def take_in(folder: Path, limits: IntakeLimits | None = None) -> Intake:
    """Read ``folder`` as untrusted files (see the module docstring)."""
    limits = limits or IntakeLimits()
    intake = Intake()
    try:
        opened = Folder(folder)
    except OSError:
        if not os.path.lexists(folder):
            raise
        if not stat.S_ISDIR(os.lstat(folder.parent).st_mode):
            # submitted/<student> itself a link (to another student's folder, say): never followed
            intake.errors.append(
                "the student's folder is not a folder (a link or a file): nothing read"
            )
            intake.flags.append(Flag("link", "..", "the student's folder itself is a link"))
        else:
            intake.errors.append("the submission is not a folder (a link or a file): nothing read")
            intake.flags.append(Flag("link", ".", "the submission folder itself is a link"))
    else:
        with opened:
            _take_in_open(opened, limits, intake)
    intake.timestamp = _timestamp(intake.files.get("timestamp.txt"), intake.flags)
    intake.digest = _digest(intake.files, intake.flags, intake.errors)
    return intake
