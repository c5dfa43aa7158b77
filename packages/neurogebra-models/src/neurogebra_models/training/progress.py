"""How fit() reports progress: a tqdm bar over the epochs (verbose=1), a line per epoch
(verbose=2), or nothing (verbose=0).

Example:
    >>> with Progress(epochs=2, verbose=2) as progress:
    ...     progress.epoch_done(0, {"loss": 0.5})
    Epoch 1/2: loss 0.5000
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from types import TracebackType

from tqdm import tqdm

__all__ = ["Progress", "format_logs"]


def format_logs(logs: Mapping[str, float]) -> str:
    return "  ".join(f"{key} {value:.4f}" for key, value in logs.items())


class Progress:
    """Progress reporting for ``epochs`` epochs at the given verbosity (0, 1 or 2)."""

    def __init__(self, epochs: int, verbose: int) -> None:
        if verbose not in (0, 1, 2):
            raise ValueError(
                f"verbose must be 0 (silent), 1 (progress bar) or 2 (one line per "
                f"epoch), got {verbose!r}"
            )
        self.epochs, self.verbose = epochs, verbose
        self.bar: tqdm | None = None

    def __enter__(self) -> Progress:
        if self.verbose == 1:
            self.bar = tqdm(
                total=self.epochs,
                unit="epoch",
                desc="Training",
                file=sys.stderr,
                dynamic_ncols=True,
            )
        return self

    def epoch_done(self, epoch: int, logs: Mapping[str, float]) -> None:
        if self.bar is not None:
            self.bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()}, refresh=False)
            self.bar.update(1)
        elif self.verbose == 2:
            print(f"Epoch {epoch + 1}/{self.epochs}: {format_logs(logs)}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.close()
