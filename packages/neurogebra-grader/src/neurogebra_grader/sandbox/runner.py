"""Execute a notebook cell by cell in a sandboxed kernel; report outputs, errors and observations.

The runner enforces the caps that only it can see. A cell that runs longer than its limit
fails alone: its kernel is killed and a fresh one re-runs the earlier cells that later ones
need (:mod:`.replay`), then goes on. A notebook over its wall-clock budget (restarts
included), a flood of output, or a kernel that sends too many messages, too many bytes or
too fast (see :mod:`.messages`) ends the run with a clear error; cells already run keep
their results. The kernel is killed, never interrupted, so code that ignores SIGINT cannot
hold the grader up. Each run gets its own writable tmpfs
(:mod:`.disk`) and, where the machine allows, its own cgroup (:mod:`.cgroups`); both are
swept when the run ends, so no process and no file outlives it.

From the first cell that may hold hidden tests on, printed output and error messages are
cut (:mod:`.redact`): only observations and the kinds of errors come back.

Observations are what test cells report for the trusted grader to judge (see
:mod:`neurogebra_grader.pipeline.observer`); the runner takes them out of the outputs.

Example:
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    >>> run = run_notebook(nb, Path(tempfile.mkdtemp()), Limits(), sandbox=False)
    >>> run.cells[0].text()
    '42\\n'
    >>> sorted(run.timings.as_dict())[:3]
    ['cells', 'imports', 'kernel_start']
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from zmq.utils.monitor import parse_monitor_message

from neurogebra_grader.sandbox import cgroups
from neurogebra_grader.sandbox.bytecode import ensure_compiled
from neurogebra_grader.sandbox.disk import DiskFull, PrivateDisk, private_disk
from neurogebra_grader.sandbox.disk import sweep_stale as sweep_stale_disks
from neurogebra_grader.sandbox.kernel import sandboxed_kernel_manager
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.memguard import MemoryGuard
from neurogebra_grader.sandbox.messages import (
    MessageBudget,
    capped_context,
    frames_size,
    grader_allowance,
    io_threads,
)
from neurogebra_grader.sandbox.outputs import install as install_outputs
from neurogebra_grader.sandbox.redact import (
    cut_note,
    first_hidden_cell,
    hidden_error,
    hidden_inputs,
    hides_something,
    is_solution,
    is_test_cell,
    may_hold_hidden_tests,
    redact_outputs,
)
from neurogebra_grader.sandbox.replay import (
    budget_timeout,
    budget_used_up,
    cell_role,
    cell_timeout,
    replay_after,
    restarted,
)

OBSERVATION_MIME = "application/vnd.neurogebra.observation+json"
# imported before the first cell, so that the time it takes is told apart from the cells'
PRELOAD = "import neurogebra_grader"
# in a sandbox, also forget what earlier kernels of its user id left in its keyrings (see
# .keyrings); never in an unsandboxed kernel, which runs as the instructor
PRELOAD_SANDBOXED = (
    "import neurogebra_grader\n"
    "from neurogebra_grader.sandbox.keyrings import forget_keyrings as _neurogebra_forget\n"
    "_neurogebra_forget()\n"
    "del _neurogebra_forget"
)
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error", "update_display_data"}


@dataclass
class CellRun:
    """One cell's run: ``status`` is ok, error, timeout, killed or not run."""

    index: int
    status: str = "not run"
    error: str = ""
    outputs: list[dict[str, Any]] = field(default_factory=list)
    observations: list[Any] = field(default_factory=list)
    seconds: float = 0.0

    def text(self) -> str:
        return "".join(o.get("text", "") for o in self.outputs if o.get("output_type") == "stream")


