"""Parameter update rules for :class:`~neurogebra.core.trainer.Trainer`, on NumPy vectors.

Each optimizer updates a vector of parameters in place from the matching vector of gradients;
the formulas are the ones in the repository's ``optimization`` category.

Example:
    >>> import numpy as np
    >>> theta = np.array([1.0])
    >>> SGD(learning_rate=0.1).step(theta, np.array([2.0]))
    >>> theta
    array([0.8])
"""

from __future__ import annotations

import math

import numpy as np

from neurogebra.core.naming import did_you_mean

__all__ = ["OPTIMIZERS", "SGD", "Adam", "Momentum", "make_optimizer"]


class SGD:
    """Plain gradient descent: ``w -= learning_rate * grad``."""

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = learning_rate

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        params -= self.learning_rate * grads


class Momentum:
    """Heavy-ball momentum (PyTorch's form): ``v = mu*v + grad; w -= learning_rate * v``."""

    def __init__(self, learning_rate: float, momentum: float = 0.9) -> None:
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.velocity: np.ndarray | None = None

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        if self.velocity is None:
            self.velocity = np.zeros_like(params)
        self.velocity *= self.momentum
        self.velocity += grads
        params -= self.learning_rate * self.velocity


class Adam:
    """Adam: steps of about ``learning_rate`` per parameter, scaled by recent gradient sizes."""

    def __init__(
        self,
        learning_rate: float,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
    ) -> None:
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {beta}")
        self.learning_rate = learning_rate
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None
        self.t = 0

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        if self.m is None or self.v is None:
            self.m, self.v = np.zeros_like(params), np.zeros_like(params)
        self.t += 1
        self.m = self.beta1 * self.m + (1.0 - self.beta1) * grads
        self.v = self.beta2 * self.v + (1.0 - self.beta2) * grads * grads
        m_hat = self.m / (1.0 - self.beta1**self.t)
        v_hat = self.v / (1.0 - self.beta2**self.t)
        params -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def _finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int beyond float's range
        return False


def make_optimizer(name: str, learning_rate: float, **settings: float):
    """The optimizer called ``name`` ('sgd', 'momentum' or 'adam')."""
    if not isinstance(name, str) or name.lower() not in OPTIMIZERS:
        raise ValueError(
            f"unknown optimizer {name!r}{did_you_mean(str(name), OPTIMIZERS)}; "
            f"choose one of {', '.join(OPTIMIZERS)}"
        )
    if not (isinstance(learning_rate, int | float) and _finite(learning_rate)) or (
        learning_rate <= 0
    ):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    return OPTIMIZERS[name.lower()](float(learning_rate), **settings)
