"""Model.fit's gradients are the true derivatives of the loss, for random small networks."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from neurogebra.core.tensor import Tensor
from neurogebra_models import ModelBuilder

HIDDEN = ["relu", "leaky_relu", "sigmoid", "tanh", "linear"]


def numpy_forward(weights, activations, X):
    h = X
    for (W, b), act in zip(weights, activations, strict=True):
        z = h @ W + b
        h = {
            "relu": lambda z: np.maximum(z, 0),
            "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
            "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
            "tanh": np.tanh,
            "linear": lambda z: z,
            "softmax": lambda z: z,  # the loss reads the logits
        }[act](z)
    return h


def numpy_cross_entropy(logits, labels):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(labels)), labels].mean()


@given(
    widths=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    activations=st.lists(st.sampled_from(HIDDEN), min_size=3, max_size=3),
    seed=st.integers(0, 10_000),
)
def test_backward_through_a_model_matches_central_differences(widths, activations, seed):
    rng = np.random.default_rng(seed)
    b = ModelBuilder(seed=seed)
    acts = [*activations[: len(widths)], "softmax"]
    layers = [b.Dense(w, activation=a) for w, a in zip(widths, acts, strict=False)]
    model = b.Sequential([*layers, b.Dense(3, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    X, y = rng.normal(size=(6, 2)), rng.integers(0, 3, size=6)
    model.build(2)
    for bias in model.parameters()[1::2]:  # biases start at 0; move them off relu's kink
        bias.data[...] = rng.normal(size=bias.shape)
    loss = model.loss(model.loss_outputs(Tensor(X), training=False), y)
    loss.backward()
    params = model.parameters()
    pairs = [(params[i].numpy(), params[i + 1].numpy()) for i in range(0, len(params), 2)]

    def f() -> float:
        return numpy_cross_entropy(numpy_forward(pairs, acts, X), y)

    assert abs(loss.item() - f()) < 1e-12
    h = 1e-6
    for p in params:
        numeric = np.zeros_like(p.data)
        for i in np.ndindex(p.shape):
            old = p.data[i]
            p.data[i] = old + h
            up = f()
            p.data[i] = old - h
            down = f()
            p.data[i] = old
            numeric[i] = (up - down) / (2 * h)
        np.testing.assert_allclose(p.grad, numeric, rtol=1e-4, atol=1e-6)
