"""The site's pictures, drawn at build time from the library itself (mkdocs-gen-files script).

Nothing here is hand-drawn: every picture is computed by running Neurogebra (a `Value` graph
and its backward pass, `MathForge` formulas and their exact derivatives, a `Trainer` run, a
`Tensor` network, a `ModelBuilder` network) and drawn with Matplotlib or Graphviz into
`figures/<name>.svg`. The pages show them with Markdown images whose alt text says what each
picture shows; `tests/docs/test_built_site.py` checks that every Learn chapter has at least two,
all with alt text, and that each file was made.

Run as a script to write the pictures into a folder and look at them:
``python tools/site/figures.py build/figures``.
"""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")  # no display at build time

import graphviz
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from neurogebra import Expression, MathForge
from neurogebra.core.autograd import Value, draw_graph
from neurogebra.core.autograd.graph import topological_order

# Reproducible files: no timestamps, fixed ids, fixed random data.
matplotlib.rcParams.update(
    {
        "svg.hashsalt": "neurogebra",
        "figure.dpi": 100,
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
PURPLE, AMBER, GREY = "#5e35b1", "#ffa000", "#9e9e9e"
OP_SYMBOLS = {
    "+": "+",
    "*": "×",
    "**": "^",
    "relu": "ReLU",
    "tanh": "tanh",
    "exp": "exp",
    "sigmoid": "σ",
}


def figure_svg(fig) -> bytes:
    """The figure as SVG: text and lines as vectors, filled areas and point clouds as one
    embedded bitmap each (as vectors they would weigh megabytes)."""
    for ax in fig.axes:
        for collection in ax.collections:
            collection.set_rasterized(True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", dpi=144, metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


# ---- computation graphs -------------------------------------------------------------------


def graph_svg(root: Value, shown: set[int] | None = None, active: int | None = None) -> bytes:
    """A Value graph with data and gradient in every box. ``shown``: ids of the Values whose
    gradient is final so far (the others show "?"); ``active``: the Value passing its gradient
    on right now (highlighted)."""
    dot = graphviz.Digraph(
        graph_attr={"rankdir": "LR", "bgcolor": "transparent", "nodesep": "0.25"},
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"color": "#555555"},
    )
    for node in topological_order(root):
        name = str(id(node))
        grad = f"{node.grad:.4g}" if shown is None or id(node) in shown else "?"
        label = f"{node.label} | " if node.label else ""
        style = {"style": "filled", "fillcolor": "#ffe0b2"} if id(node) == active else {}
        if shown is not None and id(node) in shown and id(node) != active:
            style = {"style": "filled", "fillcolor": "#ede7f6"}
        dot.node(name, f"{{ {label}data {node.data:.4g} | grad {grad} }}", shape="record", **style)
        if node.op:
            op_name = name + "op"
            dot.node(op_name, OP_SYMBOLS.get(node.op, node.op), shape="circle", fontsize="10")
            dot.edge(op_name, name)
            for child in node.children:
                dot.edge(str(id(child)), op_name)
    return dot.pipe(format="svg")


def example_graph(backward: bool = True) -> Value:
    """The autograd chapter's example: c = a + b, d = a·b, e = c + d at a = 2, b = 3."""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a + b
    c.label = "c"
    d = a * b
    d.label = "d"
    e = c + d
    e.label = "e"
    if backward:
        e.backward()
    return e


def backward_steps(root: Value) -> list[bytes]:
    """The backward pass one operation at a time: step k shows the gradients that are final
    once the first k operations (from the output back) have passed theirs on."""
    order = list(reversed(topological_order(root)))  # output first
    consumers: dict[int, list[int]] = {id(n): [] for n in order}
    for node in order:
        for child in node.children:
            consumers[id(child)].append(id(node))
    operations = [n for n in order if n.op]
    pictures = []
    for k in range(len(operations) + 1):
        done = {id(n) for n in operations[:k]}
        shown = {id(n) for n in order if n is root or set(consumers[id(n)]) <= done}
        active = id(operations[k]) if k < len(operations) else None
        pictures.append(graph_svg(root, shown, active))
    return pictures


def neuron_graph() -> Value:
    """The autograd chapter's neuron, σ(w1·x1 + w2·x2 + b), after backward."""
    x1, x2 = Value(2.0, label="x1"), Value(3.0, label="x2")
    w1, w2 = Value(0.5, label="w1"), Value(-0.3, label="w2")
    bias = Value(0.1, label="bias")
    z = w1 * x1 + w2 * x2 + bias
    z.label = "z"
    out = z.sigmoid()
    out.label = "out"
    out.backward()
    return out


def overview_graph() -> Value:
    """The overview's z = x·y + x² at x = 2, y = 3, after backward."""
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    z.backward()
    return z


# ---- formulas and their derivatives --------------------------------------------------------


def curves_beside_derivatives(names: list[str], variable: str, xs: np.ndarray, **fixed) -> bytes:
    """Each MathForge formula (left) beside its exact derivative (right), one row each."""
    forge = MathForge()
    fig, axes = plt.subplots(len(names), 2, figsize=(7.2, 1.9 * len(names)), sharex=True)
    for row, name in zip(np.atleast_2d(axes), names, strict=True):
        formula = forge.get(name)
        values = np.broadcast_to(formula.eval(**{variable: xs}, **fixed), xs.shape)
        slope = np.broadcast_to(
            formula.gradient(variable).eval(**{variable: xs}, **fixed), xs.shape
        )
        row[0].plot(xs, values, color=PURPLE, lw=2)
        row[1].plot(xs, slope, color=AMBER, lw=2)
        row[0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=11)
        for ax in row:
            ax.axhline(0, color=GREY, lw=0.6)
            ax.axvline(0, color=GREY, lw=0.6)
            ax.grid(alpha=0.25)
    axes[0][0].set_title("the formula", fontsize=11)
    axes[0][1].set_title(f"its derivative with respect to {variable}", fontsize=11)
    axes[-1][0].set_xlabel(variable)
    axes[-1][1].set_xlabel(variable)
    fig.tight_layout()
    return figure_svg(fig)


def activations() -> bytes:
    return curves_beside_derivatives(
        ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "gelu"], "x", np.linspace(-4, 4, 401)
    )


def losses() -> bytes:
    """Losses of one prediction against a target of 0, as the error grows."""
    return curves_beside_derivatives(
        ["mse", "mae", "huber"], "y_pred", np.linspace(-3, 3, 401), y_true=0.0
    )


def sigmoid_and_slope() -> bytes:
    """The overview's sigmoid with its exact derivative, and the tangent at x = 0."""
    sigmoid = MathForge().get("sigmoid")
    slope = sigmoid.gradient("x")
    xs = np.linspace(-6, 6, 301)
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.plot(xs, sigmoid.eval(x=xs), color=PURPLE, lw=2, label="sigmoid(x)")
    ax.plot(xs, slope.eval(x=xs), color=AMBER, lw=2, label="its derivative")
    ax.plot(xs, 0.5 + 0.25 * xs, color=GREY, ls="--", lw=1, label="tangent at 0: slope 0.25")
    ax.set(ylim=(-0.1, 1.1), xlabel="x")
    ax.legend(frameon=False, loc="upper left")
    ax.grid(alpha=0.25)
    return figure_svg(fig)


# ---- training a line -----------------------------------------------------------------------


@functools.cache
def line_training():
    """The training chapter's line, fitted by Trainer one epoch at a time from (m, b) = (0, 0):
    the data, the path of (m, b) and the loss of every epoch."""
    from neurogebra.core.trainer import Trainer

    X = np.array([1, 2, 3, 4, 5], dtype=float)
    y = 2 * X + 1
    model = Expression("line", "m*x + b", params={"m": 0.0, "b": 0.0}, trainable_params=["m", "b"])
    trainer = Trainer(model, learning_rate=0.01)
    path = [(0.0, 0.0)]
    losses = []
    for _ in range(200):
        losses += list(trainer.fit(X, y, epochs=1))
        path.append((model.params["m"], model.params["b"]))
    return X, y, np.array(path), np.array(losses)


def loss_surface() -> bytes:
    X, y, path, _ = line_training()
    ms, bs = np.linspace(-0.5, 3.5, 161), np.linspace(-2.5, 4.5, 161)
    M, B = np.meshgrid(ms, bs)
    L = ((M[..., None] * X + B[..., None] - y) ** 2).mean(axis=-1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 4.0))
    left.contour(M, B, L, levels=np.geomspace(0.05, 80, 14), cmap="viridis", linewidths=1)
    left.plot(path[:, 0], path[:, 1], ".-", color=AMBER, ms=3, lw=1, label="gradient descent")
    left.plot(*path[0], "o", color="k", label="start (0, 0)")
    left.plot(2, 1, "*", color="crimson", ms=12, label="minimum (2, 1)")
    left.set(xlabel="slope m", ylabel="intercept b", title="loss L(m, b): contours and the path")
    left.legend(frameon=False, fontsize=8, loc="upper right")
    surface = fig.add_subplot(1, 2, 2, projection="3d")
    right.remove()
    surface.plot_surface(M, B, np.log10(L + 1e-3), cmap="viridis", alpha=0.8, linewidth=0)
    surface.plot(
        path[:, 0],
        path[:, 1],
        np.log10(((path[:, :1] * X + path[:, 1:] - y) ** 2).mean(axis=1) + 1e-3),
        color=AMBER,
        lw=2,
    )
    surface.set(xlabel="m", ylabel="b", zlabel="log₁₀ loss", title="the same loss as a surface")
    surface.view_init(elev=35, azim=-60)
    fig.tight_layout()
    return figure_svg(fig)


