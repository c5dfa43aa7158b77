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


def test_a_scatter_drawn_as_markers_without_a_line_is_a_scatter(axes):
    """The task says "a scatter plot": ax.plot(x, y, "o") draws one as much as ax.scatter."""
    left, right = axes
    left.plot(np.arange(50), np.arange(50), "o")
    left.plot([0, 49], [0, 49])
    left.set_xlabel("x")
    left.set_ylabel("y")
    check_axes(left, lines=1, scatter_points=50)
    right.plot(np.arange(50), np.arange(50), linestyle="none", marker=".")
    with pytest.raises(CheckFailed, match="at least 1 line"):  # markers alone are no line
        check_axes(right, lines=1, scatter_points=50, labelled=False)
    check_axes(right, line_points=50, labelled=False)  # a curve of one marker per value


def test_the_trusted_judge_reads_markers_and_older_descriptions_alike(axes):
    from neurogebra_grader.checks.axes import describe_axes, judge_axes

    left, _ = axes
    left.plot(np.arange(5), np.arange(5), "x")
    facts = describe_axes(left)
    assert facts["markers"] == [5] and facts["lines"] == []
    assert judge_axes("p", facts, scatter_points=5, labelled=False) is None
    old = {k: v for k, v in facts.items() if k != "markers"}  # a reference cached before
    assert judge_axes("p", old, scatter_points=5, labelled=False) is not None


def test_accuracy_takes_lists_and_arrays_alike():
    check_accuracy([0, 1, 2], np.array([0, 1, 2]), at_least=1.0)
    check_accuracy(np.array([0, 1, 2]), [0, 1, 2], at_least=1.0)
    check_accuracy((0, 1, 2), [0, 1, 1], at_least=0.6)
