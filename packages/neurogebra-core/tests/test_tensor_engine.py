"""How Tensor behaves as an engine: graphs, memory, dtypes, no_grad, errors, and Value parity."""

from __future__ import annotations

import gc
import threading
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurogebra
from neurogebra.core.autograd import Value, topological_order
from neurogebra.core.tensor import (
    Tensor,
    concatenate,
    cross_entropy,
    enable_grad,
    is_grad_enabled,
    linear,
    mse,
    no_grad,
    softmax,
    stack,
)

# ---- construction and conversions ----


def test_public_names():
    assert neurogebra.Tensor is Tensor
    assert neurogebra.no_grad is no_grad
    assert "Tensor" in dir(neurogebra)


def test_float64_by_default_and_float32_on_request():
    assert Tensor([1, 2, 3]).dtype == np.float64
    assert Tensor(2).dtype == np.float64
    assert Tensor(np.arange(3, dtype=np.int32)).dtype == np.float64
    assert Tensor([1.0], dtype=np.float32).dtype == np.float32
    assert Tensor(np.ones(2, np.float32)).dtype == np.float32  # float32 arrays stay float32
    assert Tensor(np.ones(2, np.float32), dtype="float64").dtype == np.float64


def test_construction_copies_the_data():
    source = np.zeros(3)
    t = Tensor(source, requires_grad=True)
    source[0] = 5.0
    assert t.data[0] == 0.0


def test_bad_data_and_dtypes_are_explained():
    with pytest.raises(ValueError, match=r"float64.*float32"):
        Tensor([1, 2], dtype=np.int64)
    with pytest.raises(TypeError, match="cannot make an array of numbers"):
        Tensor("abc")
    with pytest.raises(TypeError, match="cannot make an array of numbers"):
        Tensor([[1.0, 2.0], [3.0]])


def test_properties_and_conversions():
    t = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6 and len(t) == 2
    assert t.T.shape == (3, 2)
    assert isinstance(t.numpy(), np.ndarray)
    assert t.numpy() is t.data
    assert Tensor([[7.5]]).item() == 7.5
    assert float(Tensor(2.0)) == 2.0
    assert isinstance(t.sum().numpy(), np.ndarray)  # even when NumPy gives a scalar
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*\.sum\(\)"):
        t.item()
    with pytest.raises(ValueError, match="ambiguous"):
        bool(t)


def test_repr_is_readable():
    assert repr(Tensor([1.0, 2.5])) == "Tensor([1. , 2.5])"
    assert repr(Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)) == (
        "Tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)"
    )
    assert repr(Tensor([1.0], dtype=np.float32, label="w")) == (
        "Tensor([1.], dtype=float32, label='w')"
    )
    a = Tensor([1.0], requires_grad=True)
    assert repr(a * 2) == "Tensor([2.], op='*')"


# ---- backward semantics ----


def test_backward_accumulates_in_leaves_and_recomputes_intermediates():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    y = h.sum()
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    y.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])  # leaves accumulate, like PyTorch
    np.testing.assert_array_equal(h.grad, [1.0, 1.0])  # intermediates don't
    x.zero_grad()
    assert x.grad is None
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_a_tensor_used_twice_gets_both_contributions():
    a = Tensor(3.0, requires_grad=True)
    b = a * a + a
    b.backward()
    assert a.grad == 7.0


def test_backward_with_an_explicit_gradient():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * 2).backward(np.array([1.0, 0.0, -1.0]))
    np.testing.assert_array_equal(x.grad, [2.0, 0.0, -2.0])
    with pytest.raises(ValueError, match=r"gradient has shape \(2,\).*\(3,\)"):
        (x * 2).backward(np.ones(2))


def test_backward_errors_say_what_to_do():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"shape \(2,\).*gradient=.*\.sum\(\)"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="requires_grad=True"):
        Tensor([1.0]).sum().backward()


def test_leaf_gradients_never_share_memory():
    a = Tensor(np.ones((2, 2)), requires_grad=True)
    b = Tensor(np.ones((2, 2)), requires_grad=True)
    c = a + b
    d = c.reshape(4)
    d.backward(np.arange(4.0))
    assert not np.shares_memory(a.grad, b.grad)
    assert not np.shares_memory(a.grad, c.grad)
    a.grad *= 10  # changing one gradient in place leaves the others alone
    np.testing.assert_array_equal(b.grad, np.arange(4.0).reshape(2, 2))
    e = stack([a, b]).sum()
    a.zero_grad()
    b.zero_grad()
    e.backward()
    assert a.grad.flags.writeable and not np.shares_memory(a.grad, b.grad)