def line_fits() -> bytes:
    X, y, path, losses = line_training()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 3.4))
    left.plot(X, y, "o", color="k", label="data: y = 2x + 1")
    xs = np.linspace(0, 6, 2)
    for epoch, shade in zip((1, 5, 20, 200), (0.25, 0.45, 0.7, 1.0), strict=True):
        m, b = path[epoch]
        left.plot(xs, m * xs + b, color=PURPLE, alpha=shade, label=f"after {epoch} epochs")
    left.set(xlabel="x", ylabel="y", title="the line as training proceeds")
    left.legend(frameon=False, fontsize=8)
    right.semilogy(np.arange(1, len(losses) + 1), losses, color=AMBER, lw=2)
    right.set(xlabel="epoch", ylabel="mean squared error (log scale)", title="loss per epoch")
    right.grid(alpha=0.25)
    fig.tight_layout()
    return figure_svg(fig)


# ---- networks on arrays --------------------------------------------------------------------


@functools.cache
def spiral_data():
    from neurogebra.examples.spiral import generate_spirals

    np.random.seed(42)
    return generate_spirals(n_points=100, n_classes=3, noise=0.15)


def scatter_classes(ax, X, y) -> None:
    colors = ["#e53935", "#1e88e5", "#43a047"]
    for label in np.unique(y):
        mask = y == label
        ax.scatter(
            X[mask, 0],
            X[mask, 1],
            s=14,
            color=colors[int(label)],
            edgecolors="k",
            linewidths=0.3,
            label=f"class {label}",
        )
    ax.set_aspect("equal")


