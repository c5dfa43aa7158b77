"""One control group per sandbox: its CPU share, its memory and its process count, as a whole.

``RLIMIT_*`` caps count per process (or per user); a cgroup counts the whole sandbox, and it
can hold every process it ever started, so none outlives the submission. Both cgroup v2 (one
unified tree) and v1 (one tree per controller) are supported. Where neither can be written
(no root, a read-only ``/sys/fs/cgroup``), :func:`support` says why and the sandbox runs with
its ``RLIMIT_*`` caps and PID namespace only.

The kernel's command is wrapped by :func:`enter_argv`: a tiny shell moves itself into the
cgroup, then ``exec``\\s bubblewrap, so every process of the sandbox starts inside it.

Example:
    >>> enter_argv([], ["bwrap", "--version"])
    ['bwrap', '--version']
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from neurogebra_grader.sandbox.limits import Limits

CGROUP_ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("cpu", "memory", "pids")
CPU_PERIOD_US = 100_000
_counter = itertools.count()


@dataclass(frozen=True)
class Support:
    """Whether sandboxes get cgroups here: ``kind`` is "v2", "v1" or "" (then ``reason``)."""

    kind: str
    reason: str = ""
    bases: tuple[tuple[str, Path], ...] = ()  # (controller, folder new cgroups go under)


def _own_paths() -> dict[str, str]:
    """This process's cgroup path per controller ("" for the v2 tree)."""
    paths = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            paths[name] = path
    return paths


def _mounts() -> dict[str, Path]:
    """Mount point per v1 controller, and "" for a v2 mount."""
    found: dict[str, Path] = {}
    for line in Path("/proc/self/mounts").read_text().splitlines():
        _, where, kind, options, *_ = line.split()
        if kind == "cgroup2":
            found.setdefault("", Path(where))
        elif kind == "cgroup":
            for option in options.split(","):
                if option in CONTROLLERS:
                    found.setdefault(option, Path(where))
    return found


def _under(mount: Path, own: str) -> Path:
    folder = mount / own.lstrip("/")
    return folder if folder.is_dir() else mount


def _probe(folder: Path) -> str:
    """ "" when a child cgroup can be made and removed in ``folder``, else why not."""
    probe = folder / f"neurogebra-probe-{os.getpid()}"
    try:
        probe.mkdir()
        probe.rmdir()
    except OSError as error:
        return f"cannot create a cgroup in {folder} ({error.strerror})"
    return ""


@functools.cache
def support() -> Support:
    """Which cgroups sandboxes can get on this machine (probed once per process)."""
    try:
        mounts, own = _mounts(), _own_paths()
    except OSError as error:
        return Support("", f"cgroups cannot be read ({error})")
    unified = mounts.get("")
    if unified is not None:
        base = _under(unified, own.get("", "/"))
        available = (
            set((unified / "cgroup.controllers").read_text().split())
            if (unified / "cgroup.controllers").exists()
            else set()
        )
        if set(CONTROLLERS) <= available:
            problem = _probe(base)
            if not problem:
                try:
                    (base / "cgroup.subtree_control").write_text("+cpu +memory +pids")
                    return Support("v2", bases=(("", base),))
                except OSError as error:
                    problem = f"cannot delegate cpu, memory and pids below {base} ({error})"
            v2_problem = problem
        else:
            v2_problem = "the cgroup v2 tree lacks the cpu, memory or pids controller"
    else:
        v2_problem = "no cgroup v2 tree is mounted"
    if all(name in mounts for name in CONTROLLERS):
        bases = tuple((name, _under(mounts[name], own.get(name, "/"))) for name in CONTROLLERS)
        for _, base in bases:
            problem = _probe(base)
            if problem:
                return Support("", f"{v2_problem}; v1: {problem}")
        return Support("v1", bases=bases)
    return Support("", f"{v2_problem}; no cgroup v1 cpu, memory and pids trees either")


def _write(path: Path, value: object) -> None:
    path.write_text(f"{value}\n")


