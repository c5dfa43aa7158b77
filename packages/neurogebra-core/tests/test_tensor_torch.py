"""Tensor against PyTorch: the same values and gradients op by op, and the same training run."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tensor_gradcheck import arrays, away_from_zero, broadcastable_pair, shapes

from neurogebra.core.tensor import (
    Tensor,
    concatenate,
    cross_entropy,
    linear,
    log_softmax,
    mse,
    softmax,
    stack,
)
from neurogebra.examples.spiral import spiral_split

torch = pytest.importorskip("torch")
torch.set_num_threads(1)  # tiny tensors: extra threads only add waiting on a busy machine
F = torch.nn.functional

SETTINGS = settings(max_examples=20, deadline=None)


def compare(ours, theirs, *arrays_: np.ndarray, rtol: float = 1e-9, atol: float = 1e-10) -> None:
    """Same output and same input gradients (random upstream gradient) in both libraries."""
    tensors = [Tensor(a, requires_grad=True) for a in arrays_]
    torch_tensors = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays_]
    out, expected = ours(*tensors), theirs(*torch_tensors)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=rtol, atol=atol)
    upstream = np.random.default_rng(0).normal(size=expected.shape)
    out.backward(upstream)
    expected.backward(torch.from_numpy(upstream))
    for t, tt in zip(tensors, torch_tensors, strict=True):
        np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=rtol, atol=atol)


@SETTINGS
@given(broadcastable_pair())
def test_arithmetic_matches_torch(pair):
    a, b = pair
    compare(
        lambda x, y: x * y - x / (y * y + 1.0) + 2.0 * x - y,
        lambda x, y: x * y - x / (y * y + 1.0) + 2.0 * x - y,
        a,
        b,
    )
    compare(
        lambda x, y: x.abs() ** 1.5 + (x * 0.1) ** 2 - 3.0 / (y * y + 1.0),
        lambda x, y: x.abs() ** 1.5 + (x * 0.1) ** 2 - 3.0 / (y * y + 1.0),
        a,
        b,
    )
    compare(lambda x, y: (x * x + 0.5) ** y, lambda x, y: (x * x + 0.5) ** y, a, b)


@SETTINGS
@given(arrays(shapes()))
def test_elementwise_functions_match_torch(a):
    a = away_from_zero(a)
    compare(
        lambda x: x.exp() + x.tanh() + x.sigmoid() + x.relu() + x.abs(),
        lambda x: x.exp() + x.tanh() + x.sigmoid() + x.relu() + x.abs(),
        a,
    )
    compare(
        lambda x: x.abs().log() + x.abs().sqrt() - x,
        lambda x: x.abs().log() + x.abs().sqrt() - x,
        a,
    )


@SETTINGS
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
def test_matmul_matches_torch(batch, n, k, m):
    rng = np.random.default_rng(batch * 100 + n * 10 + k)
    cases = [((n, k), (k, m)), ((batch, n, k), (k, m)), ((k,), (batch, k, m)), ((n, k), (k,))]
    for left, right in cases:
        compare(
            lambda x, y: x @ y, lambda x, y: x @ y, rng.normal(size=left), rng.normal(size=right)
        )


@SETTINGS
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(1, 3))
def test_linear_matches_torch(batch, n, k, m):
    rng = np.random.default_rng(batch * 100 + n * 10 + k)
    # PyTorch stores the weight as (outputs, inputs), ours as (inputs, outputs): hence w.T
    for x_shape in [(n, k), (batch, n, k), (k,)]:
        x, w, b = rng.normal(size=x_shape), rng.normal(size=(k, m)), rng.normal(size=m)
        compare(linear, lambda x, w, b: F.linear(x, w.T, b), x, w, b)
        compare(linear, lambda x, w: F.linear(x, w.T), x, w)


@st.composite
def array_and_axis(draw):
    a = draw(arrays(shapes(min_dims=1)))
    return a, draw(st.integers(-a.ndim, a.ndim - 1)), draw(st.booleans())


@SETTINGS
@given(array_and_axis())
def test_reductions_match_torch(case):
    a, axis, keepdims = case
    a = a + np.arange(a.size).reshape(a.shape) * 1e-3  # no ties, where libraries may differ
    compare(
        lambda x: x.sum(axis=axis, keepdims=keepdims),
        lambda x: x.sum(dim=axis, keepdim=keepdims),
        a,
    )
    compare(
        lambda x: x.mean(axis=axis, keepdims=keepdims),
        lambda x: x.mean(dim=axis, keepdim=keepdims),
        a,
    )
    compare(
        lambda x: x.max(axis=axis, keepdims=keepdims),
        lambda x: x.amax(dim=axis, keepdim=keepdims),
        a,
    )
    compare(
        lambda x: x.min(axis=axis, keepdims=keepdims),
        lambda x: x.amin(dim=axis, keepdim=keepdims),
        a,
    )
    compare(lambda x: x.max() + x.sum() * x.mean(), lambda x: x.amax() + x.sum() * x.mean(), a)


def test_max_ties_share_the_gradient_as_torch_amax_does():
    a = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    compare(lambda x: x.max(axis=1), lambda x: x.amax(dim=1), a)
    compare(lambda x: x.max(), lambda x: x.amax(), a)


@SETTINGS
@given(array_and_axis(), st.data())
def test_shaping_and_indexing_match_torch(case, data):
    a, axis, _ = case
    order = data.draw(st.permutations(range(a.ndim)))
    compare(lambda x: x.reshape(-1)[::2] * 3.0, lambda x: x.reshape(-1)[::2] * 3.0, a)
    compare(lambda x: x.transpose(*order), lambda x: x.permute(*order), a)
    index = data.draw(st.lists(st.integers(0, a.shape[0] - 1), min_size=1, max_size=5))
    compare(lambda x: x[index] * 2.0, lambda x: x[index] * 2.0, a)
    compare(
        lambda x: concatenate([x, x * 2.0], axis=axis),
        lambda x: torch.cat([x, x * 2.0], dim=axis),
        a,
    )
    compare(
        lambda x: stack([x, x.exp()], axis=axis),
        lambda x: torch.stack([x, x.exp()], dim=axis),
        a,
    )


@SETTINGS
@given(array_and_axis())
def test_softmax_family_matches_torch(case):
    a, axis, _ = case
    compare(lambda x: softmax(x, axis), lambda x: torch.softmax(x, dim=axis), a)
    compare(lambda x: log_softmax(x, axis), lambda x: torch.log_softmax(x, dim=axis), a)


@SETTINGS
@given(st.integers(1, 6), st.integers(2, 5), st.data())
def test_losses_match_torch(n, c, data):
    logits = data.draw(arrays((n, c), low=-6.0, high=6.0))
    labels = np.asarray(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    soft = data.draw(arrays((n, c), low=0.0, high=1.0))
    compare(
        lambda z: cross_entropy(z, labels),
        lambda z: F.cross_entropy(z, torch.from_numpy(labels)),
        logits,
    )
    compare(
        lambda z: cross_entropy(z, labels, reduction="sum"),
        lambda z: F.cross_entropy(z, torch.from_numpy(labels), reduction="sum"),
        logits,
    )
    compare(
        lambda z: cross_entropy(z, soft),
        lambda z: F.cross_entropy(z, torch.from_numpy(soft)),
        logits,
    )
    compare(lambda p, t: mse(p, t), lambda p, t: F.mse_loss(p, t), logits, soft)


# ---- the same small MLP trained in both libraries ----


def _init(sizes: list[int], seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in pairwise(sizes):
        limit = (6 / (n_in + n_out)) ** 0.5
        params += [rng.uniform(-limit, limit, (n_in, n_out)), np.zeros(n_out)]
    return params


def _train_ours(init, X, y, order, epochs, lr):
    params = [Tensor(p, requires_grad=True) for p in init]

    def forward(x):
        h = x
        for i in range(0, len(params), 2):
            h = h @ params[i] + params[i + 1]
            if i < len(params) - 2:
                h = h.relu()
        return h

    for epoch in range(epochs):
        for batch in order[epoch]:
            loss = cross_entropy(forward(Tensor(X[batch])), y[batch])
            for p in params:
                p.zero_grad()
            loss.backward()
            for p in params:
                p.data -= lr * p.grad
    return params, forward


def _train_torch(init, X, y, order, epochs, lr):
    layers = []
    for w, b in zip(init[::2], init[1::2], strict=True):
        linear = torch.nn.Linear(*w.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w.T.copy()))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    for epoch in range(epochs):
        for batch in order[epoch]:
            loss = F.cross_entropy(model(X_t[batch]), y_t[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


def test_mlp_trained_with_tensor_matches_pytorch():
    X_train, X_test, y_train, y_test = spiral_split()
    init = _init([2, 32, 32, 3], seed=3)
    epochs, lr, batch_size = 80, 0.3, 16
    rng = np.random.default_rng(4)
    order = [
        np.array_split(rng.permutation(len(X_train)), len(X_train) // batch_size)
        for _ in range(epochs)
    ]

    params, forward = _train_ours(init, X_train, y_train, order, epochs, lr)
    model = _train_torch(init, X_train, y_train, order, epochs, lr)

    ours = (forward(Tensor(X_test)).numpy().argmax(axis=1) == y_test).mean()
    with torch.no_grad():
        theirs = (model(torch.from_numpy(X_test)).argmax(dim=1).numpy() == y_test).mean()
    print(f"test accuracy: Tensor {ours:.1%}, PyTorch {theirs:.1%}")
    assert theirs > 0.8, f"the reference run itself did not learn the spirals ({theirs:.0%})"
    assert ours >= theirs - 0.02, f"Tensor reached {ours:.1%}, PyTorch {theirs:.1%}"
    # Same arithmetic in float64: the weights themselves agree after 2,000+ SGD steps.
    np.testing.assert_allclose(
        params[0].numpy(), model[0].weight.detach().numpy().T, rtol=1e-6, atol=1e-8
    )
