"""Pictures of models: decision boundaries, training curves, what each neuron responds to.

Every function returns the matplotlib Figure (save it with ``fig.savefig("file.png")``).
Without a display (a server, CI, a test run) matplotlib is switched to its file-only "Agg"
backend before pyplot loads, so nothing tries to open a window. The computation-graph drawing
of the scalar engine is here too, as :func:`draw_graph`.

Example:
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0]]); y = np.array([0, 1])
    >>> fig = plot_decision_boundary(lambda P: (P.sum(axis=1) > 1).astype(int), X, y)
    >>> type(fig).__name__
    'Figure'
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np

from neurogebra.core.autograd import draw_graph
from neurogebra.core.tensor import Tensor, no_grad
from neurogebra_models.layers import Dense, Layer
from neurogebra_models.model import Model

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["draw_graph", "plot_decision_boundary", "plot_history", "plot_neuron_activations"]

COLORS = ["#FF6B6B", "#4ECDC4", "#45B7D1", "#F7B801", "#8E7DBE", "#6BCB77"]


def _headless() -> bool:
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def _pyplot() -> Any:
    """pyplot, on the Agg backend when there is no display and nobody chose a backend."""
    if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND") and _headless():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _grid(X: np.ndarray, margin: float, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    lows, highs = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs = np.linspace(lows[0], highs[0], resolution)
    ys = np.linspace(lows[1], highs[1], resolution)
    return np.meshgrid(xs, ys)


def _classes_on(model_or_fn: Model | Callable[..., Any], points: np.ndarray) -> np.ndarray:
    """Class predictions for every point: a Model's predict_classes, or the function's answer
    (called on all points at once, or one point at a time when that is what it accepts)."""
    if isinstance(model_or_fn, Model):
        return model_or_fn.predict_classes(points)
    if not callable(model_or_fn):
        raise TypeError(
            "plot_decision_boundary needs a Model or a function from points to classes, got "
            f"{type(model_or_fn).__name__}"
        )
    try:
        answer = np.asarray(model_or_fn(points))
    except (TypeError, ValueError, IndexError):
        answer = None
    if answer is None or answer.shape[:1] != (len(points),):
        answer = np.array([np.asarray(model_or_fn(p)) for p in points])  # one point at a time
    if answer.ndim == 2:  # scores or probabilities per class
        answer = answer.argmax(axis=1) if answer.shape[1] > 1 else (answer[:, 0] > 0.5)
    return answer.astype(int).reshape(len(points))


def plot_decision_boundary(
    model_or_fn: Model | Callable[..., Any],
    X: object,
    y: object,
    title: str = "Decision boundary",
    ax: Any = None,
    resolution: int = 200,
    margin: float = 0.5,
) -> Figure:
    """Colour the plane by the predicted class and scatter the points ``X`` coloured by ``y``.

    ``model_or_fn`` is a Model, or a function of the points (all at once, or one point at a
    time like the course page's ``predict_fn``). The arguments ``(predict_fn, X, y, title,
    ax)`` are in the course page's order, so its calls work unchanged.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"plot_decision_boundary draws 2-D inputs: X must have shape (n, 2), got {X.shape}"
        )
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} points but y has {len(y)} labels")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 6)) if ax is None else (ax.figure, ax)
    xx, yy = _grid(X, margin, resolution)
    Z = _classes_on(model_or_fn, np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    ax.contourf(xx, yy, Z, alpha=0.3, cmap="RdYlBu")
    for i, label in enumerate(np.unique(y)):
        mask = y == label
        ax.scatter(
            X[mask, 0],
            X[mask, 1],
            s=20,
            color=COLORS[i % len(COLORS)],
            label=f"class {label}",
            edgecolors="k",
            linewidths=0.3,
        )
    ax.set(title=title, xlabel="x₁", ylabel="x₂")
    ax.legend(loc="upper right")
    return fig


def _curves(history: object) -> dict[str, list[float]]:
    """The curves to draw from any of the histories the library makes, or a clear error."""
    if not isinstance(history, Mapping) and hasattr(history, "history"):
        history = history.history  # a Trainer, or an object that keeps its history
    if isinstance(history, Mapping):
        raw = {str(key): value for key, value in history.items()}
    elif isinstance(history, Sequence | np.ndarray) and not isinstance(history, str | bytes):
        raw = {"loss": history}  # Trainer.fit's list of losses, one per epoch
    else:
        raise TypeError(
            "plot_history needs the History that Model.fit() returned, a dict of lists such as "
            "{'loss': [...]}, or a list of loss values (Trainer.fit()'s history), got "
            f"{type(history).__name__}"
        )
    curves = {}
    for key, values in raw.items():
        try:
            array = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
        if array is None or array.ndim != 1:
            raise TypeError(
                f"plot_history: history[{key!r}] must be a list of numbers, one per epoch, got "
                f"{type(values).__name__}"
            )
        curves[key] = array.tolist()
    if "loss" not in curves or not curves["loss"]:
        raise ValueError(
            "plot_history: the history has no 'loss' values to draw (it has: "
            f"{', '.join(curves) or 'nothing'}); train first, then pass what fit() returned"
        )
    return curves


def plot_history(history: object, title: str = "Training") -> Figure:
    """Loss curves (left) and, when recorded, metric curves (right), one point per epoch.

    ``history`` is what ``Model.fit`` returns, a dict of lists with at least ``'loss'``, or a
    plain list of losses (what the core ``Trainer.fit`` returns, or the Trainer itself).
    """
    curves = _curves(history)
    metrics = [k for k in curves if "loss" not in k]
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2 if metrics else 1, figsize=(12 if metrics else 6, 4.5))
    axes = np.atleast_1d(axes)
    for ax, keys, label in [(axes[0], [k for k in curves if "loss" in k], "loss")] + (
        [(axes[1], metrics, "metric")] if metrics else []
    ):
        for key in keys:
            epochs = np.arange(1, len(curves[key]) + 1)
            ax.plot(epochs, curves[key], linewidth=2, label=key, marker="o", markersize=3)
        ax.set(xlabel="epoch", ylabel=label, title=f"{title}: {label}")
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def _inputs_to(layer: Layer, model: Model | None) -> tuple[list[Layer], int]:
    """The layers before ``layer`` in ``model`` and the model's input width."""
    if model is None:
        if layer.input_width != 2:
            raise ValueError(
                "plot_neuron_activations draws over the 2-D input plane; this layer takes "
                f"{layer.input_width} inputs, so pass model=... to feed the plane through the "
                "layers before it"
            )
        return [], 2
    if not any(candidate is layer for candidate in model.layers):
        raise ValueError("the layer is not one of the model's layers")
    if model.input_dim != 2:
        raise ValueError(
            f"plot_neuron_activations draws over the 2-D input plane, but the model takes "
            f"{model.input_dim} inputs"
        )
    position = next(i for i, candidate in enumerate(model.layers) if candidate is layer)
    return model.layers[:position], 2


