"""The training loop behind Model.fit: shuffle, cut into batches, forward, loss, backward, step.

Everything here runs on Tensor's autograd: each batch's loss is a real Tensor graph whose
``backward()`` fills the parameters' gradients, and the optimizer moves the parameters.

Example:
    >>> import numpy as np
    >>> list(batches(5, 2, np.random.default_rng(0), shuffle=False))
    [array([0, 1]), array([2, 3]), array([4])]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from neurogebra.core.tensor import Tensor
from neurogebra_models.training.callbacks import Callback
from neurogebra_models.training.history import History
from neurogebra_models.training.progress import Progress

if TYPE_CHECKING:
    from neurogebra_models.model import Model

__all__ = ["batches", "run_training"]


def batches(
    n: int, batch_size: int, rng: np.random.Generator, shuffle: bool
) -> Iterator[np.ndarray]:
    """Index arrays of at most ``batch_size`` samples covering ``0..n-1`` once."""
    order = rng.permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


def train_epoch(
    model: Model, X: np.ndarray, targets: np.ndarray, batch_size: int, shuffle: bool, epoch: int
) -> dict[str, float]:
    """One pass over the training data; returns the epoch's mean loss and metrics."""
    params = model.parameters()
    optimizer, loss_fn = model.optimizer, model.loss
    total, seen = 0.0, 0
    outputs, labels = [], []
    for index in batches(len(X), batch_size, model.rng, shuffle):
        y_batch = targets[index]
        scores = model.loss_outputs(Tensor(X[index]), training=True)
        loss = loss_fn(scores, y_batch)
        for p in params:
            p.grad = None
        loss.backward()
        value = loss.item()
        if not math.isfinite(value):
            raise FloatingPointError(
                f"the loss became {value} in epoch {epoch + 1}: training diverged. The learning "
                f"rate ({optimizer.learning_rate:g}) is probably too high; try a smaller one, or "
                "scale the inputs (e.g. to mean 0, standard deviation 1)"
            )
        optimizer.step(params)
        total += value * len(index)
        seen += len(index)
        if model.metric_functions:
            outputs.append(scores.data)
            labels.append(y_batch)
    logs = {"loss": total / seen}
    if model.metric_functions:
        logs.update(model.score(np.concatenate(outputs), np.concatenate(labels)))
    return logs


def run_training(
    model: Model,
    X: np.ndarray,
    targets: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    validation: tuple[np.ndarray, np.ndarray] | None,
    verbose: int,
    callbacks: Sequence[Callback],
    shuffle: bool,
) -> History:
    history = History()
    model.stop_training = False
    for callback in callbacks:
        callback.set_model(model)
        callback.on_train_begin()
    with Progress(epochs, verbose) as progress:
        for epoch in range(epochs):
            for callback in callbacks:
                callback.on_epoch_begin(epoch)
            logs = train_epoch(model, X, targets, batch_size, shuffle, epoch)
            if validation is not None:
                val = model.measure(*validation)
                logs.update({f"val_{key}": value for key, value in val.items()})
            history.record(epoch, logs)
            progress.epoch_done(epoch, logs)
            for callback in callbacks:
                callback.on_epoch_end(epoch, logs)
            if model.stop_training:
                break
    for callback in callbacks:
        callback.on_train_end(dict(logs) if history.epoch else None)
    return history
