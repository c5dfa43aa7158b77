"""Collect and intake against a student who changes her folder while it is read, and who
lies about when she submitted.

The swap is the red team's: ``renameat2(RENAME_EXCHANGE)`` atomically trades a real folder
``sub`` for a link ``alt`` to the grader's reference cache, over and over, while collect walks
the folder. Nothing behind the link may ever be collected. Her submission time is what she
cannot set back (the files' change time), never her own ``timestamp.txt`` or folder name.
"""

from __future__ import annotations

import ctypes
import datetime
import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest

from neurogebra_grader.pipeline.collect import collect_one, stamp_text
from neurogebra_grader.pipeline.course import Course
from neurogebra_grader.pipeline.intake import (
    LEFT_OUT_NOTE,
    Folder,
    IntakeLimits,
    take_in,
)

SECRET = "expected = 42  # hidden test's value"
AT_FDCWD, RENAME_EXCHANGE = -100, 2
LIBC = ctypes.CDLL(None, use_errno=True)
if not hasattr(LIBC, "renameat2"):  # glibc before 2.28
    pytest.skip("no renameat2 in this C library", allow_module_level=True)


def exchange(a: Path, b: Path) -> None:
    """Swap ``a`` and ``b`` atomically, as a student's process can in her own folder."""
    if LIBC.renameat2(AT_FDCWD, bytes(a), AT_FDCWD, bytes(b), RENAME_EXCHANGE) != 0:
        raise OSError(ctypes.get_errno(), "renameat2 failed")


def _swapper(a: str, b: str) -> None:  # the attacker's process: swaps until it is killed
    while True:
        LIBC.renameat2(AT_FDCWD, a.encode(), AT_FDCWD, b.encode(), RENAME_EXCHANGE)


def _target(root: Path) -> Path:
    target = root / "course" / ".neurogebra" / "reference" / "hw"
    target.mkdir(parents=True)
    (target / "hw.json").write_text(SECRET)
    return target


def _box(root: Path, name: str, target: Path) -> Path:
    """A student's folder: a notebook, a real folder ``sub`` and a link ``alt`` to ``target``."""
    box = root / name
    (box / "sub").mkdir(parents=True)
    (box / "hw.ipynb").write_text("{}")
    (box / "sub" / "decoy.txt").write_text("mine")
    (box / "alt").symlink_to(target)
    return box


def _course(root: Path) -> Course:
    course = root / "course"
    course.mkdir(exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        f'c = get_config()\nc.CourseDirectory.root = "{course}"\n'
        f'c.CourseDirectory.course_id = "c"\nc.Exchange.root = "{root / "exchange"}"\n'
    )
    return Course.load(course)


class SwapBeforeOpening(Folder):
    """A walk during which the student swaps ``sub`` for her link just after it was listed."""

    def open_folder(self, parent: int, leaf: str, listed: os.stat_result) -> int:
        if leaf == "sub":
            exchange(self.box / "sub", self.box / "alt")
        return super().open_folder(parent, leaf, listed)

    box = Path()


def test_a_folder_swapped_for_a_link_after_listing_is_not_followed(tmp_path):
    box = _box(tmp_path, "box", _target(tmp_path))
    SwapBeforeOpening.box = box
    with SwapBeforeOpening(box) as folder:
        found, flags = folder.scan(IntakeLimits())
        read = {f.name: folder.read(f) for f in found}
    assert read == {"hw.ipynb": b"{}"}
    assert [(f.code, f.cell) for f in flags] == [("link", "alt"), ("unreadable", "sub")]
    assert (box / "sub").is_symlink()  # the swap did happen


def test_a_swap_between_listing_and_reading_reads_the_listed_files_or_nothing(tmp_path):
    box = _box(tmp_path, "box", _target(tmp_path))
    (box / "top.txt").write_text("mine")
    (box / "other").symlink_to(_target(tmp_path.parent / f"{tmp_path.name}-2") / "hw.json")
    with Folder(box) as folder:
        found, _ = folder.scan(IntakeLimits())
        exchange(box / "sub", box / "alt")  # the listed folder now goes by "alt"
        exchange(box / "top.txt", box / "other")  # the listed file is now a link
        read = {}
        for item in found:
            try:
                read[item.name] = folder.read(item)
            except OSError:
                read[item.name] = None
    assert read == {"hw.ipynb": b"{}", "sub/decoy.txt": b"mine", "top.txt": None}


