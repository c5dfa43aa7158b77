"""The text of Model.explain_architecture(): what every layer computes, and why.

Formulas of the activations come from MathForge (the repository of formulas in
neurogebra-core), so the words here and the formulas students explore there agree.

Example:
    >>> from neurogebra_models.layers import Dense
    >>> from neurogebra_models.model import Model
    >>> text = architecture_text(Model([Dense(3, activation="softmax", input_dim=2)]))
    >>> "probabilities" in text
    True
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from neurogebra_models.initializers import DESCRIPTIONS
from neurogebra_models.layers import Dense, Dropout, Layer, Shape

if TYPE_CHECKING:
    from neurogebra.core.forge import MathForge
    from neurogebra_models.model import Model

__all__ = ["architecture_text", "forge", "layer_text"]


@functools.cache
def forge() -> MathForge:
    """One shared MathForge (building it parses every formula of the repository, ~2 s)."""
    from neurogebra import MathForge

    return MathForge()


def _width(n: Shape | None) -> str:
    if isinstance(n, tuple):
        return "×".join(map(str, n))
    return "d (not known yet)" if n is None else str(n)


def _dense_text(layer: Dense, index: int, width: Shape | None, last: bool) -> list[str]:
    act = layer.activation
    shape = f"({_width(width)} × {layer.units})"
    count = layer.param_count(width)
    params = (
        f"{count:,} parameters"
        if count is not None
        else f"{layer.units}·d + {layer.units} parameters"
    )
    formula = forge().get(act.formula_name).formula
    if act.name == "softmax":
        formula += " (MathForge writes it out for 3 classes)"
    role = "output layer" if last else "hidden layer"
    lines = [
        f"Layer {index}: {layer.describe()} ({role})",
        f"  Computes: z = x·W + b, then output = {act.name}(z), for {layer.units} neurons at once.",
        f"  Each neuron takes a weighted sum of all {_width(width)} inputs plus its own bias.",
        f"  Activation (MathForge '{act.formula_name}'): {formula}; here: {act.formula}.",
        f"  Parameters: W {shape} and b ({layer.units}): {params}; W starts from "
        f"{DESCRIPTIONS[layer.initializer]}, b from 0.",
        f"  Why {act.name}: {act.why}",
    ]
    return lines


def _dropout_text(layer: Dropout, index: int, width: Shape | None) -> list[str]:
    return [
        f"Layer {index}: {layer.describe()}",
        f"  While training, each of the {_width(width)} values is set to 0 with probability "
        f"{layer.rate:g} and the rest are scaled by 1/(1 - {layer.rate:g}); at prediction time it "
        "does nothing.",
        "  Parameters: none.",
        "  Why: the next layer cannot rely on any single neuron, which discourages memorising "
        "the training data (overfitting).",
    ]


def layer_text(layer: Layer, index: int, width: Shape | None, last: bool) -> list[str]:
    if isinstance(layer, Dense):
        return _dense_text(layer, index, width, last)
    if isinstance(layer, Dropout):
        return _dropout_text(layer, index, width)
    return [f"Layer {index}: {layer.describe()}", *layer.explanation(width)]


def architecture_text(model: Model) -> str:
    width = model.input_dim
    intro = f"{model.name} network with {len(model.layers)} layers. " + (
        f"Each sample enters as {_width(width)} numbers."
        if width is not None
        else "The input width d is not known yet; it is fixed by the first data the model sees."
    )
    lines = [intro, ""]
    for i, layer in enumerate(model.layers, start=1):
        lines += layer_text(layer, i, width, last=i == len(model.layers))
        lines.append("")
        width = layer.output_width(width)
    total = model.count_params()
    lines.append(
        f"In total the network learns {total:,} numbers."
        if total is not None
        else "The total number of parameters depends on d; see summary()."
    )
    if model.loss is not None and model.optimizer is not None:
        lines.append(
            f"Training minimises {model.loss.name} with {model.optimizer.describe()}: after each "
            "batch, backward() computes how the loss changes with every parameter, and the "
            "optimizer moves each parameter a little against that gradient."
        )
    return "\n".join(lines)