@dataclass
class RunTimings:
    """Where one run's wall-clock time went, in seconds.

    ``sandbox_start``: the private tmpfs, the copy of the submission, the cgroup;
    ``kernel_start``: bubblewrap and Python up until the kernel answers; ``imports``: the
    grader's checks (and NumPy) imported in the kernel; ``cells``: the notebook's cells (the
    student's code and the tests); ``teardown``: killing the sandbox and sweeping it. When a
    cell ran out of time and the kernel was restarted, ``kernel_start`` and ``imports`` add up
    every kernel's, and ``cells`` includes the re-runs.
    """

    sandbox_start: float = 0.0
    kernel_start: float = 0.0
    imports: float = 0.0
    cells: float = 0.0
    teardown: float = 0.0

    @property
    def total(self) -> float:
        return self.sandbox_start + self.kernel_start + self.imports + self.cells + self.teardown

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass
class NotebookRun:
    """A whole run: one CellRun per cell, plus the error that ended it early, if any.

    ``hidden_from`` is the index of the first cell whose outputs were cut (None: no cell
    could hold hidden tests); ``timings`` says where the time went.
    """

    cells: list[CellRun]
    error: str = ""
    seconds: float = 0.0
    timings: RunTimings = field(default_factory=RunTimings)
    hidden_from: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "cells": [asdict(c) for c in self.cells],
            "error": self.error,
            "seconds": self.seconds,
            "timings": self.timings.as_dict(),
            "hidden_from": self.hidden_from,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NotebookRun:
        return cls(
            [CellRun(**c) for c in data["cells"]],
            data["error"],
            data["seconds"],
            RunTimings(**data.get("timings", {})),
            data.get("hidden_from"),
        )


# set by _count_messages on each message read: the bytes of its content and buffers as sent
CONTENT_BYTES = "neurogebra_content_bytes"


class _CappedClient(NotebookClient):
    """nbclient's client, counting output bytes; past a cap it kills the kernel.

    The bytes counted are those the kernel sent (the content frame and buffers, measured by
    :func:`_count_messages` before parsing), so no output is serialised again to be counted.
    Outputs are built and validated by :mod:`.outputs` (the schema compiled once).
    """

    output_cap: int = 0
    output_used: int = 0
    stopped: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        install_outputs()
        super().__init__(*args, **kwargs)

    def stop(self, reason: str) -> None:
        """Kill the kernel, once, for ``reason`` (it becomes the cell's error)."""
        if not self.stopped:
            self.stopped = reason
            _kill(self.km)

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        if self.stopped:
            return None
        if msg["msg_type"] in OUTPUT_TYPES:
            size = msg.get(CONTENT_BYTES)
            if not isinstance(size, int):  # not read through _count_messages
                size = len(json.dumps(msg["content"], default=str))
            self.output_used += size
            if self.output_used > self.output_cap:
                self.stop(f"the output passed {self.output_cap:,} bytes")
                return None
        return super().process_message(msg, cell, cell_index)


def _count_messages(km: Any, client: _CappedClient, budget: MessageBudget) -> None:
    """Charge every message read from any channel of ``km``'s clients to ``budget``.

    The clients talk over ``km``'s zmq context, whose sockets carry the message caps.
    """
    make_client = km.client

    def client_with_budget(**kwargs: Any) -> Any:
        kc = make_client(context=km.context, **kwargs)
        session = kc.session  # each client reads through its own copy of the session
        deserialize = session.deserialize

        def counted(msg_list: Any, *args: Any, **kw: Any) -> Any:
            reason = budget.spend(frames_size(msg_list), now=time.monotonic())
            if reason:
                client.stop(reason)
            msg = deserialize(msg_list, *args, **kw)
            # [signature, header, parent, metadata, content, *buffers]: content and buffers
            msg[CONTENT_BYTES] = frames_size(msg_list[4:])
            return msg

        session.deserialize = counted
        return kc

    km.client = client_with_budget


async def _watch_oversized(socket: Any, client: _CappedClient, limits: Limits) -> None:
    """Stop the run when zmq drops the kernel for sending one message over the byte cap.

    zmq disconnects a peer whose message is larger than ``MAXMSGSIZE``, silently; a
    disconnect while the kernel still runs can only mean that (a dead kernel disconnects too).
    """
    monitor = socket.get_monitor_socket(zmq.EVENT_DISCONNECTED)
    try:
        while True:
            event = parse_monitor_message(await monitor.recv_multipart())
            if event["event"] != zmq.EVENT_DISCONNECTED:
                continue
            await asyncio.sleep(0.5)
            if _alive(client.km):
                client.stop(
                    f"the kernel sent one message of more than {limits.message_bytes:,} bytes"
                )
    finally:
        with contextlib.suppress(Exception):
            socket.disable_monitor()
        monitor.close(linger=0)


def _alive(km: Any) -> bool:
    process = getattr(getattr(km, "provisioner", None), "process", None)
    return process is not None and process.poll() is None


def _kill(km: Any) -> None:
    """Kill the sandbox (bwrap's death takes every process in its pid namespace with it)."""
    if _alive(km):
        km.provisioner.process.kill()


