"""`LossHistory`: the loss of each epoch that `Trainer.fit` returns.

It is a list of floats (``history[-1]`` is the last epoch's loss) that also answers
``history["loss"]`` with that list, the dict-of-lists form neurogebra 2.x returned.

Example:
    >>> history = LossHistory([0.5, 0.25])
    >>> history[-1], history["loss"], dict(history.items())
    (0.25, [0.5, 0.25], {'loss': [0.5, 0.25]})
"""

from __future__ import annotations

from typing import Any

__all__ = ["LossHistory"]


class LossHistory(list):
    """A list of per-epoch losses; ``history["loss"]`` gives the same numbers as a new list."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            if key != "loss":
                raise KeyError(
                    f"a Trainer's history records only 'loss' (one number per epoch), not {key!r}"
                )
            return list(self)
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        """The one key, ``"loss"`` (as for a dict of lists)."""
        return ["loss"]

    def items(self) -> list[tuple[str, list[float]]]:
        """``[("loss", losses)]``, so ``dict(history.items())`` is the 2.x dict."""
        return [("loss", list(self))]
