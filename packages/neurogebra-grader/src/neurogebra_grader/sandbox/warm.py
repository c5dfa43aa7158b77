"""The grader's side of the pre-warmed template (:mod:`.template`): start it, ask it for
kernels, and manage each one like a process jupyter_client started.

One template per grading process and Python, started on first use and shared by the
process's workers (a fork is serialised; nothing else is shared: each kernel is a fresh
fork, confined on its own). It is used when the grader runs as root, the only case where it
can build namespaces itself; ``NEUROGEBRA_GRADER_TEMPLATE=0`` turns it off (every kernel then
starts through bubblewrap, as without root).

Example:
    >>> template_wanted(sandbox=False)
    False
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from neurogebra_grader.sandbox.bytecode import ensure_compiled, stamp_path
from neurogebra_grader.sandbox.view import SandboxView, sandbox_env

logger = logging.getLogger(__name__)
STARTUP_SECONDS = 30.0  # it takes about a second; a template that does not answer is replaced
LAUNCH_SECONDS = 30.0


class TemplateUnavailable(RuntimeError):
    """The template could not be started or could not fork a kernel; the message says why."""


def template_wanted(*, sandbox: bool) -> bool:
    """Whether sandboxed kernels come from the template here (see the module doc)."""
    if not sandbox or os.geteuid() != 0 or not hasattr(os, "pidfd_open"):
        return False
    return os.environ.get("NEUROGEBRA_GRADER_TEMPLATE", "1") != "0"


class ForkedKernel:
    """A kernel forked by the template, with the part of ``subprocess.Popen``'s interface that
    jupyter_client uses. It holds a pidfd of the kernel's launcher: killing the launcher kills
    the kernel (and its PID namespace)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int) -> None:
        self.pid = pid
        self._pidfd = pidfd
        self._killed = False
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self.returncode = -signal.SIGKILL if self._killed else 1
            self._close()
        return self.returncode

    def _close(self) -> None:
        if self._pidfd >= 0:
            os.close(self._pidfd)
            self._pidfd = -1

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            self._close()

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            ready = select.select([self._pidfd], [], [], timeout)[0]
            if not ready:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
        code = self.poll()
        assert code is not None
        return code

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            if signum == signal.SIGKILL:
                self._killed = True
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def template_home(python: str) -> Path:
    """The template's home, in the grader's own cache folder (never visible in a sandbox):
    matplotlib's font cache lives there across runs (building it takes a second)."""
    stamp = stamp_path(python)  # beside the bytecode stamp, named after the same Python
    folder = stamp.parent.parent / "template" / stamp.stem
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _read_line(channel: socket.socket, deadline: float) -> tuple[bytes, list[int]]:
    """One line from ``channel``, with any file descriptors sent along with it."""
    data, fds = b"", []
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([channel], [], [], left)[0]:
            raise TemplateUnavailable("the template did not answer in time")
        chunk, got, _, _ = socket.recv_fds(channel, 4096, 1)
        if not chunk:
            raise TemplateUnavailable("the template's launcher ended before the kernel started")
        data += chunk
        fds += got
    return data, fds


