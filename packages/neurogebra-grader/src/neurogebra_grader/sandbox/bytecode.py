"""Compile the kernel's Python environment to bytecode, once, before any sandboxed kernel starts.

A sandboxed kernel sees the grading environment read-only, so it cannot write the ``.pyc``
files Python would otherwise cache: an environment installed without them (``uv pip install``
leaves sources only) is compiled again in every kernel, about a second per submission
(IPython, ipykernel, matplotlib, ...). So the trusted grader compiles it first, with its own
rights, into the environment's own ``__pycache__`` folders; the sandbox then reads them
through the read-only mounts it already has. A student's kernel can write no ``.pyc`` there
(the mounts are read-only and the kernel runs as a user id of its own), so nothing it does
reaches the next submission.

Only folders of the kernel's ``sys.path`` that the grader may write are compiled; the
standard library and ``/usr`` are left to whoever installed them (their packagers compile
them). A stamp in the grader's cache folder (a hash of every source file's path, size and
time) makes the check cheap when nothing changed: one walk of the folders, no compiling.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "mod.py").write_text("x = 1\\n")
    >>> compile_folders([str(folder)], sys.executable, Path(tempfile.mkdtemp()) / "stamp")
    True
    >>> sorted(p.name for p in (folder / "__pycache__").iterdir())[0].startswith("mod.")
    True
    >>> compile_folders([str(folder)], sys.executable, Path(tempfile.mkdtemp()) / "stamp")
    True
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

# as in the kernel's environment (no PYTHONPATH, no PYTHONPYCACHEPREFIX, ...)
_ENV = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
_LOCK = threading.Lock()
_DONE: set[str] = set()

# the kernel's sys.path, and the folders its Python install compiled itself
_PROBE = (
    "import json, sys, sysconfig; p = sysconfig.get_paths(); "
    "print(json.dumps({'path': sys.path, 'stdlib': [p['stdlib'], p['platstdlib']]}))"
)


def kernel_folders(python: str = sys.executable) -> list[str]:
    """The folders of ``python``'s sys.path the grader may compile (writable, not the stdlib).

    Example: a virtualenv's ``site-packages`` and its editable source folders.
    """
    found = json.loads(
        subprocess.run(
            [python, "-c", _PROBE], check=True, capture_output=True, text=True, cwd="/", env=_ENV
        ).stdout
    )
    stdlib = {os.path.realpath(p) for p in found["stdlib"]}
    folders: list[str] = []
    for entry in found["path"]:
        path = os.path.realpath(entry) if entry else ""
        if not path or not os.path.isdir(path) or path in folders:
            continue
        if path in stdlib or os.path.basename(path) == "lib-dynload":
            continue
        if path == "/usr" or path.startswith("/usr/") or not os.access(path, os.W_OK):
            continue
        folders.append(path)
    return folders


def fingerprint(folders: list[str]) -> str:
    """A hash of every ``.py`` file's path, size and modification time under ``folders``."""
    digest = hashlib.sha256()
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(root, name)
                    try:
                        info = os.stat(path)
                    except OSError:
                        continue
                    digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def compile_folders(folders: list[str], python: str, stamp: Path) -> bool:
    """Compile ``folders`` with ``python``'s compileall unless ``stamp`` says it is done.

    Returns whether the stamp now matches (False if compiling could not finish). Compiling
    never runs the modules; a file that does not compile is left as it is.
    """
    expected = json.dumps({"python": python, "folders": folders, "sources": fingerprint(folders)})
    if stamp.exists() and stamp.read_text() == expected:
        return True
    if folders:
        done = subprocess.run(
            [python, "-m", "compileall", "-q", "-j", "0", *folders],
            capture_output=True,
            cwd="/",
            env=_ENV,
        )
        if done.returncode not in (0, 1):  # 1: some file did not compile (kept as source)
            return False
    stamp.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = stamp.with_name(f"{stamp.name}.{os.getpid()}.tmp")
    partial.write_text(expected)
    os.replace(partial, stamp)
    return True


def stamp_path(python: str) -> Path:
    """Where the stamp of ``python``'s environment lives, in the grader's own cache folder."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    name = hashlib.sha256(os.path.realpath(python).encode()).hexdigest()[:16]
    return Path(cache) / "neurogebra-grader" / "bytecode" / f"{name}.json"


def ensure_compiled(python: str = sys.executable) -> None:
    """Compile what ``python``'s kernels import, once per grading process (thread-safe).

    Best effort: an environment that cannot be compiled still grades, only slower.
    """
    with _LOCK:
        if python in _DONE:
            return
        with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError):
            compile_folders(kernel_folders(python), python, stamp_path(python))
        _DONE.add(python)
