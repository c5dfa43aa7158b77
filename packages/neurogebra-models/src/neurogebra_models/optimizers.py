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

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from neurogebra.core.tensor import Tensor
from neurogebra_models.clipping import clip_grad_norm, clip_grad_value
from neurogebra_models.naming import lookup

__all__ = ["OPTIMIZERS", "SGD", "Adam", "Optimizer", "RMSprop", "get_optimizer"]


def _check(name: str, value: object, low: float, high: float | None = None) -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an int beyond float range (10**400): refused below
            number = math.nan
        if number > low and (high is None or number < high):
            return number
    bound = f"in ({low:g}, {high:g})" if high is not None else f"> {low:g}"
    raise ValueError(f"{name} must be a number {bound}, got {value!r}")


class Optimizer:
    """Base class: ``step(parameters)`` applies one update using each parameter's ``.grad``.

    Every optimizer also takes, as in PyTorch:

    - ``weight_decay``: adds ``weight_decay · w`` to each gradient (an L2 penalty that pulls the
      weights towards 0; biases too, as in PyTorch unless parameter groups are used);
    - ``clip_norm``: first scales the gradients so their joint length is at most this
      (:func:`~neurogebra_models.clipping.clip_grad_norm`);
    - ``clip_value``: first clips each gradient value into ``[-clip_value, clip_value]``.

    The learning rate may be changed between steps (``optimizer.learning_rate = ...``), e.g.
    by a schedule.

    Subclasses define ``_delta(grad, *state)``: it updates the running state arrays in place
    and returns the amount to subtract from the parameter. When every parameter has a
    gradient (always, in Model.fit), all of them are updated at once as one long vector, which
    costs a handful of NumPy calls per step instead of a handful per parameter; the state lives
    in one buffer per slot, with a view of it for each parameter.
    """

    name = "optimizer"
    formula_name = "gradient_descent_step"
    slots = 0  # running-state arrays per parameter (velocity, moments, ...)

    def __init__(
        self,
        learning_rate: float,
        weight_decay: float = 0.0,
        clip_norm: float | None = None,
        clip_value: float | None = None,
    ) -> None:
        self.learning_rate = _check("learning_rate", learning_rate, 0.0)
        no_decay = isinstance(weight_decay, numbers.Real) and weight_decay == 0
        self.weight_decay = 0.0 if no_decay else _check("weight_decay", weight_decay, 0.0)
        self.clip_norm = None if clip_norm is None else _check("clip_norm", clip_norm, 0.0)
        self.clip_value = None if clip_value is None else _check("clip_value", clip_value, 0.0)
        self.iterations = 0
        self._key: tuple[int, ...] = ()
        self._params: list[Tensor] = []
        self._bounds: list[tuple[int, int]] = []
        self._flat: list[np.ndarray] = []
        self._views: dict[int, list[np.ndarray]] = {}

    def _prepare(self, parameters: list[Tensor]) -> None:
        """Lay the state out for this list of parameters (kept while the list stays the same)."""
        key = tuple(map(id, parameters))
        if key == self._key:
            return
        bounds, total = [], 0
        for p in parameters:
            bounds.append((total, total + p.size))
            total += p.size
        dtype = np.result_type(*[p.data.dtype for p in parameters]) if parameters else None
        flat = [np.zeros(total, dtype) for _ in range(self.slots)]
        views = {}
        for p, (a, b) in zip(parameters, bounds, strict=True):
            views[id(p)] = [slot[a:b].reshape(p.shape) for slot in flat]
            for new, old in zip(views[id(p)], self._views.get(id(p), []), strict=False):
                new[...] = old  # a parameter seen before keeps its running state
        self._key, self._params, self._bounds = key, parameters, bounds
        self._flat, self._views = flat, views

    def step(self, parameters: Sequence[Tensor]) -> None:
        parameters = list(parameters)
        self.iterations += 1
        self._begin_step()
        self._prepare(parameters)
        if self.clip_value is not None:
            clip_grad_value(parameters, self.clip_value)
        if self.clip_norm is not None:
            clip_grad_norm(parameters, self.clip_norm)
        grads = [p.grad for p in parameters]
        decay = self.weight_decay
        if all(g is not None for g in grads):
            flat_grad = np.concatenate([g.reshape(-1) for g in grads]) if grads else np.zeros(0)
            if decay:
                flat_grad += decay * np.concatenate([p.data.reshape(-1) for p in parameters])
            delta = self._delta(flat_grad, *self._flat)
            for p, (a, b) in zip(parameters, self._bounds, strict=True):
                p.data -= delta[a:b].reshape(p.shape)
            return
        for p, g in zip(parameters, grads, strict=True):
            if g is not None:  # a parameter the loss did not depend on stays as it is
                g = g + decay * p.data if decay else g
                p.data -= self._delta(g, *self._views[id(p)])

    def _begin_step(self) -> None:
        """Per-step constants (e.g. Adam's bias corrections); nothing by default."""

    def _delta(self, grad: np.ndarray, *state: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def zero_grad(self, parameters: Sequence[Tensor]) -> None:
        for p in parameters:
            p.grad = None

    def config(self) -> dict[str, Any]:
        return {"learning_rate": self.learning_rate, **self._extras()}

    def _extras(self) -> dict[str, Any]:
        """weight_decay, clip_norm and clip_value, when they are set."""
        extras: dict[str, Any] = {}
        if self.weight_decay:
            extras["weight_decay"] = self.weight_decay
        if self.clip_norm is not None:
            extras["clip_norm"] = self.clip_norm
        if self.clip_value is not None:
            extras["clip_value"] = self.clip_value
        return extras

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
        self,
        learning_rate: float = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(learning_rate, **options)
        if momentum != 0.0:
            _check("momentum", momentum, 0.0, 1.0)
        elif nesterov:
            raise ValueError("SGD: nesterov=True needs a momentum > 0, e.g. momentum=0.9")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.slots = 1 if momentum else 0
        self.formula_name = (
            "nesterov_step"
            if nesterov
            else ("momentum_step" if momentum else "gradient_descent_step")
        )

    def _delta(self, grad: np.ndarray, *state: np.ndarray) -> np.ndarray:
        if not state:
            return self.learning_rate * grad
        (velocity,) = state
        velocity *= self.momentum
        velocity += grad
        step = grad + self.momentum * velocity if self.nesterov else velocity
        return self.learning_rate * step

    def config(self) -> dict[str, Any]:
        return {
            "learning_rate": self.learning_rate,
            "momentum": self.momentum,
            "nesterov": self.nesterov,
            **self._extras(),
        }


class Adam(Optimizer):
    """Adam: momentum on the gradient (``m``) and a per-weight step size from its recent
    magnitude (``v``), both bias-corrected: ``w -= lr · m̂ / (√v̂ + eps)``."""

    name = "adam"
    formula_name = "adam_step"
    slots = 2

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
        **options: Any,
    ) -> None:
        super().__init__(learning_rate, **options)
        self.beta1 = _check("beta1", beta1, 0.0, 1.0)
        self.beta2 = _check("beta2", beta2, 0.0, 1.0)
        self.epsilon = _check("epsilon", epsilon, 0.0)

    def _begin_step(self) -> None:
        # Fold both bias corrections into the step size and epsilon: the same update as
        # lr · m̂ / (√v̂ + eps), with fewer array operations.
        t = self.iterations
        correction = np.sqrt(1 - self.beta2**t)
        self._rate = self.learning_rate * correction / (1 - self.beta1**t)
        self._eps = self.epsilon * correction

    def _delta(self, grad: np.ndarray, *state: np.ndarray) -> np.ndarray:
        m, v = state
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * (grad * grad)
        return self._rate * m / (np.sqrt(v) + self._eps)

    def config(self) -> dict[str, Any]:
        return {
            "learning_rate": self.learning_rate,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "epsilon": self.epsilon,
            **self._extras(),
        }


class RMSprop(Optimizer):
    """RMSprop: divide each step by a running root-mean-square of recent gradients:
    ``s = rho·s + (1 - rho)·g²``, ``w -= lr · g / (√s + eps)``."""

    name = "rmsprop"
    formula_name = "rmsprop_step"
    slots = 1

    def __init__(
        self,
        learning_rate: float = 0.001,
        rho: float = 0.9,
        epsilon: float = 1e-8,
        **options: Any,
    ) -> None:
        super().__init__(learning_rate, **options)
        self.rho = _check("rho", rho, 0.0, 1.0)
        self.epsilon = _check("epsilon", epsilon, 0.0)

    def _delta(self, grad: np.ndarray, *state: np.ndarray) -> np.ndarray:
        (square,) = state
        square *= self.rho
        square += (1 - self.rho) * (grad * grad)
        return self.learning_rate * grad / (np.sqrt(square) + self.epsilon)

    def config(self) -> dict[str, Any]:
        return {
            "learning_rate": self.learning_rate,
            "rho": self.rho,
            "epsilon": self.epsilon,
            **self._extras(),
        }


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
    settings = {} if learning_rate is None else {"learning_rate": learning_rate}
    return cls(**settings)
