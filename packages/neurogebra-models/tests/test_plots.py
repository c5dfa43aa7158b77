"""Plots render to real PNG files without a display."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from neurogebra.core.autograd import Value
from neurogebra_models import ModelBuilder
from neurogebra_models.datasets import make_moons
from neurogebra_models.plots import (
    draw_graph,
    plot_decision_boundary,
    plot_history,
    plot_neuron_activations,
)


def assert_real_picture(fig, path):
    import matplotlib.image

    fig.savefig(path, dpi=60)
    assert path.stat().st_size > 5_000
    pixels = matplotlib.image.imread(path)[..., :3].reshape(-1, 3)
    assert len(np.unique(pixels.round(2), axis=0)) > 20  # not a blank canvas


@pytest.fixture(scope="module")
def trained():
    X, y = make_moons(120, noise=0.1, seed=0)
    b = ModelBuilder(seed=0)
    model = b.Sequential([b.Dense(8, "relu"), b.Dense(8, "relu"), b.Dense(2, "softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=b.Adam(0.03), metrics=["accuracy"])
    history = model.fit(X, y, epochs=15, batch_size=16, validation_split=0.2, verbose=0)
    return model, history, X, y


def test_without_a_display_plots_use_agg_and_save(tmp_path):
    script = (
        "import numpy as np, matplotlib\n"
        "from neurogebra_models.plots import plot_history\n"
        "fig = plot_history({'loss': [1.0, 0.5]})\n"
        f"fig.savefig({str(tmp_path / 'h.png')!r})\n"
        "print(matplotlib.get_backend())\n"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")
    }
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().lower() == "agg"
    assert (tmp_path / "h.png").stat().st_size > 1_000


def test_decision_boundary_of_a_model(trained, tmp_path):
    model, _, X, y = trained
    fig = plot_decision_boundary(model, X, y, resolution=60)
    assert_real_picture(fig, tmp_path / "boundary.png")
    regions = fig.axes[0].collections
    assert len(regions) >= 2  # the filled regions and the scattered classes


def test_decision_boundary_of_functions_batched_or_point_by_point(tmp_path):
    X, y = make_moons(40, seed=1)
    batched = plot_decision_boundary(lambda P: (P[:, 1] > 0.25).astype(int), X, y, resolution=30)
    assert_real_picture(batched, tmp_path / "batched.png")
    single = plot_decision_boundary(lambda p: int(p[1] > 0.25), X, y, resolution=30)  # one point
    assert_real_picture(single, tmp_path / "single.png")
    # the course page's call: predict_fn takes one point; title and ax given positionally
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    same = plot_decision_boundary(lambda p: int(p[0] > 0), X, y, "page style", axes[1])
    assert same is fig and axes[1].get_title() == "page style"
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plot_decision_boundary(lambda P: P, np.zeros((3, 3)), np.zeros(3))


def test_history_plot_has_loss_and_metric_panels(trained, tmp_path):
    _, history, _, _ = trained
    fig = plot_history(history)
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "metric"]
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[0].lines[0].get_xdata()) == 15
    assert_real_picture(fig, tmp_path / "history.png")
    with pytest.raises(ValueError, match="no 'loss' values to draw"):
        plot_history({})


def test_history_plot_takes_a_core_trainer_and_its_history_and_names_bad_input():
    from neurogebra import Expression
    from neurogebra.core.trainer import Trainer

    X = np.linspace(-1, 1, 20)
    trainer = Trainer(
        Expression("line", "m*x + c", params={"m": 0.0, "c": 0.0}, trainable_params=["m", "c"]),
        learning_rate=0.1,
    )
    losses = trainer.fit(X, 2 * X + 1, epochs=5)
    for history in (losses, trainer):
        fig = plot_history(history)
        assert len(fig.axes[0].lines) == 1 and len(fig.axes[0].lines[0].get_xdata()) == 5
    with pytest.raises(TypeError, match="got int"):
        plot_history(3)
    with pytest.raises(TypeError, match=r"history\['loss'\] must be a list of numbers"):
        plot_history({"loss": ["a", "b"]})


def test_neuron_activations_of_first_and_deeper_layers(trained, tmp_path):
    model, _, _, _ = trained
    fig = plot_neuron_activations(model.layers[0], resolution=30)
    panels = [ax for ax in fig.axes if ax.get_title().startswith("Neuron")]
    assert len(panels) == 8
    # panel k shows neuron k's output relu(x·W[:, k] + b[k]) over the plane
    W, b = model.layers[0].weight.numpy(), model.layers[0].bias.numpy()
    corner = panels[2].images[0].get_array()[0, 0]  # the grid's first point is (-1.5, -1.5)
    assert corner == pytest.approx(max(0.0, -1.5 * W[0, 2] - 1.5 * W[1, 2] + b[2]))
    assert_real_picture(fig, tmp_path / "neurons.png")
    deeper = plot_neuron_activations(model.layers[1], model=model, resolution=30, max_neurons=3)
    assert_real_picture(deeper, tmp_path / "deeper.png")
    with pytest.raises(ValueError, match="pass model="):
        plot_neuron_activations(model.layers[1])
    with pytest.raises(ValueError, match="no weights yet"):
        plot_neuron_activations(ModelBuilder().Dense(3))


def test_value_graph_drawing_is_reexported():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    graph = draw_graph(a * b + a)
    assert "a" in graph.source and "*" in graph.source
