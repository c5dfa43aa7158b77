"""A bound on the grading process's own memory while it reads a kernel's messages.

zmq hands over a multipart message only once all of its frames have arrived, and it caps
the size of each frame (``MAXMSGSIZE``) but not their number: a kernel can send one message
made of the same 30 MB buffer a thousand times over (zero-copy on its side, so its own
memory cap does not stop it) and zmq would buffer all of it in the grader before any budget
could count it. :class:`MemoryGuard` watches this process's resident memory from a thread of
its own while a kernel runs; once it has grown by more than its allowance since the run
started, it calls back (the runner kills the kernel, and zmq drops the half-received
message with the connection).

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
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

STATM = Path("/proc/self/statm")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int | None:
    """This process's resident memory in bytes (None where ``/proc`` cannot say)."""
    try:
        return int(STATM.read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return None


class MemoryGuard:
    """Call ``exceeded(reason)`` once if resident memory grows by more than ``allowance``."""

    def __init__(
        self, allowance: int, exceeded: Callable[[str], None], interval: float = 0.01
    ) -> None:
        self.allowance = allowance
        self.exceeded = exceeded
        self.interval = interval
        self.tripped = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _watch(self, baseline: int) -> None:
        while not self._stop.wait(self.interval):
            now = resident_bytes()
            if now is not None and now - baseline > self.allowance:
                self.tripped = True
                self.exceeded(
                    "the kernel sent more than the grader will hold in memory at once "
                    f"({self.allowance // (1 << 20)} MB)"
                )
                return

    def start(self) -> None:
        """Take this moment's resident memory as the baseline and start watching."""
        baseline = resident_bytes()
        if baseline is not None:
            self._thread = threading.Thread(target=self._watch, args=(baseline,), daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

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