def test_collect_never_takes_what_a_racing_swap_points_at(tmp_path):
    course = _course(tmp_path)
    target = _target(tmp_path)
    (tmp_path / "exchange").mkdir()
    fork = multiprocessing.get_context("fork")
    deadline = time.monotonic() + 20  # bounds the run, not a timed assert
    attempts = 0
    while attempts < 200 and time.monotonic() < deadline:
        box = _box(tmp_path / "exchange", f"mallory+hw+{attempts}", target)
        attacker = fork.Process(target=_swapper, args=(str(box / "sub"), str(box / "alt")))
        attacker.start()
        try:
            collect_one(course, "hw", "mallory", box, None, IntakeLimits())
        finally:
            attacker.kill()
            attacker.join()
        dest = course.path("submitted", "mallory", "hw")
        for path in dest.rglob("*"):
            assert not path.is_symlink(), path
            if path.is_file():
                assert SECRET not in path.read_text(errors="replace"), path
        names = {p.name for p in dest.rglob("*") if p.is_file()}
        assert names <= {"hw.ipynb", "decoy.txt", "timestamp.txt", LEFT_OUT_NOTE}, names
        (dest / "timestamp.txt").unlink()  # so the next attempt is collected again
        attempts += 1
    assert attempts >= 10


def test_a_forged_early_time_is_not_believed_and_is_flagged(tmp_path):
    from nbgrader.utils import parse_utc

    course = _course(tmp_path)
    box = tmp_path / "exchange" / "mallory+hw+2020-01-01 09:00:00.000000 UTC+x1"
    box.mkdir(parents=True)
    (box / "hw.ipynb").write_text("{}")
    (box / "timestamp.txt").write_text("2020-01-01 09:00:00.000000 UTC")
    os.utime(box / "hw.ipynb", (0, 0))  # mtime can be set back; ctime cannot
    claimed = parse_utc("2020-01-01 09:00:00 UTC")
    done = collect_one(course, "hw", "mallory", box, claimed, IntakeLimits())
    assert done.status == "collected" and done.detail.startswith("flagged: ")
    assert "timestamp.txt says 2020-01-01 09:00:00.000000 UTC" in done.detail
    assert "folder name says 2020-01-01 09:00:00.000000 UTC" in done.detail
    dest = course.path("submitted", "mallory", "hw")
    taken = take_in(dest)
    real = taken.timestamp
    assert real is not None and real.year >= 2026
    assert taken.files["timestamp.txt"] == stamp_text(real).encode()
    codes = [(f.code, f.cell) for f in taken.flags]
    assert codes == [("forged-timestamp", "timestamp.txt"), ("forged-timestamp", "folder name")]
    notes = json.loads((dest / LEFT_OUT_NOTE).read_text())
    assert [n["code"] for n in notes] == ["forged-timestamp", "forged-timestamp"]
    again = collect_one(course, "hw", "mallory", box, claimed, IntakeLimits())
    assert again.status == "unchanged"


def test_an_honest_time_is_not_flagged(tmp_path):
    course = _course(tmp_path)
    box = tmp_path / "exchange" / "alice+hw+x+x1"
    box.mkdir(parents=True)
    (box / "hw.ipynb").write_text("{}")
    with Folder(box) as folder:
        now = folder.info.st_ctime
    stamp = stamp_text(datetime.datetime.fromtimestamp(now, datetime.UTC).replace(tzinfo=None))
    (box / "timestamp.txt").write_text(stamp)
    done = collect_one(course, "hw", "alice", box, None, IntakeLimits())
    assert done.status == "collected" and done.detail == ""
    assert take_in(course.path("submitted", "alice", "hw")).flags == []