def _cell_error(outputs: list[dict[str, Any]]) -> str:
    for out in outputs:
        if out.get("output_type") == "error":
            return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"[:500]
    return ""


def _split_observations(outputs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Any]]:
    kept, observed = [], []
    for out in outputs:
        data = out.get("data") or {}
        if out.get("output_type") == "display_data" and OBSERVATION_MIME in data:
            observed.append(json.loads(json.dumps(data[OBSERVATION_MIME])))  # plain dicts
        else:
            kept.append(out)
    return kept, observed


def _disk_notes(disk: PrivateDisk | None, limits: Limits) -> str:
    """Which disk cap the run reached, if any (read before the tmpfs is unmounted)."""
    if disk is None or not disk.enforced:
        return ""
    try:
        stat = os.statvfs(disk.root)
    except OSError:
        return ""
    # read after the kernel's own files (sockets, connection file) were removed: keep a margin
    notes = []
    if stat.f_favail <= max(16, limits.inodes // 100):
        notes.append(f"the sandbox's disk ran out of files ({limits.inodes:,} files and folders)")
    if stat.f_bavail * stat.f_frsize < 64 * 1024:
        notes.append(
            f"the sandbox's disk filled up ({limits.disk_mb} MB for files, /tmp and /dev/shm)"
        )
    return "; ".join(notes)


@dataclass
class _Sandbox:
    """What one run holds on the host: its writable area and its cgroup."""

    workdir: Path
    disk: PrivateDisk | None = None
    cgroup: cgroups.SandboxCgroup | None = None


async def _preload(client: _CappedClient, sandbox: bool) -> None:
    """Import the grader's checks before the first cell (errors are the cells' to report)."""
    assert client.kc is not None
    code = PRELOAD_SANDBOXED if sandbox else PRELOAD
    msg_id = client.kc.execute(code, silent=True, store_history=False)
    with contextlib.suppress(Exception):
        await client.async_wait_for_reply(msg_id)


@dataclass
class _RunState:
    """What every kernel of one run shares: its caps, its budget, and the results so far.

    A cell that runs out of time ends its kernel, not the run: the next kernel re-runs what
    later cells need (see :mod:`.replay`), so one run may use several kernels, one at a time.
    """

    nb: Any
    box: _Sandbox
    limits: Limits
    sandbox: bool
    timings: RunTimings
    context: Any
    budget: MessageBudget
    deadline: float
    cells: list[CellRun]
    hidden_from: int | None
    watched_for: Any
    client: _CappedClient | None = None
    output_used: int = 0
    stopped: str = ""  # a cap ended the run: no other kernel starts
    error: str = ""
    notes: list[str] = field(default_factory=list)  # restarts, for the report
    index: int = -1  # the cell running now
    cut: list[int] = field(default_factory=list)  # cells whose cut output the report names
    gate: Any = None  # a threading.Semaphore of slots to run cells in (None: no waiting)
    gated: bool = False  # this run holds one of the gate's slots
    waited: float = 0.0  # seconds spent waiting for it, kernel up (not the notebook's time)

    def stop(self, reason: str) -> None:
        """End the run for ``reason`` (a cap): kill the kernel running now, start no other."""
        self.stopped = self.stopped or reason
        if self.client is not None:
            self.client.stop(reason)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def out_of_budget(self, first: int) -> None:
        """Mark every code cell from ``first`` on as never run: the budget was used up."""
        for index in range(first, len(self.nb.cells)):
            run = self.cells[index]
            if self.nb.cells[index].cell_type == "code" and run.status == "not run":
                run.error = budget_used_up(self.limits.wall_seconds)
        self.error = self.error or (
            f"the notebook ran out of time ({self.limits.wall_seconds:g} s in all)"
        )


async def _through_gate(state: _RunState) -> None:
    """Wait, kernel started and imports done, for a slot to run cells in (see run_notebook).

    The wait moves the notebook's deadline: it is not the student's time.
    """
    began = time.monotonic()
    while not state.gate.acquire(blocking=False):
        await asyncio.sleep(0.005)
    state.gated = True
    waited = time.monotonic() - began
    state.waited += waited
    state.deadline += waited


# how long a kernel may take to come up (less when the notebook's budget has less left)
STARTUP_SECONDS = 30


@dataclass
class _Stop:
    """Why a kernel ended early: cell ``index`` ran out of time (``replaying``: when re-run)."""

    index: int
    replaying: bool = False


def _kernel_error(state: _RunState, exc: Exception) -> str:
    watched = state.hidden_from is not None and state.index >= state.hidden_from
    detail = "" if watched else f": {exc}"  # junk sent after a hidden test may quote it
    return f"the kernel failed: {type(exc).__name__}{detail}"[:500]


async def _run_cell(state: _RunState, cell: Any, index: int) -> CellRun | _Stop | None:
    """Run one cell of the notebook; a _Stop when it ran out of time (restart), None: run over.

    ``cell`` is the notebook's own cell; its CellRun is ``state.cells[index]``.
    """
    client, limits = state.client, state.limits
    assert client is not None
    run = state.cells[index]
    remaining = state.remaining()
    if remaining <= 0:
        state.out_of_budget(index)
        return None
    client.timeout = max(1, int(min(limits.cell_seconds, remaining)))
    by_budget = remaining < limits.cell_seconds
    started = time.monotonic()
    try:
        await client.async_execute_cell(cell, index)
    except CellTimeoutError:
        run.status = "timeout"
    except DeadKernelError:
        run.status = "killed"
        if client.stopped:
            run.error = client.stopped
        elif state.box.cgroup is not None and state.box.cgroup.oom_killed():
            run.error = (
                f"the sandbox ran out of memory ({limits.memory_mb} MB in all) "
                "and the kernel was killed"
            )
        else:
            run.error = "the kernel died (it crashed, exited or ran out of memory)"
    run.seconds = time.monotonic() - started
    outputs = [dict(o) for o in cell.get("outputs", [])]
    run.outputs, run.observations = _split_observations(outputs)
    if run.status == "not run":
        run.error = _cell_error(run.outputs)
        run.status = "error" if run.error else "ok"
    if client.stopped and run.status != "killed":
        run.status, run.error = "killed", client.stopped
    if state.hidden_from is not None and index >= state.hidden_from:
        test_cell = is_test_cell(cell)
        if any(
            hides_something(o, test_cell=test_cell, inputs=state.watched_for) for o in run.outputs
        ):
            state.cut.append(index)
        run.outputs = redact_outputs(run.outputs)
        if run.status == "error":
            run.error = hidden_error(run.error)
    if run.status == "timeout":
        if by_budget:
            run.error = budget_timeout(run.seconds, limits.wall_seconds)
        else:
            run.error = cell_timeout(run.seconds, client.timeout)
        # the grader's own words, after the cut: the feedback shows why the cell has no result
        run.outputs.append(
            {"output_type": "error", "ename": "TimeoutError", "evalue": run.error, "traceback": []}
        )
        if by_budget:
            state.out_of_budget(index + 1)
            state.error = f"cell {index + 1}: {run.error}"
            return None
        return _Stop(index)
    if run.status == "killed":
        state.error = f"cell {index + 1}: {run.error}"
        return None
    return run


async def _replay(state: _RunState, index: int) -> _Stop | bool | None:
    """Re-run cell ``index`` in a fresh kernel, keeping nothing it outputs.

    True when it ran (whatever its result), a _Stop when it ran out of time, None: run over.
    """
    client, limits = state.client, state.limits
    assert client is not None
    remaining = state.remaining()
    if remaining <= 0:
        state.out_of_budget(state.index)
        return None
    client.timeout = max(1, int(min(limits.cell_seconds, remaining)))
    cell = state.nb.cells[index]
    try:  # straight to the kernel: nbclient would put the re-run's outputs into the notebook
        assert client.kc is not None
        msg_id = client.kc.execute(str(cell.source), stop_on_error=False)
        await client.async_wait_for_reply(msg_id, cell)
    except CellTimeoutError:
        if remaining < limits.cell_seconds:
            state.out_of_budget(state.index)
            return None
        return _Stop(index, replaying=True)
    except DeadKernelError:
        state.error = f"cell {index + 1}: {client.stopped or 'the kernel died when re-run'}"
        return None
    if client.stopped:
        state.error = f"cell {index + 1}: {client.stopped}"
        return None
    return True


async def _kernel(state: _RunState, replay: list[int], start: int) -> _Stop | None:
    """One kernel: start it, re-run ``replay``, then run the cells from ``start`` on.

    Returns a _Stop when a cell ran out of time (the caller starts the next kernel), else None
    (the run is over: every cell ran, a cap was hit or the budget was used up).
    """
    limits, box, timings = state.limits, state.box, state.timings
    km = sandboxed_kernel_manager(
        box.workdir,
        limits,
        sandbox=state.sandbox,
        disk=box.disk,
        cgroup=box.cgroup,
        context=state.context,
    )
    client = _CappedClient(
        state.nb,
        km=km,
        timeout=limits.cell_seconds,
        interrupt_on_timeout=False,
        allow_errors=True,
        startup_timeout=max(1, int(min(STARTUP_SECONDS, state.remaining()))),
        iopub_timeout=5,
        kernel_name="",
        resources={"metadata": {"path": str(box.workdir)}},
        shutdown_kernel="immediate",  # it is killed anyway: no graceful wait
    )
    client.output_cap, client.output_used = limits.output_bytes, state.output_used
    state.client = client
    _count_messages(km, client, state.budget)
    watchers: list[asyncio.Future[None]] = []
    clock = time.monotonic()
    started = False
    try:
        await km.start_kernel(
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(box.workdir)
        )
        async with client.async_setup_kernel():
            assert client.kc is not None
            watchers = [
                asyncio.ensure_future(_watch_oversized(channel.socket, client, limits))
                for channel in (client.kc.iopub_channel, client.kc.shell_channel)
            ]
            now = time.monotonic()
            timings.kernel_start, clock, started = timings.kernel_start + now - clock, now, True
            await _preload(client, state.sandbox)
            now = time.monotonic()
            timings.imports, clock = timings.imports + now - clock, now
            if state.gate is not None and not state.gated:
                await _through_gate(state)
            for index in replay:
                replayed = await _replay(state, index)
                if replayed is not True:
                    return replayed if isinstance(replayed, _Stop) else None
            for index in range(start, len(state.nb.cells)):
                state.index = index
                if state.nb.cells[index].cell_type != "code":
                    state.cells[index].status = "skipped"
                    continue
                ran = await _run_cell(state, state.nb.cells[index], index)
                if not isinstance(ran, CellRun):
                    return ran
            return None
    except Exception as exc:  # the kernel never came up, its channels broke, or it sent junk
        if not started and state.remaining() < STARTUP_SECONDS - 1:  # the budget cut its start
            state.out_of_budget(start)
        else:
            state.error = state.error or _kernel_error(state, exc)
        return None
    finally:
        atexit.unregister(client._cleanup_kernel)  # nbclient leaves it when the start fails
        if not started:  # the kernel never came up: that time went into starting it
            timings.kernel_start += time.monotonic() - clock
        state.output_used = client.output_used
        state.stopped = state.stopped or client.stopped
        state.client = None
        for watcher in watchers:
            watcher.cancel()
        _kill(km)
        if client.kc is not None:  # its heartbeat thread uses the context destroyed later
            with contextlib.suppress(Exception):
                client.kc.stop_channels()
        with contextlib.suppress(Exception):
            await km.shutdown_kernel(now=True)
        await km.cleanup_resources()
        if box.cgroup is not None:  # whatever the kernel left running goes with it
            box.cgroup.kill_all()


# a restart needs at least this much of the budget left to be worth starting
RESTART_MIN_SECONDS = 3.0


async def _run_cells(
    nb: Any, box: _Sandbox, limits: Limits, sandbox: bool, timings: RunTimings, gate: Any
) -> tuple[list[CellRun], str, int | None]:
    deadline = time.monotonic() + limits.wall_seconds
    hidden_from = first_hidden_cell(nb)
    sources = [c for c in nb.cells if c.cell_type == "code" and isinstance(c.source, str)]
    watched_for = hidden_inputs(  # what the hidden tests try; the visible cells' own left out
        [c.source for c in sources if may_hold_hidden_tests(c)],
        [c.source for c in sources if not may_hold_hidden_tests(c) and not is_solution(c)],
    )
    context = capped_context(limits)
    receivers = io_threads(context)  # before any other socket of the context starts them
    state = _RunState(
        nb,
        box,
        limits,
        sandbox,
        timings,
        context,
        MessageBudget(limits),
        deadline,
        [CellRun(i) for i in range(len(nb.cells))],
        hidden_from,
        watched_for,
        gate=gate,
    )
    roles = [cell_role(cell) for cell in nb.cells]
    skipped: set[int] = set()  # cells that ran out of time: never re-run
    replay: list[int] = []
    start, clock = 0, time.monotonic()
    guard = MemoryGuard(grader_allowance(limits), state.stop, receivers)
    guard.start()
    try:
        while True:
            stop = await _kernel(state, replay, start)
            if stop is None or state.stopped or state.error:
                break
            skipped.add(stop.index)
            error = state.cells[stop.index].error
            if stop.replaying:
                error = (
                    f"when re-run after a restart, it ran longer than {limits.cell_seconds:g} s "
                    "(its time limit per cell)"
                )
            else:
                start = stop.index + 1
            if start >= len(nb.cells) or state.remaining() < RESTART_MIN_SECONDS:
                state.notes.append(restarted(stop.index, error, None))
                if start < len(nb.cells):
                    state.error = (
                        f"the notebook's time budget ({limits.wall_seconds:g} s in all) had "
                        "too little left to restart the kernel"
                    )
                    state.out_of_budget(start)
                break
            replay = replay_after(roles, start, skipped)
            state.notes.append(restarted(stop.index, error, len(replay)))
    finally:
        if state.gated:
            gate.release()
        guard.stop()
        used = timings.kernel_start + timings.imports + state.waited
        timings.cells = max(0.0, time.monotonic() - clock - used)
        context.destroy(linger=0)
    error = "; ".join(state.notes + ([state.error] if state.error else []))
    if state.cut:
        note = cut_note(state.cut)
        error = f"{error}; {note}" if error else note
    return state.cells, error, hidden_from


def _open_sandbox(workdir: Path, limits: Limits, stack: contextlib.ExitStack) -> _Sandbox:
    sweep_stale_disks()  # left by a grader that was killed mid-run
    cgroups.sweep_stale()
    box = _Sandbox(workdir)
    box.disk = stack.enter_context(private_disk(workdir, limits))
    box.workdir = box.disk.workdir
    box.cgroup = cgroups.create(limits)
    if box.cgroup is not None:
        stack.callback(box.cgroup.remove)
    return box


async def _run(nb: Any, workdir: Path, limits: Limits, sandbox: bool, gate: Any) -> NotebookRun:
    start = time.monotonic()
    timings = RunTimings()
    cells = [CellRun(i) for i in range(len(nb.cells))]
    error, hidden_from = "", first_hidden_cell(nb)
    with contextlib.ExitStack() as stack:
        try:
            box = _open_sandbox(workdir, limits, stack)
        except (DiskFull, OSError) as problem:
            return NotebookRun(cells, f"the sandbox could not be made: {problem}", 0.0, timings)
        timings.sandbox_start = time.monotonic() - start
        cells, error, hidden_from = await _run_cells(nb, box, limits, sandbox, timings, gate)
        ended = time.monotonic()
        notes = _disk_notes(box.disk, limits)
        if notes and notes not in error:
            error = f"{error}; {notes}" if error else notes
        if box.cgroup is not None:
            box.cgroup.kill_all()
    timings.teardown = time.monotonic() - ended
    return NotebookRun(cells, error, time.monotonic() - start, timings, hidden_from)


def run_notebook(
    nb: Any,
    workdir: Path,
    limits: Limits,
    *,
    sandbox: bool = True,
    gate: threading.Semaphore | None = None,
) -> NotebookRun:
    """Run every code cell of ``nb`` (a NotebookNode, modified in place) in ``workdir``.

    ``workdir`` holds the submission's files; the kernel works on a copy of them in its own
    tmpfs, so nothing it writes stays behind. Before the first sandboxed run of a process, the
    environment's modules are compiled to bytecode (see :mod:`.bytecode`). With a ``gate``, the
    run starts its sandbox and kernel at once but runs its first cell only once it holds one of
    the gate's slots, released when its cells are done: so a pool can start the next kernel
    while the others run their cells, without more notebooks computing at once than it has
    slots. The wait is not counted in the notebook's time budget nor in ``timings``.
    """
    nb = nb if isinstance(nb, nbformat.NotebookNode) else nbformat.from_dict(nb)
    if sandbox:  # the kernel cannot write bytecode: compile its modules first (once)
        ensure_compiled()
    return asyncio.run(_run(nb, workdir, limits, sandbox, gate))


__all__ = ["OBSERVATION_MIME", "CellRun", "NotebookRun", "RunTimings", "run_notebook", "tempfile"]