def spirals() -> bytes:
    X, y = spiral_data()
    fig, ax = plt.subplots(figsize=(4.6, 4.6))
    scatter_classes(ax, X, y)
    ax.set(xlabel="x₁", ylabel="x₂", title="three spirals, 100 points each")
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    return figure_svg(fig)


@functools.cache
def tensor_network():
    """The tensors chapter's network, exactly as the page trains it (two moons, 2 → 16 → 2,
    300 steps of plain gradient descent on Tensors): the data, the loss of every step, and
    the weights after chosen steps, with a function that classifies points with them."""
    from neurogebra.core.tensor import Tensor, cross_entropy
    from neurogebra_models.datasets import make_moons

    X, y = make_moons(n_samples=120, noise=0.1, seed=0)
    rng = np.random.default_rng(0)
    W1 = Tensor(rng.normal(size=(2, 16)) * 0.5, requires_grad=True)
    b1 = Tensor(np.zeros(16), requires_grad=True)
    W2 = Tensor(rng.normal(size=(16, 2)) * 0.5, requires_grad=True)
    b2 = Tensor(np.zeros(2), requires_grad=True)
    params = [W1, b1, W2, b2]
    losses, snapshots = [], {0: [p.data.copy() for p in params]}
    for step in range(1, 301):
        loss = cross_entropy((Tensor(X) @ W1 + b1).relu() @ W2 + b2, y)
        for p in params:
            p.zero_grad()
        loss.backward()
        for p in params:
            p.data -= 0.5 * p.grad
        losses.append(loss.item())
        if step in (20, 100, 300):
            snapshots[step] = [p.data.copy() for p in params]

    def classify(weights, points):
        w1, c1, w2, c2 = weights
        return (np.maximum(points @ w1 + c1, 0) @ w2 + c2).argmax(axis=1)

    return X, y, np.array(losses), snapshots, classify


