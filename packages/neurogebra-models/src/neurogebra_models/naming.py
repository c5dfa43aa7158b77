"""Looking names up in small registries, with "did you mean" suggestions on a typo.

Example:
    >>> lookup("activation", "rleu", {"relu": 1, "tanh": 2})
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'rleu'; did you mean 'relu'? Known: relu, tanh
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from neurogebra.core.naming import did_you_mean

__all__ = ["did_you_mean", "lookup"]

T = TypeVar("T")


def lookup(kind: str, name: object, registry: Mapping[str, T]) -> T:
    """``registry[name]`` (case-insensitive), or a ValueError that suggests the closest names."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} must be given by name (a string), got {type(name).__name__}")
    key = name.strip().lower()
    if key in registry:
        return registry[key]
    raise ValueError(
        f"unknown {kind} {name!r}{did_you_mean(key, registry)} Known: {', '.join(registry)}"
    )
