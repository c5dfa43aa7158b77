"""`PrintedText`: text that a method both prints and returns.

It is a ``str``, so tests and notebooks can search and reuse it; Jupyter does not show it a
second time when it is a cell's last value (it was already printed).

Example:
    >>> text = PrintedText.show("hello")
    hello
    >>> text.upper()
    'HELLO'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["PrintedText"]


class PrintedText(str):
    """A str that was printed when it was made."""

    @classmethod
    def show(cls, text: str, print_fn: Callable[[str], Any] | None = print) -> PrintedText:
        if print_fn is not None:
            print_fn(text)
        return cls(text)

    def _ipython_display_(self) -> None:  # already printed: show nothing more
        return None
