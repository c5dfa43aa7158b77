"""Each optimizer's steps against a NumPy reference and against torch.optim."""

from __future__ import annotations

import numpy as np
import pytest

from neurogebra.core.tensor import Tensor
from neurogebra_models.optimizers import SGD, Adam, RMSprop, get_optimizer

GRADIENTS = [np.array([0.5, -1.0, 2.0]), np.array([-0.25, 0.75, 1.0]), np.array([1.0, 0.0, -3.0])]
START = np.array([1.0, -2.0, 0.5])


def run(optimizer) -> np.ndarray:
    w = Tensor(START.copy(), requires_grad=True)
    for g in GRADIENTS:
        w.grad = g.copy()
        optimizer.step([w])
    return w.numpy()


def reference(kind: str, lr: float, **k: float) -> np.ndarray:
    w, v, m, s = START.copy(), np.zeros(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(GRADIENTS, start=1):
        if kind == "sgd":
            w = w - lr * g
        elif kind == "momentum":
            v = k["mu"] * v + g
            w = w - lr * v
        elif kind == "nesterov":
            v = k["mu"] * v + g
            w = w - lr * (g + k["mu"] * v)
        elif kind == "adam":
            m = 0.9 * m + 0.1 * g
            s = 0.999 * s + 0.001 * g * g
            w = w - lr * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
        elif kind == "rmsprop":
            s = 0.9 * s + 0.1 * g * g
            w = w - lr * g / (np.sqrt(s) + 1e-8)
    return w


@pytest.mark.parametrize(
    ("optimizer", "expected"),
    [
        (SGD(0.1), reference("sgd", 0.1)),
        (SGD(0.1, momentum=0.9), reference("momentum", 0.1, mu=0.9)),
        (SGD(0.1, momentum=0.9, nesterov=True), reference("nesterov", 0.1, mu=0.9)),
        (Adam(0.05), reference("adam", 0.05)),
        (RMSprop(0.01), reference("rmsprop", 0.01)),
    ],
    ids=["sgd", "momentum", "nesterov", "adam", "rmsprop"],
)
def test_steps_match_the_textbook_update(optimizer, expected):
    np.testing.assert_allclose(run(optimizer), expected, rtol=1e-12)


def test_steps_match_torch_optim():
    torch = pytest.importorskip("torch")
    pairs = [
        (SGD(0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
        (
            SGD(0.1, momentum=0.8, nesterov=True),
            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.8, nesterov=True),
        ),
        (Adam(0.05), lambda p: torch.optim.Adam(p, lr=0.05)),
        # torch's RMSprop adds eps outside the square root too; alpha is our rho
        (RMSprop(0.01, rho=0.9), lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8)),
    ]
    for ours, make in pairs:
        w = torch.tensor(START.copy(), requires_grad=True)
        theirs = make([w])
        for g in GRADIENTS:
            w.grad = torch.tensor(g)
            theirs.step()
        np.testing.assert_allclose(run(ours), w.detach().numpy(), rtol=1e-10, err_msg=repr(ours))


def test_parameters_without_gradient_are_left_alone():
    w = Tensor(START.copy(), requires_grad=True)
    Adam(0.1).step([w])
    np.testing.assert_array_equal(w.numpy(), START)


def test_bad_settings_and_unknown_names_are_explained():
    with pytest.raises(ValueError, match="learning_rate must be a number > 0"):
        SGD(learning_rate=0)
    with pytest.raises(ValueError, match="nesterov=True needs a momentum"):
        SGD(nesterov=True)
    with pytest.raises(ValueError, match=r"beta1 must be a number in \(0, 1\)"):
        Adam(beta1=1.0)
    with pytest.raises(ValueError, match="did you mean 'adam'"):
        get_optimizer("adamm")
    with pytest.raises(ValueError, match="not both"):
        get_optimizer(Adam(), learning_rate=0.1)
    assert get_optimizer("rmsprop", learning_rate=0.5).learning_rate == 0.5


def test_state_survives_steps_where_some_parameters_have_no_gradient():
    # momentum SGD by hand: a parameter without a gradient keeps its value and its velocity
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    b = Tensor(np.array([[3.0]]), requires_grad=True)
    sgd = SGD(0.1, momentum=0.5)
    steps = [
        (np.array([1.0, -1.0]), np.array([[2.0]])),
        (np.array([0.5, 0.5]), None),
        (np.array([-1.0, 1.0]), np.array([[1.0]])),
    ]
    va, vb, wa, wb = np.zeros(2), np.zeros((1, 1)), a.numpy().copy(), b.numpy().copy()
    for ga, gb in steps:
        a.grad, b.grad = ga, gb
        sgd.step([a, b])
        va = 0.5 * va + ga
        wa = wa - 0.1 * va
        if gb is not None:
            vb = 0.5 * vb + gb
            wb = wb - 0.1 * vb
    np.testing.assert_allclose(a.numpy(), wa)
    np.testing.assert_allclose(b.numpy(), wb)
