"""The bubblewrap command line that wraps a kernel: what it sees, who it runs as, its limits.

Inside the sandbox the kernel sees the system's ``/usr`` and the Python install (read-only),
its own submission folder (read-write, the only writable place besides a private ``/tmp``),
and nothing else: no course ``source/``, no releases, no gradebook, no other student, no home
directory, no network, and an environment holding only the variables set here.

It runs as an unprivileged user id of its own (so the process cap counts only its processes),
under ``prlimit`` caps on memory, processes, CPU time and file size. Its ``/tmp`` and
``/dev/shm`` are folders of the submission's private tmpfs (see :mod:`.disk`), or, when that
could not be mounted, bubblewrap tmpfs mounts capped at ``Limits.disk_mb`` each.

Example:
    >>> argv = sandbox_argv(Path("/tmp/job"), Limits(), uid=200123)
    >>> argv[0].endswith("bwrap") and "--unshare-net" in argv
    True
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from neurogebra_grader.sandbox.disk import PrivateDisk
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.view import (
    SYMLINKS,
    SandboxView,
    Scratch,
    sandbox_view,
)

INSTALL_HINT = (
    "bubblewrap (the `bwrap` program) is not installed, so student code cannot be sandboxed. "
    "Install it with `sudo apt-get install bubblewrap` (Debian/Ubuntu; `bash tools/setup.sh` "
    "does this), or pass --unsandboxed to run student code with your own rights (only for "
    "code you trust)."
)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox here; the message says what to do."""


def find_bwrap() -> str:
    """The path of ``bwrap``, or SandboxUnavailable saying how to install it."""
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(INSTALL_HINT)
    return path


def _ancestors(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _dirs_755(paths: list[str], made: set[str]) -> list[str]:
    """bwrap creates missing parent folders as 0700; create them 0755 so the user can pass."""
    args: list[str] = []
    for path in paths:
        for parent in _ancestors(path):
            if parent not in made and parent not in ("/usr", "/tmp"):
                made.add(parent)
                args += ["--perms", "0755", "--dir", parent]
    return args


def _scratch(scratch: Scratch) -> list[str]:
    """Mount arguments for ``/tmp`` or ``/dev/shm``: the private tmpfs, else a capped tmpfs."""
    if scratch.source:
        return ["--bind", scratch.source, scratch.target]
    return ["--perms", "1777", "--size", str(scratch.size), "--tmpfs", scratch.target]


def sandbox_argv(
    workdir: Path,
    limits: Limits,
    *,
    uid: int,
    python: str = sys.executable,
    disk: PrivateDisk | None = None,
) -> list[str]:
    """bwrap + setpriv + prlimit around nothing: append the command to run inside."""
    return view_argv(sandbox_view(workdir, limits, uid=uid, python=python, disk=disk), limits)


def view_argv(view: SandboxView, limits: Limits) -> list[str]:
    """The bubblewrap command line that builds ``view`` (see :mod:`.view`)."""
    bwrap = find_bwrap()
    made: set[str] = set()
    argv = [
        bwrap,
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "sandbox",
        # setpriv below needs these two to drop to the unprivileged user; it then clears them
        "--cap-add",
        "CAP_SETUID",
        "--cap-add",
        "CAP_SETGID",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
    ]
    # /dev/shm is RAM: without a cap of its own it would be --dev's unlimited tmpfs; a private
    # /tmp the sandbox user can write to comes before the binds, so that a workdir under /tmp
    # is bound over it
    for scratch in view.scratch:
        argv += _scratch(scratch)
    for target, link in SYMLINKS:
        argv += ["--symlink", target, link]
    for path in view.read_only:
        argv += [*_dirs_755([path], made), "--ro-bind", path, path]
    workdir = view.workdir
    argv += [*_dirs_755([workdir], made), "--bind", workdir, workdir, "--chdir", workdir]
    argv += ["--clearenv"]
    for key, value in view.env.items():
        argv += ["--setenv", key, value]
    if os.geteuid() != 0:
        # without root, a user namespace gives the unprivileged ids (RLIMIT_NPROC then counts
        # the instructor's own processes too, so keep the cap generous there)
        argv[1:1] = ["--unshare-user", "--uid", "65534", "--gid", "65534"]
        for cap in ("CAP_SETUID", "CAP_SETGID"):
            at = argv.index(cap)
            del argv[at - 1 : at + 1]
        return [*argv, "--", *_prlimit(limits)]
    argv += [
        "--",
        "setpriv",
        f"--reuid={view.uid}",
        f"--regid={view.uid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
    ]
    return [*argv, *_prlimit(limits)]


def _prlimit(limits: Limits) -> list[str]:
    return [
        "prlimit",
        f"--as={limits.memory_bytes}",
        f"--nproc={limits.processes}",
        f"--cpu={limits.cpu_seconds}",
        f"--fsize={limits.file_mb * 1024 * 1024}",
        "--nofile=256",
        "--core=0",
        "--",
    ]


def sandbox_uid() -> int:
    """An unprivileged user id for one sandbox, unused by any real account.

    Derived from the grading thread's id, unique on the machine while it runs, so kernels
    graded at the same time never share a user (RLIMIT_NPROC counts per user).
    """
    return 200_000 + threading.get_native_id()


def prepare_workdir(workdir: Path, uid: int) -> None:
    """Hand the submission's working copy to the sandbox user (it is the only writable place)."""
    for root, dirs, files in os.walk(workdir):
        os.chown(root, uid, uid)
        for name in dirs + files:
            os.lchown(os.path.join(root, name), uid, uid)


@functools.cache
def matplotlib_cache(python: str = sys.executable) -> dict[str, bytes]:
    """matplotlib's font cache, built once per grading process and copied into each sandbox.

    Without it every kernel would rebuild the cache on its first ``import matplotlib.pyplot``
    (seconds per submission). Empty when matplotlib is not installed.
    """
    folder = tempfile.mkdtemp(prefix="ng-mpl-")
    env = {"MPLCONFIGDIR": folder, "PATH": os.environ.get("PATH", ""), "HOME": folder}
    build = "import matplotlib.font_manager"
    done = subprocess.run([python, "-c", build], env=env, capture_output=True, cwd="/")
    files = {}
    if done.returncode == 0:
        for path in Path(folder).glob("fontlist*.json"):
            files[f".matplotlib/{path.name}"] = path.read_bytes()
    shutil.rmtree(folder, ignore_errors=True)
    return files
