"""Every public entry point of the models package, fed wrong types, shapes, NaN/inf, empty and
huge inputs: each call gives a correct result or an error whose message names the argument."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogebra_models import Batches, ModelBuilder
from neurogebra_models.datasets import make_moons, make_spirals, train_test_split
from neurogebra_models.layers import BatchNorm, Conv2D, Dense, Dropout, MaxPool2D
from neurogebra_models.losses import CategoricalCrossEntropy
from neurogebra_models.metrics import accuracy, precision
from neurogebra_models.model import Model
from neurogebra_models.optimizers import Adam
from neurogebra_models.plots import plot_history
from neurogebra_models.schedules import StepDecay

X_GOOD = np.random.default_rng(0).normal(size=(10, 2))
Y_GOOD = np.arange(10) % 3
ONES = [np.ones((2, 4)), np.ones(4), np.ones((4, 3)), np.ones(3)]  # weights of compiled_model()

# Odd values of every kind: wrong types, shapes, NaN and infinity, empty and huge.
ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=3),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(max_magnitude=1e3),
    st.just([]),
    st.just([[]]),
    st.just({}),
    st.just({"a": 1}),
    st.just([[1, 2], [3]]),  # ragged
    st.just(np.zeros((0, 2))),
    st.just(np.zeros((3, 0))),
    st.just(np.full((10, 2), np.nan)),
    st.just(np.full((10, 2), np.inf)),
    st.just(np.full((10, 2), 1e300)),
    st.just(np.ones((10, 2), dtype=complex)),
    st.just(np.ones((10, 2, 1))),
    st.just(np.array(["a", "b"])),
    st.just(np.arange(10)),
    st.just(np.ones((10, 3))),
    st.just(np.array([1, 2], dtype="datetime64[D]")),
)


def compiled_model() -> Model:
    model = Model(
        [Dense(4, activation="relu", input_dim=2), Dense(3, activation="softmax")], seed=0
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def fit(**arguments):
    values = {"X": X_GOOD, "y": Y_GOOD, "epochs": 1, "batch_size": 4, "verbose": 0, **arguments}
    return compiled_model().fit(**values)


# (argument, words any of which the message must contain, call)
ENTRY_POINTS = [
    ("X", ("X",), lambda v: fit(X=v)),
    ("y", ("y", "label", "target"), lambda v: fit(y=v)),
    ("epochs", ("epochs",), lambda v: fit(epochs=v) if not _huge(v) else None),
    ("batch_size", ("batch_size",), lambda v: fit(batch_size=v)),
    ("validation_split", ("validation_split",), lambda v: fit(validation_split=v)),
    ("validation_data", ("validation_data", "X_val", "y_val"), lambda v: fit(validation_data=v)),
    ("callbacks", ("callbacks",), lambda v: fit(callbacks=v)),
    ("shuffle", ("shuffle",), lambda v: fit(shuffle=v)),
    ("weights", ("set_weights",), lambda v: compiled_model().set_weights([v, *ONES[1:]])),
    ("X", ("X",), lambda v: compiled_model().predict(v)),
    ("X", ("X",), lambda v: compiled_model().evaluate(v, Y_GOOD)),
    ("input_dim", ("input_dim",), lambda v: Model([Dense(2)]).build(v) if not _huge(v) else None),
    ("loss", ("loss",), lambda v: compiled_model().compile(loss=v)),
    ("optimizer", ("optimizer",), lambda v: compiled_model().compile(optimizer=v)),
    ("metrics", ("metric",), lambda v: compiled_model().compile(metrics=v)),
    ("learning_rate", ("learning_rate",), lambda v: Adam(v)),
    ("weight_decay", ("weight_decay",), lambda v: Adam(weight_decay=v)),
    ("seed", ("seed",), lambda v: ModelBuilder(seed=v)),
    ("seed", ("seed",), lambda v: Model([Dense(2)], seed=v)),
    ("dtype", ("dtype",), lambda v: Model([Dense(2)], dtype=v)),
    ("units", ("units",), lambda v: Dense(v)),
    ("activation", ("activation",), lambda v: Dense(2, activation=v)),
    ("rate", ("rate",), lambda v: Dropout(v)),
    ("filters", ("filters",), lambda v: Conv2D(v)),
    ("kernel_size", ("kernel_size",), lambda v: Conv2D(2, v)),
    ("pool_size", ("pool_size",), lambda v: MaxPool2D(v)),
    ("momentum", ("momentum",), lambda v: BatchNorm(v)),
    ("class_weights", ("class_weights",), lambda v: CategoricalCrossEntropy(v)),
    ("reduction", ("reduction",), lambda v: CategoricalCrossEntropy(reduction=v)),
    ("step_size", ("step_size",), lambda v: StepDecay(0.1, v)),
    ("batch_size", ("batch_size",), lambda v: Batches(X_GOOD, Y_GOOD, batch_size=v)),
    ("X", ("X",), lambda v: Batches(v, batch_size=2)),
    ("test_size", ("test_size",), lambda v: train_test_split(X_GOOD, Y_GOOD, test_size=v)),
    ("n_samples", ("n_samples",), lambda v: make_moons(v) if not _huge(v) else None),
    ("noise", ("noise",), lambda v: make_spirals(10, noise=v)),
    ("y_pred", ("labels", "predictions", "samples"), lambda v: accuracy([0, 1], v)),
    ("average", ("average",), lambda v: precision([0, 1], [0, 1], average=v)),
    ("history", ("history",), lambda v: plot_history(v)),
]


def _huge(value: object) -> bool:
    """Sizes too big to run (an epoch count of 10^20 is valid, just endless)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 10_000


