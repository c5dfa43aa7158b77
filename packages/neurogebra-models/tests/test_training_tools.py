"""Weight decay, gradient clipping, learning-rate schedules, Batches, per-sample losses, class
weights and float32, each against torch where torch has the same thing."""

from __future__ import annotations

import numpy as np
import pytest

from neurogebra.core.tensor import Tensor
from neurogebra_models import Batches, ModelBuilder, clip_grad_norm, clip_grad_value
from neurogebra_models.datasets import make_moons
from neurogebra_models.layers import Dense
from neurogebra_models.losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    Huber,
    MeanAbsoluteError,
    MeanSquaredError,
)
from neurogebra_models.model import Model
from neurogebra_models.optimizers import SGD, Adam, RMSprop
from neurogebra_models.schedules import CosineDecay, ExponentialDecay, StepDecay
from neurogebra_models.training.callbacks import LearningRateScheduler

b = ModelBuilder(seed=0)
START = np.array([[1.5, -2.0], [0.5, 3.0]])
GRADIENTS = [np.array([[4.0, -1.0], [2.5, 0.5]]) * (k + 1) for k in range(4)]


def run_ours(optimizer):
    w = Tensor(START.copy(), requires_grad=True)
    for g in GRADIENTS:
        w.grad = g.copy()
        optimizer.step([w])
    return w.numpy()