def test_gradient_accumulates_into_a_user_zeroed_grad():
    w = Tensor([1.0, 2.0], requires_grad=True)
    w.grad = 0.0  # as the course does with Value
    (w * 3).sum().backward()
    np.testing.assert_array_equal(w.grad, [3.0, 3.0])
    assert w.grad.dtype == np.float64


def test_detach_cuts_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).detach()
    assert not y.requires_grad and y.is_leaf
    z = (x * y).sum()
    z.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_graph_is_recorded_like_value():
    a = Tensor([1.0], requires_grad=True, label="a")
    b = Tensor([2.0], requires_grad=True, label="b")
    c = a * b + a
    assert c.op == "+" and c.children[1] is a and c.children[0].op == "*"
    assert [t.label or t.op for t in topological_order(c)] == ["a", "b", "*", "+"]
    assert not (Tensor([1.0]) * 2).children  # nothing to record without requires_grad


def test_deep_chain_backward_is_iterative():
    x = Tensor(np.array([0.5, -0.5]), requires_grad=True)
    y = x
    for _ in range(10_000):
        y = (y * 0.99999).tanh()
    y.sum().backward()
    assert np.all(np.isfinite(x.grad)) and np.all(x.grad > 0)
    del y  # freeing a long chain must not overflow the C stack either


def test_chain_of_100000_ops_gives_the_exact_gradient():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [1.00001**100_000] * 2, rtol=1e-9)


def _every_kind_of_op(x: Tensor, w: Tensor) -> Tensor:
    h = (x @ w + 1.0).relu() - (x @ w).sigmoid() * 2 / (w.abs().sum() + 1) ** 2
    h = h.tanh().exp().log() + h.sqrt().abs() ** 0.5 + 2 - h
    h = concatenate([h, h[:, :1]], axis=1).T.reshape(-1, 2).transpose()
    h = stack([h, h * 2]).mean(axis=0) + softmax(h, axis=0) + h.max(axis=1, keepdims=True)
    return (
        cross_entropy(h.T, np.zeros(h.shape[1], dtype=int)) + mse(h, np.ones(h.shape)) + (-h.min())
    )


def test_finished_graphs_are_freed_by_reference_counting_alone():
    rng = np.random.default_rng(0)
    x = Tensor(rng.uniform(0.1, 1.0, (4, 3)))
    w = Tensor(rng.uniform(0.1, 1.0, (3, 3)), requires_grad=True)
    gc.collect()
    gc.disable()  # only reference counting may free the graph now
    try:
        loss = _every_kind_of_op(x, w)
        nodes = [weakref.ref(t) for t in topological_order(loss) if t is not x and t is not w]
        assert len(nodes) >= 30
        loss.backward()
        del loss
        alive = [ref() for ref in nodes if ref() is not None]
        assert alive == [], f"{len(alive)} graph nodes outlived the graph (reference cycles)"
    finally:
        gc.enable()
    assert w.grad is not None and np.all(np.isfinite(w.grad))


# ---- dtypes ----


def test_float32_stays_float32_through_a_training_step():
    rng = np.random.default_rng(1)
    x = Tensor(rng.normal(size=(8, 5)), dtype=np.float32)
    w = Tensor(rng.normal(size=(5, 3)), requires_grad=True, dtype=np.float32)
    b = Tensor(np.zeros(3), requires_grad=True, dtype=np.float32)
    h = (x @ w + b).relu() * 0.5 - 1 / (1 + (x @ w).exp())
    outs = [cross_entropy(h, np.arange(8) % 3), mse(h.tanh().sigmoid(), np.zeros((8, 3)))]
    outs.append((h.softmax() + h.log_softmax(0) + h.abs().sqrt() + h**2).mean())
    for out in outs:
        assert out.dtype == np.float32, out
        out.backward()
    assert w.grad.dtype == np.float32 and b.grad.dtype == np.float32


def test_mixed_dtypes_promote_but_leaf_grads_keep_their_dtype():
    a = Tensor([1.0, 2.0], requires_grad=True, dtype=np.float32)
    b = Tensor([3.0, 4.0], requires_grad=True)
    c = (a * b).sum()
    assert c.dtype == np.float64
    c.backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_array_equal(a.grad, [3.0, 4.0])


# ---- no_grad ----


