"""The pre-warmed kernel template: one process per grader that has already imported what every
kernel imports, and forks a fresh, confined kernel for each submission.

Starting a sandboxed kernel from nothing spends most of its time importing (ipykernel and
IPython, then NumPy and matplotlib in the notebook's first cell). The template pays that
once. It runs nothing of any student's: it imports library modules, then waits for requests,
each a bare byte with a socket attached (``SCM_RIGHTS``); it never reads what a request holds.
For each one it forks a *launcher* that reads the request from that socket, so no submission's
data (its folder, its user id) ever enters the template's memory, and so none can reach the
kernels forked after it. The launcher:

1. sends the grader a pidfd of itself (the grader polls and kills the kernel through it);
2. unshares new mount, PID, network, IPC and UTS namespaces and forks the new PID
   namespace's first process (:func:`.confine.enter_namespaces`);
3. waits for it, forwarding SIGINT, and exits with its status (killing the launcher kills
   that process, which dies with its parent, and the PID namespace with it).

That first process builds the submission's :class:`~.view.SandboxView` (its cgroups, the
same filesystem view bubblewrap would give: :func:`.confine.build_view`), forks the kernel's
process, then drops to ``nobody`` and reaps orphans until the kernel ends, as bubblewrap's
init does. The kernel's process (pid 2) takes the caps and drops to the sandbox's user
(:func:`.confine.become_sandbox_user`), reseeds NumPy's global generator (Python's
``random`` reseeds itself after a fork), answers "ready" and becomes an ipykernel. Anything
that fails before "ready" is reported to the grader, and no student code runs.

Run by the grader as ``python -m neurogebra_grader.sandbox.template`` (see :mod:`.warm`).

Example:
    >>> PRELOADED[0]
    'ipykernel.kernelapp'
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import select
import signal
import socket
import sys
from typing import Any

# What every kernel imports: the kernel itself, then what the course's notebooks and the
# grader's checks import in their first cells. A module missing here is skipped.
PRELOADED = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "IPython.core.interactiveshell",
    "IPython.core.completer",
    "IPython.core.debugger",
    "ipykernel.debugger",  # imports debugpy: a third of a kernel's start
    "ipykernel.comm",
    "numpy",
    "matplotlib",
    "matplotlib.pyplot",
    "neurogebra",
    "neurogebra_grader",
    "neurogebra_grader.checks",
)
MAX_REQUEST = 1 << 20
NOBODY = 65534  # the sandbox's init runs as this user, as no kernel does


# environment variables the preloaded modules set as they were imported (ipykernel sets one);
# each kernel's environment is replaced by its view's, then these are put back
SET_BY_IMPORTS: dict[str, str] = {}


def preload() -> list[str]:
    """Import :data:`PRELOADED`; the names that could not be imported."""
    before = dict(os.environ)
    missing = []
    for name in PRELOADED:
        try:
            importlib.import_module(name)
        except Exception:  # a module the environment lacks: the kernel imports it as usual
            missing.append(name)
    SET_BY_IMPORTS.update({k: v for k, v in os.environ.items() if before.get(k) != v})
    return missing


def _read_line(channel: socket.socket) -> str:
    """One line the grader sent (read a byte at a time: what follows is not ours to read)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = channel.recv(1 if len(data) < MAX_REQUEST else 0)
        if not chunk:
            raise EOFError("the grader closed the socket")
        data += chunk
    return data.decode()


def _read_request(channel: socket.socket) -> dict:
    data = b""
    while not data.endswith(b"\n"):
        chunk = channel.recv(65536)
        if not chunk or len(data) > MAX_REQUEST:
            raise EOFError("the grader closed the request")
        data += chunk
    return json.loads(data)


def _close_other_fds(keep: list[int]) -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    if devnull > 2:
        os.close(devnull)
    keep_set = {0, 1, 2, *keep}
    for fd in sorted(int(name) for name in os.listdir("/proc/self/fd")):
        if fd not in keep_set:
            with contextlib.suppress(OSError):
                os.close(fd)


