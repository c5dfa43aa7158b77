"""Mini-batches: the data cut into small pieces, in a new random order every pass.

``Batches`` is what ``Model.fit`` does with the data, offered for loops you write yourself (as
PyTorch's DataLoader): iterate over it once per epoch; with a ``seed`` the orders are the same
on every run.

Example:
    >>> import numpy as np
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> batches = Batches(X, y, batch_size=2, seed=0)
    >>> len(batches), [yb.tolist() for _, yb in batches]
    (3, [[2, 4], [3, 0], [1]])
    >>> [yb.tolist() for _, yb in batches]  # the next epoch: a new order
    [[4, 1], [2, 0], [3]]
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from neurogebra_models.inputs import check_lengths, check_seed, positive_int

__all__ = ["Batches", "batch_slices"]


def batch_slices(n: int, batch_size: int, drop_last: bool = False) -> Iterator[slice]:
    """``slice(0, b), slice(b, 2b), ...`` over ``n`` samples (the last one may be shorter)."""
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield slice(start, start + batch_size)


class Batches:
    """Batches of ``(X[i], y[i])`` of ``batch_size`` samples; a new order on every pass when
    ``shuffle`` (from a generator seeded by ``seed``); ``drop_last`` leaves out a last, shorter
    batch. Without ``y`` it yields batches of ``X`` alone."""

    def __init__(
        self,
        X: object,
        y: object = None,
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int | None = None,
        drop_last: bool = False,
    ) -> None:
        self.X = _array(X, "X")
        if self.X.ndim == 0 or len(self.X) == 0:
            raise ValueError(f"Batches: X must hold at least one sample, got shape {self.X.shape}")
        self.y = None if y is None else _array(y, "y")
        if self.y is not None:
            check_lengths(self.X, self.y)
        self.batch_size = positive_int(batch_size, "Batches: batch_size")
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.rng = np.random.default_rng(None if seed is None else check_seed(seed, "seed"))
        if drop_last and len(self.X) < self.batch_size:
            raise ValueError(
                f"Batches: drop_last=True with batch_size={batch_size} and {len(self.X)} samples "
                "leaves no batch at all; use a smaller batch_size"
            )

    def __len__(self) -> int:
        n = len(self.X)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self) -> Iterator[object]:
        X, y = self.X, self.y
        if self.shuffle:  # reorder once per pass; the batches are then cheap contiguous slices
            order = self.rng.permutation(len(X))
            X = X[order]
            y = None if y is None else y[order]
        for part in batch_slices(len(X), self.batch_size, self.drop_last):
            yield X[part] if y is None else (X[part], y[part])

    def __repr__(self) -> str:
        return (
            f"Batches({len(self.X)} samples, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last})"
        )


def _array(value: object, name: str) -> np.ndarray:
    try:
        array = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    except ValueError:  # ragged nested lists
        array = np.asarray(None)
    if array.dtype == object:
        raise TypeError(
            f"Batches: {name} must be an array (or nested lists of equal length) of numbers"
        )
    return array