def test_no_grad_records_nothing():
    w = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        assert not is_grad_enabled()
        y = (w * 2 + 1).exp().sum()
        with enable_grad():
            z = w * 2
        w.data -= 0.1  # an SGD step, as users write it
    assert is_grad_enabled()
    assert not y.requires_grad and not y.children
    assert z.requires_grad
    with pytest.raises(RuntimeError, match="requires_grad"):
        y.backward()


def test_no_grad_restores_the_mode_after_an_error_and_works_as_decorator():
    with pytest.raises(ZeroDivisionError), no_grad():
        1 / 0
    assert is_grad_enabled()

    @no_grad()
    def evaluate(w: Tensor) -> Tensor:
        return w * 3

    assert not evaluate(Tensor([1.0], requires_grad=True)).requires_grad
    assert evaluate.__name__ == "evaluate"


def test_no_grad_is_per_thread():
    seen = []
    with no_grad():
        thread = threading.Thread(target=lambda: seen.append(is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]


# ---- clear errors ----


@pytest.mark.parametrize(
    ("op", "symbol"),
    [
        (lambda a, b: a + b, r"\+"),
        (lambda a, b: a - b, "-"),
        (lambda a, b: a * b, r"\*"),
        (lambda a, b: a / b, "/"),
        (lambda a, b: a**b, r"\*\*"),
    ],
)
def test_shape_mismatch_names_the_op_and_both_shapes(op, symbol):
    a, b = Tensor(np.ones((3, 2))), Tensor(np.ones(3))
    with pytest.raises(ValueError, match=rf"Tensor {symbol}: shapes \(3, 2\) and \(3,\)"):
        op(a, b)
    with pytest.raises(ValueError, match=rf"Tensor {symbol}: shapes \(3, 2\) and \(3,\)"):
        op(a, np.ones(3))


def test_matmul_mismatch_names_both_shapes_and_the_axes():
    with pytest.raises(ValueError, match=r"Tensor @: shapes \(4, 3\) and \(2, 5\).*\(3\).*\(2\)"):
        Tensor(np.ones((4, 3))) @ Tensor(np.ones((2, 5)))
    with pytest.raises(ValueError, match="at least 1-d"):
        Tensor(2.0) @ Tensor(np.ones(2))
    with pytest.raises(ValueError, match="batch axes"):
        Tensor(np.ones((2, 1, 3))) @ Tensor(np.ones((3, 3, 1)))


def test_linear_errors_name_the_shapes_and_the_fix():
    x = Tensor(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"linear: input of shape \(4, 3\) and weight .*\(2, 5\)"):
        linear(x, np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"linear: the weight must be a matrix.*\(3,\)"):
        linear(x, np.ones(3))
    with pytest.raises(ValueError, match=r"linear: bias has shape \(4,\).*needs shape \(5,\)"):
        linear(x, np.ones((3, 5)), np.ones(4))


def test_linear_records_one_node_and_keeps_dtypes():
    w = Tensor(np.ones((3, 2), np.float32), requires_grad=True)
    b = Tensor(np.zeros(2, np.float32), requires_grad=True)
    y = linear(np.ones((4, 3), np.float32), w, b)
    assert y.op == "linear" and y.children[1:] == (w, b) and y.dtype == np.float32
    assert linear(np.ones((4, 3)), w, b).dtype == np.float64  # promoted, as x @ w + b is
    with no_grad():
        assert not linear(np.ones((4, 3)), w, b).requires_grad
    assert not linear(np.ones((4, 3)), np.ones((3, 2)), np.ones(2)).requires_grad


def test_other_errors_name_the_problem():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(TypeError, match="cannot combine a Tensor with str"):
        t + "x"
    with pytest.raises(ValueError, match=r"reshape shape \(2, 3\).*into \(4,\)"):
        t.reshape(4)
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        t.sum(axis=2)
    with pytest.raises(IndexError, match=r"shape \(2, 3\)"):
        t[5]
    with pytest.raises(TypeError, match="not with a Tensor"):
        t[Tensor([0.0])]
    with pytest.raises(ValueError, match=r"concatenate: cannot join shapes \(2, 3\), \(3,\)"):
        concatenate([t, Tensor(np.ones(3))])
    with pytest.raises(ValueError, match="same shape"):
        stack([t, Tensor(np.ones(3))])


def test_loss_errors_name_the_problem():
    logits = Tensor(np.zeros((4, 3)), requires_grad=True)
    with pytest.raises(ValueError, match=r"mse: prediction shape \(4, 1\) and target shape"):
        mse(Tensor(np.zeros((4, 1))), np.zeros(4))
    with pytest.raises(ValueError, match=r"labels must lie in 0..2"):
        cross_entropy(logits, [0, 1, 2, 3])
    with pytest.raises(ValueError, match=r"labels must lie in 0..2"):
        cross_entropy(logits, [0, -1, 2, 1])
    with pytest.raises(ValueError, match="whole numbers"):
        cross_entropy(logits, [0.5, 1, 2, 1])
    with pytest.raises(ValueError, match=r"labels of shape \(4,\) or one-hot"):
        cross_entropy(logits, [0, 1])
    with pytest.raises(ValueError, match="reduction"):
        cross_entropy(logits, [0, 1, 2, 1], reduction="none")
    with pytest.raises(ValueError, match="detach"):
        cross_entropy(logits, Tensor(np.eye(3)[[0, 1, 2, 1]], requires_grad=True))


def test_cross_entropy_accepts_float_labels_and_single_samples():
    logits = Tensor([[1.0, 2.0, 0.5], [0.0, 0.0, 3.0]], requires_grad=True)
    from_floats = cross_entropy(logits, Tensor([1.0, 2.0])).item()
    assert from_floats == pytest.approx(cross_entropy(logits, [1, 2]).item())
    single = cross_entropy(Tensor([1.0, 2.0, 0.5], requires_grad=True), 1)
    assert single.item() == pytest.approx(cross_entropy(logits[:1], [1]).item())


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.uint64, np.int64])
def test_cross_entropy_labels_of_every_integer_dtype_and_many_batch_sizes(dtype):
    rng = np.random.default_rng(3)
    for n in [*range(1, 80), 1000]:  # more batch sizes than cross_entropy keeps row numbers for
        z = rng.normal(size=(n, 4))
        labels = rng.integers(0, 4, n)
        logits = Tensor(z, requires_grad=True)
        loss = cross_entropy(logits, labels.astype(dtype))
        loss.backward()
        log_probs = z - z.max(axis=1, keepdims=True)
        log_probs -= np.log(np.exp(log_probs).sum(axis=1, keepdims=True))
        assert loss.item() == pytest.approx(-log_probs[np.arange(n), labels].mean())
        expected_grad = (np.exp(log_probs) - np.eye(4)[labels]) / n
        np.testing.assert_allclose(logits.grad, expected_grad, atol=1e-12)
    with pytest.raises(ValueError, match=r"labels must lie in 0..3"):
        cross_entropy(Tensor(np.zeros((2, 4))), np.array([1, 4], dtype=dtype))


