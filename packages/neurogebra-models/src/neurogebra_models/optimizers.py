"""Optimizers: how each parameter moves once backward() has filled in its gradient.

Every optimizer updates the parameters' arrays in place and keeps its running state (velocity,
moment estimates) per parameter, created on the first step.

Example:
    >>> import numpy as np
    >>> from neurogebra.core.tensor import Tensor
    >>> w = Tensor([1.0, -2.0], requires_grad=True)
    >>> (w * w).sum().backward()          # gradient 2w = [2, -4]
    >>> SGD(learning_rate=0.1).step([w])
    >>> w.numpy()
    array([ 0.8, -1.6])
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from neurogebra.core.tensor import Tensor
from neurogebra_models.naming import lookup

__all__ = ["OPTIMIZERS", "SGD", "Adam", "Optimizer", "RMSprop", "get_optimizer"]


def _check(name: str, value: object, low: float, high: float | None = None) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and value > low
    if ok and high is not None:
        ok = value < high
    if not ok:
        bound = f"in ({low:g}, {high:g})" if high is not None else f"> {low:g}"
        raise ValueError(f"{name} must be a number {bound}, got {value!r}")
    return float(value)


class Optimizer:
    """Base class: ``step(parameters)`` applies one update using each parameter's ``.grad``."""

    name = "optimizer"
    formula_name = "gradient_descent_step"

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = _check("learning_rate", learning_rate, 0.0)
        self.iterations = 0
        self._state: dict[int, list[np.ndarray]] = {}

    def _slots(self, p: Tensor, count: int) -> list[np.ndarray]:
        slots = self._state.get(id(p))
        if slots is None:
            slots = self._state[id(p)] = [np.zeros_like(p.data) for _ in range(count)]
        return slots

    def step(self, parameters: Sequence[Tensor]) -> None:
        self.iterations += 1
        for p in parameters:
            if p.grad is not None:
                self._update(p, p.grad)

    def _update(self, p: Tensor, grad: np.ndarray) -> None:
        raise NotImplementedError

    def zero_grad(self, parameters: Sequence[Tensor]) -> None:
        for p in parameters:
            p.grad = None

    def config(self) -> dict[str, Any]:
        return {"learning_rate": self.learning_rate}

    def describe(self) -> str:
        args = ", ".join(
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.config().items()
        )
        return f"{type(self).__name__}({args})"

    __repr__ = describe


class SGD(Optimizer):
    """Stochastic gradient descent: ``w -= lr · g``, optionally with (Nesterov) momentum.

    With momentum ``m``, a velocity ``v = m·v + g`` remembers past gradients and the step is
    ``w -= lr · v`` (Nesterov: ``w -= lr · (g + m·v)``, looking one step ahead).
    """

    name = "sgd"

    def __init__(
        self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False
    ) -> None:
        super().__init__(learning_rate)
        if momentum != 0.0:
            _check("momentum", momentum, 0.0, 1.0)
        elif nesterov:
            raise ValueError("SGD: nesterov=True needs a momentum > 0, e.g. momentum=0.9")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.formula_name = (
            "nesterov_step"
            if nesterov
            else ("momentum_step" if momentum else "gradient_descent_step")
        )

    def _update(self, p: Tensor, grad: np.ndarray) -> None:
        if self.momentum == 0.0:
            p.data -= self.learning_rate * grad
            return
        (velocity,) = self._slots(p, 1)
        velocity *= self.momentum
        velocity += grad
        step = grad + self.momentum * velocity if self.nesterov else velocity
        p.data -= self.learning_rate * step

    def config(self) -> dict[str, Any]:
        return {
            "learning_rate": self.learning_rate,
            "momentum": self.momentum,
            "nesterov": self.nesterov,
        }


class Adam(Optimizer):
    """Adam: momentum on the gradient (``m``) and a per-weight step size from its recent
    magnitude (``v``), both bias-corrected: ``w -= lr · m̂ / (√v̂ + eps)``."""

    name = "adam"
    formula_name = "adam_step"

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
    ) -> None:
        super().__init__(learning_rate)
        self.beta1 = _check("beta1", beta1, 0.0, 1.0)
        self.beta2 = _check("beta2", beta2, 0.0, 1.0)
        self.epsilon = _check("epsilon", epsilon, 0.0)

    def step(self, parameters: Sequence[Tensor]) -> None:
        self.iterations += 1
        t = self.iterations
        # Fold both bias corrections into one step size (same result, fewer array operations).
        self._rate = self.learning_rate * np.sqrt(1 - self.beta2**t) / (1 - self.beta1**t)
        self._eps = self.epsilon * np.sqrt(1 - self.beta2**t)
        for p in parameters:
            if p.grad is not None:
                self._update(p, p.grad)

    def _update(self, p: Tensor, grad: np.ndarray) -> None:
        m, v = self._slots(p, 2)
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * (grad * grad)
        p.data -= self._rate * m / (np.sqrt(v) + self._eps)

    def config(self) -> dict[str, Any]:
        return {
            "learning_rate": self.learning_rate,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "epsilon": self.epsilon,
        }


class RMSprop(Optimizer):
    """RMSprop: divide each step by a running root-mean-square of recent gradients:
    ``s = rho·s + (1 - rho)·g²``, ``w -= lr · g / (√s + eps)``."""

    name = "rmsprop"
    formula_name = "rmsprop_step"

    def __init__(
        self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-8
    ) -> None:
        super().__init__(learning_rate)
        self.rho = _check("rho", rho, 0.0, 1.0)
        self.epsilon = _check("epsilon", epsilon, 0.0)

    def _update(self, p: Tensor, grad: np.ndarray) -> None:
        (square,) = self._slots(p, 1)
        square *= self.rho
        square += (1 - self.rho) * (grad * grad)
        p.data -= self.learning_rate * grad / (np.sqrt(square) + self.epsilon)

    def config(self) -> dict[str, Any]:
        return {"learning_rate": self.learning_rate, "rho": self.rho, "epsilon": self.epsilon}


OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def get_optimizer(optimizer: str | Optimizer, learning_rate: float | None = None) -> Optimizer:
    """An Optimizer from a name ("sgd", "adam", "rmsprop") or an Optimizer instance."""
    if isinstance(optimizer, Optimizer):
        if learning_rate is not None:
            raise ValueError(
                "compile: pass learning_rate either to the optimizer object or to compile(), "
                "not both"
            )
        return optimizer
    cls = lookup("optimizer", optimizer, OPTIMIZERS)
    return cls() if learning_rate is None else cls(learning_rate=learning_rate)