def tensor_boundaries() -> bytes:
    X, y, _losses, snapshots, classify = tensor_network()
    xx, yy = np.meshgrid(np.linspace(-1.6, 2.6, 160), np.linspace(-1.1, 1.6, 110))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    fig, axes = plt.subplots(1, len(snapshots), figsize=(11, 3.1))
    for ax, (step, weights) in zip(axes, snapshots.items(), strict=True):
        ax.contourf(
            xx,
            yy,
            classify(weights, grid).reshape(xx.shape),
            levels=[-0.5, 0.5, 1.5],
            colors=["#ffcdd2", "#bbdefb"],
        )
        scatter_classes(ax, X, y)
        accuracy = (classify(weights, X) == y).mean()
        ax.set(title=f"step {step}: {accuracy:.0%} right", xticks=[], yticks=[])
    fig.tight_layout()
    return figure_svg(fig)


def tensor_loss() -> bytes:
    _, _, losses, _, _ = tensor_network()
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    ax.plot(np.arange(1, len(losses) + 1), losses, color=AMBER, lw=2)
    ax.set(xlabel="gradient-descent step", ylabel="cross-entropy loss", yscale="log")
    ax.grid(alpha=0.25)
    return figure_svg(fig)


def model_pictures() -> dict[str, bytes]:
    """The models chapter's 2 → 16 → 16 → 3 network, trained with Model.fit on the spirals:
    its decision boundary after 1, 10, 40 and 150 epochs, its loss and accuracy curves, and
    what each neuron of its first layer responds to."""
    from neurogebra_models import ModelBuilder
    from neurogebra_models.plots import (
        plot_decision_boundary,
        plot_history,
        plot_neuron_activations,
    )

    X, y = spiral_data()
    net = ModelBuilder(seed=0).from_sizes([2, 16, 16, 3])
    net.compile(
        loss="categorical_crossentropy", optimizer="adam", learning_rate=0.02, metrics=["accuracy"]
    )
    fig, axes = plt.subplots(1, 4, figsize=(12, 3.3))
    curves: dict[str, list[float]] = {"loss": [], "accuracy": []}
    for ax, epochs in zip(axes, (1, 10, 40, 150), strict=True):
        history = net.fit(X, y, epochs=epochs - len(curves["loss"]), batch_size=16, verbose=0)
        for key in curves:
            curves[key] += history.history[key]
        title = f"epoch {epochs}: {curves['accuracy'][-1]:.0%} right"
        plot_decision_boundary(net, X, y, title=title, ax=ax, resolution=120)
        ax.get_legend().remove()
        ax.set(xlabel="", ylabel="", xticks=[], yticks=[])
    fig.tight_layout()
    return {
        "models-boundaries": figure_svg(fig),
        "models-history": figure_svg(plot_history(curves, title="Training the spiral network")),
        "models-neurons": figure_svg(plot_neuron_activations(net.layers[0], max_neurons=8)),
    }


# ---- the catalogue of pictures -------------------------------------------------------------


def all_figures() -> dict[str, Callable[[], bytes | dict[str, bytes]]]:
    """Every picture (or group of pictures) by name: each is `figures/<name>.svg`."""
    return {
        "overview-graph": lambda: graph_svg(overview_graph()),
        "overview-sigmoid": sigmoid_and_slope,
        "autograd-forward": lambda: graph_svg(example_graph(backward=False)),
        # drawn by the library's own draw_graph, as the chapter's code shows
        "autograd-graph": lambda: draw_graph(example_graph()).pipe(format="svg"),
        "autograd-backward": lambda: {
            f"autograd-backward-{k}": svg for k, svg in enumerate(backward_steps(example_graph()))
        },
        "autograd-neuron": lambda: graph_svg(neuron_graph()),
        "expressions-activations": activations,
        "expressions-losses": losses,
        "training-surface": loss_surface,
        "training-fits": line_fits,
        "tensors-spirals": spirals,
        "tensors-boundaries": tensor_boundaries,
        "tensors-loss": tensor_loss,
        "models": model_pictures,
    }


def write_all(write: Callable[[str, bytes], None]) -> None:
    for name, make in all_figures().items():
        made = make()
        for file, svg in (made if isinstance(made, dict) else {name: made}).items():
            write(f"figures/{file}.svg", svg)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/figures")

    def to_folder(path: str, svg: bytes) -> None:
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes(svg)

    write_all(to_folder)
    print(f"wrote the pictures under {target}")
else:
    import mkdocs_gen_files

    def to_site(path: str, svg: bytes) -> None:
        with mkdocs_gen_files.open(path, "wb") as out:
            out.write(svg)

    write_all(to_site)
