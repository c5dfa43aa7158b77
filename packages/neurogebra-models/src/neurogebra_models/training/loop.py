"""The training loop behind Model.fit: shuffle, cut into batches, forward, loss, backward, step.

Everything here runs on Tensor's autograd: each batch's loss is a real Tensor graph whose
``backward()`` fills the parameters' gradients, and the optimizer moves the parameters.

Example:
    >>> import numpy as np
    >>> from neurogebra_models.layers import Dense
    >>> from neurogebra_models.model import Model
    >>> model = Model([Dense(1, input_dim=1)], seed=0)
    >>> model.compile(loss="mse", optimizer="sgd", learning_rate=0.1)
    >>> X = np.array([[0.0], [1.0], [2.0]]); y = 2 * X.ravel() + 1
    >>> first = train_epoch(model, X, y.reshape(-1, 1), batch_size=3, shuffle=False, epoch=0)
    >>> later = [train_epoch(model, X, y.reshape(-1, 1), 3, False, e) for e in range(1, 200)]
    >>> later[-1]["loss"] < 1e-4 < first["loss"]
    True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from neurogebra.core.tensor import Tensor
from neurogebra_models.training.callbacks import Callback
from neurogebra_models.training.history import History
from neurogebra_models.training.progress import Progress

if TYPE_CHECKING:
    from neurogebra_models.model import Model

__all__ = ["run_training", "train_epoch"]


def train_epoch(
    model: Model, X: np.ndarray, targets: np.ndarray, batch_size: int, shuffle: bool, epoch: int
) -> dict[str, float]:
    """One pass over the training data; returns the epoch's mean loss and metrics."""
    params = model.parameters()
    loss_fn, optimizer = model.require_compiled("fit")
    if shuffle:  # reorder once per epoch; the batches are then cheap contiguous slices
        order = model.rng.permutation(len(X))
        X, targets = X[order], targets[order]
    total = 0.0
    outputs = []
    for start in range(0, len(X), batch_size):
        y_batch = targets[start : start + batch_size]
        scores = model.loss_outputs(Tensor(X[start : start + batch_size]), training=True)
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
        total += value * len(y_batch)
        if model.metric_functions:
            outputs.append(scores.data)
    logs = {"loss": total / len(X)}
    if model.metric_functions:
        logs.update(model.score(np.concatenate(outputs), targets))
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
