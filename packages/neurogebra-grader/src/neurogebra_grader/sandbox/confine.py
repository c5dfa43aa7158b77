"""Confine the calling process to a :class:`~.view.SandboxView`, as bubblewrap would.

The pre-warmed template (:mod:`.template`) forks a child per submission; the child calls
:func:`enter_namespaces` (new mount, PID, network, IPC and UTS namespaces; it returns in the
PID namespace's first process). That process builds the view (:func:`build_view`, steps 1-3
below), forks the kernel's process, drops to an unprivileged user and reaps, as bubblewrap's
init does; the kernel's process drops every privilege (:func:`become_sandbox_user`, steps
4-5), in the order bubblewrap and ``setpriv`` use:

1. join the submission's cgroups, then a cgroup namespace of its own;
2. a fresh root: a tmpfs holding read-only binds of the system and Python folders, a fresh
   ``/proc`` of the new PID namespace, a minimal ``/dev``, the private ``/tmp`` and
   ``/dev/shm``, and the submission's folder (the only writable place); the old root is
   detached, not hidden;
3. host name ``sandbox``, a new session (no terminal to inject into);
4. the caps of :class:`~.limits.Limits` as ``RLIMIT_*`` (as ``prlimit`` sets them);
5. no groups, the sandbox's own user and group id, an empty capability bounding set,
   no ambient or inheritable capabilities, ``no_new_privs`` (as ``setpriv`` does); then a
   session keyring of its own and empty user keyrings (which bubblewrap leaves shared).

It needs root (the grader runs as root wherever it makes cgroups and private disks); any
step that fails raises :class:`ConfinementError`, and the child never runs student code.

Example:
    >>> "CLONE_NEWPID" in globals() and callable(build_view)
    True
"""

from __future__ import annotations

import ctypes
import os
import re
import resource
import signal
import socket
import struct
from pathlib import Path

from neurogebra_grader.sandbox.keyrings import forget_keyrings
from neurogebra_grader.sandbox.libc import (
    MNT_DETACH,
    MS_BIND,
    MS_NODEV,
    MS_NOEXEC,
    MS_NOSUID,
    MS_PRIVATE,
    MS_RDONLY,
    MS_REC,
    MS_REMOUNT,
    last_error,
    libc,
    mount,
)
from neurogebra_grader.sandbox.view import SYMLINKS, SandboxView

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
SYS_PIVOT_ROOT = 155  # x86_64
SYS_CAPSET = 126  # x86_64
LINUX_CAPABILITY_VERSION_3 = 0x20080522

PROC_READ_ONLY = ("sys", "sysrq-trigger", "irq", "bus")
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
_libc = libc


class ConfinementError(RuntimeError):
    """A step of the confinement failed: the child must not run student code."""


def _check(result: int, what: str) -> None:
    if result != 0:
        raise ConfinementError(last_error(what).strerror)


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    try:
        mount(source, target, fstype, flags, data)
    except OSError as problem:
        raise ConfinementError(problem.strerror) from None


def _prctl(option: int, arg: int, arg3: int = 0) -> None:
    _check(_libc.prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(arg3), 0, 0), f"prctl {option}")


def enter_namespaces() -> int:
    """Unshare every namespace but the user's and fork: 0 in the new PID namespace's first
    process, else that process's host pid (in the caller, which stays in the old PID
    namespace). Both are in the new mount, network, IPC and UTS namespaces."""
    flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    _check(_libc.unshare(flags), "unshare")
    return os.fork()