def test_softmax_is_stable_for_huge_scores():
    probs = softmax(Tensor([[1000.0, 1000.0, -1000.0]]))
    np.testing.assert_allclose(probs.numpy(), [[0.5, 0.5, 0.0]])
    loss = cross_entropy(Tensor([[1000.0, 0.0]], requires_grad=True), [1])
    assert loss.item() == pytest.approx(1000.0)


# ---- Value and Tensor agree ----


def _scalar_program(a, b, c):
    """One computation written once, run with Values and with 0-d Tensors."""
    d = (a * b + c / (b * b + 1.0)).tanh() - (-a).sigmoid() * 3.0
    e = (d * d + 1.0).log() + (c * 0.5).exp() / 4.0 + (a - b).relu() * 2.0
    return e**2 + 2.0 - e / (a * a + 1.0) + (2.0 - c) * 0.5 + 1.0 / (b * b + 2.0)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(-2, 2, allow_nan=False),
    st.floats(-2, 2, allow_nan=False),
    st.floats(-2, 2, allow_nan=False),
)
def test_value_and_tensor_give_the_same_gradients(a, b, c):
    if abs(a - b) < 1e-6:  # relu's kink
        b = a + 0.5
    values = [Value(a), Value(b), Value(c)]
    tensors = [Tensor(x, requires_grad=True) for x in (a, b, c)]
    out_v, out_t = _scalar_program(*values), _scalar_program(*tensors)
    out_v.backward()
    out_t.backward()
    assert out_t.item() == pytest.approx(out_v.data, rel=1e-12, abs=1e-12)
    for v, t in zip(values, tensors, strict=True):
        assert t.grad.item() == pytest.approx(v.grad, rel=1e-10, abs=1e-12)


def test_numpy_can_read_a_tensor():
    t = Tensor([[1.0, 2.0]], requires_grad=True)
    assert np.asarray(t) is t.data
    np.testing.assert_array_equal(np.array(t, dtype=np.float32), [[1.0, 2.0]])
    assert not np.shares_memory(np.array(t), t.data)
    with pytest.raises(TypeError):
        np.exp(t)  # ufuncs on Tensors would bypass the graph; use t.exp()
