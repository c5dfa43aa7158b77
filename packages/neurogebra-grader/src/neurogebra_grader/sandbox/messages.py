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
    return context


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