def test_weight_decay_and_clipping_match_torch():
    torch = pytest.importorskip("torch")
    cases = [
        (SGD(0.1, momentum=0.9, weight_decay=0.01), torch.optim.SGD, {"momentum": 0.9}, {}),
        (Adam(0.05, weight_decay=0.1), torch.optim.Adam, {}, {}),
        (RMSprop(0.01, weight_decay=0.05), torch.optim.RMSprop, {"alpha": 0.9, "eps": 1e-8}, {}),
        (SGD(0.1, clip_norm=1.0), torch.optim.SGD, {}, {"norm": 1.0}),
        (Adam(0.05, clip_value=3.0), torch.optim.Adam, {}, {"value": 3.0}),
    ]
    for ours, torch_class, options, clip in cases:
        if "weight_decay" in ours.config():
            options = {**options, "weight_decay": ours.weight_decay}
        w = torch.tensor(START.copy(), requires_grad=True)
        optimizer = torch_class([w], lr=ours.learning_rate, **options)
        for g in GRADIENTS:
            w.grad = torch.tensor(g.copy())
            if "norm" in clip:
                torch.nn.utils.clip_grad_norm_([w], clip["norm"])
            if "value" in clip:
                torch.nn.utils.clip_grad_value_([w], clip["value"])
            optimizer.step()
        np.testing.assert_allclose(run_ours(ours), w.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_clipping_functions_work_outside_an_optimizer():
    w = Tensor([3.0, 4.0], requires_grad=True)
    v = Tensor([0.0], requires_grad=True)  # no gradient: left alone
    w.grad = np.array([3.0, 4.0])
    assert clip_grad_norm([w, v], 10.0) == 5.0 and w.grad.tolist() == [3.0, 4.0]
    clip_grad_value([w, v], 3.5)
    assert w.grad.tolist() == [3.0, 3.5] and v.grad is None
    with pytest.raises(ValueError, match="max_norm must be a number > 0"):
        clip_grad_norm([w], 0)
    with pytest.raises(ValueError, match="weight_decay must be a number > 0"):
        Adam(weight_decay=-1.0)
    assert "weight_decay=0.1" in Adam(0.01, weight_decay=0.1).describe()


def test_schedules_match_torch_and_drive_fit():
    torch = pytest.importorskip("torch")
    schedulers = torch.optim.lr_scheduler
    cases = [
        (StepDecay(0.1, step_size=3, gamma=0.5), schedulers.StepLR, {"step_size": 3, "gamma": 0.5}),
        (ExponentialDecay(0.1, gamma=0.9), schedulers.ExponentialLR, {"gamma": 0.9}),
        (
            CosineDecay(0.1, epochs=6, minimum=0.01),
            schedulers.CosineAnnealingLR,
            {"T_max": 6, "eta_min": 0.01},
        ),
    ]
    for ours, torch_class, options in cases:
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        scheduler = torch_class(optimizer, **options)
        theirs = []
        for _ in range(7):  # after T_max torch's cosine rises again; ours stays at minimum
            theirs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        np.testing.assert_allclose([ours(e) for e in range(7)], theirs, rtol=1e-12, atol=1e-15)
    X, y = make_moons(40, seed=0)
    model = Model([Dense(4, "relu"), Dense(2, "softmax")], seed=0)
    model.compile(loss="categorical_crossentropy", optimizer=b.SGD(0.5))
    scheduler = LearningRateScheduler(StepDecay(0.5, step_size=2, gamma=0.1))
    model.fit(X, y, epochs=5, verbose=0, callbacks=[scheduler])
    np.testing.assert_allclose(scheduler.rates, [0.5, 0.5, 0.05, 0.05, 0.005])
    assert model.optimizer.learning_rate == pytest.approx(0.005)
    with pytest.raises(ValueError, match="step_size must be a whole number"):
        StepDecay(0.1, step_size=0)
    with pytest.raises(TypeError, match="schedule must be a function of the epoch"):
        LearningRateScheduler(0.1)


def test_batches_are_seeded_cover_every_sample_and_work_outside_fit():
    X, y = np.arange(14.0).reshape(7, 2), np.arange(7)
    first = [yb.tolist() for _, yb in Batches(X, y, batch_size=3, seed=5)]
    again = [yb.tolist() for _, yb in Batches(X, y, batch_size=3, seed=5)]
    assert first == again and sorted(label for batch in first for label in batch) == list(range(7))
    assert [len(p) for p in first] == [3, 3, 1]
    batches = Batches(X, y, batch_size=3, seed=5, drop_last=True)
    assert len(batches) == 2 and all(len(yb) == 3 for _, yb in batches)
    for xb, yb in Batches(X, y, batch_size=2, seed=0):
        np.testing.assert_array_equal(xb[:, 0] / 2, yb)  # rows stay with their labels
    assert [xb.tolist() for xb in Batches(X[:3], batch_size=2, shuffle=False)] == [
        [[0.0, 1.0], [2.0, 3.0]],
        [[4.0, 5.0]],
    ]
    # a hand-written loop with Batches trains a model
    model = Model([Dense(8, "relu", input_dim=2), Dense(2, "softmax")], seed=0)
    model.compile(loss="categorical_crossentropy", optimizer=b.Adam(0.05))
    Xm, ym = make_moons(80, seed=1)
    start = model.evaluate(Xm, ym)["loss"]
    for _ in range(20):
        for xb, yb in Batches(Xm, ym, batch_size=16, seed=0):
            loss = model.loss(model.loss_outputs(Tensor(xb), training=True), yb)
            model.optimizer.zero_grad(model.parameters())
            loss.backward()
            model.optimizer.step(model.parameters())
    assert model.evaluate(Xm, ym)["loss"] < start / 2
    with pytest.raises(ValueError, match="one label per sample"):
        Batches(X, y[:3])
    with pytest.raises(ValueError, match="batch_size must be a whole number"):
        Batches(X, y, batch_size=0)
    with pytest.raises(TypeError, match="seed must be a whole number"):
        Batches(X, y, seed="a")


def test_per_sample_losses_and_class_weights_match_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    z, labels = rng.normal(size=(6, 3)), rng.integers(0, 3, size=6)
    targets, bits = rng.normal(size=(6, 3)), rng.integers(0, 2, size=(6, 3)).astype(float)
    weights = np.array([0.5, 2.0, 1.5])
    for reduction in ("mean", "sum", "none"):
        pairs = [
            (
                CategoricalCrossEntropy(weights, reduction),
                labels,
                lambda t, r=reduction: F.cross_entropy(
                    t, torch.tensor(labels), weight=torch.tensor(weights), reduction=r
                ),
            ),
            (
                CategoricalCrossEntropy({2: 3.0}, reduction),
                np.eye(3)[labels],
                lambda t, r=reduction: F.cross_entropy(
                    t,
                    torch.tensor(np.eye(3)[labels]),
                    weight=torch.tensor([1.0, 1, 3]),
                    reduction=r,
                ),
            ),
            (
                BinaryCrossEntropy([0.3, 2.0], reduction),
                bits,
                lambda t, r=reduction: F.binary_cross_entropy_with_logits(
                    t, torch.tensor(bits), weight=torch.tensor(bits * 1.7 + 0.3), reduction=r
                ),
            ),
            (
                MeanSquaredError(reduction),
                targets,
                lambda t, r=reduction: F.mse_loss(t, torch.tensor(targets), reduction=r),
            ),
            (
                MeanAbsoluteError(reduction),
                targets,
                lambda t, r=reduction: F.l1_loss(t, torch.tensor(targets), reduction=r),
            ),
            (
                Huber(0.5, reduction),
                targets,
                lambda t, r=reduction: F.huber_loss(
                    t, torch.tensor(targets), reduction=r, delta=0.5
                ),
            ),
        ]
        for loss, y, torch_loss in pairs:
            ours = Tensor(z, requires_grad=True)
            theirs = torch.tensor(z, requires_grad=True)
            out, expected = loss(ours, y), torch_loss(theirs)
            assert out.shape == tuple(expected.shape)
            np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), atol=1e-12)
            upstream = rng.normal(size=out.shape)
            out.backward(upstream)
            expected.backward(torch.tensor(upstream))
            np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), atol=1e-12)


