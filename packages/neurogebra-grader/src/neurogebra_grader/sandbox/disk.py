"""Everything a sandbox can write, in one private tmpfs with a size and an inode cap.

The submission's working copy (``w/``), the sandbox's ``/tmp`` (``t/``) and its ``/dev/shm``
(``s/``) are folders of one tmpfs mounted for this submission only, with ``size=`` and
``nr_inodes=``: a disk fill, an inode bomb or a ``/dev/shm`` fill hits that cap (ENOSPC) and
costs RAM only up to it. The grader mounts it on the host side, so the kernel's ipc sockets
in ``w/`` stay reachable; that needs ``CAP_SYS_ADMIN`` (root). Without it the copy lives on
the ordinary disk (capped per file only) and ``/tmp`` and ``/dev/shm`` become bubblewrap
tmpfs mounts capped in bytes (``--size``) but not in inodes; :attr:`PrivateDisk.enforced`
says which.

Example:
    >>> import tempfile
    >>> with private_disk(Path(tempfile.mkdtemp()), Limits(disk_mb=8)) as disk:
    ...     disk.workdir.name
    'w'
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from neurogebra_grader.sandbox.libc import MS_NODEV, MS_NOSUID, detach, mount
from neurogebra_grader.sandbox.limits import Limits


class DiskFull(RuntimeError):
    """The submission's own files do not fit in its disk cap; the message says what to raise."""


@dataclass
class PrivateDisk:
    """The writable area of one sandbox (see the module docstring)."""

    root: Path
    enforced: bool
    reason: str = ""

    @property
    def workdir(self) -> Path:
        return self.root / "w"

    @property
    def tmp(self) -> Path:
        return self.root / "t"

    @property
    def shm(self) -> Path:
        return self.root / "s"


def _mount_tmpfs(target: Path, limits: Limits) -> str:
    """Mount a capped tmpfs on ``target``; "" on success, else why it could not be."""
    if os.geteuid() != 0:
        return "the grader does not run as root, so it cannot mount a private tmpfs"
    options = f"size={limits.disk_bytes},nr_inodes={limits.inodes},mode=0755"
    try:
        mount("tmpfs", str(target), "tmpfs", MS_NOSUID | MS_NODEV, options)
    except OSError as problem:
        return f"mounting a tmpfs failed: {os.strerror(problem.errno or 0)}"
    return ""


def _unmount(target: Path) -> None:
    detach(str(target))


_STALE = re.compile(r"ng-box-(\d+)-[^/]*$")


def sweep_stale() -> list[str]:
    """Unmount and remove private disks whose grading process is gone; their paths.

    A grader killed mid-run (the batch can be killed and rerun at any point) cannot unmount
    its sandboxes' tmpfs; the next run on the machine does.
    """
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return []
    swept = []
    for line in lines:
        fields = line.split()
        if len(fields) < 3 or fields[2] != "tmpfs":
            continue
        target = fields[1].encode().decode("unicode_escape")  # spaces are written as \040
        match = _STALE.search(target)
        if match and not Path(f"/proc/{match.group(1)}").exists():
            _unmount(Path(target))
            shutil.rmtree(target, ignore_errors=True)
            swept.append(target)
    return swept


@contextlib.contextmanager
def private_disk(workdir: Path, limits: Limits) -> Iterator[PrivateDisk]:
    """A private writable area holding a copy of ``workdir``; unmounted and removed on exit."""
    # the grader's pid in the name: a grader killed mid-run leaves its mount, and the next
    # run sweeps the mounts of graders that are gone (see sweep_stale)
    root = Path(tempfile.mkdtemp(prefix=f"ng-box-{os.getpid()}-", dir=workdir.parent))
    os.chmod(root, 0o755)
    reason = _mount_tmpfs(root, limits)
    disk = PrivateDisk(root, enforced=not reason, reason=reason)
    try:
        try:
            shutil.copytree(workdir, disk.workdir, symlinks=True)
            for folder in (disk.tmp, disk.shm):
                folder.mkdir()
                os.chmod(folder, 0o1777)
        except OSError as error:
            raise DiskFull(
                f"the submission's files do not fit in the sandbox's disk ({limits.disk_mb} MB, "
                f"{limits.inodes:,} files): {error.strerror}; raise the limits disk_mb or inodes"
            ) from None
        yield disk
    finally:
        if disk.enforced:
            _unmount(root)
        shutil.rmtree(root, ignore_errors=True)
