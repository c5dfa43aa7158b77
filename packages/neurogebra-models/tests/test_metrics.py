"""accuracy, precision and recall against counts done by hand."""

from __future__ import annotations

import pytest

from neurogebra_models.metrics import accuracy, get_metric, precision, recall


def test_binary_counts():
    y_true = [1, 1, 1, 0, 0, 0, 0, 1]
    y_pred = [1, 0, 1, 1, 0, 0, 1, 1]
    # TP = 3, FP = 2, FN = 1, TN = 2
    assert accuracy(y_true, y_pred) == 5 / 8
    assert precision(y_true, y_pred) == 3 / 5
    assert recall(y_true, y_pred) == 3 / 4


def test_multiclass_macro_average():
    y_true = [0, 0, 1, 1, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 0]
    # precision per class: 0 → 1/2, 1 → 2/3, 2 → 1/1; recall: 0 → 1/2, 1 → 2/2, 2 → 1/2
    assert precision(y_true, y_pred) == pytest.approx((1 / 2 + 2 / 3 + 1) / 3)
    assert recall(y_true, y_pred) == pytest.approx((1 / 2 + 1 + 1 / 2) / 3)


def test_a_class_never_predicted_has_precision_zero_and_errors_are_clear():
    assert precision([0, 1], [0, 0]) == 0.0
    with pytest.raises(ValueError, match="2 true labels but 3 predictions"):
        accuracy([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="did you mean 'recall'"):
        get_metric("recal")
    assert get_metric("acc")[0] == "accuracy"
