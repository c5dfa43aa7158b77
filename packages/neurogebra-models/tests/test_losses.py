"""Loss values against their formulas, gradients against central differences and PyTorch,
and the label checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neurogebra.core.tensor import Tensor
from neurogebra_models.losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    Huber,
    MeanAbsoluteError,
    MeanSquaredError,
    get_loss,
)

scores = arrays(np.float64, (5, 3), elements=st.floats(-30, 30, allow_nan=False))


def reference(loss, z: np.ndarray, y: np.ndarray) -> float:
    """Each loss written the textbook way in NumPy."""
    if isinstance(loss, MeanSquaredError):
        return float(np.mean((z - y) ** 2))
    if isinstance(loss, MeanAbsoluteError):
        return float(np.mean(np.abs(z - y)))
    if isinstance(loss, Huber):
        e = np.abs(z - y)
        return float(
            np.mean(np.where(e <= loss.delta, 0.5 * e**2, loss.delta * (e - 0.5 * loss.delta)))
        )
    if isinstance(loss, BinaryCrossEntropy):
        p = 1 / (1 + np.exp(-z))
        return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    onehot = y if y.ndim == 2 else np.eye(z.shape[1])[y]
    return float(-(onehot * log_p).sum(axis=1).mean())


CASES = [
    (MeanSquaredError(), lambda r: r.normal(size=(6, 2))),
    (MeanAbsoluteError(), lambda r: r.normal(size=(6, 2))),
    (Huber(0.7), lambda r: r.normal(size=(6, 2)) * 2),
    (BinaryCrossEntropy(), lambda r: r.integers(0, 2, size=(6, 2)).astype(float)),
    (CategoricalCrossEntropy(), lambda r: r.integers(0, 2, size=6)),
]


@pytest.mark.parametrize(("loss", "make_y"), CASES, ids=lambda c: type(c).__name__)
def test_value_and_gradient_match_formula_and_central_differences(loss, make_y):
    rng = np.random.default_rng(3)
    y = loss.prepare_targets(make_y(rng), units=2)
    z = rng.normal(size=(6, 2)) * 2
    x = Tensor(z, requires_grad=True)
    value = loss(x, y)
    assert value.item() == pytest.approx(reference(loss, z, y), rel=1e-10)
    value.backward()
    h, numeric = 1e-6, np.zeros_like(z)
    for i in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (reference(loss, up, y) - reference(loss, down, y)) / (2 * h)
    np.testing.assert_allclose(x.grad, numeric, rtol=1e-5, atol=1e-8)


@given(z=scores)
def test_categorical_integer_and_one_hot_labels_agree(z):
    loss = CategoricalCrossEntropy()
    labels = np.array([0, 2, 1, 1, 0])
    a = loss(Tensor(z), loss.prepare_targets(labels, 3)).item()
    b = loss(Tensor(z), loss.prepare_targets(np.eye(3)[labels], 3)).item()
    assert a == pytest.approx(b, rel=1e-9, abs=1e-12)


def test_binary_cross_entropy_on_logits_never_overflows():
    loss = BinaryCrossEntropy()
    z = Tensor(np.array([[1000.0], [-1000.0], [1000.0]]), requires_grad=True)
    value = loss(z, loss.prepare_targets(np.array([1, 0, 0]), 1))
    assert value.item() == pytest.approx(1000.0 / 3)  # only the confident mistake costs
    value.backward()
    np.testing.assert_allclose(z.grad.ravel(), [0.0, 0.0, 1 / 3])


def test_losses_match_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    z = rng.normal(size=(8, 3))
    labels = rng.integers(0, 3, size=8)
    targets = rng.normal(size=(8, 3))
    bits = rng.integers(0, 2, size=(8, 3)).astype(float)
    f = torch.nn.functional
    pairs = [
        (CategoricalCrossEntropy(), labels, lambda t: f.cross_entropy(t, torch.tensor(labels))),
        (MeanSquaredError(), targets, lambda t: f.mse_loss(t, torch.tensor(targets))),
        (MeanAbsoluteError(), targets, lambda t: f.l1_loss(t, torch.tensor(targets))),
        (Huber(1.0), targets * 3, lambda t: f.huber_loss(t, torch.tensor(targets * 3))),
        (
            BinaryCrossEntropy(),
            bits,
            lambda t: f.binary_cross_entropy_with_logits(t, torch.tensor(bits)),
        ),
    ]
    for loss, y, torch_loss in pairs:
        ours = Tensor(z, requires_grad=True)
        value = loss(ours, loss.prepare_targets(y, 3))
        value.backward()
        theirs = torch.tensor(z, requires_grad=True)
        expected = torch_loss(theirs)
        expected.backward()
        assert value.item() == pytest.approx(expected.item(), rel=1e-10), loss
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_labels_that_do_not_fit_the_output_layer_are_explained():
    ce = CategoricalCrossEntropy()
    with pytest.raises(ValueError, match=r"labels run from 0 to 5.*3 units.*Dense\(6"):
        ce.prepare_targets(np.array([0, 5, 1]), 3)
    with pytest.raises(ValueError, match="whole numbers"):
        ce.prepare_targets(np.array([0.5, 1.0]), 3)
    with pytest.raises(ValueError, match="one output unit per class"):
        ce.prepare_targets(np.array([0, 1]), 1)
    with pytest.raises(ValueError, match="sum to 1"):
        ce.prepare_targets(np.array([[1.0, 1.0, 0.0]]), 3)
    with pytest.raises(ValueError, match=r"shape \(n, 3\)"):
        ce.prepare_targets(np.zeros((2, 4)), 3)
    bce = BinaryCrossEntropy()
    with pytest.raises(ValueError, match=r"labels 0 or 1.*categorical_crossentropy"):
        bce.prepare_targets(np.array([0, 1, 2]), 1)
    with pytest.raises(ValueError, match=r"1 unit\(s\), so each target must have 1 number"):
        MeanSquaredError().prepare_targets(np.zeros((4, 2)), 1)
    with pytest.raises(ValueError, match="NaN"):
        MeanSquaredError().prepare_targets(np.array([1.0, np.nan]), 1)
    with pytest.raises(ValueError, match="must be numbers"):
        MeanSquaredError().prepare_targets(np.array(["a", "b"]), 1)


def test_output_layer_checks_and_names():
    with pytest.raises(
        ValueError, match=r"needs an output layer with activation 'softmax'.*'relu'"
    ):
        CategoricalCrossEntropy().check_output_layer("relu", 3)
    with pytest.raises(ValueError, match="'sigmoid'"):
        BinaryCrossEntropy().check_output_layer("softmax", 1)
    MeanSquaredError().check_output_layer("relu", 1)  # any activation is fine for regression
    assert isinstance(get_loss("sparse_categorical_crossentropy"), CategoricalCrossEntropy)
    with pytest.raises(ValueError, match="did you mean 'categorical_crossentropy'"):
        get_loss("categorical_crossentropi")
    with pytest.raises(ValueError, match="delta must be > 0"):
        Huber(0)
