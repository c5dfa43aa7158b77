"""check_accuracy and check_axes."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from neurogebra_grader import CheckFailed, check_accuracy, check_axes

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def test_accuracy_threshold():
    labels = np.array([0, 1, 2, 0, 1])
    check_accuracy([0, 1, 2, 0, 0], labels, at_least=0.8)
    with pytest.raises(CheckFailed, match=r"at least 90%, got 80.0% \(4 of 5 correct\)"):
        check_accuracy([0, 1, 2, 0, 0], labels, at_least=0.9, what="test accuracy")


def test_accuracy_needs_one_prediction_per_point():
    with pytest.raises(CheckFailed, match="3 predictions"):
        check_accuracy([0, 1], [0, 1, 2], at_least=0.5)


@pytest.fixture
def axes():
    fig, (left, right) = plt.subplots(1, 2)
    yield left, right
    plt.close(fig)


def test_plot_with_everything(axes):
    left, right = axes
    left.scatter(np.arange(50), np.arange(50))
    left.plot([0, 49], [0, 49])
    left.set_xlabel("x")
    left.set_ylabel("y")
    check_axes(left, lines=1, scatter_points=50)
    xx, yy = np.meshgrid(np.linspace(0, 1, 5), np.linspace(0, 1, 5))
    right.contourf(xx, yy, (xx > yy).astype(int))
    right.set_xlabel("x₁")
    right.set_ylabel("x₂")
    check_axes(right, filled=True)


def test_plot_mistakes_are_named(axes):
    left, _ = axes
    with pytest.raises(CheckFailed, match="at least 1 line"):
        check_axes(left, lines=1, what="the loss curve")
    left.plot(range(10))
    with pytest.raises(CheckFailed, match="a line through 20 points"):
        check_axes(left, line_points=20)
    with pytest.raises(CheckFailed, match=r"ax\.scatter"):
        check_axes(left, scatter_points=5)
    with pytest.raises(CheckFailed, match="contourf"):
        check_axes(left, filled=True)
    with pytest.raises(CheckFailed, match="both axes labelled"):
        check_axes(left, lines=1)
    with pytest.raises(CheckFailed, match="a matplotlib Axes"):
        check_axes(plt.figure(), lines=1)
