"""A bound on the grading process's own memory while it reads kernels' messages.

zmq hands over a multipart message only once all of its frames have arrived, and it caps
the size of each frame (``MAXMSGSIZE``) but not their number: a kernel can send one message
made of the same 30 MB buffer a thousand times over (zero-copy on its side, so its own
memory cap does not stop it) and zmq would buffer all of it in the grader before any budget
could count it. :class:`MemoryGuard` watches this process's resident memory from a thread of
its own while a kernel runs. Once it has grown by more than the allowance, the run to blame
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
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

STATM = Path("/proc/self/statm")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
MIN_RECEIVING_SECONDS = 0.02  # less I/O-thread CPU than this received too little to blame
_active: set[MemoryGuard] = set()
_active_lock = threading.Lock()


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
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

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

    def _watch(self, baseline: int) -> None:
        while not self._stop.wait(self.interval) and not self.tripped:
            now = resident_bytes()
            if now is None or now - baseline <= self.allowance:
                continue
            culprit = _to_blame()
            if culprit is not None:
                culprit.trip()
            baseline = now  # what is left is not this run's doing, or it is being stopped

    def start(self) -> None:
        """Take this moment's resident memory as the baseline and start watching."""
        baseline = resident_bytes()
        if baseline is None:
            return
        self._cpu_start = cpu_seconds(self.threads)
        with _active_lock:
            _active.add(self)
        self._thread = threading.Thread(target=self._watch, args=(baseline,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with _active_lock:
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
