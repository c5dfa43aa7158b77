"""Educational narration: NeuroCraft's running commentary on compiling and training.

A :class:`Narrator` is a callback that says, as training happens, what each step means: what
the loss and the optimizer are, what one epoch did, how the numbers moved, and what a gap
between training and validation loss suggests. Everything goes through ``say``, which prints
and records the text.

Example:
    >>> lines = []
    >>> narrator = Narrator(lines.append)
    >>> narrator.say_epoch(0, {"loss": 1.0}, None)
    >>> lines[0].startswith("Epoch 1")
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from neurogebra_models.training.callbacks import Callback

if TYPE_CHECKING:
    from neurogebra_models.model import Model

__all__ = ["Narrator"]

LOSS_WORDS = {
    "multiclass": "cross-entropy: -log of the probability the model gives the right class",
    "binary": "binary cross-entropy: -log of the probability the model gives the right answer",
    "regression": "how far the predicted numbers are from the targets",
}


class Narrator(Callback):
    """Explains compile() and every reported epoch of fit() through ``say(text)``."""

    def __init__(self, say: Callable[[str], Any]) -> None:
        self.say = say
        self.epochs = 0
        self.every = 1

    def on_compile(self, model: Model) -> None:
        loss, opt = model.require_compiled("on_compile")
        metrics = ", ".join(model.metric_functions) or "none"
        self.say(
            f"Compiled. Loss = {loss.name} ({LOSS_WORDS[loss.task]}); training makes it smaller. "
            f"Optimizer = {opt.describe()}: after each batch it moves every parameter a small "
            f"step against its gradient. Metrics reported (not optimised): {metrics}."
        )

    def on_fit_start(self, model: Model, samples: int, batch_size: int, epochs: int) -> None:
        self.epochs, self.model = epochs, model
        self.every = max(1, epochs // 5)
        batches = math.ceil(samples / batch_size)
        start = ""
        if model.require_compiled("fit")[0].task == "multiclass":
            k = model.output_layer.units
            start = (
                f" Before training, guessing uniformly among {k} classes would give a loss of "
                f"ln {k} ≈ {math.log(k):.2f}."
            )
        self.say(
            f"Training for {epochs} epochs. One epoch = one pass over all {samples} training "
            f"samples, in {batches} shuffled batches of up to {batch_size}. Per batch: forward "
            "pass, loss, backward() for the gradients, one optimizer step." + start
        )
        self.previous: Mapping[str, float] | None = None

    def say_epoch(
        self, epoch: int, logs: Mapping[str, float], previous: Mapping[str, float] | None
    ) -> None:
        text = f"Epoch {epoch + 1}: loss {logs['loss']:.4f}"
        if previous is not None:
            change = logs["loss"] - previous["loss"]
            meaning = (
                "the predictions moved closer to the labels"
                if change < 0
                else "training made things worse; a smaller learning rate may help"
            )
            direction = "down" if change < 0 else "up"
            text += f" ({direction} {abs(change):.4f} since the last report: {meaning})"
        metrics = [f"{key} {value:.4f}" for key, value in logs.items() if key != "loss"]
        if metrics:
            text += "; " + ", ".join(metrics)
        if "val_loss" in logs and logs["val_loss"] > 1.5 * logs["loss"] + 0.05:
            text += (
                ". The validation loss is well above the training loss: the model fits the "
                "training data better than new data (overfitting); more data, Dropout or "
                "EarlyStopping help."
            )
        self.say(text)

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float]) -> None:
        last = epoch == self.epochs - 1 or self.model.stop_training
        if epoch == 0 or last or (epoch + 1) % self.every == 0:
            self.say_epoch(epoch, logs, self.previous)
            self.previous = dict(logs)

    def on_train_end(self, logs: Mapping[str, float] | None = None) -> None:
        if logs:
            self.say(
                f"Training done: final loss {logs['loss']:.4f}. Try model.evaluate(X_test, "
                "y_test) to see how it does on data it never trained on."
            )
