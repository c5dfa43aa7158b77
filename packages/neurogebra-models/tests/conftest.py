"""Shared fixtures: the course's spiral split, and headless matplotlib for every test."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")  # tests never open windows

import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("models", max_examples=25, deadline=None)
settings.load_profile("models")


@pytest.fixture(scope="session")
def spiral_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """X_train, X_test, y_train, y_test exactly as the course page makes them."""
    from neurogebra.examples.spiral import generate_spirals

    state = np.random.get_state()
    np.random.seed(42)
    X, y = generate_spirals(n_points=100, n_classes=3, noise=0.15)
    indices = np.random.permutation(len(X))
    np.random.set_state(state)
    split = int(0.8 * len(X))
    return X[indices[:split]], X[indices[split:]], y[indices[:split]], y[indices[split:]]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