def plot_neuron_activations(
    layer: Layer,
    model: Model | None = None,
    extent: tuple[float, float] = (-1.5, 1.5),
    resolution: int = 60,
    max_neurons: int = 8,
) -> Figure:
    """One panel per neuron of a Dense layer: its output over the input plane (course step 8).

    A first layer of a 2-input model is drawn directly; for a deeper layer pass ``model=`` so
    the plane is fed through the layers before it.
    """
    if not isinstance(layer, Dense):
        raise TypeError(f"plot_neuron_activations draws Dense layers, got {layer.describe()}")
    if not layer.built:
        raise ValueError(
            "the layer has no weights yet: build the model first (input_dim=..., build(), or fit())"
        )
    before, _ = _inputs_to(layer, model)
    xs = np.linspace(extent[0], extent[1], resolution)
    xx, yy = np.meshgrid(xs, xs)
    with no_grad():
        h = Tensor(np.column_stack([xx.ravel(), yy.ravel()]))
        for earlier in before:
            h = earlier(h, training=False)
        out = layer(h, training=False).data
    count = min(layer.units, max_neurons)
    columns = min(count, 4)
    rows = -(-count // columns)
    plt = _pyplot()
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=(3.2 * columns, 3.2 * rows + 0.6),
        squeeze=False,
        sharex=True,
        sharey=True,
    )
    for k, ax in enumerate(axes.flat):
        if k >= count:
            ax.set_axis_off()
            continue
        values = out[:, k].reshape(xx.shape)
        ax.imshow(
            values,
            origin="lower",
            extent=(extent[0], extent[1], extent[0], extent[1]),
            cmap="viridis",
            aspect="auto",
        )
        ax.set_title(f"Neuron {k + 1}: {values.min():.2g} to {values.max():.2g}", fontsize=9)
    fig.suptitle(f"What each neuron of {layer.describe()} responds to (brighter = stronger)")
    # fixed spacing: tight_layout would cost seconds on a grid of panels
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.06, top=0.88, wspace=0.1, hspace=0.25)
    return fig