@dataclass
class SandboxCgroup:
    """The cgroup (one folder per v1 controller, one for v2) of one sandbox."""

    kind: str
    folders: dict[str, Path]

    @property
    def procs_files(self) -> list[str]:
        return [str(folder / "cgroup.procs") for folder in self.folders.values()]

    def pids(self) -> list[int]:
        """Processes still in the cgroup."""
        folder = self.folders.get("pids") or next(iter(self.folders.values()))
        try:
            return [int(p) for p in (folder / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def kill_all(self, seconds: float = 5.0) -> int:
        """SIGKILL every process in the cgroup until none is left; how many were killed."""
        killed = 0
        if self.kind == "v2":
            with contextlib.suppress(OSError):
                _write(self.folders[""] / "cgroup.kill", 1)
        deadline = time.monotonic() + seconds
        while (pids := self.pids()) and time.monotonic() < deadline:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
            time.sleep(0.02)
        return killed

    def oom_killed(self) -> bool:
        """True when the kernel's OOM killer acted inside this cgroup (memory cap reached)."""
        folder = self.folders.get("memory", self.folders.get(""))
        if folder is None:
            return False
        for name, key in (("memory.events", "oom_kill"), ("memory.oom_control", "oom_kill")):
            with contextlib.suppress(OSError, ValueError):
                for line in (folder / name).read_text().splitlines():
                    field, _, count = line.partition(" ")
                    if field == key and int(count) > 0:
                        return True
        return False

    def remove(self) -> None:
        """Kill what is left and delete the cgroup folders."""
        self.kill_all()
        for folder in self.folders.values():
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


def sweep_stale() -> list[str]:
    """Kill what is left in, and remove, sandbox cgroups whose grading process is gone.

    Their names carry the grader's pid (see :func:`create`); a grader killed mid-run leaves
    them behind, the next run removes them.
    """
    found = support()
    swept = []
    for controller, base in found.bases:
        for folder in base.glob("neurogebra-*-*"):
            pid = folder.name.split("-")[1]
            if pid.isdigit() and folder.is_dir() and not Path(f"/proc/{pid}").exists():
                SandboxCgroup(found.kind, {controller: folder}).remove()
                swept.append(str(folder))
    return swept


def create(limits: Limits) -> SandboxCgroup | None:
    """A new cgroup holding ``limits``' CPU, memory and process caps; None without support."""
    found = support()
    if not found.kind:
        return None
    name = f"neurogebra-{os.getpid()}-{next(_counter)}"
    group = SandboxCgroup(found.kind, {})
    try:
        for controller, base in found.bases:
            folder = base / name
            folder.mkdir()
            group.folders[controller] = folder
        quota = max(1000, int(limits.cpus * CPU_PERIOD_US))
        if found.kind == "v2":
            folder = group.folders[""]
            _write(folder / "cpu.max", f"{quota} {CPU_PERIOD_US}")
            _write(folder / "memory.max", limits.memory_bytes)
            with contextlib.suppress(OSError):  # absent when the machine has no swap
                _write(folder / "memory.swap.max", 0)
            _write(folder / "pids.max", limits.processes)
        else:
            _write(group.folders["cpu"] / "cpu.cfs_period_us", CPU_PERIOD_US)
            _write(group.folders["cpu"] / "cpu.cfs_quota_us", quota)
            memory = group.folders["memory"]
            _write(memory / "memory.limit_in_bytes", limits.memory_bytes)
            with contextlib.suppress(OSError):  # only with swap accounting
                _write(memory / "memory.memsw.limit_in_bytes", limits.memory_bytes)
            _write(group.folders["pids"] / "pids.max", limits.processes)
    except OSError:
        group.remove()
        raise
    return group


# sh -c ENTER sh COUNT PROCS... COMMAND...: write our pid into each procs file, then exec
ENTER = (
    'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; '
    'exec "$@"'
)


def enter_argv(procs_files: list[str], argv: list[str]) -> list[str]:
    """``argv``, started inside the cgroups whose ``cgroup.procs`` files are given."""
    if not procs_files:
        return list(argv)
    return ["/bin/sh", "-c", ENTER, "sh", str(len(procs_files)), *procs_files, *argv]