@settings(max_examples=150, deadline=None)
@given(entry=st.sampled_from(ENTRY_POINTS), value=ODD)
def test_odd_inputs_give_a_result_or_an_error_naming_the_argument(entry, value):
    argument, words, call = entry
    try:
        result = call(value)
    except (TypeError, ValueError, FloatingPointError) as error:
        message = str(error)
        assert any(word in message for word in words), (argument, value, message)
        return
    if isinstance(result, np.ndarray) and result.dtype.kind == "f":
        assert np.all(np.isfinite(result)), (argument, value)  # no silent NaN or inf
    if isinstance(result, dict):  # evaluate(): the scores are numbers
        assert all(math.isfinite(v) for v in result.values()), (argument, value, result)


def test_saving_to_a_missing_folder_says_so(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match=r"folder .*missing.* does not exist; create it"):
        compiled_model().save(tmp_path / "missing" / "model")


def test_sorted_data_is_shuffled_before_validation_split():
    X, y = make_spirals(60, n_classes=3, seed=0)  # sorted: 60 of class 0, then 1, then 2
    assert np.all(np.diff(y) >= 0)
    b = ModelBuilder(seed=1)
    model = b.Sequential([b.Dense(8, "relu"), b.Dense(3, "softmax")])
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(X, y, epochs=1, validation_split=0.2, verbose=0)
    assert set(y[history.validation_indices].tolist()) == {0, 1, 2}
    again = b.Sequential([b.Dense(8, "relu"), b.Dense(3, "softmax")])
    again.compile(loss="categorical_crossentropy")
    same = again.fit(X, y, epochs=1, validation_split=0.2, verbose=0).validation_indices
    np.testing.assert_array_equal(same, history.validation_indices)  # seeded


def test_named_problems_of_section_two():
    with pytest.raises(TypeError, match=r"callbacks\[0\] is <built-in function print>.*Lambda"):
        fit(callbacks=[print])
    with pytest.raises(TypeError, match="ModelBuilder: seed must be a whole number"):
        ModelBuilder(seed="a")
    with pytest.raises(TypeError, match="X holds complex numbers"):
        fit(X=X_GOOD + 1j)
    with pytest.raises(TypeError, match="y holds complex numbers"):
        fit(y=Y_GOOD + 0j)
