"""`History`: what fit() measured at the end of every epoch.

Example:
    >>> h = History()
    >>> h.record(0, {"loss": 0.9, "accuracy": 0.5})
    >>> h.record(1, {"loss": 0.4, "accuracy": 0.8})
    >>> h["loss"], h.epoch
    ([0.9, 0.4], [0, 1])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

__all__ = ["History"]


class History(Mapping[str, list[float]]):
    """One list per measured quantity (``loss``, ``accuracy``, ``val_loss``, ...), one entry per
    epoch; also a read-only mapping, so ``history["loss"]`` and ``dict(history)`` work.

    After ``fit(validation_split=...)``, ``validation_indices`` holds the row numbers of the
    samples that were held out (None otherwise)."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.validation_indices: np.ndarray | None = None

    def record(self, epoch: int, logs: Mapping[str, float]) -> None:
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))

    def __getitem__(self, key: str) -> list[float]:
        if key not in self.history:
            known = ", ".join(self.history) or "nothing yet"
            raise KeyError(f"the history has no {key!r}; it recorded: {known}")
        return self.history[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.history)

    def __len__(self) -> int:
        return len(self.history)

    def __repr__(self) -> str:
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items())
        return f"History({len(self.epoch)} epochs; last: {last})"
