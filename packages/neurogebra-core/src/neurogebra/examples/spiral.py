"""Course project 3: a 2→16→16→3 network of scalar `Value` neurons that learns three spirals.

The network, loss and training loop are written once against any Value-like class (anything
with ``+ * - / relu exp log`` and ``.data``/``.grad``), so the benchmark can run the identical
workload on micrograd's engine. Run it with ``python -m neurogebra.examples.spiral``.

Example:
    >>> X_train, X_test, y_train, y_test = spiral_split(seed=0)
    >>> X_train.shape, X_test.shape
    ((240, 2), (60, 2))
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neurogebra.core.autograd import Value

ValueClass = Callable[[float], Any]


def generate_spirals(
    n_points: int = 100, n_classes: int = 3, noise: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """The course's spiral data set (uses NumPy's global random state, like the course page)."""
    X = np.zeros((n_points * n_classes, 2))
    y = np.zeros(n_points * n_classes, dtype=int)
    for class_idx in range(n_classes):
        rows = slice(n_points * class_idx, n_points * (class_idx + 1))
        radius = np.linspace(0.0, 1.0, n_points)
        theta = np.linspace(class_idx * 4, (class_idx + 1) * 4, n_points)
        theta = theta + np.random.randn(n_points) * noise
        X[rows, 0] = radius * np.sin(theta)
        X[rows, 1] = radius * np.cos(theta)
        y[rows] = class_idx
    return X, y


def spiral_split(
    seed: int = 42, noise: float = 0.15
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """300 spiral points, shuffled and split 80/20 exactly as the course page does."""
    np.random.seed(seed)
    X, y = generate_spirals(n_points=100, n_classes=3, noise=noise)
    order = np.random.permutation(len(X))
    split = int(0.8 * len(X))
    train, test = order[:split], order[split:]
    return X[train], X[test], y[train], y[test]


@dataclass
class ScalarLayer:
    """One dense layer of scalar neurons: ``activation(w · x + b)`` for each neuron."""

    weights: list[list[Any]]
    biases: list[Any]
    activation: str

    def __call__(self, inputs: Sequence[Any]) -> list[Any]:
        outputs = []
        for w, b in zip(self.weights, self.biases, strict=True):
            raw = sum((wi * xi for wi, xi in zip(w, inputs, strict=True)), b)
            outputs.append(raw.relu() if self.activation == "relu" else raw)
        return outputs


@dataclass
class ScalarMLP:
    """A multi-layer perceptron of scalar Values with Xavier-uniform initial weights."""

    sizes: Sequence[int]
    value_cls: ValueClass = Value
    seed: int = 42
    layers: list[ScalarLayer] = field(init=False)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        self.layers = []
        for i, (n_in, n_out) in enumerate(zip(self.sizes, self.sizes[1:], strict=False)):
            limit = (6 / (n_in + 1)) ** 0.5
            weights = [
                [self.value_cls(rng.uniform(-limit, limit)) for _ in range(n_in)]
                for _ in range(n_out)
            ]
            biases = [self.value_cls(0.0) for _ in range(n_out)]
            last = i == len(self.sizes) - 2
            self.layers.append(ScalarLayer(weights, biases, "linear" if last else "relu"))

    def __call__(self, inputs: Sequence[Any]) -> list[Any]:
        for layer in self.layers:
            inputs = layer(inputs)
        return list(inputs)

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for w in layer.weights for p in [*w]] + [
            b for layer in self.layers for b in layer.biases
        ]


def softmax_cross_entropy(scores: Sequence[Any], target: int, value_cls: ValueClass = Value) -> Any:
    """-log softmax(scores)[target], shifted by the largest score for numerical safety."""
    shift = value_cls(max(s.data for s in scores))
    exps = [(s - shift).exp() for s in scores]
    total = sum(exps)
    return -((exps[target] / total).log())


def predict(model: ScalarMLP, point: Sequence[float]) -> int:
    scores = model([model.value_cls(float(v)) for v in point])
    return max(range(len(scores)), key=lambda i: scores[i].data)


def accuracy(model: ScalarMLP, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean([predict(model, x) == t for x, t in zip(X, y, strict=True)]))


def train_epoch(
    model: ScalarMLP,
    X: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 16,
    learning_rate: float = 0.05,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """One epoch of mini-batch SGD; returns (summed batch loss, training accuracy)."""
    make = model.value_cls
    params = model.parameters()
    order = rng.permutation(len(X))
    epoch_loss, correct = 0.0, 0
    for start in range(0, len(X), batch_size):
        batch = order[start : start + batch_size]
        batch_loss = make(0.0)
        for idx in batch:
            scores = model([make(float(X[idx, 0])), make(float(X[idx, 1]))])
            target = int(y[idx])
            batch_loss = batch_loss + softmax_cross_entropy(scores, target, make)
            correct += max(range(len(scores)), key=lambda i: scores[i].data) == target
        batch_loss = batch_loss / len(batch)
        for p in params:
            p.grad = 0.0
        batch_loss.backward()
        for p in params:
            p.data -= learning_rate * p.grad
        epoch_loss += batch_loss.data
    return epoch_loss, correct / len(X)


def main(argv: Sequence[str] | None = None) -> float:
    """Train the spiral network and print its progress; returns the test accuracy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    args = parser.parse_args(argv)

    X_train, X_test, y_train, y_test = spiral_split()
    model = ScalarMLP([2, 16, 16, 3])
    rng = np.random.default_rng(0)
    print(f"Spiral network 2→16→16→3 of Value neurons, {len(model.parameters())} parameters")
    for epoch in range(args.epochs):
        loss, train_acc = train_epoch(
            model, X_train, y_train, learning_rate=args.learning_rate, rng=rng
        )
        if epoch % 5 == 0 or epoch == args.epochs - 1:
            print(f"  epoch {epoch:>3}: loss {loss:8.4f}  train accuracy {train_acc:6.1%}")
    test_acc = accuracy(model, X_test, y_test)
    print(f"Test accuracy: {test_acc:.1%} on {len(X_test)} held-out points")
    return test_acc


if __name__ == "__main__":
    main()
