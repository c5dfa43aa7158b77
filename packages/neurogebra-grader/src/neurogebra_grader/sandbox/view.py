"""What a sandboxed kernel sees: the one description both ways of starting it build from.

bubblewrap (:mod:`.bwrap`) turns a :class:`SandboxView` into command-line arguments; the
pre-warmed template (:mod:`.template`) turns the same view into mounts made in a forked
child (:mod:`.confine`). Keeping the view in one place keeps the two identical: read-only
system and Python folders, the submission's folder as the only writable place besides a
private ``/tmp`` and ``/dev/shm``, and an environment holding only the variables set here.

Example:
    >>> view = sandbox_view(Path("/tmp/job"), Limits(), uid=200123)
    >>> view.workdir, view.env["HOME"], view.uid
    ('/tmp/job', '/tmp/home', 200123)
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from neurogebra_grader.sandbox.disk import PrivateDisk
from neurogebra_grader.sandbox.limits import Limits

# System folders (and files) every Python program needs; nothing in them belongs to the course.
SYSTEM_DIRS = ("/usr", "/etc/alternatives", "/etc/ld.so.cache", "/etc/localtime")
# Merged-/usr links every Debian-like root has.
SYMLINKS = (
    ("usr/bin", "/bin"),
    ("usr/lib", "/lib"),
    ("usr/lib64", "/lib64"),
    ("usr/sbin", "/sbin"),
)


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


def sandbox_env(workdir: Path, python: str) -> dict[str, str]:
    """The whole environment of the kernel: nothing of the instructor's is passed through."""
    venv_bin = os.path.dirname(python)
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp/home",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        # a font cache built once by the grader is put there (see bwrap.matplotlib_cache)
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


@dataclass(frozen=True)
class Scratch:
    """``/tmp`` or ``/dev/shm``: a folder of the private tmpfs (``source``), else a capped tmpfs."""

    target: str
    source: str = ""  # "" when the private tmpfs could not be mounted
    size: int = 0


@dataclass(frozen=True)
class SandboxView:
    """Everything that decides what the kernel sees and who it runs as (see the module doc)."""

    workdir: str
    uid: int
    read_only: tuple[str, ...]
    scratch: tuple[Scratch, ...]
    env: dict[str, str] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)
    # where a bound path really is on the host, when it is a symbolic link (bubblewrap follows
    # links of bind sources; a child building the view from the old root cannot)
    sources: dict[str, str] = field(default_factory=dict)

    def source(self, path: str) -> str:
        return self.sources.get(path, path)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SandboxView:
        data = json.loads(text)
        data["read_only"] = tuple(data["read_only"])
        data["scratch"] = tuple(Scratch(**s) for s in data["scratch"])
        return cls(**data)


def _scratch(disk: PrivateDisk | None, limits: Limits, target: str) -> Scratch:
    if disk is not None and disk.enforced:
        return Scratch(target, str(disk.tmp if target == "/tmp" else disk.shm))
    return Scratch(target, size=limits.disk_bytes)


def sandbox_view(
    workdir: Path,
    limits: Limits,
    *,
    uid: int,
    python: str = sys.executable,
    disk: PrivateDisk | None = None,
) -> SandboxView:
    """The view of one sandbox: read-only folders first (system, then Python), then scratch."""
    read_only = [p for p in SYSTEM_DIRS if os.path.exists(p)]
    read_only += [p for p in python_paths(python) if not (p == "/usr" or p.startswith("/usr/"))]
    # /dev/shm before /tmp: a workdir under /tmp is bound over the private /tmp afterwards
    scratch = (_scratch(disk, limits, "/dev/shm"), _scratch(disk, limits, "/tmp"))
    bound = [*read_only, str(workdir), *(s.source for s in scratch if s.source)]
    real = {path: os.path.realpath(path) for path in bound}
    return SandboxView(
        sources={path: target for path, target in real.items() if target != path},
        workdir=str(workdir),
        uid=uid,
        read_only=tuple(read_only),
        scratch=scratch,
        env=sandbox_env(workdir, python),
        limits=limits.as_dict(),
    )
