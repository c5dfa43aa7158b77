"""A layer used twice shares its weights: counted once, stepped once, trained as in torch."""

from __future__ import annotations

import numpy as np
import pytest

from neurogebra_models import ModelBuilder
from neurogebra_models.layers import Dense
from neurogebra_models.model import Model

b = ModelBuilder(seed=0)


def test_a_layer_used_twice_is_counted_and_updated_once():
    d = Dense(3, activation="tanh")
    model = Model([Dense(3, activation="tanh", input_dim=2), d, d, Dense(2)], seed=0)
    assert model.count_params() == 9 + 12 + 8  # d's 12 numbers once
    assert len(model.parameters()) == 6 and len(model.get_weights()) == 6
    text = model.summary(print_fn=lambda _: None)
    assert "shared with 2" in text and "Total parameters: 29" in text
    model.compile(loss="mse", optimizer=b.SGD(0.1))
    before = d.weight.numpy().copy()
    model.fit(np.ones((4, 2)), np.zeros((4, 2)), epochs=1, batch_size=4, shuffle=False, verbose=0)
    assert not np.array_equal(before, d.weight.numpy())


def test_training_with_a_shared_layer_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(16, 3)), rng.integers(0, 2, size=16)
    first, shared, last = Dense(3, "tanh", input_dim=3), Dense(3, "tanh"), Dense(2, "softmax")
    model = Model([first, shared, shared, last], seed=2)
    model.compile(loss="categorical_crossentropy", optimizer=b.Adam(0.05))
    tensors = [torch.tensor(p.numpy().copy(), requires_grad=True) for p in model.parameters()]
    W1, b1, W2, b2, W3, b3 = tensors
    optimizer = torch.optim.Adam(tensors, lr=0.05)
    model.fit(X, y, epochs=4, batch_size=8, shuffle=False, verbose=0)
    for _ in range(4):
        for start in range(0, 16, 8):
            h = torch.tanh(torch.tensor(X[start : start + 8]) @ W1 + b1)
            h = torch.tanh(torch.tanh(h @ W2 + b2) @ W2 + b2)  # the shared layer, twice
            loss = torch.nn.functional.cross_entropy(
                h @ W3 + b3, torch.tensor(y[start : start + 8])
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    for ours, theirs in zip(model.parameters(), tensors, strict=True):
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), atol=1e-10)


def test_a_built_layer_in_a_second_model_keeps_its_weights_and_the_first_model_works():
    X = np.random.default_rng(1).normal(size=(5, 4))
    hidden = Dense(6, activation="relu")
    first = Model([hidden, Dense(2)], seed=0)
    before = first.predict(X)
    weights = hidden.weight
    second = Model([hidden, Dense(3)], seed=1)
    second.predict(X)
    assert hidden.weight is weights  # not rebuilt
    np.testing.assert_array_equal(first.predict(X), before)
    third = Model([hidden, Dense(1)], seed=2)
    with pytest.raises(ValueError, match=r"already built for 4 features .* 7 features.*new layer"):
        third.predict(np.ones((2, 7)))
    np.testing.assert_array_equal(first.predict(X), before)


def test_a_model_with_a_shared_layer_saves_and_loads_the_sharing(tmp_path):
    d = Dense(4, activation="relu")
    model = Model([Dense(4, input_dim=3), d, d, Dense(2, activation="softmax")], seed=0)
    loaded = Model.load(model.save(tmp_path / "shared"))
    assert loaded.layers[1] is loaded.layers[2] and loaded.count_params() == model.count_params()
    X = np.random.default_rng(0).normal(size=(3, 3))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
