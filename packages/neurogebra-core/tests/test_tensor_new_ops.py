"""var/std, clip, where, argmax/argmin and the factories: gradients, torch, float32, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tensor_gradcheck import arrays, broadcastable_pair, check_gradients, shapes

from neurogebra.core.tensor import (
    Tensor,
    arange,
    clip,
    cross_entropy,
    linear,
    no_grad,
    ones,
    randn,
    where,
    zeros,
)

FAST = settings(max_examples=25, deadline=None)


def _distinct(a: np.ndarray) -> bool:
    return len(np.unique(a)) == a.size


# ---- gradients against central differences ----


@FAST
@given(arrays(shapes(min_dims=1)), st.sampled_from([0, 1]), st.booleans())
def test_var_and_std_gradients(a, ddof, keepdims):
    assume(a.size > ddof and np.std(a) > 0.1)
    check_gradients(lambda x: x.var(ddof=ddof), a)
    check_gradients(lambda x: x.std(ddof=ddof), a, rtol=1e-4, atol=1e-5)
    assume(a.shape[0] > ddof)
    check_gradients(lambda x: x.var(axis=0, keepdims=keepdims, ddof=ddof), a)


@FAST
@given(arrays(shapes()), st.floats(-2.0, 0.0), st.floats(0.0, 2.0))
def test_clip_gradient(a, low, high):
    # central differences are meaningless right at a bound
    assume(np.all(np.abs(a - low) > 1e-3) and np.all(np.abs(a - high) > 1e-3))
    check_gradients(lambda x: x.clip(low, high), a)
    check_gradients(lambda x: clip(x, low=low), a)
    check_gradients(lambda x: x.clip(high=high), a)


@FAST
@given(broadcastable_pair())
def test_where_gradient(pair):
    a, b = pair
    mask = np.add.outer(np.zeros(np.broadcast_shapes(a.shape, b.shape)), 0) > 0
    mask = (np.indices(mask.shape).sum(axis=0) % 2 == 0) if mask.ndim else np.array(True)
    check_gradients(lambda x, y: where(mask, x, y), a, b)
    check_gradients(lambda x, y: where(mask, x * y, 2.0), a, b)


def test_clip_passes_the_gradient_at_its_bounds_as_torch():
    x = Tensor([-1.0, 0.0, 1.0, 2.0], requires_grad=True)
    x.clip(-1.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0, 1.0, 0.0])


# ---- torch ----


def test_new_ops_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(4, 5)), rng.normal(size=(5,))
    mask = rng.random((4, 5)) > 0.5
    cases = [
        (lambda x, y: x.var(axis=0) + y, lambda x, y: x.var(dim=0, correction=0) + y),
        (lambda x, y: x.std(axis=1, ddof=1).sum() * y, lambda x, y: x.std(dim=1).sum() * y),
        (lambda x, y: x.std() * y, lambda x, y: x.std(correction=0) * y),
        (lambda x, y: x.clip(-0.5, 0.7) * y, lambda x, y: x.clamp(-0.5, 0.7) * y),
        (lambda x, y: where(mask, x, y), lambda x, y: torch.where(torch.tensor(mask), x, y)),
    ]
    for ours, theirs in cases:
        x, y = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
        tx = torch.tensor(a, requires_grad=True)
        ty = torch.tensor(b, requires_grad=True)
        out, expected = ours(x, y), theirs(tx, ty)
        np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-12)
        upstream = rng.normal(size=expected.shape)
        out.backward(upstream)
        expected.backward(torch.from_numpy(upstream))
        np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(y.grad, ty.grad.numpy(), rtol=1e-10, atol=1e-12)
    t = torch.tensor(a)
    assert Tensor(a).argmax() == int(t.argmax())
    np.testing.assert_array_equal(Tensor(a).argmin(axis=1), t.argmin(dim=1).numpy())


# ---- argmax / argmin ----


@FAST
@given(arrays(shapes(min_dims=1)))
def test_argmax_and_argmin_are_numpys(a):
    t = Tensor(a)
    assert t.argmax() == np.argmax(a) and t.argmin() == np.argmin(a)
    assert isinstance(t.argmax(), int)
    np.testing.assert_array_equal(t.argmax(axis=-1), np.argmax(a, axis=-1))
    np.testing.assert_array_equal(t.argmin(axis=0), np.argmin(a, axis=0))


def test_argmax_errors_name_the_problem():
    with pytest.raises(ValueError, match="empty"):
        Tensor([]).argmax()
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        Tensor([[1.0]]).argmin(axis=2)


# ---- factories ----


def test_factories():
    assert zeros(2, 3).shape == (2, 3) and zeros((2, 3)).numpy().sum() == 0
    assert ones(4, dtype=np.float32).dtype == np.float32
    w = randn(3, 2, rng=0, requires_grad=True)
    assert w.requires_grad and w.is_leaf and w.shape == (3, 2)
    np.testing.assert_array_equal(w.numpy(), np.random.default_rng(0).standard_normal((3, 2)))
    np.testing.assert_array_equal(
        randn(5, rng=np.random.default_rng(1)).numpy(), randn(5, rng=1).numpy()
    )
    np.testing.assert_array_equal(arange(1, 2, 0.25).numpy(), [1.0, 1.25, 1.5, 1.75])
    assert arange(3, dtype="float32").dtype == np.float32
    assert zeros(0).shape == (0,)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: zeros(-1), "whole numbers >= 0"),
        (lambda: ones(2.5), "whole numbers >= 0"),
        (lambda: zeros("3"), "whole numbers >= 0"),
        (lambda: zeros(2, dtype=int), "float64 or float32"),
        (lambda: randn(2, rng="seed"), "rng must be"),
        (lambda: arange(0, 1, 0), "step must not be 0"),
        (lambda: arange("a"), "start must be a number"),
        (lambda: arange(float("inf")), "finite"),
        (lambda: arange(0, 1e12), "too many"),
        (lambda: Tensor([1.0]).clip(), "give low, high"),
        (lambda: Tensor([1.0]).clip(2.0, 1.0), "above high"),
        (lambda: Tensor([1.0]).clip("a"), "low must be a number"),
        (lambda: where([1, 0], Tensor([1.0, 2.0]), 0.0), "boolean"),
        (lambda: where(np.array([True, False, True]), Tensor([1.0, 2.0]), 0.0), "broadcast"),
        (lambda: Tensor([1.0]).var(ddof=1), "nothing to divide"),
    ],
)
def test_new_op_errors_name_the_argument(make, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make()


# ---- float32 end to end ----


def test_float32_stays_float32_through_every_new_op_and_a_network():
    x = Tensor(np.linspace(-1, 1, 12).reshape(3, 4), dtype=np.float32, requires_grad=True)
    outs = [x.var(axis=0), x.std(), x.clip(-0.5, 0.5), where(x.numpy() > 0, x, 0.0)]
    for out in outs:
        assert out.dtype == np.float32, out
        x.zero_grad()
        out.sum().backward()
        assert x.grad.dtype == np.float32
    w = randn(4, 3, rng=0, dtype=np.float32, requires_grad=True)
    b = zeros(3, dtype=np.float32, requires_grad=True)
    loss = cross_entropy(linear(x, w, b).tanh() * 2.0, [0, 1, 2])
    assert loss.dtype == np.float32
    loss.backward()
    assert w.grad.dtype == np.float32 and b.grad.dtype == np.float32
    with no_grad():
        w -= 0.1 * w.grad
    assert w.dtype == np.float32
