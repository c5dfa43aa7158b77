"""Helpful error text: "did you mean ...?" suggestions for mistyped names.

Example:
    >>> did_you_mean("rleu", ["relu", "elu", "sigmoid"])
    "; did you mean 'relu'?"
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

__all__ = ["did_you_mean"]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A short suffix suggesting the closest known names, or '' when none is close."""
    options = list(known)
    matches = get_close_matches(name, options, n=3, cutoff=0.6)
    if not matches:
        lowered = {option.lower(): option for option in options}
        matches = [lowered[name.lower()]] if name.lower() in lowered else []
    if not matches:
        return ""
    return "; did you mean " + " or ".join(repr(m) for m in matches) + "?"