def _sandbox_init(request: dict, channel: socket.socket, parent_alive: int) -> None:
    """The new PID namespace's first process: build the view, fork the kernel, then reap."""
    from neurogebra_grader.sandbox.confine import (
        ConfinementError,
        build_view,
        die_with_parent,
        drop_privileges,
    )
    from neurogebra_grader.sandbox.view import SandboxView

    try:
        view = SandboxView.from_json(request["view"])
        build_view(view, request["procs_files"])
        kernel = os.fork()
        if kernel == 0:
            os.close(parent_alive)  # the launcher's pipe is init's; a kernel keeps no host fd
            _run_kernel(request, view, channel)
        channel.close()
        drop_privileges(NOBODY)  # not the kernel's user: the kernel cannot signal its init
        die_with_parent()
        if select.select([parent_alive], [], [], 0)[0]:  # the launcher was killed meanwhile
            os._exit(137)
    except (ConfinementError, OSError, KeyError, ValueError) as problem:
        with contextlib.suppress(OSError):
            channel.sendall(f"E {problem}\n".encode())
        os._exit(125)
    signal.signal(signal.SIGINT, lambda *_: os.kill(kernel, signal.SIGINT))
    while True:  # reap every orphan of the namespace; end with the kernel
        try:
            pid, status = os.wait()
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(1)
        if pid == kernel:
            code = os.waitstatus_to_exitcode(status)
            os._exit(128 - code if code < 0 else code)


def _run_kernel(request: dict, view: Any, channel: socket.socket) -> None:
    """The kernel's process (pid 2): drop every privilege, say ready, become the kernel."""
    from neurogebra_grader.sandbox.confine import ConfinementError, become_sandbox_user

    try:
        become_sandbox_user(view)
        os.environ.update({k: v for k, v in SET_BY_IMPORTS.items() if k not in view.env})
        with contextlib.suppress(Exception):
            import numpy

            numpy.random.seed()  # a fresh state per kernel, as a new process would have
        del sys.path[0]  # the template's folder ("/"), which ipykernel_launcher drops too
    except (ConfinementError, OSError, ValueError) as problem:
        with contextlib.suppress(OSError):
            channel.sendall(f"E {problem}\n".encode())
        os._exit(125)
    channel.sendall(b"R\n")
    channel.close()
    sys.argv = ["ipykernel_launcher", "-f", request["connection_file"], *request["arguments"]]
    request.clear()  # the host's cgroup paths: nothing the kernel needs to find in its memory
    try:
        from ipykernel.kernelapp import launch_new_instance

        launch_new_instance()
    finally:
        os._exit(0)


def _launcher(channel: socket.socket, template: int) -> None:
    """The forked launcher of one request (steps 1-3 of the module doc); never returns."""
    from neurogebra_grader.sandbox.confine import (
        ConfinementError,
        die_with_parent,
        enter_namespaces,
    )

    code = 1
    try:
        # the template ends with the grader (its control socket closes): so does every kernel
        die_with_parent()
        if os.getppid() != template:
            os._exit(1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the template ignores it; we wait
        _close_other_fds([channel.fileno()])
        request = _read_request(channel)
        pidfd = os.pidfd_open(os.getpid())
        socket.send_fds(channel, [b"P %d\n" % os.getpid()], [pidfd])
        os.close(pidfd)
        alive_read, alive_write = os.pipe()
        try:
            kernel = enter_namespaces()
        except ConfinementError as problem:
            channel.sendall(f"E {problem}\n".encode())
            os._exit(125)
        if kernel == 0:
            os.close(alive_write)
            try:
                _sandbox_init(request, channel, alive_read)
            finally:
                os._exit(1)
        os.close(alive_read)
        channel.close()
        signal.signal(signal.SIGINT, lambda *_: os.kill(kernel, signal.SIGINT))
        while True:
            try:
                _, status = os.waitpid(kernel, 0)
                break
            except InterruptedError:
                continue
        code = os.waitstatus_to_exitcode(status)
        code = 128 - code if code < 0 else code
    finally:
        os._exit(code)


def serve(control: socket.socket) -> None:
    """Fork a launcher per request until the grader closes the control socket."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # launchers are reaped by the kernel
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 4)
        except InterruptedError:
            continue
        if not message:
            return
        if message != b"F" or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            continue
        template = os.getpid()
        if os.fork() == 0:
            with contextlib.suppress(BaseException):
                os.close(control.fileno())
                _launcher(socket.socket(fileno=fds[0]), template)
            os._exit(1)
        os.close(fds[0])


def main() -> None:
    os.umask(0o022)
    # sys.path[0] is the template's folder ("/"); each kernel drops it, as ipykernel_launcher
    control = socket.socket(fileno=int(sys.argv[1]))  # the grader's control socket
    # the template's own folder (matplotlib's font cache) comes over the socket, not in the
    # environment it was started with: a forked kernel reads that in /proc/self/environ
    folder = _read_line(control).strip()
    os.environ["HOME"], os.environ["MPLCONFIGDIR"] = folder, f"{folder}/.matplotlib"
    missing = preload()
    control.sendall(("ready " + json.dumps(missing) + "\n").encode())
    serve(control)


if __name__ == "__main__":
    main()
