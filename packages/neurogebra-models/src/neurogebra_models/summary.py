"""The text of Model.summary(): one row per layer, with nothing invented.

Before the input width is known, the output widths that do not depend on it are still shown,
and the parameters that do are written as a formula of the unknown width ``d``.

Example:
    >>> from neurogebra_models.layers import Dense
    >>> from neurogebra_models.model import Model
    >>> print(summary_text(Model([Dense(4, activation="relu", input_dim=3), Dense(2)])))
    Model: Sequential
    Input: 3 features per sample
    ─────────────────────────────────────────────────────
     #  Layer               Output shape      Parameters
    ─────────────────────────────────────────────────────
     1  Dense(4, relu)      (batch, 4)                16
     2  Dense(2, linear)    (batch, 2)                10
    ─────────────────────────────────────────────────────
    Total parameters: 26 (all trainable)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from neurogebra_models.layers import Shape, describe_shape

if TYPE_CHECKING:
    from neurogebra_models.model import Model

__all__ = ["summary_text"]


def _shape_cell(shape: Shape | None) -> str:
    if shape is None:
        return "(batch, ?)"
    sizes = (shape,) if isinstance(shape, int) else shape
    return "(batch, " + ", ".join(map(str, sizes)) + ")"


def _widths(model: Model) -> list[Shape | None]:
    width = model.input_dim
    widths = []
    for layer in model.layers:
        width = layer.output_width(width)
        widths.append(width)
    return widths


def summary_text(model: Model) -> str:
    width: Shape | None = model.input_dim
    if model.built:
        lines = [f"Model: {model.name}", f"Input: {describe_shape(width)} per sample"]
    else:
        lines = [
            f"Model: {model.name}",
            "Input: not known yet (the input width d is set by the first layer's input_dim, by "
            "model.build(d), or by the first fit()/predict())",
        ]
    # columns widen for long names and image shapes; the classic table is 53 characters wide
    name_width = max(18, *(len(layer.describe()) for layer in model.layers))
    shapes = [_shape_cell(w) for w in _widths(model)]
    shape_width = max(14, *(len(cell) for cell in shapes))
    rule = "─" * (53 + name_width - 18 + shape_width - 14)
    lines += [
        rule,
        f" #  {'Layer':<{name_width}}  {'Output shape':<{shape_width}}  {'Parameters':>12}",
        rule,
    ]
    total, per_d, unknown = 0, 0, False
    width_is_d = not model.built  # the layer's input is the model's unknown input width d
    seen: dict[int, int] = {}
    for i, layer in enumerate(model.layers, start=1):
        out = layer.output_width(width)
        shape = _shape_cell(out) if out is not None else "(batch, d)"
        count = layer.param_count(width)
        if id(layer) in seen:
            cell = f"shared with {seen[id(layer)]}"
        elif count is None and width_is_d:
            a, b = layer.param_formula()
            cell = f"{a}·d + {b}"
            per_d, total = per_d + a, total + b
        elif count is None:
            cell, unknown = "?", True
        else:
            cell = f"{count:,}"
            total += count
        seen.setdefault(id(layer), i)
        width_is_d = width_is_d and out is None and layer.keeps_shape
        lines.append(
            f"{i:>2}  {layer.describe():<{name_width}}  {shape:<{shape_width}}  {cell:>12}"
        )
        width = out
    lines.append(rule)
    if per_d and not unknown:
        lines.append(
            f"Total parameters: {per_d:,}·d + {total:,}, where d is the input width (not known "
            "yet): no count can be given until it is"
        )
    elif per_d or unknown:
        lines.append("Total parameters: not known until the input shape is (build the model)")
    else:
        buffers = sum(b.size for layer in model.unique_layers() for b in layer.buffers())
        extra = f", plus {buffers:,} running statistics" if buffers else ""
        lines.append(f"Total parameters: {total:,} (all trainable){extra}")
    if model.loss is not None and model.optimizer is not None:
        metrics = ", ".join(model.metric_functions) or "none"
        lines.append(
            f"Compiled: loss {model.loss.name}, optimizer {model.optimizer.describe()}, "
            f"metrics {metrics}"
        )
    return "\n".join(lines)
