"""accuracy, precision and recall against counts done by hand."""

from __future__ import annotations

import pytest

from neurogebra_models.metrics import accuracy, get_metric, precision, recall


def test_binary_counts():
    y_true = [1, 1, 1, 0, 0, 0, 0, 1]
    y_pred = [1, 0, 1, 1, 0, 0, 1, 1]
    # TP = 3, FP = 2, FN = 1, TN = 2
    assert accuracy(y_true, y_pred) == 5 / 8
    assert precision(y_true, y_pred, average="binary") == 3 / 5
    assert recall(y_true, y_pred, average="binary") == 3 / 4
    # macro: class 0 has precision 2/3 (TN / predicted 0) and recall 2/4
    assert precision(y_true, y_pred) == pytest.approx((3 / 5 + 2 / 3) / 2)
    assert recall(y_true, y_pred) == pytest.approx((3 / 4 + 2 / 4) / 2)


def test_the_averaging_rule_does_not_depend_on_which_labels_are_present():
    # Labels {1, 2} and {0, 1} are averaged the same way: macro over the classes present.
    assert precision([1, 2, 2], [1, 2, 1]) == pytest.approx((1 / 2 + 1) / 2)
    assert precision([0, 1, 1], [0, 1, 0]) == pytest.approx((1 / 2 + 1) / 2)
    assert precision([0, 1, 1], [0, 1, 0], average="binary") == 1.0
    with pytest.raises(ValueError, match="average must be 'macro'"):
        precision([0, 1], [0, 1], average="micro")


def test_compile_picks_the_average_from_the_loss_not_from_the_labels():
    import numpy as np

    from neurogebra_models.layers import Dense
    from neurogebra_models.model import Model

    model = Model([Dense(1, activation="sigmoid", input_dim=1)], seed=0)
    model.compile(loss="binary_crossentropy", metrics=["precision"])
    assert model.metric_functions["precision"]([1, 1, 0], [1, 0, 0]) == 1.0  # class 1 only
    model = Model([Dense(3, activation="softmax", input_dim=1)], seed=0)
    model.compile(loss="categorical_crossentropy", metrics=["precision"])
    assert model.metric_functions["precision"](np.array([1, 1, 0]), [1, 0, 0]) == 0.75


def test_multiclass_macro_average():
    y_true = [0, 0, 1, 1, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 0]
    # precision per class: 0 → 1/2, 1 → 2/3, 2 → 1/1; recall: 0 → 1/2, 1 → 2/2, 2 → 1/2
    assert precision(y_true, y_pred) == pytest.approx((1 / 2 + 2 / 3 + 1) / 3)
    assert recall(y_true, y_pred) == pytest.approx((1 / 2 + 1 + 1 / 2) / 3)


def test_a_class_never_predicted_has_precision_zero_and_errors_are_clear():
    assert precision([0, 1], [0, 0], average="binary") == 0.0
    assert precision([0, 1], [0, 0]) == 0.25  # class 0: 1/2, class 1: never predicted
    with pytest.raises(ValueError, match="2 true labels but 3 predictions"):
        accuracy([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="did you mean 'recall'"):
        get_metric("recal")
    assert get_metric("acc")[0] == "accuracy"
