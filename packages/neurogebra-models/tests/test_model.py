"""Model: compile, fit, evaluate, predict, callbacks and every documented error."""

from __future__ import annotations

import numpy as np
import pytest

from neurogebra.core.tensor import Tensor, cross_entropy
from neurogebra_models import EarlyStopping, LambdaCallback, ModelBuilder
from neurogebra_models.datasets import make_moons, make_regression

b = ModelBuilder(seed=0)


def classifier(units=3, input_dim=2, seed=0, hidden=8):
    builder = ModelBuilder(seed=seed)
    return builder.Sequential(
        [
            builder.Dense(hidden, activation="relu", input_dim=input_dim),
            builder.Dense(units, activation="softmax"),
        ]
    )


def test_forward_is_the_hand_written_network():
    model = classifier()
    X = np.random.default_rng(0).normal(size=(5, 2))
    W1, b1, W2, b2 = (p.numpy() for p in model.parameters())
    z = np.maximum(X @ W1 + b1, 0) @ W2 + b2
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict(X), expected, rtol=1e-12)
    np.testing.assert_array_equal(model.predict_classes(X), expected.argmax(axis=1))


def test_one_training_step_is_exactly_autograd_plus_sgd():
    model = classifier()
    model.compile(loss="categorical_crossentropy", optimizer=b.SGD(0.5))
    X = np.random.default_rng(1).normal(size=(4, 2))
    y = np.array([0, 1, 2, 1])
    before = [p.numpy().copy() for p in model.parameters()]
    # the same gradient computed by hand with Tensor on copies of the weights
    W1, b1, W2, b2 = (Tensor(w, requires_grad=True) for w in before)
    cross_entropy((Tensor(X) @ W1 + b1).relu() @ W2 + b2, y).backward()
    model.fit(X, y, epochs=1, batch_size=4, verbose=0, shuffle=False)
    for p, w, copy in zip(model.parameters(), before, (W1, b1, W2, b2), strict=True):
        np.testing.assert_allclose(p.numpy(), w - 0.5 * copy.grad, rtol=1e-12)


def test_training_matches_pytorch_step_for_step():
    torch = pytest.importorskip("torch")
    model = classifier(hidden=6)
    model.compile(loss="categorical_crossentropy", optimizer=b.Adam(0.05))
    W1, b1, W2, b2 = (
        torch.tensor(p.numpy().copy(), requires_grad=True) for p in model.parameters()
    )
    opt = torch.optim.Adam([W1, b1, W2, b2], lr=0.05)
    X, y = make_moons(40, seed=0)
    model.fit(X, y, epochs=3, batch_size=40, verbose=0, shuffle=False)
    for _ in range(3):
        opt.zero_grad()
        logits = torch.relu(torch.tensor(X) @ W1 + b1) @ W2 + b2
        torch.nn.functional.cross_entropy(logits, torch.tensor(y)).backward()
        opt.step()
    for ours, theirs in zip(model.parameters(), (W1, b1, W2, b2), strict=True):
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_binary_classifier_and_regressor_learn():
    X, y = make_moons(200, noise=0.1, seed=1)
    binary = b.Sequential([b.Dense(16, "relu"), b.Dense(16, "relu"), b.Dense(1, "sigmoid")])
    binary.compile(
        loss="binary_crossentropy",
        optimizer=b.Adam(0.02),
        metrics=["accuracy", "precision", "recall"],
    )
    history = binary.fit(X, y, epochs=40, batch_size=20, verbose=0)
    scores = binary.evaluate(X, y)
    assert scores["accuracy"] > 0.95 and scores["precision"] > 0.9 and scores["recall"] > 0.9
    assert history["accuracy"][-1] > history["accuracy"][0]
    assert set(np.unique(binary.predict_classes(X))) == {0, 1}
    assert binary.predict(X).min() > 0 and binary.predict(X).max() < 1  # probabilities

    X, y = make_regression(200, n_features=3, noise=0.01, coef=[1.0, -2.0, 0.5], seed=2)
    reg = b.Sequential([b.Dense(1, input_dim=3)])
    reg.compile(loss="mse", optimizer=b.SGD(0.1, momentum=0.9))
    reg.fit(X, y, epochs=60, batch_size=20, verbose=0)
    np.testing.assert_allclose(reg.parameters()[0].numpy().ravel(), [1.0, -2.0, 0.5], atol=0.02)
    assert reg.evaluate(X, y)["loss"] < 1e-3
    with pytest.raises(ValueError, match=r"regression.*use predict"):
        reg.predict_classes(X)


