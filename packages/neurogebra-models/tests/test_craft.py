"""NeuroCraft: formulas and models in one object, narration, suggestions, quick helpers."""

from __future__ import annotations

import numpy as np
import pytest

from neurogebra import NeuroCraft
from neurogebra_models import Model
from neurogebra_models.datasets import make_moons, train_test_split


def test_what_it_prints_it_returns_and_records(capsys):
    craft = NeuroCraft(educational=False)
    text = craft.explain("relu")
    assert capsys.readouterr().out == text + "\n"
    assert "Max(0, x)" in text and "ReLU" in text
    assert craft.transcript == [text]
    found = craft.search("robust regression")
    assert "huber" in found
    assert "huber" in capsys.readouterr().out


def test_formulas_come_from_mathforge():
    craft = NeuroCraft(educational=False)
    relu = craft.formula("relu")
    assert relu.eval(x=-2.0) == 0.0 and relu.eval(x=5.0) == 5.0
    assert craft.formula("leaky_relu", alpha=0.2).eval(x=-1.0) == pytest.approx(-0.2)
    assert "mse" in craft.list_formulas("losses")
    assert "| relu |" in craft.compare(["relu", "sigmoid"])


def test_explanations_cover_losses_optimizers_and_models():
    craft = NeuroCraft(educational=False, print_fn=None)
    assert "momentum" in craft.explain("adam")
    assert "Squared error" in craft.explain("huber")
    model = craft.build([2, 4, 3])
    assert "Layer 2: Dense(3, softmax)" in craft.explain(model)


def test_unknown_names_get_did_you_mean_suggestions():
    craft = NeuroCraft(educational=False, print_fn=None)
    with pytest.raises(ValueError, match="did you mean 'relu'"):
        craft.explain("rleu")
    with pytest.raises(KeyError, match="did you mean 'sigmoid'"):
        craft.formula("sigmiod")
    with pytest.raises(ValueError, match="did you mean 'moons'"):
        craft.dataset("mons")
    with pytest.raises(ValueError, match="did you mean 'tanh'"):
        craft.Dense(3, activation="tahn")


def test_educational_mode_narrates_building_compiling_and_training():
    said: list[str] = []
    craft = NeuroCraft(seed=0, print_fn=said.append)
    X, y = craft.dataset("moons", n_samples=80, seed=0)
    model = craft.build([2, 8, 2])
    assert any("Total parameters: 42" in line for line in said)  # 2·8+8 + 8·2+2
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    assert "Compiled. Loss = categorical_crossentropy" in said[-1]
    history = craft.train(model, X, y, epochs=10, batch_size=16, validation_split=0.25)
    story = "\n".join(said)
    assert "One epoch = one pass over all 60 training samples, in 4 shuffled batches" in story
    assert "ln 2 ≈ 0.69" in story
    assert f"Epoch 1: loss {history['loss'][0]:.4f}" in story
    assert f"Epoch 10: loss {history['loss'][-1]:.4f}" in story
    assert "Training done" in story
    assert said == craft.transcript


def test_quiet_mode_says_nothing_while_building_and_training():
    said: list[str] = []
    craft = NeuroCraft(educational=False, seed=0, print_fn=said.append)
    X, y = make_moons(60, seed=1)
    craft.quick_classifier(X, y, hidden=(8,), epochs=2)
    assert said == []


def test_quick_helpers_train_real_models():
    craft = NeuroCraft(educational=False, seed=0, print_fn=None)
    X, y = make_moons(200, noise=0.1, seed=2)
    X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0)
    model = craft.quick_classifier(X_train, y_train, epochs=40)
    assert isinstance(model, Model)
    assert np.mean(model.predict_classes(X_test) == y_test) > 0.9
    X = np.linspace(-1, 1, 80).reshape(-1, 1)
    regressor = craft.quick_regressor(X, X.ravel() ** 2, epochs=150)
    assert regressor.evaluate(X, X.ravel() ** 2)["loss"] < 0.01


def test_train_compiles_an_uncompiled_model_from_its_output_layer():
    craft = NeuroCraft(educational=False, seed=0, print_fn=None)
    X, y = make_moons(40, seed=3)
    model = craft.Sequential([craft.Dense(8, "relu"), craft.Dense(1, "sigmoid")])
    craft.train(model, X, y, epochs=2)
    assert model.loss.name == "binary_crossentropy"
    assert "accuracy" in model.history