def test_loss_options_are_checked_and_fit_refuses_per_sample_losses(tmp_path):
    model = Model([Dense(3, activation="softmax", input_dim=2)], seed=0)
    with pytest.raises(ValueError, match=r"reduction='none' .* fit\(\) needs one number"):
        model.compile(loss=CategoricalCrossEntropy(reduction="none"))
    with pytest.raises(ValueError, match="class_weights name class 5"):
        model.compile(loss=CategoricalCrossEntropy({5: 2.0}))
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none'"):
        MeanSquaredError("avg")
    with pytest.raises(ValueError, match="finite weights"):
        BinaryCrossEntropy([1.0, -2.0])
    with pytest.raises(TypeError, match="class_weights must be a list"):
        CategoricalCrossEntropy(class_weights="balanced")
    model.compile(
        loss=CategoricalCrossEntropy({2: 3.0}, reduction="sum"),
        optimizer=Adam(0.01, weight_decay=0.1, clip_norm=1.0),
    )
    loaded = Model.load(model.save(tmp_path / "weighted"))
    assert loaded.loss.config() == {"class_weights": {2: 3.0}, "reduction": "sum"}
    assert loaded.optimizer.config() == model.optimizer.config()


def test_float32_data_trains_a_float32_model_end_to_end():
    X, y = make_moons(64, seed=2)
    X32 = X.astype(np.float32)
    model = Model([Dense(8, "relu"), b.BatchNorm(), Dense(2, "softmax")], seed=0)
    model.compile(
        loss="categorical_crossentropy",
        optimizer=Adam(0.01, weight_decay=1e-4),
        metrics=["accuracy"],
    )
    history = model.fit(X32, y, epochs=3, batch_size=16, verbose=0)
    assert model.dtype == np.float32
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert all(p.grad.dtype == np.float32 for p in model.parameters())
    assert all(state.dtype == np.float32 for state in model.optimizer._flat)
    assert model.predict(X32).dtype == np.float32 and model.predict(X).dtype == np.float32
    assert model(X32).dtype == np.float32
    assert history["loss"][-1] < history["loss"][0]
    regression = Model([Dense(1)], seed=0, dtype="float32")
    regression.compile(loss="mse", optimizer="sgd")
    regression.fit(X, X[:, 0], epochs=1, verbose=0)  # float64 data: the model says float32
    assert regression.predict(X).dtype == np.float32
    assert Model([Dense(1)], seed=0).dtype is None
    with pytest.raises(ValueError, match="dtype must be 'float32' or 'float64'"):
        Model([Dense(1)], dtype="int8")
