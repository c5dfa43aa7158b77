"""Value against PyTorch (float64): random graphs, special points, accumulation, a real network.

Skipped where torch is not installed; `pip install torch==2.13.0` (a local CPU wheel) enables it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st
from value_programs import (
    VALUES,
    Backend,
    OutOfRange,
    chains,
    programs,
    programs_with_inputs,
    run,
)

from neurogebra.core.autograd import Value
from neurogebra.examples.spiral import ScalarMLP, softmax_cross_entropy, spiral_split

torch = pytest.importorskip("torch")

TORCH = Backend(
    relu=torch.relu,
    sigmoid=torch.sigmoid,
    tanh=torch.tanh,
    exp=torch.exp,
    log=torch.log,
    # One add per term. torch.stack(xs).sum() would hand the leaves stride-0 views of one
    # gradient buffer, which PyTorch's AccumulateGrad keeps, so a second backward call
    # double-counts them (x.grad 3.0 instead of 2.0): a PyTorch quirk, not a reference.
    nsum=lambda xs: functools.reduce(torch.add, xs),
    data=lambda t: float(t.item()),
)


def leaf(x: float) -> Any:
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


def same(ours: float, theirs: float, rel: float = 1e-10) -> bool:
    """Equal up to rounding; nan matches nan and infinities must match exactly."""
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    if math.isinf(ours) or math.isinf(theirs):
        return ours == theirs
    return math.isclose(ours, theirs, rel_tol=rel, abs_tol=1e-12)


def compare_program(program: Any, xs: list[float], repeats: int = 1) -> None:
    ours = [Value(x) for x in xs]
    theirs = [leaf(x) for x in xs]
    try:
        our_nodes = run(program, ours, VALUES)
        their_nodes = run(program, theirs, TORCH)
    except OutOfRange:
        reject()
    for a, b in zip(our_nodes, their_nodes, strict=True):
        assert same(a.data, b.item(), rel=1e-12)
    for _ in range(repeats):
        our_nodes[-1].backward()
        their_nodes[-1].backward(retain_graph=True)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert same(a.grad, b.grad.item()), f"input {i}: ours {a.grad}, torch {b.grad.item()}"


@given(programs_with_inputs(programs()))
def test_random_graphs_match_torch(case: Any) -> None:
    compare_program(*case)


@given(programs_with_inputs(chains(max_length=400)))
def test_deep_chains_match_torch(case: Any) -> None:
    compare_program(*case)


@given(programs_with_inputs(programs(max_inputs=2, max_steps=30, ops=("add", "mul", "reuse"))))
def test_heavily_reused_nodes_match_torch(case: Any) -> None:
    compare_program(*case)


@given(programs_with_inputs(programs(max_steps=10)))
def test_backward_twice_accumulates_like_torch(case: Any) -> None:
    """Two backward calls on one graph (torch: retain_graph=True) double the leaf grads."""
    compare_program(*case, repeats=2)


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(-4, 4))
def test_upstream_gradient_and_inner_backward_like_torch(x: float, y: float, g: float) -> None:
    a, b = Value(x), Value(y)
    ta, tb = leaf(x), leaf(y)
    inner, t_inner = a * b + a, ta * tb + ta
    root, t_root = inner.tanh() * b, t_inner.tanh() * tb
    root.backward(g)
    t_root.backward(torch.tensor(g, dtype=torch.float64), retain_graph=True)
    inner.backward()
    t_inner.backward()
    assert same(a.grad, ta.grad.item()) and same(b.grad, tb.grad.item())


def unary(name: str) -> Callable[[Any, Any], Any]:
    """x.name() for a Value, torch.name(x) for a tensor."""
    return lambda x, y: getattr(x, name)() if isinstance(x, Value) else getattr(torch, name)(x)


# Where conventions matter (kinks, base 0, negative bases, tiny or huge inputs).
SPECIAL_POINTS: list[tuple[str, Callable[[Any, Any], Any], float, float]] = [
    ("relu at 0", unary("relu"), 0.0, 1.0),
    ("x ** 0.5 at 0", lambda x, y: x**0.5, 0.0, 1.0),
    ("x ** 2 at 0", lambda x, y: x**2, 0.0, 1.0),
    ("x ** 1 at 0", lambda x, y: x**1, 0.0, 1.0),
    ("x ** 0 at 0", lambda x, y: x**0, 0.0, 1.0),
    ("x ** 0 at -2", lambda x, y: x**0, -2.0, 1.0),
    ("x ** 3 at -2", lambda x, y: x**3, -2.0, 1.0),
    ("x ** y at 0, y = 2", lambda x, y: x**y, 0.0, 2.0),
    ("x ** y at 0, y = 0", lambda x, y: x**y, 0.0, 0.0),
    ("x ** y at 0, y = 0.5", lambda x, y: x**y, 0.0, 0.5),
    ("x ** y at -2, y = 3", lambda x, y: x**y, -2.0, 3.0),
    ("2 ** y", lambda x, y: 2.0**y, 1.0, -1.5),
    ("x / y, tiny y", lambda x, y: x / y, 1e-160, 1e-200),
    ("1 / x, tiny x", lambda x, y: 1.0 / x, -1e-200, 1.0),
    ("x ** -1, tiny x", lambda x, y: x**-1, 1e-200, 1.0),
    ("x ** -1, tiny negative x", lambda x, y: x**-1, -1e-200, 1.0),
    ("sigmoid(1e308)", unary("sigmoid"), 1e308, 1.0),
    ("sigmoid(-1e308)", unary("sigmoid"), -1e308, 1.0),
    ("tanh(-1e308)", unary("tanh"), -1e308, 1.0),
    ("exp(-800)", unary("exp"), -800.0, 1.0),
    ("log(1e-300)", unary("log"), 1e-300, 1.0),
]


@pytest.mark.parametrize(
    ("f", "x", "y"), [p[1:] for p in SPECIAL_POINTS], ids=[p[0] for p in SPECIAL_POINTS]
)
def test_conventions_at_special_points_match_torch(f: Callable, x: float, y: float) -> None:
    a, b = Value(x), Value(y)
    ta, tb = leaf(x), leaf(y)
    out, t_out = f(a, b), f(ta, tb)
    assert same(out.data, t_out.item(), rel=1e-15)
    out.backward()
    t_out.backward()
    assert same(a.grad, ta.grad.item() if ta.grad is not None else 0.0)
    assert same(b.grad, tb.grad.item() if tb.grad is not None else 0.0)


def test_spiral_network_batch_gradients_match_torch() -> None:
    """The course's 2→16→16→3 network: one batch of loss and every parameter's gradient."""
    X_train, _, y_train, _ = spiral_split()
    model = ScalarMLP([2, 16, 16, 3])
    batch = range(16)
    loss = Value.sum(
        softmax_cross_entropy(model([Value(x) for x in X_train[i]]), int(y_train[i])) for i in batch
    ) / len(batch)
    loss.backward()

    layers = []
    for layer in model.layers:
        w = torch.tensor([[p.data for p in row] for row in layer.weights], dtype=torch.float64)
        b = torch.tensor([p.data for p in layer.biases], dtype=torch.float64)
        layers.append((w.requires_grad_(), b.requires_grad_(), layer.activation))
    h = torch.tensor(np.asarray(X_train[list(batch)]), dtype=torch.float64)
    for w, b, activation in layers:
        h = h @ w.T + b
        if activation == "relu":
            h = torch.relu(h)
    t_loss = torch.nn.functional.cross_entropy(h, torch.tensor(y_train[list(batch)]))
    t_loss.backward()

    assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
    for layer, (w, b, _) in zip(model.layers, layers, strict=True):
        ours_w = np.array([[p.grad for p in row] for row in layer.weights])
        ours_b = np.array([p.grad for p in layer.biases])
        np.testing.assert_allclose(ours_w, w.grad.numpy(), rtol=1e-9, atol=1e-14)
        np.testing.assert_allclose(ours_b, b.grad.numpy(), rtol=1e-9, atol=1e-14)