MOUNTINFO = ("/proc/self/mountinfo", "/newroot/proc/self/mountinfo")
_KEPT_FLAGS = {"ro": MS_RDONLY, "nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC}


def _unescape(field: str) -> str:
    r"""A path of ``/proc/self/mountinfo`` (spaces and the like are octal: ``a\040b``)."""
    # no codec here: while the view is built, the standard library is out of reach
    return re.sub(r"\\([0-7]{3})", lambda code: chr(int(code.group(1), 8)), field)


def _mounts_at_or_under(target: str) -> list[tuple[str, int]]:
    """The mounts at ``target`` or below it, outermost first, with the flags each keeps."""
    # while the view is built the root is a scratch one, its /proc the new one under /newroot
    mountinfo = next((p for p in MOUNTINFO if os.path.exists(p)), None)
    if mountinfo is None:
        raise ConfinementError(f"no mount table to remount what is below {target}")
    found = []
    for line in Path(mountinfo).read_text().splitlines():
        fields = line.split()
        point = _unescape(fields[4])
        if point == target or point.startswith(target.rstrip("/") + "/"):
            kept = sum(_KEPT_FLAGS.get(option, 0) for option in fields[5].split(","))
            found.append((point, kept))
    return sorted(found, key=lambda mount: len(mount[0]))


def _bind(source: str, target: str, *, writable: bool, extra: int = 0) -> None:
    """Bind ``source`` with what is mounted below it; every one of those mounts is remounted
    nosuid, nodev and (unless ``writable``) read-only, as bubblewrap's ``--ro-bind`` does: a
    mount left as it was below a read-only folder would be writable from the sandbox."""
    _mount(source, target, None, MS_BIND | MS_REC)
    flags = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | (0 if writable else MS_RDONLY) | extra
    for point, kept in _mounts_at_or_under(target):
        _mount(None, point, None, flags | kept)


def _make_point(old: str, new: str) -> None:
    """Create ``new`` (parents 0755) as a folder or an empty file, like ``old``."""
    Path(new).parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    if os.path.isdir(old):
        os.makedirs(new, mode=0o755, exist_ok=True)
    elif not os.path.exists(new):
        Path(new).touch(mode=0o644)


def _build_dev(root: str) -> None:
    dev = f"{root}/dev"
    os.makedirs(dev, mode=0o755, exist_ok=True)
    _mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k")
    for name in DEVICES:  # each its own mount (nosuid, as bubblewrap's --dev binds them)
        Path(f"{dev}/{name}").touch(mode=0o666)
        _mount(f"/oldroot/dev/{name}", f"{dev}/{name}", None, MS_BIND)
        _mount(None, f"{dev}/{name}", None, MS_BIND | MS_REMOUNT | MS_NOSUID)
    os.mkdir(f"{dev}/pts", 0o755)
    try:  # a private pseudo-terminal instance (bubblewrap mounts one too)
        options = "newinstance,ptmxmode=0666,mode=620"
        _mount("devpts", f"{dev}/pts", "devpts", MS_NOSUID | MS_NOEXEC, options)
        os.symlink("pts/ptmx", f"{dev}/ptmx")
    except ConfinementError:
        pass
    os.mkdir(f"{dev}/shm", 0o755)
    for link, target in (
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
        ("core", "/proc/kcore"),
    ):
        os.symlink(target, f"{dev}/{link}")


def _build_root(view: SandboxView) -> None:
    """Steps 2 and 3 of the module doc: the view's root, pivoted into, the old one detached."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    # a scratch tmpfs becomes the root for a moment, with the host's root under /oldroot
    # (so that bind sources anywhere, /tmp included, stay reachable while the view is built)
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m")
    os.chdir("/tmp")
    os.mkdir("oldroot")
    os.mkdir("newroot")
    _check(_libc.syscall(SYS_PIVOT_ROOT, b".", b"oldroot"), "pivot_root")
    os.chdir("/")
    root = "/newroot"
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m")
    os.mkdir(f"{root}/proc", 0o755)
    _mount("proc", f"{root}/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for name in PROC_READ_ONLY:  # as bubblewrap's --proc leaves them
        if os.path.exists(f"{root}/proc/{name}"):
            _bind(f"{root}/proc/{name}", f"{root}/proc/{name}", writable=False, extra=MS_NOEXEC)
    _build_dev(root)
    for scratch in view.scratch:
        target = f"{root}{scratch.target}"
        os.makedirs(target, mode=0o755, exist_ok=True)
        if scratch.source:
            _bind(f"/oldroot{view.source(scratch.source)}", target, writable=True)
        else:
            _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={scratch.size}")
    for target, link in SYMLINKS:
        os.symlink(target, f"{root}{link}")
    for path in view.read_only:
        _make_point(f"/oldroot{view.source(path)}", f"{root}{path}")
        _bind(f"/oldroot{view.source(path)}", f"{root}{path}", writable=False)
    workdir = view.source(view.workdir)
    _make_point(f"/oldroot{workdir}", f"{root}{view.workdir}")
    _bind(f"/oldroot{workdir}", f"{root}{view.workdir}", writable=True)
    # the view's root replaces the scratch root; the host's root goes with the scratch one
    os.chdir(root)
    _check(_libc.syscall(SYS_PIVOT_ROOT, b".", b"."), "pivot_root")
    _check(_libc.umount2(b".", MNT_DETACH), "umount the old root")
    os.chdir("/")
    _mount(None, "/", None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    socket.sethostname("sandbox")


def _join_cgroups(procs_files: list[str]) -> None:
    for procs in procs_files:
        try:
            Path(procs).write_text("0")
        except OSError as problem:
            raise ConfinementError(f"join the cgroup {procs}: {problem}") from None
    if procs_files:
        _libc.unshare(CLONE_NEWCGROUP)  # best effort, as bubblewrap's --unshare-cgroup-try


def _set_limits(limits: dict[str, float]) -> None:
    """The caps ``prlimit`` sets in the bubblewrap command (see :func:`.bwrap._prlimit`)."""
    memory = int(limits["memory_mb"]) * 1024 * 1024
    caps = {
        resource.RLIMIT_AS: memory,
        resource.RLIMIT_NPROC: int(limits["processes"]),
        resource.RLIMIT_CPU: int(limits["cpu_seconds"]),
        resource.RLIMIT_FSIZE: int(limits["file_mb"]) * 1024 * 1024,
        resource.RLIMIT_NOFILE: 256,
        resource.RLIMIT_CORE: 0,
    }
    for which, value in caps.items():
        resource.setrlimit(which, (value, value))


def drop_privileges(uid: int) -> None:
    """Step 5 of the module doc (what ``setpriv --reuid --regid --clear-groups --inh-caps=-all
    --bounding-set=-all --no-new-privs`` does)."""
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    for cap in range(last + 1):
        _prctl(PR_CAPBSET_DROP, cap)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    os.setresuid(uid, uid, uid)  # clears the permitted and effective sets
    _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    header = struct.pack("Ii", LINUX_CAPABILITY_VERSION_3, 0)
    empty = bytes(24)  # two cap_user_data structs: effective, permitted, inheritable = 0
    _check(_libc.syscall(SYS_CAPSET, header, empty), "capset")
    # a change of ids makes a process undumpable (its /proc files root's); a kernel started
    # by exec after setpriv is dumpable again: so is this one (core dumps stay off: RLIMIT_CORE)
    _prctl(PR_SET_DUMPABLE, 1)
    status = Path("/proc/self/status").read_text()
    for line in status.splitlines():
        name, _, value = line.partition(":")
        if name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb") and int(value, 16):
            raise ConfinementError(f"{name} is not empty after dropping privileges")


def build_view(view: SandboxView, procs_files: list[str]) -> None:
    """Steps 1-3 of the module doc, as root, in the first process of a new PID namespace."""
    if os.getpid() != 1:
        raise ConfinementError("the view is built in the first process of a new PID namespace")
    _join_cgroups(procs_files)
    _build_root(view)


def become_sandbox_user(view: SandboxView) -> None:
    """Steps 4 and 5 of the module doc, then the view's environment and folder: what is left
    of this process runs as the sandbox's user with no privilege at all."""
    os.setsid()
    _set_limits(view.limits)
    drop_privileges(view.uid)
    try:
        forget_keyrings()
    except OSError as problem:
        raise ConfinementError(str(problem)) from None
    os.environ.clear()
    os.environ.update(view.env)
    os.chdir(view.workdir)


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies (set it after the last change of ids)."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