@pytest.mark.parametrize("loss", ["mae", "huber"])
def test_robust_regression_losses_train(loss):
    X, y = make_regression(100, n_features=2, noise=0.0, coef=[2.0, 1.0], bias=0.5, seed=3)
    model = ModelBuilder(seed=1).Sequential([b.Dense(1, input_dim=2)])
    model.compile(loss=loss, optimizer="adam", learning_rate=0.05)
    history = model.fit(X, y, epochs=80, batch_size=10, verbose=0)
    assert history["loss"][-1] < 0.05 * history["loss"][0]


def test_one_hot_labels_and_integer_labels_train_identically():
    X, y = make_moons(60, seed=4)
    results = []
    for labels in (y, np.eye(2)[y]):
        model = classifier(units=2, seed=3)
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        results.append(model.fit(X, labels, epochs=3, batch_size=16, verbose=0)["loss"])
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


def test_validation_split_holds_out_random_samples_and_validation_data_is_scored():
    X, y = make_moons(100, seed=5)
    model = classifier(units=2)
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(X, y, epochs=2, batch_size=10, validation_split=0.2, verbose=0)
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    held_out = history.validation_indices
    assert len(held_out) == 20 and len(set(held_out.tolist())) == 20
    assert sorted(held_out.tolist()) != list(range(80, 100))
    val = model.evaluate(X[held_out], y[held_out])["loss"]
    assert history["val_loss"][-1] == pytest.approx(val)
    history = model.fit(X[:50], y[:50], epochs=1, validation_data=(X[50:], y[50:]), verbose=0)
    assert history["val_accuracy"][0] == pytest.approx(model.evaluate(X[50:], y[50:])["accuracy"])
    with pytest.raises(ValueError, match="not both"):
        model.fit(X, y, validation_split=0.1, validation_data=(X, y), verbose=0)
    with pytest.raises(ValueError, match=r"validation_split must be a fraction in \(0, 1\)"):
        model.fit(X, y, validation_split=1.5, verbose=0)


def test_early_stopping_stops_and_restores_the_best_weights():
    X, y = make_moons(80, noise=0.3, seed=6)
    model = classifier(units=2, hidden=32)
    model.compile(loss="categorical_crossentropy", optimizer=b.Adam(0.3))  # too fast: noisy
    stop = EarlyStopping(monitor="val_loss", patience=2)
    seen = []
    history = model.fit(
        X,
        y,
        epochs=200,
        batch_size=8,
        validation_split=0.25,
        verbose=0,
        callbacks=[stop, LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))],
    )
    assert stop.stopped_epoch is not None and len(history.epoch) == stop.stopped_epoch + 1 < 200
    assert seen == history.epoch
    assert stop.stopped_epoch - stop.best_epoch == 2
    best = min(history["val_loss"])
    held_out = history.validation_indices
    assert model.evaluate(X[held_out], y[held_out])["loss"] == pytest.approx(best)


def test_early_stopping_on_a_missing_quantity_says_what_is_measured():
    X, y = make_moons(40, seed=7)
    model = classifier(units=2)
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    with pytest.raises(ValueError, match=r"does not measure 'val_loss'.*validation_split"):
        model.fit(X, y, epochs=2, verbose=0, callbacks=[EarlyStopping()])


