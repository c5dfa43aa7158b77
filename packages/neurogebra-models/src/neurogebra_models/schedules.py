"""Learning-rate schedules: the learning rate as a function of the epoch number (from 0).

Use them in ``fit`` through ``LearningRateScheduler``, or in your own loop by setting
``optimizer.learning_rate = schedule(epoch)`` at the start of each epoch. Each matches the
PyTorch scheduler named in its docstring when that one is stepped once per epoch.

Example:
    >>> schedule = StepDecay(0.1, step_size=2, gamma=0.5)
    >>> [schedule(epoch) for epoch in range(5)]
    [0.1, 0.1, 0.05, 0.05, 0.025]
"""

from __future__ import annotations

import math
import numbers

__all__ = ["CosineDecay", "ExponentialDecay", "StepDecay"]


def _number(value: object, name: str, low: float, high: float | None = None) -> float:
    number = float(value) if isinstance(value, numbers.Real) else math.nan
    ok = not isinstance(value, bool) and number > low
    if ok and high is not None:
        ok = number <= high
    if not ok:
        bound = f"in ({low:g}, {high:g}]" if high is not None else f"> {low:g}"
        raise ValueError(f"{name} must be a number {bound}, got {value!r}")
    return number


def _epoch(epoch: object) -> int:
    if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
        raise ValueError(f"a schedule takes the epoch number (0, 1, 2, ...), got {epoch!r}")
    return int(epoch)


class StepDecay:
    """``initial · gamma^(epoch // step_size)``: drop by ``gamma`` every ``step_size`` epochs
    (PyTorch's StepLR)."""

    def __init__(self, initial: float, step_size: int, gamma: float = 0.1) -> None:
        self.initial = _number(initial, "StepDecay: initial", 0.0)
        if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"StepDecay: step_size must be a whole number ≥ 1, got {step_size!r}")
        self.step_size = step_size
        self.gamma = _number(gamma, "StepDecay: gamma", 0.0, 1.0)

    def __call__(self, epoch: int) -> float:
        return self.initial * self.gamma ** (_epoch(epoch) // self.step_size)

    def __repr__(self) -> str:
        return f"StepDecay({self.initial:g}, step_size={self.step_size}, gamma={self.gamma:g})"


class ExponentialDecay:
    """``initial · gamma^epoch``: a little smaller every epoch (PyTorch's ExponentialLR)."""

    def __init__(self, initial: float, gamma: float) -> None:
        self.initial = _number(initial, "ExponentialDecay: initial", 0.0)
        self.gamma = _number(gamma, "ExponentialDecay: gamma", 0.0, 1.0)

    def __call__(self, epoch: int) -> float:
        return self.initial * self.gamma ** _epoch(epoch)

    def __repr__(self) -> str:
        return f"ExponentialDecay({self.initial:g}, gamma={self.gamma:g})"


class CosineDecay:
    """From ``initial`` down to ``minimum`` along half a cosine over ``epochs`` epochs, then
    ``minimum`` (PyTorch's CosineAnnealingLR with T_max=epochs, eta_min=minimum, up to epoch
    ``epochs``; beyond it PyTorch's rate rises again, ours stays at ``minimum``)."""

    def __init__(self, initial: float, epochs: int, minimum: float = 0.0) -> None:
        self.initial = _number(initial, "CosineDecay: initial", 0.0)
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"CosineDecay: epochs must be a whole number ≥ 1, got {epochs!r}")
        self.epochs = epochs
        if isinstance(minimum, bool) or not isinstance(minimum, numbers.Real):
            minimum = math.nan
        if not 0 <= float(minimum) < self.initial:
            raise ValueError(
                f"CosineDecay: minimum must be a number in [0, initial), got {minimum!r}"
            )
        self.minimum: float = float(minimum)

    def __call__(self, epoch: int) -> float:
        t = min(_epoch(epoch), self.epochs)
        cosine = (1 + math.cos(math.pi * t / self.epochs)) / 2
        return self.minimum + (self.initial - self.minimum) * cosine

    def __repr__(self) -> str:
        return f"CosineDecay({self.initial:g}, epochs={self.epochs}, minimum={self.minimum:g})"
