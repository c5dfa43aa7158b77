"""Every Tensor op's gradient against central differences, on random shapes and values."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tensor_gradcheck import (
    arrays,
    away_from_zero,
    broadcastable_pair,
    check_gradients,
    shapes,
)

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

FAST = settings(max_examples=25, deadline=None)


# ---- elementwise binary ops, with broadcasting ----


@FAST
@given(broadcastable_pair())
def test_add_sub_mul_broadcast(pair):
    a, b = pair
    check_gradients(lambda x, y: x + y, a, b)
    check_gradients(lambda x, y: x - y, a, b)
    check_gradients(lambda x, y: x * y, a, b)


@FAST
@given(broadcastable_pair())
def test_division_broadcast(pair):
    a, b = pair
    check_gradients(lambda x, y: x / y, a, away_from_zero(b, 0.5))


@FAST
@given(broadcastable_pair(low=0.2, high=2.0))
def test_power_of_tensors(pair):
    base, exponent = pair
    check_gradients(lambda x, y: x**y, base, exponent - 1.0)


@FAST
@given(arrays(shapes()), st.sampled_from([2.0, 1.5, -3.0, 0.5, 4.0]), st.floats(-2.0, 2.0))
def test_numbers_on_either_side(a, number, c):
    check_gradients(lambda x: x + c, a)
    check_gradients(lambda x: c + x, a)
    check_gradients(lambda x: x - c, a)
    check_gradients(lambda x: c - x, a)
    check_gradients(lambda x: x * c, a)
    check_gradients(lambda x: c * x, a)
    check_gradients(lambda x: x / number, a)
    check_gradients(lambda x: number / x, away_from_zero(a, 0.5))
    check_gradients(lambda x: -x, a)
    check_gradients(lambda x: np.abs(number) ** x, a)


@FAST
@given(arrays(shapes(), low=0.2, high=3.0), st.sampled_from([2, 3, 0.5, -1.0, 2.5, 0]))
def test_power_by_a_number(a, exponent):
    check_gradients(lambda x: x**exponent, a)


@FAST
@given(broadcastable_pair())
def test_numpy_arrays_on_either_side(pair):
    a, b = pair
    check_gradients(lambda x: x * b + b - x / (np.abs(b) + 1.0), a)
    check_gradients(lambda x: b * x - (b - x) + b / (x * x + 1.0), a)


# ---- matrix products ----


@st.composite
def matmul_operands(draw):
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    kind = draw(st.sampled_from(["2d", "vec-mat", "mat-vec", "dot", "batched", "broadcast"]))
    if kind == "2d":
        shapes_ = (n, k), (k, m)
    elif kind == "vec-mat":
        shapes_ = (k,), (draw(st.integers(1, 3)), k, m) if draw(st.booleans()) else (k, m)
    elif kind == "mat-vec":
        shapes_ = ((draw(st.integers(1, 3)), n, k) if draw(st.booleans()) else (n, k)), (k,)
    elif kind == "dot":
        shapes_ = (k,), (k,)
    elif kind == "batched":
        b = draw(st.integers(1, 3))
        shapes_ = (b, n, k), (b, k, m)
    else:  # batch axes that broadcast, on either side
        b, c = draw(st.integers(2, 3)), draw(st.integers(1, 3))
        shapes_ = ((b, 1, n, k), (c, k, m)) if draw(st.booleans()) else ((n, k), (b, k, m))
    return draw(arrays(shapes_[0])), draw(arrays(shapes_[1]))


@FAST
@given(matmul_operands())
def test_matmul(operands):
    a, b = operands
    check_gradients(lambda x, y: x @ y, a, b)


@FAST
@given(matmul_operands())
def test_matmul_with_a_constant_side(operands):
    a, b = operands
    check_gradients(lambda x: x @ b, a)
    check_gradients(lambda y: a @ y, b)


@st.composite
def linear_operands(draw):
    """x of shape (..., k) (1-d, a batch, or batched batches), weight (k, m), bias (m,)."""
    k, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    lead = draw(st.sampled_from([(), (draw(st.integers(1, 4)),), (2, draw(st.integers(1, 3)))]))
    return draw(arrays((*lead, k))), draw(arrays((k, m))), draw(arrays((m,)))


@FAST
@given(linear_operands())
def test_linear(operands):
    x, w, b = operands
    check_gradients(linear, x, w, b)
    check_gradients(lambda x, w: linear(x, w), x, w)  # without a bias
    check_gradients(lambda w, b: linear(x, w, b), w, b)  # a constant input, as for layer 1
    check_gradients(lambda x: linear(x, w, b), x)  # constant weights


@FAST
@given(linear_operands())
def test_linear_equals_matmul_plus_bias(operands):
    x, w, b = operands
    tensors = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    copies = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    fused = linear(*tensors)
    unfused = copies[0] @ copies[1] + copies[2]
    np.testing.assert_allclose(fused.numpy(), unfused.numpy(), rtol=1e-12, atol=1e-12)
    upstream = np.random.default_rng(0).normal(size=fused.shape)
    fused.backward(upstream)
    unfused.backward(upstream)
    for t, c in zip(tensors, copies, strict=True):
        np.testing.assert_allclose(t.grad, c.grad, rtol=1e-12, atol=1e-12)


# ---- reductions ----


@st.composite
def array_and_axis(draw, min_dims: int = 1):
    a = draw(arrays(shapes(min_dims=min_dims)))
    choice = draw(st.sampled_from(["none", "int", "tuple"]))
    if choice == "none" or a.ndim == 0:
        axis = None
    elif choice == "int":
        axis = draw(st.integers(-a.ndim, a.ndim - 1))
    else:
        axis = tuple(draw(st.sets(st.integers(0, a.ndim - 1), min_size=1)))
    return a, axis, draw(st.booleans())


@FAST
@given(array_and_axis(min_dims=0))
def test_sum_and_mean(case):
    a, axis, keepdims = case
    check_gradients(lambda x: x.sum(axis=axis, keepdims=keepdims), a)
    check_gradients(lambda x: x.mean(axis=axis, keepdims=keepdims), a)


def _without_near_ties(a: np.ndarray) -> np.ndarray:
    spread = a + np.arange(a.size).reshape(a.shape) * 1e-2
    values = np.sort(spread.reshape(-1))
    assume(values.size < 2 or np.min(np.diff(values)) > 1e-4)
    return spread


@FAST
@given(array_and_axis())
def test_max_and_min(case):
    a, axis, keepdims = case
    a = _without_near_ties(a)
    check_gradients(lambda x: x.max(axis=axis, keepdims=keepdims), a)
    check_gradients(lambda x: x.min(axis=axis, keepdims=keepdims), a)


def test_max_splits_the_gradient_between_ties():
    x = Tensor([[3.0, 1.0, 3.0], [0.0, 2.0, 1.0]], requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [[0.5, 0.0, 0.5], [0.0, 0.0, 0.0]])
    x.zero_grad()
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]])


# ---- shaping, indexing, joining ----


@FAST
@given(arrays(shapes(min_dims=1)), st.data())
def test_reshape_and_transpose(a, data):
    check_gradients(lambda x: x.reshape(-1), a)
    check_gradients(lambda x: x.reshape((a.size, 1)), a)
    order = data.draw(st.permutations(range(a.ndim)))
    check_gradients(lambda x: x.transpose(*order), a)
    check_gradients(lambda x: x.transpose(order), a)
    check_gradients(lambda x: x.T, a)


@FAST
@given(arrays(shapes(min_dims=1)), st.data())
def test_basic_indexing(a, data):
    first = data.draw(st.integers(-a.shape[0], a.shape[0] - 1))
    stop = data.draw(st.integers(0, a.shape[0]))
    step = data.draw(st.integers(1, 2))
    check_gradients(lambda x: x[first], a)
    check_gradients(lambda x: x[::step] if stop == 0 else x[:stop:step], a)
    check_gradients(lambda x: x[..., None], a)


@FAST
@given(arrays(shapes(min_dims=1)), st.data())
def test_fancy_indexing_accumulates_repeats(a, data):
    n = a.shape[0]
    index = data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=6))
    mask = data.draw(hnp.arrays(np.bool_, a.shape))
    check_gradients(lambda x: x[index], a)
    check_gradients(lambda x: x[mask], a)
    check_gradients(lambda x: x[np.asarray(index), ...] * 2.0, a)


def test_repeated_index_gradient_counts_each_use():
    x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x[[1, 1, 0], [0, 0, 1]].sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0], [2.0, 0.0]])


@FAST
@given(st.data())
def test_concatenate_and_stack(data):
    shape = data.draw(shapes(min_dims=1))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    parts = []
    for size in sizes:
        part_shape = list(shape)
        part_shape[axis] = size
        parts.append(data.draw(arrays(tuple(part_shape))))
    check_gradients(lambda *xs: concatenate(list(xs), axis=axis), *parts)
    same = [data.draw(arrays(shape)) for _ in sizes]
    new_axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    check_gradients(lambda *xs: stack(xs, axis=new_axis), *same)


# ---- elementwise functions ----


@FAST
@given(arrays(shapes()))
def test_smooth_functions(a):
    check_gradients(lambda x: x.exp(), a)
    check_gradients(lambda x: x.sigmoid(), a)
    check_gradients(lambda x: x.tanh(), a)


@FAST
@given(arrays(shapes(), low=0.05, high=5.0))
def test_log_and_sqrt(a):
    check_gradients(lambda x: x.log(), a)
    check_gradients(lambda x: x.sqrt(), a)


@FAST
@given(arrays(shapes()))
def test_kinked_functions_away_from_the_kink(a):
    a = away_from_zero(a)
    check_gradients(lambda x: x.relu(), a)
    check_gradients(lambda x: x.abs(), a)
    check_gradients(lambda x: abs(x), a)


def test_slopes_at_the_kinks_follow_pytorch():
    x = Tensor([0.0, 0.0], requires_grad=True)
    (x.relu() + x.abs()).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    s = Tensor(0.0, requires_grad=True)
    s.sqrt().backward()
    assert s.grad == np.inf


# ---- softmax, losses ----


@FAST
@given(array_and_axis())
def test_softmax_and_log_softmax(case):
    a, axis, _ = case
    axis = axis if isinstance(axis, int) else -1
    check_gradients(lambda x: softmax(x, axis=axis), a)
    check_gradients(lambda x: log_softmax(x, axis=axis), a)
    check_gradients(lambda x: x.softmax(axis) * 2.0 + x.log_softmax(axis), a)


@st.composite
def logits_and_labels(draw):
    n, c = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    logits = draw(arrays((n, c), low=-5.0, high=5.0))
    labels = np.asarray(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return logits, labels


@FAST
@given(logits_and_labels(), st.sampled_from(["mean", "sum"]))
def test_cross_entropy_with_labels(case, reduction):
    logits, labels = case
    check_gradients(lambda z: cross_entropy(z, labels, reduction=reduction), logits)
    expected = -log_softmax(Tensor(logits)).numpy()[np.arange(len(labels)), labels]
    value = cross_entropy(Tensor(logits), labels, reduction=reduction).item()
    assert value == pytest.approx(expected.mean() if reduction == "mean" else expected.sum())


@FAST
@given(logits_and_labels(), st.data())
def test_cross_entropy_with_one_hot_and_soft_targets(case, data):
    logits, labels = case
    one_hot = np.eye(logits.shape[1])[labels]
    check_gradients(lambda z: cross_entropy(z, one_hot), logits)
    soft = data.draw(arrays(logits.shape, low=0.0, high=1.0))
    check_gradients(lambda z: cross_entropy(z, soft), logits)
    assert cross_entropy(Tensor(logits), one_hot).item() == pytest.approx(
        cross_entropy(Tensor(logits), labels).item()
    )


@FAST
@given(broadcastable_pair())
def test_mse_against_both_sides(pair):
    a, _ = pair
    b = a[::-1] * 0.5 + 0.25 if a.ndim else a * 0.5
    check_gradients(lambda x, y: mse(x, y), a, np.asarray(b))
    check_gradients(lambda x: mse(x, b), a)


# ---- a composite: the project-3 network ----


@FAST
@given(st.integers(0, 2**31 - 1))
def test_two_layer_network(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(5, 2))
    labels = rng.integers(0, 3, size=5)
    w1, b1 = rng.normal(size=(2, 4)), rng.normal(size=4)
    w2, b2 = rng.normal(size=(4, 3)), rng.normal(size=3)
    hidden = x @ w1 + b1
    assume(np.min(np.abs(hidden)) > 1e-3)  # not at relu's kink

    def network(w1, b1, w2, b2):
        return cross_entropy((Tensor(x) @ w1 + b1).relu() @ w2 + b2, labels)

    check_gradients(network, w1, b1, w2, b2)

    def fused_network(w1, b1, w2, b2):
        return cross_entropy(linear(linear(x, w1, b1).relu(), w2, b2), labels)

    check_gradients(fused_network, w1, b1, w2, b2)