def test_fit_shows_a_progress_bar_or_lines(capsys):
    X, y = make_moons(40, seed=8)
    model = classifier(units=2)
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(X, y, epochs=2, verbose=1)
    assert "2/2" in capsys.readouterr().err
    model.fit(X, y, epochs=2, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 1/2: loss" in out and "accuracy" in out
    with pytest.raises(ValueError, match="verbose must be 0"):
        model.fit(X, y, epochs=1, verbose=3)


def test_errors_name_the_problem_and_the_fix():
    model = classifier()
    X, y = np.zeros((4, 2)), np.array([0, 1, 2, 0])
    with pytest.raises(RuntimeError, match=r"call model.compile\(.*before fit"):
        model.fit(X, y)
    with pytest.raises(RuntimeError, match="before evaluate"):
        model.evaluate(X, y)
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    with pytest.raises(ValueError, match=r"expects 2 features per sample.*3 columns"):
        model.fit(np.zeros((4, 3)), y, verbose=0)
    with pytest.raises(ValueError, match="expects 2 features"):
        model.predict(np.zeros((1, 5)))
    with pytest.raises(ValueError, match=r"2-D array.*reshape\(-1, 1\)"):
        model.predict(np.zeros(2))
    with pytest.raises(ValueError, match=r"labels run from 0 to 7.*3 units"):
        model.fit(X, np.array([0, 1, 7, 0]), verbose=0)
    with pytest.raises(ValueError, match="X has 4 samples, y has 3"):
        model.fit(X, y[:3], verbose=0)
    with pytest.raises(ValueError, match="batch_size must be a whole number"):
        model.fit(X, y, batch_size=0, verbose=0)
    with pytest.raises(ValueError, match="NaN"):
        model.predict(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="did you mean 'accuracy'"):
        model.compile(metrics=["acuracy"])
    with pytest.raises(ValueError, match="did you mean 'sgd'"):
        model.compile(optimizer="sdg")
    with pytest.raises(ValueError, match="needs an output layer with activation 'sigmoid'"):
        model.compile(loss="binary_crossentropy")
    regression = b.Sequential([b.Dense(1, input_dim=2)])
    with pytest.raises(ValueError, match=r"compare classes.*regression"):
        regression.compile(loss="mse", metrics=["accuracy"])
    with pytest.raises(ValueError, match="end it with a Dense output layer"):
        b.Sequential([b.Dense(3, input_dim=2), b.Dropout(0.1)]).compile()
    with pytest.raises(TypeError, match="layer 2 is a str"):
        b.Sequential([b.Dense(3), "relu"])
    with pytest.raises(ValueError, match="at least one layer"):
        b.Sequential([])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_diverging_training_is_reported():
    X, y = make_regression(50, n_features=2, seed=9)
    model = ModelBuilder(seed=0).Sequential([b.Dense(1, input_dim=2)])
    model.compile(loss="mse", optimizer=b.SGD(1e6))
    with pytest.raises(FloatingPointError, match=r"learning rate .* too high"):
        model.fit(X * 1e3, y, epochs=50, verbose=0)


def test_dropout_is_used_in_training_only():
    model = ModelBuilder(seed=0).Sequential(
        [b.Dense(32, "relu", input_dim=2), b.Dropout(0.5), b.Dense(2, "softmax")]
    )
    X = np.random.default_rng(0).normal(size=(10, 2))
    np.testing.assert_array_equal(model.predict(X), model.predict(X))
    a = model.forward(Tensor(X), training=True).numpy()
    c = model.forward(Tensor(X), training=True).numpy()
    assert not np.allclose(a, c)


def test_parameters_and_weights_round_trip():
    model = classifier()
    assert [p.shape for p in model.parameters()] == [(2, 8), (8,), (8, 3), (3,)]
    assert model.count_params() == 2 * 8 + 8 + 8 * 3 + 3
    weights = model.get_weights()
    for p in model.parameters():
        p.data *= 0
    model.set_weights(weights)
    np.testing.assert_array_equal(model.get_weights()[0], weights[0])
    with pytest.raises(ValueError, match="expected an array of shape"):
        model.set_weights([w.T for w in weights])


def test_save_and_load_keep_weights_predictions_and_compile_settings(tmp_path):
    X, y = make_moons(50, seed=10)
    model = classifier(units=2)
    model.compile(loss="categorical_crossentropy", optimizer=b.Adam(0.02), metrics=["accuracy"])
    model.fit(X, y, epochs=3, verbose=0)
    path = model.save(tmp_path / "moons")
    assert path.name == "moons.npz"
    loaded = type(model).load(path)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert loaded.evaluate(X, y) == model.evaluate(X, y)
    assert loaded.optimizer.learning_rate == 0.02
    assert loaded.summary(print_fn=None) == model.summary(print_fn=None)
    with pytest.raises(ValueError, match="not a saved neurogebra model"):
        np.savez(tmp_path / "other.npz", a=np.zeros(2))
        type(model).load(tmp_path / "other.npz")


def test_early_stopping_that_never_fires_still_ends_on_the_best_epoch():
    X, y = make_moons(60, noise=0.3, seed=11)
    model = classifier(units=2, hidden=16)
    model.compile(loss="categorical_crossentropy", optimizer=b.Adam(0.2))
    stop = EarlyStopping(monitor="loss", patience=100)
    snapshots = []
    keep = LambdaCallback(on_epoch_end=lambda e, logs: snapshots.append(model.get_weights()))
    history = model.fit(X, y, epochs=12, batch_size=6, verbose=0, callbacks=[keep, stop])
    assert stop.stopped_epoch is None and len(history.epoch) == 12
    assert history["loss"][stop.best_epoch] == min(history["loss"])
    assert stop.best_epoch < 11  # so the restored weights differ from the last epoch's
    for ours, best in zip(model.get_weights(), snapshots[stop.best_epoch], strict=True):
        np.testing.assert_array_equal(ours, best)
