"""Dense, Dropout, activations and initializers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neurogebra.core.tensor import Tensor
from neurogebra_models.activations import ACTIVATIONS, get_activation
from neurogebra_models.initializers import INITIALIZERS, initialize
from neurogebra_models.layers import Dense, Dropout

finite = st.floats(-20, 20, allow_nan=False)


def numpy_activation(name: str, z: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.maximum(z, 0)
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return z


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@given(z=arrays(np.float64, (4, 3), elements=finite))
def test_activations_match_their_numpy_formula(name, z):
    np.testing.assert_allclose(
        get_activation(name)(Tensor(z)).numpy(), numpy_activation(name, z), atol=1e-12
    )


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_gradients_match_central_differences(name):
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 4)) + 0.05  # keep away from relu's kink at exactly 0
    weights = rng.normal(size=(3, 4))
    x = Tensor(z, requires_grad=True)
    (get_activation(name)(x) * weights).sum().backward()
    h, numeric = 1e-6, np.zeros_like(z)
    for i in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[i] += h
        down[i] -= h
        f = lambda a: (numpy_activation(name, a) * weights).sum()  # noqa: E731
        numeric[i] = (f(up) - f(down)) / (2 * h)
    np.testing.assert_allclose(x.grad, numeric, rtol=1e-5, atol=1e-7)


def test_unknown_activation_suggests_the_closest_name():
    with pytest.raises(ValueError, match=r"unknown activation 'rleu'; did you mean 'relu'"):
        Dense(3, activation="rleu")
    with pytest.raises(ValueError, match="did you mean 'sigmoid'"):
        Dense(3, activation="sigmod")


def test_dense_computes_activation_of_xw_plus_b():
    layer = Dense(3, activation="tanh")
    layer.build(2, np.random.default_rng(0))
    x = np.array([[1.0, -2.0], [0.5, 0.25]])
    expected = np.tanh(x @ layer.weight.numpy() + layer.bias.numpy())
    np.testing.assert_allclose(layer(Tensor(x)).numpy(), expected)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (3,)
    assert not layer.bias.numpy().any()
    assert layer.param_count(2) == 9 and layer.param_count(None) is None


@pytest.mark.parametrize(
    ("name", "variance"),
    [
        ("he", 2 / 200),
        ("he_uniform", 2 / 200),
        ("xavier", 2 / 300),
        ("xavier_normal", 2 / 300),
        ("lecun", 1 / 200),
    ],
)
def test_initializers_have_their_textbook_variance(name, variance):
    w = initialize(name, 200, 100, np.random.default_rng(0))
    assert w.shape == (200, 100)
    assert abs(w.mean()) < 0.01
    assert w.var() == pytest.approx(variance, rel=0.05)


def test_default_initializer_follows_the_activation_and_unknown_ones_are_named():
    assert Dense(4, activation="relu").initializer == "he"
    assert Dense(4, activation="tanh").initializer == "xavier"
    assert Dense(4, initializer="lecun").initializer == "lecun"
    assert set(INITIALIZERS) >= {"he", "xavier"}
    with pytest.raises(ValueError, match="did you mean 'xavier'"):
        Dense(4, initializer="xavir")


@pytest.mark.parametrize("units", [0, -3, 2.5, "8", True])
def test_dense_rejects_bad_unit_counts(units):
    with pytest.raises(ValueError, match="units must be a whole number"):
        Dense(units)


def test_dense_declared_input_dim_must_match_the_data():
    layer = Dense(4, input_dim=3)
    with pytest.raises(ValueError, match="declared with input_dim=3 but receives 5 features"):
        layer.build(5, np.random.default_rng(0))


def test_dropout_is_off_at_prediction_time_and_keeps_the_mean_in_training():
    drop = Dropout(0.25, seed=0)
    x = Tensor(np.ones((400, 50)))
    assert drop(x, training=False) is x
    out = drop(x, training=True).numpy()
    kept = out != 0
    assert kept.mean() == pytest.approx(0.75, abs=0.01)
    np.testing.assert_allclose(out[kept], 1 / 0.75)
    assert out.mean() == pytest.approx(1.0, abs=0.02)


def test_dropout_gradient_flows_only_through_kept_values():
    drop = Dropout(0.5, seed=1)
    x = Tensor(np.ones((3, 6)), requires_grad=True)
    out = drop(x, training=True)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, out.numpy())  # 2 where kept, 0 where dropped


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "0.2"])
def test_dropout_rejects_rates_outside_zero_to_one(rate):
    with pytest.raises(ValueError, match=r"must be in \[0, 1\)"):
        Dropout(rate)
