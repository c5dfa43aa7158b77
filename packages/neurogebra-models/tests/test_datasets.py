"""The toy data sets: the course's spirals exactly, the others deterministic and well formed."""

from __future__ import annotations

import numpy as np
import pytest

from neurogebra_models.datasets import (
    make_circles,
    make_moons,
    make_regression,
    make_spirals,
    make_xor,
    train_test_split,
)


def course_page_spirals(n_points=100, n_classes=3, noise=0.1):
    """project3-spiral-network.md, step 1, as printed on the page."""
    X = np.zeros((n_points * n_classes, 2))
    y = np.zeros(n_points * n_classes, dtype=int)
    for class_idx in range(n_classes):
        start = n_points * class_idx
        end = n_points * (class_idx + 1)
        r = np.linspace(0.0, 1.0, n_points)
        theta = (
            np.linspace(class_idx * 4, (class_idx + 1) * 4, n_points)
            + np.random.randn(n_points) * noise
        )
        X[start:end, 0] = r * np.sin(theta)
        X[start:end, 1] = r * np.cos(theta)
        y[start:end] = class_idx
    return X, y


def test_make_spirals_is_the_course_generator_and_split():
    np.random.seed(42)
    X_page, y_page = course_page_spirals(n_points=100, n_classes=3, noise=0.15)
    indices = np.random.permutation(len(X_page))
    split = int(0.8 * len(X_page))
    np.random.seed(42)
    X, y = make_spirals(n_points=100, n_classes=3, noise=0.15)
    X_train, X_test, _, y_test = train_test_split(X, y, test_size=0.2)
    np.testing.assert_array_equal(X, X_page)
    np.testing.assert_array_equal(y, y_page)
    np.testing.assert_array_equal(X_train, X_page[indices[:split]])
    np.testing.assert_array_equal(y_test, y_page[indices[split:]])
    assert X_test.shape == (60, 2)


def test_a_seed_gives_the_same_spirals_without_touching_the_global_generator():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    a = make_spirals(50, 2, 0.2, seed=7)
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    np.random.seed(7)
    np.testing.assert_array_equal(a[0], course_page_spirals(50, 2, 0.2)[0])


@pytest.mark.parametrize("maker", [make_moons, make_circles, make_xor])
def test_binary_sets_are_deterministic_balanced_and_two_dimensional(maker):
    X, y = maker(101, seed=3)
    X2, y2 = maker(101, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert X.shape == (101, 2) and y.shape == (101,) and set(y.tolist()) == {0, 1}
    assert not np.array_equal(X, maker(101, seed=4)[0])
    if maker is not make_xor:
        assert abs(int(y.sum()) - 50) <= 1


def test_shapes_mean_what_they_say():
    X, y = make_circles(200, noise=0.0, factor=0.3, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)
    X, y = make_xor(100, seed=1)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    X, y = make_regression(50, n_features=2, noise=0.0, coef=[3.0, -1.0], bias=2.0, seed=0)
    np.testing.assert_allclose(y, X @ [3.0, -1.0] + 2.0)


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="n_points must be a whole number"):
        make_spirals(n_points=0)
    with pytest.raises(ValueError, match="noise must be a number ≥ 0"):
        make_moons(noise=-1)
    with pytest.raises(ValueError, match="factor is the inner radius"):
        make_circles(factor=2)
    with pytest.raises(ValueError, match="coef must hold 2 numbers"):
        make_regression(n_features=2, coef=[1.0])
    with pytest.raises(ValueError, match="X has 3 samples but y has 2"):
        train_test_split(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"test_size must be a fraction in \(0, 1\)"):
        train_test_split(np.zeros((3, 2)), np.zeros(3), test_size=1)


def test_split_with_a_seed_is_reproducible_and_disjoint():
    X = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    a = train_test_split(X, y, test_size=0.3, seed=1)
    b = train_test_split(X, y, test_size=0.3, seed=1)
    for p, q in zip(a, b, strict=True):
        np.testing.assert_array_equal(p, q)
    assert len(a[3]) == 3 and not set(a[2]) & set(a[3])
    assert sorted([*a[2], *a[3]]) == list(range(10))
