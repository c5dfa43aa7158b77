"""The image-classification example trains for real and reaches at least 95% on the digits."""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np

from neurogebra_models.datasets import load_digits
from neurogebra_models.model import Model

EXAMPLE = Path(__file__).parents[1] / "examples" / "digits_cnn.py"


def test_the_digits_example_reaches_95_percent_on_held_out_images(tmp_path):
    example = runpy.run_path(str(EXAMPLE))  # not as __main__: defines the functions only
    model, accuracy = example["train_digits"]()
    assert accuracy >= 0.95
    _, X_test, _, y_test = load_digits(test_size=0.25, seed=0)
    assert X_test.shape == (450, 1, 8, 8)
    predicted = model.predict_classes(X_test)
    assert np.mean(predicted == y_test) == accuracy
    # the trained network survives a save and load, running statistics included
    loaded = Model.load(model.save(tmp_path / "digits"))
    np.testing.assert_array_equal(loaded.predict(X_test), model.predict(X_test))
