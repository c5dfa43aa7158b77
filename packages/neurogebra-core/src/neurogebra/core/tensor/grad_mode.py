"""Switching gradient tracking off, for evaluation and parameter updates.

Inside ``with no_grad():`` operations on Tensors compute their results but record no graph, so
nothing can be backpropagated through them and no memory is kept for a backward pass. The flag
is per thread, as in PyTorch.

Example:
    >>> from neurogebra.core.tensor import Tensor, no_grad
    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
"""

from __future__ import annotations

import threading
from types import TracebackType

__all__ = ["enable_grad", "is_grad_enabled", "no_grad"]


class _GradMode(threading.local):
    """Whether operations record a graph, one flag per thread (threading.local)."""

    enabled = True


GRAD_MODE = _GradMode()


def is_grad_enabled() -> bool:
    """True unless the current thread is inside ``no_grad()``."""
    return GRAD_MODE.enabled


class _SetGradMode:
    """Context manager (and decorator) that sets gradient tracking, then restores it."""

    _target: bool

    def __enter__(self) -> None:
        self._previous = GRAD_MODE.enabled
        GRAD_MODE.enabled = self._target

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        GRAD_MODE.enabled = self._previous

    def __call__(self, function):  # type: ignore[no-untyped-def]
        """Use as a decorator: ``@no_grad()`` runs the whole function in this mode."""
        import functools

        @functools.wraps(function)
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            with type(self)():
                return function(*args, **kwargs)

        return wrapper


class no_grad(_SetGradMode):  # lower case, like the PyTorch context it mirrors
    """``with no_grad():`` computes without recording a graph (evaluation, SGD updates)."""

    _target = False


class enable_grad(_SetGradMode):
    """``with enable_grad():`` turns recording back on inside a ``no_grad()`` block."""

    _target = True
