"""The Linux system calls the sandbox makes itself, through one handle on the C library.

The grader mounts each submission's private tmpfs (:mod:`.disk`); a kernel forked from the
template builds its namespaces and mounts (:mod:`.confine`) and empties its keyrings
(:mod:`.keyrings`). All of them call the C library here. The handle is the process's own
symbols (``CDLL(None)``), not ``find_library``, which would run ``ldconfig``: this module is
imported by every forked launcher.

Example:
    >>> MS_BIND | MS_REC
    20480
"""

from __future__ import annotations

import ctypes
import os

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2

libc = ctypes.CDLL(None, use_errno=True)


def last_error(what: str) -> OSError:
    """The C library's last error, as an OSError saying ``what`` failed."""
    errno = ctypes.get_errno()
    return OSError(errno, f"{what}: {os.strerror(errno)}")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    """``mount(2)``; OSError when it fails."""
    done = libc.mount(
        source.encode() if source else None,
        target.encode(),
        fstype.encode() if fstype else None,
        ctypes.c_ulong(flags),
        data.encode() if data else None,
    )
    if done != 0:
        raise last_error(f"mount {target}")


def detach(target: str) -> None:
    """Unmount ``target`` lazily (``MNT_DETACH``); whatever the result."""
    libc.umount2(target.encode(), MNT_DETACH)
