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
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from neurogebra_grader.sandbox.disk import PrivateDisk
from neurogebra_grader.sandbox.limits import Limits

INSTALL_HINT = (
    "bubblewrap (the `bwrap` program) is not installed, so student code cannot be sandboxed. "
    "Install it with `sudo apt-get install bubblewrap` (Debian/Ubuntu; `bash tools/setup.sh` "
    "does this), or pass --unsandboxed to run student code with your own rights (only for "
    "code you trust)."
)

# System folders every Python program needs; nothing in them belongs to the course.
SYSTEM_DIRS = ("/usr", "/etc/alternatives", "/etc/ld.so.cache", "/etc/localtime")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox here; the message says what to do."""


def find_bwrap() -> str:
    """The path of ``bwrap``, or SandboxUnavailable saying how to install it."""
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(INSTALL_HINT)
    return path


@functools.cache
def python_paths(python: str = sys.executable) -> tuple[str, ...]:
    """Folders the kernel's Python needs: its prefixes and every sys.path entry that exists.

    Editable installs put source folders (``packages/*/src``) on sys.path; those are bound
    one by one, so the rest of the checkout (the course, the gradebook) stays out of sight.
    """
    probe = "import json, sys; print(json.dumps([sys.prefix, sys.base_prefix, *sys.path]))"
    found = json.loads(
        subprocess.run(
            [python, "-c", probe], check=True, capture_output=True, text=True, cwd="/"
        ).stdout
    )
    paths = {os.path.realpath(p) for p in found if p and os.path.isdir(p)}
    paths.add(os.path.realpath(os.path.dirname(os.path.dirname(python))))
    # keep only the outermost folders (binding a folder also binds what is inside it)
    ordered = sorted(paths, key=len)
    kept: list[str] = []
    for path in ordered:
        if not any(path == k or path.startswith(k + os.sep) for k in kept):
            kept.append(path)
    return tuple(sorted(kept))


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


def sandbox_env(workdir: Path, python: str) -> dict[str, str]:
    """The whole environment of the kernel: nothing of the instructor's is passed through."""
    venv_bin = os.path.dirname(python)
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp/home",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        # a font cache built once by the grader is put there (see matplotlib_cache)
        "MPLCONFIGDIR": str(workdir / ".matplotlib"),
        "JUPYTER_RUNTIME_DIR": "/tmp/jupyter",
        "IPYTHONDIR": "/tmp/ipython",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        # one thread per BLAS/OpenMP pool: the process cap counts threads too
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NEUROGEBRA_SANDBOX": "1",
        "PWD": str(workdir),
    }


def _scratch(disk: PrivateDisk | None, limits: Limits, target: str) -> list[str]:
    """Mount arguments for ``/tmp`` or ``/dev/shm``: the private tmpfs, else a capped tmpfs."""
    if disk is not None and disk.enforced:
        return ["--bind", str(disk.tmp if target == "/tmp" else disk.shm), target]
    return ["--perms", "1777", "--size", str(limits.disk_bytes), "--tmpfs", target]


def sandbox_argv(
    workdir: Path,
    limits: Limits,
    *,
    uid: int,
    python: str = sys.executable,
    disk: PrivateDisk | None = None,
) -> list[str]:
    """bwrap + setpriv + prlimit around nothing: append the command to run inside."""
    bwrap = find_bwrap()
    workdir_s = str(workdir)
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
        # /dev/shm is RAM: without a cap of its own it would be --dev's unlimited tmpfs
        *_scratch(disk, limits, "/dev/shm"),
        # a private /tmp the sandbox user can write to, before the binds, so that a workdir
        # under /tmp is bound over it
        *_scratch(disk, limits, "/tmp"),
        "--symlink",
        "usr/bin",
        "/bin",
        "--symlink",
        "usr/lib",
        "/lib",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--symlink",
        "usr/sbin",
        "/sbin",
    ]
    for path in SYSTEM_DIRS:
        if os.path.exists(path):
            argv += [*_dirs_755([path], made), "--ro-bind", path, path]
    for path in python_paths(python):
        if path == "/usr" or path.startswith("/usr/"):
            continue
        argv += [*_dirs_755([path], made), "--ro-bind", path, path]
    argv += [*_dirs_755([workdir_s], made), "--bind", workdir_s, workdir_s, "--chdir", workdir_s]
    argv += ["--clearenv"]
    for key, value in sandbox_env(workdir, python).items():
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
        f"--reuid={uid}",
        f"--regid={uid}",
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
