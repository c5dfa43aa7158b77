"""A bound on the grading process's own memory while it reads kernels' messages.

zmq hands over a multipart message only once all of its frames have arrived, and it caps
the size of each frame (``MAXMSGSIZE``) but not their number: a kernel can send one message
made of the same 30 MB buffer a thousand times over (zero-copy on its side, so its own
memory cap does not stop it) and zmq would buffer all of it in the grader before any budget
could count it. :class:`MemoryGuard` watches this process's resident memory while a kernel
runs, from one thread the process's guards share (on a shared machine, each wake-up of a
polling thread costs about 0.1 ms of CPU: one thread for all runs, not one per run).
Once it has grown by more than the allowance, the run to blame
is the one whose zmq I/O threads (see :func:`.messages.io_threads`) spent the most CPU time
receiving since it started: copying hundreds of megabytes costs them tens of milliseconds,
an honest kernel's few messages almost nothing. That run is stopped (the runner kills its
kernel, and zmq drops the half-received message with the connection), never a neighbour
graded in another thread of the same process that received little. Growth no run received
(the grader's own) moves the baseline instead.

Example:
    >>> reasons = []
    >>> with MemoryGuard(1 << 40, reasons.append):
    ...     pass
    >>> reasons
    []
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

STATM = Path("/proc/self/statm")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
MIN_RECEIVING_SECONDS = 0.02  # less I/O-thread CPU than this received too little to blame
_active: set[MemoryGuard] = set()
_active_lock = threading.Lock()
# held while the shared thread judges a tick: once stop() has it, its guard is never tripped
_tick_lock = threading.Lock()
_watching = threading.Condition(_active_lock)  # notified when a guard starts
_watcher: threading.Thread | None = None


def resident_bytes() -> int | None:
    """This process's resident memory in bytes (None where ``/proc`` cannot say)."""
    try:
        return int(STATM.read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return None


def cpu_seconds(threads: Iterable[int]) -> float:
    """CPU time (user + system) spent so far by these threads of this process."""
    ticks = 0
    for tid in threads:
        try:
            fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        except (OSError, IndexError, ValueError):
            continue
    return ticks / TICK


def _to_blame() -> MemoryGuard | None:
    """The watched run that received the most, if it received enough to be blamed."""
    with _active_lock:
        candidates = [g for g in _active if not g.tripped]
    received = {guard: guard.receiving_seconds() for guard in candidates}
    if not received:
        return None
    guard = max(received, key=received.__getitem__)
    return guard if received[guard] >= MIN_RECEIVING_SECONDS else None


def _tick() -> None:
    """One look at this process's memory on behalf of every active guard."""
    now = resident_bytes()
    if now is None:
        return
    with _active_lock:
        guards = [g for g in _active if not g.tripped]
    for guard in guards:
        if now - guard.baseline <= guard.allowance:
            continue
        culprit = _to_blame()
        if culprit is not None:
            culprit.trip()
        guard.baseline = now  # what is left is not this run's doing, or it is being stopped


def _watch_all() -> None:
    """The shared thread: a tick every (smallest) interval while a guard is active."""
    while True:
        with _watching:
            while not _active:
                _watching.wait()
            interval = min(g.interval for g in _active)
        time.sleep(interval)
        with _tick_lock:
            _tick()


def _ensure_watcher() -> None:
    """Start the shared thread (call with ``_active_lock`` held)."""
    global _watcher
    if _watcher is None or not _watcher.is_alive():
        _watcher = threading.Thread(target=_watch_all, name="memory-guard", daemon=True)
        _watcher.start()


def _forget_watcher() -> None:  # a forked child has none of its parent's threads
    global _watcher, _active_lock, _tick_lock, _watching
    _watcher = None
    _active.clear()
    _active_lock = threading.Lock()
    _tick_lock = threading.Lock()
    _watching = threading.Condition(_active_lock)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_watcher)


class MemoryGuard:
    """Stop the run that made this process's memory grow by more than ``allowance``.

    ``threads`` are the zmq I/O threads that receive this run's messages; ``exceeded(reason)``
    is called once, when this run is the one to blame.
    """

    def __init__(
        self,
        allowance: int,
        exceeded: Callable[[str], None],
        threads: Iterable[int] = (),
        interval: float = 0.01,
    ) -> None:
        self.allowance = allowance
        self.exceeded = exceeded
        self.threads = frozenset(threads)
        self.interval = interval
        self.tripped = False
        self._cpu_start = 0.0
        self.baseline = 0

    def receiving_seconds(self) -> float:
        """CPU time this run's zmq I/O threads spent since it started."""
        return cpu_seconds(self.threads) - self._cpu_start

    def trip(self) -> None:
        if not self.tripped:
            self.tripped = True
            self.exceeded(
                "the kernel sent more than the grader will hold in memory at once "
                f"({self.allowance // (1 << 20)} MB)"
            )

    def start(self) -> None:
        """Take this moment's resident memory as the baseline and start watching."""
        baseline = resident_bytes()
        if baseline is None:
            return
        self.baseline = baseline
        self._cpu_start = cpu_seconds(self.threads)
        with _watching:
            _active.add(self)
            _ensure_watcher()
            _watching.notify_all()

    def stop(self) -> None:
        """Stop watching; once it returns, ``exceeded`` is never called."""
        with _tick_lock, _active_lock:
            _active.discard(self)

    def __enter__(self) -> MemoryGuard:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
