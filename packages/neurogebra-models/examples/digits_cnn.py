"""Handwritten digits with a small convolutional network: the course's image-classification
project, trained for real on Tensor.

Each 8x8 grey image goes through 16 learned 3x3 filters (Conv2D), is normalised per filter
(BatchNorm), halved in size by keeping each 2x2 window's strongest response (MaxPool2D), laid
out in one row (Flatten) and classified by a softmax layer. A few epochs reach about 98% on the
450 test images (at least 95% is tested). Run it with

    python packages/neurogebra-models/examples/digits_cnn.py

(the digits come with scikit-learn: `pip install neurogebra-models[digits]`).
"""

from __future__ import annotations

from neurogebra import ModelBuilder
from neurogebra_models.datasets import load_digits
from neurogebra_models.model import Model


def digits_network(seed: int = 0) -> Model:
    """The network: Conv2D → BatchNorm → MaxPool2D → Flatten → Dense(10, softmax)."""
    b = ModelBuilder(seed=seed)
    model = b.Sequential(
        [
            b.Conv2D(16, kernel_size=3, padding="same", activation="relu"),
            b.BatchNorm(),
            b.MaxPool2D(2),
            b.Flatten(),
            b.Dense(10, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer=b.Adam(0.01), metrics=["accuracy"])
    return model


def train_digits(epochs: int = 8, seed: int = 0, verbose: int = 0) -> tuple[Model, float]:
    """Train on 1,347 digits and return the model and its accuracy on the other 450."""
    X_train, X_test, y_train, y_test = load_digits(test_size=0.25, seed=seed)
    model = digits_network(seed)
    model.fit(X_train, y_train, epochs=epochs, batch_size=32, verbose=verbose)
    return model, model.evaluate(X_test, y_test)["accuracy"]


if __name__ == "__main__":
    model, accuracy = train_digits(verbose=1)
    model.summary()
    print(f"test accuracy: {accuracy:.1%}")
