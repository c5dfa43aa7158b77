"""A Jupyter kernel manager whose kernel starts inside the sandbox, from its first cell on.

jupyter_client builds the kernel's command from a kernel spec's ``argv``; this manager's spec
puts bubblewrap in front of ``python -m ipykernel_launcher``. The kernel talks to us over
``ipc`` sockets in the submission folder, because with the network unshared TCP loopback
inside the sandbox is not ours.

Example:
    >>> import tempfile
    >>> km = sandboxed_kernel_manager(Path(tempfile.mkdtemp()), Limits(), sandbox=False)
    >>> km.transport
    'ipc'
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

from neurogebra_grader.sandbox.bwrap import prepare_workdir, sandbox_uid, view_argv
from neurogebra_grader.sandbox.cgroups import SandboxCgroup, enter_argv
from neurogebra_grader.sandbox.disk import PrivateDisk
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.ready import wait_for_ready
from neurogebra_grader.sandbox.view import sandbox_view
from neurogebra_grader.sandbox.warm import TemplateProvisioner, template_request, template_wanted


class SandboxKernelManager(AsyncKernelManager):  # type: ignore[misc]
    """jupyter_client's manager, checking every 5 ms (not 100 ms) whether a killed kernel is
    gone: the grader kills every kernel it is done with, and waited a tenth of a second each
    time."""

    async def _async_wait(self, pollinterval: float = 0.005) -> None:
        await super()._async_wait(pollinterval=min(pollinterval, 0.005))


def kernel_argv(python: str = sys.executable) -> list[str]:
    return [
        python,
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
        "--HistoryManager.enabled=False",
    ]


def sandboxed_kernel_manager(
    workdir: Path,
    limits: Limits,
    *,
    sandbox: bool = True,
    python: str = sys.executable,
    disk: PrivateDisk | None = None,
    cgroup: SandboxCgroup | None = None,
    context: Any = None,
) -> AsyncKernelManager:
    """A kernel manager (not started) for a kernel confined to ``workdir``.

    With ``sandbox=False`` the kernel runs as the grader's own user (the instructor's explicit
    choice on machines without bubblewrap), still with ipc sockets and the resource caps.
    ``disk`` gives the sandbox its private ``/tmp`` and ``/dev/shm``, ``cgroup`` is the one its
    processes start in, and ``context`` the zmq context (with the message caps) to talk over.
    """
    extra = {"context": context} if context is not None else {}
    km = SandboxKernelManager(
        transport="ipc",
        ip=str(workdir / ".kernel-ipc"),
        connection_file=str(workdir / ".kernel.json"),
        shutdown_wait_time=1.0,
        **extra,
    )
    forked = template_wanted(sandbox=sandbox)
    if sandbox:
        uid = sandbox_uid()
        view = sandbox_view(workdir, limits, uid=uid, python=python, disk=disk)
        argv = view_argv(view, limits) + kernel_argv(python)
    else:
        uid = None
        argv = [
            shutil.which("prlimit") or "/usr/bin/prlimit",
            f"--as={limits.memory_bytes}",
            f"--cpu={limits.cpu_seconds}",
            "--",
        ]
        argv += kernel_argv(python)
    procs_files = cgroup.procs_files if cgroup else []
    # forked or not, the spec holds the bubblewrap command: the template falls back on it
    argv = enter_argv(procs_files, argv)
    km._kernel_spec = KernelSpec(argv=argv, language="python", display_name="Python (sandboxed)")
    km.write_connection_file()
    if forked:
        provisioner = TemplateProvisioner(
            kernel_id=km.kernel_id or "sandboxed", kernel_spec=km._kernel_spec, parent=km
        )
        provisioner.python = python
        provisioner.request = template_request(view, procs_files, km.connection_file)
        km.provisioner = provisioner
    if uid is not None:
        prepare_workdir(workdir, uid)
    os.chmod(km.connection_file, 0o600)
    _quick_ready(km)
    return km


def _quick_ready(km: AsyncKernelManager) -> None:
    """Clients of ``km`` wait for the kernel with :func:`.ready.wait_for_ready`."""
    make_client = km.client

    def client(**kwargs: Any) -> Any:
        kc = make_client(**kwargs)
        setattr(kc, "wait_for_ready", functools.partial(wait_for_ready, kc))  # noqa: B010
        return kc

    km.client = client  # type: ignore[method-assign]
