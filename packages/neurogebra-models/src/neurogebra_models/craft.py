"""`NeuroCraft`: one friendly object for the whole course, formulas and models together.

It hands out MathForge's formulas and ModelBuilder's models, and in *educational mode* (the
default) it explains each step as it happens: what a network it builds looks like, what
compiling chose, what each reported epoch of training did. Unknown names get "did you mean"
suggestions. Everything it prints is also returned (for explaining methods) and kept in
``craft.transcript``, so notebooks and tests can reuse the words.

Example:
    >>> craft = NeuroCraft(educational=False, seed=0)
    >>> model = craft.build([2, 8, 3])
    >>> model.count_params()
    51
    >>> craft.dataset("spirlas")
    Traceback (most recent call last):
    ...
    ValueError: unknown dataset 'spirlas'; did you mean 'spirals'? Known: spirals, moons, ...
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from neurogebra_models import datasets
from neurogebra_models.activations import ACTIVATIONS
from neurogebra_models.builder import ModelBuilder
from neurogebra_models.explain import forge
from neurogebra_models.layers import Dense, Dropout, Layer
from neurogebra_models.losses import LOSSES, get_loss
from neurogebra_models.model import Model
from neurogebra_models.naming import did_you_mean, lookup
from neurogebra_models.optimizers import OPTIMIZERS, get_optimizer
from neurogebra_models.text import PrintedText
from neurogebra_models.training.history import History
from neurogebra_models.training.narration import Narrator

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from neurogebra.core.expression import Expression

__all__ = ["NeuroCraft"]

DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "spirals": datasets.make_spirals,
    "moons": datasets.make_moons,
    "circles": datasets.make_circles,
    "xor": datasets.make_xor,
    "regression": datasets.make_regression,
}


def _doc_text(cls: type) -> str:
    """A class's docstring as one plain paragraph (without reStructuredText's backquotes)."""
    return " ".join(inspect.cleandoc(cls.__doc__ or "").replace("``", "").split())


class NeuroCraft:
    """The course's all-in-one interface: formulas, models, training, data and plots.

    ``educational=True`` narrates every step; ``seed`` makes the models it builds reproducible;
    ``print_fn`` receives everything it says (``None`` keeps it quiet but still records it).
    """

    def __init__(
        self,
        educational: bool = True,
        seed: int | None = None,
        print_fn: Callable[[str], Any] | None = print,
    ) -> None:
        self.educational = educational
        self.builder = ModelBuilder(seed=seed)
        self.print_fn = print_fn
        self.transcript: list[str] = []

    # ---- speaking ----

    def say(self, text: str) -> PrintedText:
        """Print ``text`` (through ``print_fn``), record it in the transcript and return it."""
        self.transcript.append(text)
        return PrintedText.show(text, self.print_fn)

    def _note(self, text: str) -> None:
        if self.educational:
            self.say(text)

    # ---- formulas (MathForge) ----

    @property
    def forge(self) -> Any:
        """The MathForge behind the formulas (built on first use)."""
        return forge()

    def formula(self, name: str, **params: float) -> Expression:
        """The formula called ``name`` as an Expression, e.g. ``craft.formula("relu")``."""
        expression = self.forge.get(name, params=params or None)
        self._note(f"{expression}  (use .eval(...), .gradient(...), .explain())")
        return expression

    def explain(self, topic: str | Model, level: str = "beginner") -> PrintedText:
        """Explain a formula, an activation, a loss, an optimizer or a whole model; printed
        and returned."""
        if isinstance(topic, Model):
            from neurogebra_models.explain import architecture_text

            return self.say(architecture_text(topic))
        if not isinstance(topic, str):
            raise TypeError(f"explain() takes a name or a Model, got {type(topic).__name__}")
        key = topic.strip().lower()
        if key in ACTIVATIONS:
            activation = ACTIVATIONS[key]
            formula = self.forge.get(activation.formula_name).formula
            return self.say(
                f"{key} (activation): {activation.formula}  [MathForge: {formula}]\n"
                f"{activation.why}"
            )
        if key in OPTIMIZERS:
            return self.say(f"{key} (optimizer): {_doc_text(type(get_optimizer(key)))}")
        if key in LOSSES:
            loss = get_loss(key)
            return self.say(f"{loss.name} (loss): {_doc_text(type(loss))}")
        if key in self.forge:
            return self.say(str(self.forge.explain(key, level)))
        known = dict.fromkeys([*ACTIVATIONS, *OPTIMIZERS, *LOSSES, *self.forge.list_all()])
        raise ValueError(
            f"nothing called {topic!r} to explain{did_you_mean(key, known)} Try "
            "craft.search('words') to find formulas."
        )

    def search(self, query: str) -> list[str]:
        """Names of the formulas whose name or description contains every word of ``query``."""
        found = self.forge.search(query)
        self.say(f"{len(found)} formula(s) match {query!r}: {', '.join(found) or 'none'}")
        return found

    def list_formulas(self, category: str | None = None) -> list[str]:
        """Every formula name, or those of one category (e.g. "activations", "losses")."""
        return self.forge.list_all(category)

    def compare(self, names: Sequence[str]) -> PrintedText:
        """A table comparing formulas side by side; printed and returned."""
        return self.say(str(self.forge.compare(names)))

    # ---- models (ModelBuilder) ----

    def Dense(self, units: int, activation: str | None = None, **kwargs: Any) -> Dense:
        """A Dense layer (see ModelBuilder.Dense)."""
        return Dense(units, activation=activation, **kwargs)

    def Dropout(self, rate: float) -> Dropout:
        """A Dropout layer (see ModelBuilder.Dropout)."""
        return Dropout(rate)

    def _adopt(self, model: Model) -> Model:
        if self.educational:
            model.narrator = Narrator(self.say)
            self.say(model.summary(print_fn=None))
        return model

    def Sequential(self, layers: Sequence[Layer], name: str = "Sequential") -> Model:
        """A model of ``layers``; in educational mode its summary is shown and its training
        narrated."""
        return self._adopt(self.builder.Sequential(layers, name=name))

    def build(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        output_activation: str | None = "softmax",
        dropout: float = 0.0,
    ) -> Model:
        """A network from its layer widths, e.g. ``craft.build([2, 16, 16, 3])``."""
        return self._adopt(
            self.builder.from_sizes(sizes, activation, output_activation, dropout=dropout)
        )

    def compile(self, model: Model, **settings: Any) -> Model:
        """``model.compile(**settings)``, narrated in educational mode; returns the model."""
        model.compile(**settings)
        return model

    def train(
        self,
        model: Model,
        X: object,
        y: object,
        epochs: int = 30,
        batch_size: int = 16,
        verbose: int = 0,
        **fit_settings: Any,
    ) -> History:
        """``model.fit(...)``; an uncompiled model is first compiled with a loss chosen from
        its output layer (softmax: categorical cross-entropy, sigmoid: binary, else mse) and
        Adam."""
        if model.loss is None:
            activation = model.output_layer.activation.name
            loss = {"softmax": "categorical_crossentropy", "sigmoid": "binary_crossentropy"}.get(
                activation, "mse"
            )
            metrics = ["accuracy"] if loss != "mse" else None
            self._note(
                f"The model was not compiled; choosing loss {loss!r} for its {activation} "
                "output and Adam with learning rate 0.01."
            )
            model.compile(loss=loss, optimizer="adam", learning_rate=0.01, metrics=metrics)
        return model.fit(
            X, y, epochs=epochs, batch_size=batch_size, verbose=verbose, **fit_settings
        )

    # ---- quick helpers ----

    def quick_classifier(
        self,
        X: object,
        y: object,
        hidden: Sequence[int] = (16, 16),
        epochs: int = 30,
        learning_rate: float = 0.01,
        batch_size: int = 16,
    ) -> Model:
        """Build, compile and train a ReLU classifier for ``(X, y)`` in one call."""
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        if X.ndim != 2:
            raise ValueError(f"X must have shape (samples, features), got {X.shape}")
        n_classes = int(y.max()) + 1 if y.size else 0
        if n_classes < 2:
            raise ValueError("quick_classifier needs labels of at least two classes (0, 1, ...)")
        model = self.build([X.shape[1], *hidden, n_classes])
        model.compile(
            loss="categorical_crossentropy",
            optimizer="adam",
            learning_rate=learning_rate,
            metrics=["accuracy"],
        )
        self.train(model, X, y, epochs=epochs, batch_size=batch_size)
        return model

    def quick_regressor(
        self,
        X: object,
        y: object,
        hidden: Sequence[int] = (32,),
        epochs: int = 100,
        learning_rate: float = 0.01,
        batch_size: int = 16,
    ) -> Model:
        """Build, compile and train a ReLU regression network (mse loss) in one call."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError(f"X must have shape (samples, features), got {X.shape}")
        y = np.asarray(y, dtype=float)
        outputs = 1 if y.ndim == 1 else y.shape[1]
        model = self.build([X.shape[1], *hidden, outputs], output_activation=None)
        model.compile(loss="mse", optimizer="adam", learning_rate=learning_rate)
        self.train(model, X, y, epochs=epochs, batch_size=batch_size)
        return model

    def dataset(self, name: str, **settings: Any) -> tuple[np.ndarray, np.ndarray]:
        """A toy data set by name: spirals, moons, circles, xor or regression."""
        maker = lookup("dataset", name, DATASETS)
        X, y = maker(**settings)
        self._note(f"Dataset {name!r}: {len(X)} samples with {X.shape[1]} features each.")
        return X, y

    # ---- pictures ----

    def plot_decision_boundary(
        self, model: Model | Callable[..., Any], X: object, y: object, **settings: Any
    ) -> Figure:
        from neurogebra_models.plots import plot_decision_boundary

        return plot_decision_boundary(model, X, y, **settings)

    def plot_history(self, history: History, **settings: Any) -> Figure:
        from neurogebra_models.plots import plot_history

        return plot_history(history, **settings)

    def __repr__(self) -> str:
        mode = "educational" if self.educational else "quiet"
        return f"NeuroCraft({mode}, {len(self.transcript)} lines said)"
