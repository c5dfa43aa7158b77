"""Callbacks: code that fit() calls at the start and end of training and of every epoch.

Example:
    >>> stop = EarlyStopping(monitor="val_loss", patience=2)
    >>> stop
    EarlyStopping(monitor='val_loss', patience=2, min_delta=0, restore_best_weights=True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from neurogebra_models.model import Model

__all__ = [
    "Callback",
    "EarlyStopping",
    "LambdaCallback",
    "LearningRateScheduler",
    "check_callbacks",
]

Logs = Mapping[str, float]


class Callback:
    """Base class: override the hooks you need; ``self.model`` is the model being trained.

    Setting ``self.model.stop_training = True`` ends training after the current epoch.
    """

    model: Model

    def set_model(self, model: Model) -> None:
        self.model = model

    def on_train_begin(self, logs: Logs | None = None) -> None: ...

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None: ...

    def on_epoch_end(self, epoch: int, logs: Logs) -> None: ...

    def on_train_end(self, logs: Logs | None = None) -> None: ...


class LambdaCallback(Callback):
    """A callback made of plain functions, e.g. ``LambdaCallback(on_epoch_end=print)``."""

    def __init__(
        self,
        on_epoch_end: Callable[[int, Logs], Any] | None = None,
        on_train_begin: Callable[[], Any] | None = None,
        on_train_end: Callable[[], Any] | None = None,
    ) -> None:
        self._epoch_end, self._begin, self._end = on_epoch_end, on_train_begin, on_train_end

    def on_train_begin(self, logs: Logs | None = None) -> None:
        if self._begin:
            self._begin()

    def on_epoch_end(self, epoch: int, logs: Logs) -> None:
        if self._epoch_end:
            self._epoch_end(epoch, logs)

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self._end:
            self._end()


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    Losses improve by going down, accuracy-like metrics by going up (``mode="auto"`` decides
    from the name; "min" and "max" force it). With ``restore_best_weights`` the model ends with
    the weights of its best epoch (also when it ran all its epochs). ``stopped_epoch`` (None
    when it never stopped) and ``best_epoch`` say what happened.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 5,
        min_delta: float = 0.0,
        mode: str = "auto",
        restore_best_weights: bool = True,
    ) -> None:
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}")
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(
                f"EarlyStopping: patience must be a whole number ≥ 0, got {patience!r}"
            )
        self.monitor, self.patience, self.min_delta = monitor, patience, abs(float(min_delta))
        if mode == "auto":
            mode = "min" if "loss" in monitor else "max"
        self.mode = mode
        self.restore_best_weights = restore_best_weights
        self.stopped_epoch: int | None = None
        self.best_epoch: int | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.best = np.inf if self.mode == "min" else -np.inf
        self.wait = 0
        self.best_weights: list[np.ndarray] | None = None
        self.stopped_epoch = self.best_epoch = None

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, epoch: int, logs: Logs) -> None:
        if self.monitor not in logs:
            hint = (
                "; pass validation_split=... or validation_data=... to fit(), or monitor 'loss'"
                if self.monitor.startswith("val_")
                else ""
            )
            raise ValueError(
                f"EarlyStopping: fit() does not measure {self.monitor!r}; it measures "
                f"{', '.join(logs)}{hint}"
            )
        value = float(logs[self.monitor])
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self.best_weights is not None:  # stopped early or not, end on the best epoch
            self.model.set_weights(self.best_weights)

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
            f"min_delta={self.min_delta:g}, restore_best_weights={self.restore_best_weights})"
        )


class LearningRateScheduler(Callback):
    """Set the optimizer's learning rate at the start of every epoch to ``schedule(epoch)``.

    ``schedule`` is any function of the epoch number (from 0), e.g. one of
    :mod:`neurogebra_models.schedules` (``StepDecay``, ``ExponentialDecay``, ``CosineDecay``).
    ``rates`` records the rate used in each epoch.

    Example:
        >>> from neurogebra_models.schedules import StepDecay
        >>> LearningRateScheduler(StepDecay(0.1, step_size=10, gamma=0.5)).schedule(25)
        0.025
    """

    def __init__(self, schedule: Callable[[int], float]) -> None:
        if not callable(schedule):
            raise TypeError(
                f"LearningRateScheduler: schedule must be a function of the epoch, e.g. "
                f"StepDecay(0.1, step_size=10), got {type(schedule).__name__}"
            )
        self.schedule = schedule
        self.rates: list[float] = []

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        rate = self.schedule(epoch)
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not rate >= 0:
            raise ValueError(
                f"LearningRateScheduler: the schedule gave {rate!r} for epoch {epoch}; it must "
                "give a number ≥ 0"
            )
        assert self.model.optimizer is not None
        self.model.optimizer.learning_rate = float(rate)
        self.rates.append(float(rate))

    def __repr__(self) -> str:
        return f"LearningRateScheduler({self.schedule!r})"


def check_callbacks(callbacks: object) -> list[Callback]:
    """``callbacks`` as a list of Callback objects, or an error naming the one that is not."""
    if isinstance(callbacks, Callback) or not isinstance(callbacks, list | tuple):
        raise TypeError(
            "fit: callbacks must be a list of callbacks, e.g. callbacks=[EarlyStopping()], got "
            f"{type(callbacks).__name__}"
        )
    for i, callback in enumerate(callbacks):
        if not isinstance(callback, Callback):
            hint = (
                "; to call a function after every epoch wrap it: "
                "LambdaCallback(on_epoch_end=lambda epoch, logs: ...)"
                if callable(callback)
                else ""
            )
            raise TypeError(
                f"fit: callbacks[{i}] is {callback!r}, not a Callback (such as EarlyStopping or "
                f"LearningRateScheduler){hint}"
            )
    return list(callbacks)
