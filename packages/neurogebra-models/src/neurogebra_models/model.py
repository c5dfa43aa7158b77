"""`Model`: an ordered stack of layers that can be compiled, trained, evaluated and explained.

Example:
    >>> import numpy as np
    >>> from neurogebra_models.layers import Dense
    >>> model = Model([Dense(8, activation="relu", input_dim=2), Dense(3, activation="softmax")],
    ...               seed=0)
    >>> model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    >>> X = np.random.default_rng(0).normal(size=(30, 2)); y = (X[:, 0] > 0).astype(int)
    >>> history = model.fit(X, y, epochs=3, batch_size=10, verbose=0)
    >>> len(history["loss"]), model.predict(X).shape
    (3, (30, 3))
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from neurogebra.core.tensor import Tensor, no_grad
from neurogebra_models.inputs import (
    as_features,
    check_lengths,
    check_seed,
    float_dtype,
    fraction_or_zero,
    positive_int,
    sample_shape,
    split_validation,
)
from neurogebra_models.layers import Dense, Layer, Shape, describe_shape
from neurogebra_models.losses import Loss, get_loss
from neurogebra_models.metrics import get_metric
from neurogebra_models.optimizers import Optimizer, get_optimizer
from neurogebra_models.text import PrintedText
from neurogebra_models.training.callbacks import Callback, check_callbacks
from neurogebra_models.training.history import History
from neurogebra_models.training.loop import run_training
from neurogebra_models.training.narration import Narrator

__all__ = ["Model"]


class Model:
    """A feed-forward network: each layer's output is the next layer's input.

    ``seed`` fixes the initial weights, the dropout masks and the shuffling; without one, a
    seed is drawn from NumPy's global generator, so ``np.random.seed(...)`` at the top of a
    script makes the whole run reproducible. The input width comes from the first layer's
    ``input_dim``, from :meth:`build`, or from the first data the model sees: a number of
    features, or ``(channels, height, width)`` for images (a first ``Conv2D`` layer).

    The same layer object may appear more than once: its weights are then shared (counted and
    updated once, with the gradients of every use added up), as in PyTorch and Keras.

    ``dtype`` is "float64" or "float32" for the weights and the arithmetic. By default a model
    built from float32 data computes in float32, and in float64 otherwise; data of the other
    type is converted to the model's.
    """

    def __init__(
        self,
        layers: Sequence[Layer],
        name: str = "Sequential",
        seed: int | None = None,
        dtype: Any = None,
    ):
        layers = list(layers) if not isinstance(layers, Layer) else [layers]
        if not layers:
            raise ValueError(
                "a model needs at least one layer, e.g. [Dense(3, activation='softmax')]"
            )
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layer {i + 1} is a {type(layer).__name__}, not a layer; build layers with "
                    "builder.Dense(...) and builder.Dropout(...)"
                )
        self.layers: list[Layer] = layers
        self.name = name
        self.seed = int(np.random.randint(0, 2**31 - 1)) if seed is None else check_seed(seed)
        self.dtype: np.dtype | None = None if dtype is None else float_dtype(dtype)
        self.rng = np.random.default_rng(self.seed)
        self.input_dim: Shape | None = None
        self.loss: Loss | None = None
        self.optimizer: Optimizer | None = None
        self.metric_functions: dict[str, Any] = {}
        self.stop_training = False
        self.history: History | None = None
        self.narrator: Narrator | None = None  # set by NeuroCraft's educational mode
        declared = layers[0].declared_input
        if declared is not None:
            self.build(declared)

    # ---- shape ----

    @property
    def built(self) -> bool:
        return self.input_dim is not None

    def build(self, input_dim: Shape | Sequence[int]) -> Model:
        """Fix the input shape and create every layer's parameters (done once).

        ``input_dim`` is a number of features, or ``(channels, height, width)`` for images.
        """
        shape = sample_shape(input_dim)
        if self.built:
            if shape != self.input_dim:
                raise ValueError(
                    f"this model was built for {describe_shape(self.input_dim)} per sample, not "
                    f"{describe_shape(shape)}"
                )
            return self
        if self.dtype is None:
            self.dtype = np.dtype(np.float64)
        width: Shape | None = shape
        for layer in self.layers:
            if width is None:
                raise ValueError(f"{layer.describe()} gets inputs of an unknown shape")
            layer.build(width, self.rng)
            width = layer.output_width(width)
        for tensor in self.weights():
            if tensor.data.dtype != self.dtype:
                tensor.data = tensor.data.astype(self.dtype)
        self.input_dim = shape
        return self

    def unique_layers(self) -> list[Layer]:
        """The layers, each once (a layer used twice shares its weights)."""
        seen: set[int] = set()
        unique = []
        for layer in self.layers:
            if id(layer) not in seen:
                seen.add(id(layer))
                unique.append(layer)
        return unique

    def sample_rank(self) -> int | None:
        """How many axes one input sample has (1 for features, 3 for images), if it's known."""
        for layer in self.layers:
            if layer.input_rank is not None:
                return layer.input_rank
            if not layer.keeps_shape:
                return None
        return None

    @property
    def output_width(self) -> Shape | None:
        width = self.input_dim
        for layer in self.layers:
            width = layer.output_width(width)
        return width

    @property
    def output_layer(self) -> Dense:
        last = self.layers[-1]
        if not isinstance(last, Dense):
            raise ValueError(
                f"the model ends with {last.describe()}; end it with a Dense output layer, "
                "e.g. Dense(n_classes, activation='softmax')"
            )
        return last

    def _features(self, X: object, name: str = "X") -> np.ndarray:
        rank = self.sample_rank() if not self.built else self._built_rank()
        X = as_features(X, name, rank, self.dtype)
        shape: Shape = X.shape[1] if X.ndim == 2 else tuple(X.shape[1:])
        if not self.built:
            if self.dtype is None:
                self.dtype = X.dtype
            self.build(shape)
        elif shape != self.input_dim and isinstance(shape, int):
            raise ValueError(
                f"the model expects {self.input_dim} features per sample (it was built for "
                f"{self.input_dim} inputs), but {name} has {shape} columns (shape {X.shape})"
            )
        elif shape != self.input_dim:
            raise ValueError(
                f"the model expects {describe_shape(self.input_dim)} per sample (it was built "
                f"for them), but {name} has {describe_shape(shape)} (shape {X.shape})"
            )
        return X

    def _built_rank(self) -> int:
        return 1 if isinstance(self.input_dim, int) else len(self.input_dim or ())

    # ---- computing ----

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        """The outputs for a batch ``x``; ``training=True`` turns dropout on."""
        for layer in self.layers:
            x = layer(x, training)
        return x

    def __call__(self, X: object) -> Tensor:
        """The outputs as a Tensor (with its graph, for your own losses and backward())."""
        return self.forward(Tensor(self._features(X)))

    def loss_outputs(self, x: Tensor, training: bool) -> Tensor:
        """What the loss reads: the outputs, or the output layer's logits if the loss uses them."""
        if self.loss is None or not self.loss.uses_logits(self.output_layer.activation.name):
            return self.forward(x, training)
        for layer in self.layers[:-1]:
            x = layer(x, training)
        return self.output_layer.pre_activation(x)

    def predict(self, X: object, batch_size: int | None = None) -> np.ndarray:
        """The model's outputs for every row of ``X`` (dropout off, no gradient tracking)."""
        X = self._features(X)
        step = len(X) if batch_size is None else positive_int(batch_size, "batch_size")
        with no_grad():
            parts = [self.forward(Tensor(X[i : i + step])).data for i in range(0, len(X), step)]
        return np.concatenate(parts)

    def predict_classes(self, X: object) -> np.ndarray:
        """The predicted class of every row: argmax of the outputs, or a 0/1 threshold for a
        single sigmoid output (0.5 on the probability)."""
        outputs = self.predict(X)
        layer = self.output_layer
        task = self.loss.task if self.loss is not None else None
        if self.loss is not None and task == "regression":
            raise ValueError(
                f"this model is trained for regression (loss {self.loss.name!r}); its outputs "
                "are numbers, not classes: use predict()"
            )
        if layer.units > 1 and task != "binary":
            return outputs.argmax(axis=1)
        if layer.activation.name == "sigmoid":
            labels = (outputs > 0.5).astype(int)
        elif layer.activation.name == "linear" and task == "binary":
            labels = (outputs > 0.0).astype(int)  # logits: z > 0 exactly when sigmoid(z) > 0.5
        else:
            raise ValueError(
                f"cannot read classes from a single {layer.activation.name!r} output; use "
                "Dense(1, activation='sigmoid') for yes/no or Dense(n, activation='softmax')"
            )
        return labels.ravel() if layer.units == 1 else labels

    # ---- training ----

    def compile(
        self,
        loss: str | Loss = "categorical_crossentropy",
        optimizer: str | Optimizer = "adam",
        metrics: Sequence[str] | None = None,
        learning_rate: float | None = None,
    ) -> None:
        """Choose what to minimise (``loss``), how (``optimizer``) and what to report."""
        loss_obj = get_loss(loss)
        if getattr(loss_obj, "reduction", "mean") == "none":
            raise ValueError(
                f"compile: loss {loss_obj!r} has reduction='none' (one loss per sample), but "
                "fit() needs one number to minimise; use reduction='mean' (or 'sum') here and "
                "keep reduction='none' for looking at single samples"
            )
        layer = self.output_layer
        loss_obj.check_output_layer(layer.activation.name, layer.units)
        if isinstance(metrics, str):
            metrics = [metrics]
        if metrics is not None and not isinstance(metrics, list | tuple):
            raise TypeError(
                f"compile: metrics must be a list of names such as ['accuracy'], got "
                f"{type(metrics).__name__}"
            )
        average = "binary" if loss_obj.task == "binary" else "macro"
        functions = dict(get_metric(m, average) for m in metrics or [])
        if functions and loss_obj.task == "regression":
            raise ValueError(
                f"metrics {list(functions)} compare classes, but loss {loss_obj.name!r} is for "
                "regression; drop the metrics or use a classification loss"
            )
        self.optimizer = get_optimizer(optimizer, learning_rate)
        self.loss, self.metric_functions = loss_obj, functions
        if self.narrator is not None:
            self.narrator.on_compile(self)

    def require_compiled(self, action: str) -> tuple[Loss, Optimizer]:
        """The loss and optimizer that compile() set, or an error saying that ``action`` needs
        compile() first.

        Example:
            >>> from neurogebra_models.layers import Dense
            >>> model = Model([Dense(1, input_dim=2)])
            >>> model.compile(loss="mse", optimizer="sgd")
            >>> loss, optimizer = model.require_compiled("fit")
            >>> loss.name, optimizer.name
            ('mse', 'sgd')
        """
        if self.loss is None or self.optimizer is None:
            raise RuntimeError(
                f"call model.compile(loss=..., optimizer=..., metrics=[...]) before {action}(), "
                "e.g. model.compile(loss='categorical_crossentropy', optimizer='adam', "
                "metrics=['accuracy'])"
            )
        return self.loss, self.optimizer

    def _targets(self, y: object, n: int, name: str = "y") -> np.ndarray:
        try:
            y = np.asarray(y.numpy() if hasattr(y, "numpy") else y)
            if y.dtype.kind not in "biufc":
                raise TypeError(f"dtype {y.dtype} is not a number type")
        except (TypeError, ValueError) as error:
            raise TypeError(f"{name} must be an array of labels or numbers ({error})") from None
        if y.ndim == 0:
            raise ValueError(f"{name} must have one label per sample, got a single number")
        if np.iscomplexobj(y):
            raise TypeError(f"{name} holds complex numbers; targets must be real labels or numbers")
        check_lengths(np.empty(n), y, "X and " + name)
        loss, _ = self.require_compiled("fit")
        targets = loss.prepare_targets(y, self.output_layer.units)
        if targets.dtype.kind == "f" and self.dtype is not None:
            targets = targets.astype(self.dtype, copy=False)
        return targets

    def classes_of(self, scores: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predicted and true classes from loss-side scores (logits) and prepared targets."""
        loss, _ = self.require_compiled("score")
        if loss.task == "multiclass":
            true = targets if targets.ndim == 1 else targets.argmax(axis=1)
            return scores.argmax(axis=1), true
        return (scores > 0.0).astype(int), (targets >= 0.5).astype(int)

    def score(self, scores: np.ndarray, targets: np.ndarray) -> dict[str, float]:
        """The compiled metrics of loss-side scores against prepared targets."""
        predicted, true = self.classes_of(scores, targets)
        return {name: fn(true, predicted) for name, fn in self.metric_functions.items()}

    def measure(self, X: np.ndarray, targets: np.ndarray) -> dict[str, float]:
        """Loss and metrics on prepared data, dropout off and without a graph."""
        loss, _ = self.require_compiled("evaluate")
        with no_grad():
            scores = self.loss_outputs(Tensor(X), training=False)
            logs = {"loss": loss(scores, targets).item()}
        logs.update(self.score(scores.data, targets) if self.metric_functions else {})
        return logs

    def fit(
        self,
        X: object,
        y: object,
        epochs: int = 10,
        batch_size: int = 32,
        validation_split: float = 0.0,
        validation_data: tuple[object, object] | None = None,
        verbose: int = 1,
        callbacks: Sequence[Callback] = (),
        shuffle: bool = True,
    ) -> History:
        """Train with mini-batches for ``epochs`` passes over the data; returns the History.

        Hold out data with ``validation_split`` (a random fraction of the samples, drawn with
        the model's seed; ``history.validation_indices`` says which) or
        ``validation_data=(X_val, y_val)``; their loss and metrics are recorded as
        ``val_loss``, ``val_accuracy``, ... ``verbose``: 0 silent, 1 progress bar, 2 a line per
        epoch. ``callbacks`` such as ``EarlyStopping`` run after every epoch.
        """
        self.require_compiled("fit")
        features = self._features(X)
        targets = self._targets(y, len(features))
        epochs = positive_int(epochs, "epochs", allow_zero=True)
        batch_size = positive_int(batch_size, "batch_size")
        validation = None
        validation_split = fraction_or_zero(validation_split, "validation_split")
        if not isinstance(shuffle, bool | np.bool_):
            raise TypeError(f"fit: shuffle must be True or False, got {shuffle!r}")
        if validation_data is not None and validation_split:
            raise ValueError("pass validation_split or validation_data, not both")
        if validation_split:
            train, held_out = split_validation(len(features), validation_split, self.rng)
            validation = (features[held_out], targets[held_out])
            features, targets = features[train], targets[train]
        elif validation_data is not None:
            if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
                raise ValueError("validation_data must be a pair (X_val, y_val)")
            X_val = self._features(validation_data[0], "X_val")
            validation = (X_val, self._targets(validation_data[1], len(X_val), "y_val"))
        callbacks = check_callbacks(callbacks)
        if self.narrator is not None:
            self.narrator.on_fit_start(self, len(features), batch_size, epochs)
            callbacks.append(self.narrator)
        self.history = run_training(
            self,
            features,
            targets,
            epochs=epochs,
            batch_size=batch_size,
            validation=validation,
            verbose=verbose,
            callbacks=callbacks,
            shuffle=shuffle,
        )
        if validation_split:
            self.history.validation_indices = held_out
        return self.history

    def evaluate(self, X: object, y: object) -> dict[str, float]:
        """The loss and compiled metrics on ``(X, y)``, e.g. ``{'loss': 0.1, 'accuracy': 0.97}``."""
        self.require_compiled("evaluate")
        X = self._features(X)
        return self.measure(X, self._targets(y, len(X)))

    # ---- parameters ----

    def parameters(self) -> list[Tensor]:
        """Every trainable Tensor, layer by layer, each once (empty until the input shape is
        known)."""
        return [p for layer in self.unique_layers() for p in layer.parameters()]

    def weights(self) -> list[Tensor]:
        """The parameters, then the saved but untrained state (BatchNorm's running averages)."""
        layers = self.unique_layers()
        return self.parameters() + [b for layer in layers for b in layer.buffers()]

    def count_params(self) -> int | None:
        """How many numbers the model learns, or None while the input shape is unknown."""
        return sum(p.size for p in self.parameters()) if self.built else None

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every array in :meth:`weights` order (parameters first)."""
        return [p.data.copy() for p in self.weights()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        params = self.weights()
        if len(weights) != len(params):
            raise ValueError(f"set_weights: the model has {len(params)} arrays, got {len(weights)}")
        for i, (p, w) in enumerate(zip(params, weights, strict=True)):
            try:
                if np.iscomplexobj(w):
                    raise ValueError("complex numbers")
                w = np.asarray(w, dtype=p.data.dtype)
            except (TypeError, ValueError):
                raise TypeError(
                    f"set_weights: array {i} must be an array of real numbers of shape "
                    f"{p.shape}, got {type(w).__name__}"
                ) from None
            if not np.all(np.isfinite(w)):
                raise ValueError(f"set_weights: array {i} contains NaN or infinity")
            if w.shape != p.shape:
                raise ValueError(
                    f"set_weights: expected an array of shape {p.shape}, got {w.shape}"
                )
            p.data = w.copy()

    # ---- words, pictures and files ----

    def summary(self, print_fn: Any = print) -> PrintedText:
        """The layers with their true output shapes and parameter counts; printed and returned."""
        from neurogebra_models.summary import summary_text

        return PrintedText.show(summary_text(self), print_fn)

    def explain_architecture(self, print_fn: Any = print) -> PrintedText:
        """A plain-English walk through every layer; printed and returned."""
        from neurogebra_models.explain import architecture_text

        return PrintedText.show(architecture_text(self), print_fn)

    def save(self, path: str | Path) -> Path:
        """Write the architecture, compile settings and weights to one ``.npz`` file."""
        from neurogebra_models.serialization import save_model

        return save_model(self, path)

    @classmethod
    def load(cls, path: str | Path) -> Model:
        """A model read back from :meth:`save`'s file (optimizer state starts fresh)."""
        from neurogebra_models.serialization import load_model

        return load_model(path)

    def __repr__(self) -> str:
        layers = ", ".join(layer.describe() for layer in self.layers)
        inputs = str(self.input_dim) if self.built else "?"
        return f"{self.name}(inputs={inputs}: {layers})"
