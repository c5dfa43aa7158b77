"""Forget the keys an earlier kernel of the same user id left in the kernel's keyrings.

Linux keyrings belong to a user id, not to a namespace, and outlive the processes that filled
them (the persistent keyring for days). A sandbox's user id is its grading thread's, so the
keys one kernel added would reach the next student's kernel on that thread. Every sandboxed
kernel therefore joins a session keyring of its own and empties its user id's user,
user-session and persistent keyrings before the first cell: a kernel forked from the template
in :func:`.confine.become_sandbox_user`, a bubblewrap kernel in the runner's first request
(as the sandbox's user, so it can only touch that user's keyrings). Never call it in a process
of the instructor's own user.

Example:
    >>> KEY_SPEC_USER_KEYRING
    -4
"""

from __future__ import annotations

import ctypes
from errno import ENOSYS, EOPNOTSUPP, EPERM

from neurogebra_grader.sandbox.libc import last_error, libc

SYS_KEYCTL = 250  # x86_64
KEYCTL_JOIN_SESSION_KEYRING, KEYCTL_CLEAR, KEYCTL_GET_PERSISTENT = 1, 7, 22
KEY_SPEC_SESSION_KEYRING, KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING = -3, -4, -5


def _keyctl(operation: int, *args: int) -> int:
    """``keyctl(2)``; -1 where keyrings (or this kind) are unavailable to everyone."""
    result = int(libc.syscall(SYS_KEYCTL, operation, *(ctypes.c_long(a) for a in args)))
    if result == -1 and ctypes.get_errno() not in (ENOSYS, EPERM, EOPNOTSUPP):
        raise last_error(f"keyctl {operation}")
    return result


def forget_keyrings() -> None:
    """Join a new session keyring; empty the user, user-session and persistent keyrings."""
    _keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0)
    persistent = _keyctl(KEYCTL_GET_PERSISTENT, -1, KEY_SPEC_SESSION_KEYRING)
    for keyring in (persistent, KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING):
        if keyring != -1:
            _keyctl(KEYCTL_CLEAR, keyring)
