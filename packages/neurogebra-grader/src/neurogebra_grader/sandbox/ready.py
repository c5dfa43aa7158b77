"""Wait for a kernel to answer, without jupyter_client's fixed fifth of a second.

jupyter_client's ``wait_for_ready`` ends by reading IOPub until it has been silent for 0.2 s,
paid by every kernel start. That silence proves nothing the client needs: the kernel-info
reply and one IOPub message already show both channels connected, and a cell's run only
reads messages whose parent is its own request, so a late status message from the start is
ignored anyway. This waits as jupyter_client does, then drains what has already arrived.

Example:
    >>> DRAIN_SECONDS < 0.2
    True
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

DRAIN_SECONDS = 0.005


async def wait_for_ready(kc: Any, timeout: float | None = None) -> None:
    """Return when ``kc``'s kernel has answered a kernel-info request and IOPub carries its
    messages; RuntimeError when it died or ``timeout`` seconds passed first."""
    deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
    while True:
        kc.kernel_info()
        try:
            reply = await kc.shell_channel.get_msg(timeout=1)
        except Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply":
            try:  # IOPub connected: the request's status message arrives there too
                await kc.iopub_channel.get_msg(timeout=0.2)
            except Empty:
                pass
            else:
                kc._handle_kernel_info_reply(reply)
                break
        if not await kc._async_is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
    while True:
        try:
            await kc.iopub_channel.get_msg(timeout=DRAIN_SECONDS)
        except Empty:
            return
