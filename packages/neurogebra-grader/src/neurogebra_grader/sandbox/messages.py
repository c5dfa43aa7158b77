"""A budget for what a kernel sends the grader: message count, bytes and rate.

The grader reads every message a kernel sends on its channels, whatever the parent header
says, so a kernel that floods (prints in a loop, publishes displays or comm messages from a
thread, forges replies) spends this budget, and the first message over it stops the run. The
zmq sockets are also made with :func:`capped_context`: one message larger than the byte budget
is dropped by zmq before it is read, and at most ``QUEUE`` messages wait unread, so the
grader's memory stays bounded whatever the kernel sends. zmq caps the size of each frame of
a message, not their number, so the runner also watches its own memory
(:mod:`.memguard`), with :func:`grader_allowance` as the bound.

Example:
    >>> budget = MessageBudget(Limits(messages=2))
    >>> budget.spend(100, now=0.0), budget.spend(100, now=0.1), budget.spend(100, now=0.2)
    ('', '', 'the kernel sent more than 2 messages')
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import zmq
import zmq.asyncio

from neurogebra_grader.sandbox.limits import Limits

QUEUE = 64  # messages zmq holds for us before it drops (iopub) or blocks the sender (shell)
GRADER_ALLOWANCE_FACTOR = 4  # the grader may hold this many message budgets at once, no more


def grader_allowance(limits: Limits) -> int:
    """How much the grading process's memory may grow while one kernel runs, in bytes."""
    return GRADER_ALLOWANCE_FACTOR * limits.message_bytes


def capped_context(limits: Limits) -> zmq.asyncio.Context:
    """A zmq context whose sockets refuse messages over the byte budget and queue few."""
    context = zmq.asyncio.Context()
    context.setsockopt(zmq.MAXMSGSIZE, limits.message_bytes)
    context.setsockopt(zmq.RCVHWM, QUEUE)
    # the client connects before the kernel has bound its ipc sockets; zmq retries every
    # 100 ms by default, a tenth of a second added to every kernel start
    context.setsockopt(zmq.RECONNECT_IVL, 10)
    return context


_NEW_THREADS = threading.Lock()  # contexts start their threads one at a time: told apart


def _tasks() -> dict[int, str]:
    """This process's threads: id -> name."""
    found = {}
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm") as comm:
                found[int(task)] = comm.read().strip()
        except OSError:
            continue
    return found


def io_threads(context: Any) -> frozenset[int]:
    """The thread ids of ``context``'s zmq I/O threads: they receive whatever its kernel sends.

    Call it on a context that has made no socket yet: libzmq starts a context's threads with
    its first socket, which this function makes (and closes); each thread names itself
    (``ZMQbg/IO/0``) once it runs. Empty where ``/proc`` is absent.
    """
    if not os.path.isdir("/proc/self/task"):
        return frozenset()
    with _NEW_THREADS:
        before = set(_tasks())
        context.socket(zmq.PUB).close(linger=0)
        deadline = time.monotonic() + 2.0
        while True:
            new = {tid: name for tid, name in _tasks().items() if tid not in before}
            io = frozenset(tid for tid, name in new.items() if name.startswith("ZMQbg/IO"))
            if io or time.monotonic() > deadline:
                return io
            time.sleep(0.001)


@dataclass
class MessageBudget:
    """Counts messages and bytes; :meth:`spend` returns "" or the reason the budget is gone."""

    limits: Limits
    count: int = 0
    size: int = 0
    window_start: float = 0.0
    window_count: int = 0
    exceeded: str = ""
    by_type: dict[str, int] = field(default_factory=dict)

    def spend(self, size: int, *, now: float, kind: str = "") -> str:
        if self.exceeded:
            return self.exceeded
        self.count += 1
        self.size += size
        if kind:
            self.by_type[kind] = self.by_type.get(kind, 0) + 1
        if now - self.window_start >= 1.0:
            self.window_start, self.window_count = now, 0
        self.window_count += 1
        limits = self.limits
        if self.count > limits.messages:
            self.exceeded = f"the kernel sent more than {limits.messages:,} messages"
        elif self.size > limits.message_bytes:
            self.exceeded = f"the kernel sent more than {limits.message_bytes:,} bytes of messages"
        elif self.window_count > limits.messages_per_second:
            self.exceeded = (
                f"the kernel sent more than {limits.messages_per_second:,} messages in one second"
            )
        return self.exceeded


def frames_size(frames: Any) -> int:
    """Bytes in a multipart zmq message (bytes or zmq.Frame parts; nothing is copied)."""
    return sum(len(frame) for frame in frames)
