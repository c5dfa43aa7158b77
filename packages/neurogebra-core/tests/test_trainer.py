"""Trainer: exact gradients, optimizers, losses, batches, progress, callbacks and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from neurogebra import Expression, MathForge
from neurogebra.core.trainer import Trainer

RNG = np.random.default_rng(1)
XQ = RNG.uniform(-2, 2, 200)
YQ = 3 * XQ**2 - 2 * XQ + 0.5


def quadratic() -> Expression:
    return Expression(
        "q",
        "a*x**2 + b*x + c",
        params={"a": 0.0, "b": 0.0, "c": 0.0},
        trainable_params=["a", "b", "c"],
    )


def line() -> Expression:
    return Expression("line", "m*x + b", params={"m": 0.0, "b": 0.0}, trainable_params=["m", "b"])


def test_one_sgd_step_uses_the_exact_gradient() -> None:
    """After one full-batch step, params = start - lr * (the MSE gradient worked out by hand)."""
    expr = Expression("f", "a*exp(k*x)", params={"a": 1.0, "k": 0.5}, trainable_params=["a", "k"])
    x = np.array([0.1, 0.7, -0.4, 1.3])
    y = np.array([1.0, 2.0, 0.5, 2.5])
    Trainer(expr, learning_rate=0.1, optimizer="sgd").fit(x, y, epochs=1)
    r = 1.0 * np.exp(0.5 * x) - y
    grad_a = np.mean(2 * r * np.exp(0.5 * x))
    grad_k = np.mean(2 * r * 1.0 * x * np.exp(0.5 * x))
    assert expr.params["a"] == pytest.approx(1.0 - 0.1 * grad_a, rel=1e-12)
    assert expr.params["k"] == pytest.approx(0.5 - 0.1 * grad_k, rel=1e-12)


@pytest.mark.parametrize(
    ("optimizer", "learning_rate", "epochs"),
    [("momentum", 0.02, 800), ("adam", 0.05, 1500), ("sgd", 0.05, 3000)],
)
def test_a_quadratic_recovers_its_coefficients(
    optimizer: str, learning_rate: float, epochs: int
) -> None:
    expr = quadratic()
    history = Trainer(expr, learning_rate=learning_rate, optimizer=optimizer).fit(
        XQ, YQ, epochs=epochs
    )
    assert len(history) == epochs and history[-1] < 1e-4 < history[0]
    assert expr.params == pytest.approx({"a": 3.0, "b": -2.0, "c": 0.5}, abs=1e-2)


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
def test_every_loss_fits(loss: str) -> None:
    expr = quadratic()
    history = Trainer(expr, learning_rate=0.05, optimizer="adam").fit(
        XQ, YQ, epochs=1500, loss=loss
    )
    assert history[-1] < history[0] / 100
    assert expr.params == pytest.approx({"a": 3.0, "b": -2.0, "c": 0.5}, abs=2e-2)


def test_a_loss_expression_can_be_passed() -> None:
    loss = MathForge().compose("mse + 0.1*mae")
    expr = line()
    Trainer(expr, learning_rate=0.05, optimizer="adam").fit(XQ, 2 * XQ + 1, epochs=1500, loss=loss)
    assert expr.params == pytest.approx({"m": 2.0, "b": 1.0}, abs=1e-2)


def test_mini_batches_and_seeded_shuffling() -> None:
    results = []
    for _ in range(2):
        expr = line()
        Trainer(expr, learning_rate=0.01, seed=3).fit(XQ, 2 * XQ + 1, epochs=60, batch_size=16)
        results.append(dict(expr.params))
    assert results[0] == results[1]
    assert results[0] == pytest.approx({"m": 2.0, "b": 1.0}, abs=1e-3)


def test_two_dimensional_and_dict_inputs() -> None:
    plane = Expression(
        "plane",
        "p*u + q*v + r",
        params={"p": 0.0, "q": 0.0, "r": 0.0},
        trainable_params=["p", "q", "r"],
    )
    uv = RNG.normal(size=(100, 2))
    y = 1.5 * uv[:, 0] - 0.5 * uv[:, 1] + 2.0
    Trainer(plane, learning_rate=0.05).fit(uv, y, epochs=400)
    assert plane.params == pytest.approx({"p": 1.5, "q": -0.5, "r": 2.0}, abs=1e-3)
    plane2 = plane.copy()
    plane2.params.update(p=0.0, q=0.0, r=0.0)
    Trainer(plane2, learning_rate=0.05).fit({"v": uv[:, 1], "u": uv[:, 0]}, y, epochs=400)
    assert plane2.params == pytest.approx(plane.params, abs=1e-9)
    np.testing.assert_allclose(Trainer(plane).predict(uv), y, atol=1e-2)


def test_only_trainable_params_change() -> None:
    expr = Expression("line", "m*x + b", params={"m": 0.0, "b": 1.0}, trainable_params=["m"])
    Trainer(expr, learning_rate=0.05).fit(XQ, 2 * XQ + 1, epochs=300)
    assert expr.params["b"] == 1.0 and expr.params["m"] == pytest.approx(2.0, abs=1e-6)


def test_callback_sees_each_epoch_and_can_stop() -> None:
    seen = []

    def callback(epoch: int, loss: float, params: dict[str, float]) -> bool:
        seen.append((epoch, loss, params["m"]))
        return epoch == 4

    history = Trainer(line(), learning_rate=0.01).fit(XQ, 2 * XQ, epochs=100, callback=callback)
    assert [s[0] for s in seen] == [0, 1, 2, 3, 4] and len(history) == 5
    assert [s[1] for s in seen] == history


def test_verbose_shows_a_progress_bar(capsys: pytest.CaptureFixture[str]) -> None:
    Trainer(line(), learning_rate=0.01).fit(XQ, 2 * XQ, epochs=20, verbose=True)
    err = capsys.readouterr().err
    assert "training line" in err and "20/20" in err and "loss=" in err


def test_clear_errors() -> None:
    with pytest.raises(ValueError, match="nothing to train"):
        Trainer(Expression("line", "m*x + b", params={"m": 1.0, "b": 0.0}))
    trainer = Trainer(line())
    with pytest.raises(ValueError, match="unknown loss 'mse2'; did you mean 'mse'"):
        trainer.fit(XQ, XQ, loss="mse2")
    with pytest.raises(ValueError, match="X has 200 samples, y has shape"):
        trainer.fit(XQ, XQ[:10])
    with pytest.raises(ValueError, match="X has 2 columns but line has 1 variables"):
        trainer.fit(np.ones((5, 2)), np.ones(5))
    with pytest.raises(ValueError, match="missing: u"):
        Trainer(Expression("p", "a*u + v", params={"a": 0.0}, trainable_params=["a"])).fit(
            {"v": XQ}, XQ
        )
    with pytest.raises(ValueError, match="X is 1-D, but p has 2 variables"):
        Trainer(Expression("p", "a*u + v", params={"a": 0.0}, trainable_params=["a"])).fit(XQ, XQ)
    with pytest.raises(ValueError, match="unknown optimizer 'adma'; did you mean 'adam'"):
        Trainer(line(), optimizer="adma")
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        Trainer(line(), learning_rate=-1.0)
    with pytest.raises(ValueError, match="epochs must be"):
        trainer.fit(XQ, XQ, epochs=0)
    with pytest.raises(ValueError, match="batch_size must be"):
        trainer.fit(XQ, XQ, batch_size=0)
    with pytest.raises(ValueError, match="nan or infinity"):
        trainer.fit(np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="a loss must be a formula of y_pred and y_true"):
        trainer.fit(XQ, XQ, loss=Expression("bad", "(p - t)**2"))


def test_divergence_is_reported() -> None:
    with pytest.raises(FloatingPointError, match="lower the learning_rate"):
        Trainer(line(), learning_rate=10.0, optimizer="sgd").fit(XQ * 100, XQ, epochs=200)


def test_logistic_regression_with_binary_cross_entropy() -> None:
    model = Expression(
        "logistic",
        "1/(1 + exp(-(w*x + b)))",
        params={"w": 0.0, "b": 0.0},
        trainable_params=["w", "b"],
    )
    x = np.linspace(-3, 3, 200)
    soft_labels = 1 / (1 + np.exp(-(2 * x - 1)))  # the best fit is exactly w=2, b=-1
    Trainer(model, learning_rate=0.1, optimizer="adam").fit(
        x, soft_labels, epochs=1500, loss="binary_cross_entropy"
    )
    assert model.params == pytest.approx({"w": 2.0, "b": -1.0}, abs=1e-2)


# ---- neurogebra 2.x idioms ----


def test_neurogebra_2_idioms_run():
    from neurogebra.core.autograd import Tensor as AutogradTensor
    from neurogebra.core.autograd import Value as AutogradValue
    from neurogebra.core.tensor import Tensor

    assert AutogradTensor is Tensor and AutogradValue(2.0).data == 2.0
    trainer = Trainer(line(), learning_rate=0.05, optimizer="adam")
    assert type(trainer.optimizer).__name__.lower().startswith("adam")
    history = trainer.fit(XQ, 2 * XQ, epochs=50, loss_fn="mae")
    assert history["loss"] == list(history) and len(history["loss"]) == 50
    assert dict(history.items()) == {"loss": list(history)} and trainer.history is history
    assert history["loss"][-1] < history["loss"][0]
    with pytest.raises(KeyError, match="loss"):
        history["accuracy"]
    with pytest.raises(TypeError, match="loss_fn"):
        trainer.fit(XQ, 2 * XQ, epochs=1, loss="mse", loss_fn="mae")


@pytest.mark.parametrize(
    "bad, words",
    [
        (np.array([1 + 1j, 2.0]), "complex"),
        (np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[D]"), "dates"),
        (["a", "b"], "real numbers"),
        ([[1.0], [1.0, 2.0]], "ragged"),
    ],
)
def test_fit_refuses_inputs_it_would_have_to_cast(bad, words):
    for arguments in ({"X": bad, "y": [1.0, 2.0]}, {"X": [1.0, 2.0], "y": bad}):
        name = "X" if arguments["X"] is bad else "y"
        with pytest.raises((TypeError, ValueError), match=rf"^{name}\b.*{words}"):
            Trainer(line()).fit(epochs=1, **arguments)