class Template:
    """The template process for one Python (see the module doc)."""

    def __init__(self, python: str = sys.executable) -> None:
        self.python = python
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self.broken = False  # failed twice: kernels start through bubblewrap instead

    def _start(self) -> socket.socket:
        ours, theirs = socket.socketpair()
        folder = template_home(self.python)
        # the kernels' environment (each sets its own again), with no path of the grader's in
        # it: the template's folder, where matplotlib's font cache is built the first time and
        # then read from, is sent over the control socket
        env = sandbox_env(Path("/tmp/template"), self.python)
        env.pop("PWD", None)
        # the template's errors, read if it fails to start (open as long as it runs)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115
        process = subprocess.Popen(
            [self.python, "-m", "neurogebra_grader.sandbox.template", str(theirs.fileno())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            env=env,
            cwd="/",
            pass_fds=(theirs.fileno(),),
        )
        theirs.close()
        try:
            ours.sendall(f"{folder}\n".encode())
            line, _ = _read_line(ours, time.monotonic() + STARTUP_SECONDS)
        except (TemplateUnavailable, OSError) as problem:
            process.kill()
            self._log.seek(0)
            detail = self._log.read().decode(errors="replace")[-2000:]
            raise TemplateUnavailable(f"the kernel template did not start: {detail}") from problem
        if not line.startswith(b"ready"):
            raise TemplateUnavailable(f"the kernel template said {line[:200]!r}")
        self._process, self._control = process, ours
        return ours

    def _channel(self) -> socket.socket:
        if self._control is None or self._process is None or self._process.poll() is not None:
            return self._start()
        return self._control

    def ensure_started(self) -> None:
        """Start the template now, if it is not running (else the first launch starts it)."""
        with self._lock:
            self._channel()

    def launch_or_retry(self, request: dict[str, Any]) -> ForkedKernel:
        """:meth:`launch`, once more with a fresh template if it fails (TemplateUnavailable
        when both fail, or at once when the template was found broken before)."""
        if self.broken:
            raise TemplateUnavailable("the template failed before")
        try:
            return self.launch(request)
        except TemplateUnavailable:
            self.restart()
            return self.launch(request)

    def restart(self) -> None:
        """Stop the template; the next launch starts a new one."""
        with self._lock:
            process, self._process = self._process, None
            self.close()
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()

    def launch(self, request: dict[str, Any]) -> ForkedKernel:
        """Fork a kernel for ``request`` (view, cgroups, connection file, arguments)."""
        ours, theirs = socket.socketpair()
        with self._lock:
            control = self._channel()
            try:
                socket.send_fds(control, [b"F"], [theirs.fileno()])
            except OSError:  # the template died: start it again, once
                self._control = None
                socket.send_fds(self._channel(), [b"F"], [theirs.fileno()])
        theirs.close()
        deadline = time.monotonic() + LAUNCH_SECONDS
        try:
            ours.sendall(json.dumps(request).encode() + b"\n")
            line, fds = _read_line(ours, deadline)
            if not line.startswith(b"P ") or len(fds) != 1:
                raise TemplateUnavailable(f"the template's launcher said {line[:300]!r}")
            kernel = ForkedKernel(int(line.split()[1]), fds[0])
            line, _ = _read_line(ours, deadline)
            if not line.startswith(b"R"):
                kernel.kill()
                raise TemplateUnavailable(
                    "the kernel could not be confined: " + line[2:].decode(errors="replace")
                )
            return kernel
        finally:
            ours.close()

    def close(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None


_templates: dict[str, Template] = {}
_templates_lock = threading.Lock()


def template_for(python: str) -> Template:
    """This process's template for ``python`` (created on first use)."""
    with _templates_lock:
        if python not in _templates:
            _templates[python] = Template(python)
        return _templates[python]


def warm_up(python: str = sys.executable) -> None:
    """Start this process's template in the background, if kernels will come from it: its
    imports then overlap the grader's own start-up and planning instead of the first kernel's.
    A failure is left for the first launch to report."""
    if template_wanted(sandbox=True):

        def start() -> None:
            ensure_compiled(python)  # what the template imports, compiled first
            with contextlib.suppress(Exception):
                template_for(python).ensure_started()

        threading.Thread(target=start, name="template-warm-up", daemon=True).start()


class TemplateProvisioner(LocalProvisioner):  # type: ignore[misc]
    """jupyter_client's local provisioner, launching through the template instead of Popen."""

    request: dict[str, Any] | None = None  # see template_request
    python: str = sys.executable

    async def wait(self) -> int | None:
        """As LocalProvisioner's, polling every 5 ms instead of every 100 ms."""
        process = self.process
        if process is None:
            return 0
        while process.poll() is None:
            await asyncio.sleep(0.005)
        self.process = None
        return process.poll()

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork the kernel from the template; if it fails twice (a fresh template the second
        time), start it with ``cmd``, the bubblewrap command, as without a template, and do
        so for every later kernel of this process: a broken template costs speed, never a
        student's grade."""
        assert self.request is not None, "set the provisioner's request before the launch"
        template = template_for(self.python)
        try:
            process = template.launch_or_retry(self.request)
        except TemplateUnavailable as problem:
            if not template.broken:
                template.broken = True
                logger.warning("kernel template failed, using bubblewrap from now on: %s", problem)
            return await super().launch_kernel(cmd, **kwargs)
        # Popen's interface, as far as LocalProvisioner and the runner use it
        self.process = process  # type: ignore[assignment]
        self.pid, self.pgid = process.pid, None
        self.cwd = kwargs.get("cwd")
        return self.connection_info


def template_request(view: SandboxView, procs_files: list[str], connection_file: str) -> dict:
    """What the template's launcher needs to fork one kernel (see :mod:`.template`)."""
    return {
        "view": view.to_json(),
        "procs_files": list(procs_files),
        "connection_file": connection_file,
        "arguments": ["--HistoryManager.enabled=False"],
    }
