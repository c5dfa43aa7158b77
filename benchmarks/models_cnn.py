"""The digits CNN (Conv2D, BatchNorm, MaxPool2D, Flatten, Dense) against the same network in
PyTorch.

Workload: scikit-learn's bundled 8x8 digits (1,347 training images), the network of
`packages/neurogebra-models/examples/digits_cnn.py` (16 3x3 filters with padding 1 and ReLU,
batch norm, 2x2 max pooling, a 256→10 softmax layer), cross-entropy, Adam 0.01, batch 32,
8 epochs, shuffled every epoch; timed from an untrained model to the end of training. PyTorch
runs on the CPU with one thread in float32 (its default); ours runs in float64 (the default) and
in float32. Test accuracies are reported too. Not a CI test: run it alone with
`nox -s bench -- benchmarks/models_cnn.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from _report import median_seconds, write_section

sys.path.insert(0, str(Path(__file__).parents[1] / "packages/neurogebra-models/examples"))
from digits_cnn import digits_network

from neurogebra_models.datasets import load_digits

REPEATS = 3
EPOCHS, BATCH, LEARNING_RATE = 8, 32, 0.01


def neurogebra_fit(X_train: np.ndarray, y_train: np.ndarray, dtype: type = np.float64):
    model = digits_network(seed=0)
    model.fit(X_train.astype(dtype), y_train, epochs=EPOCHS, batch_size=BATCH, verbose=0)
    return model


def torch_fit(torch, X_train: np.ndarray, y_train: np.ndarray, seed: int = 0):
    torch.manual_seed(seed)
    nn = torch.nn
    net = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.BatchNorm2d(16),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(256, 10),
    )
    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    criterion = nn.CrossEntropyLoss()
    X = torch.tensor(X_train, dtype=torch.float32)
    y = torch.tensor(y_train, dtype=torch.long)
    net.train()
    for _ in range(EPOCHS):
        order = torch.randperm(len(X))
        for start in range(0, len(X), BATCH):
            index = order[start : start + BATCH]
            loss = criterion(net(X[index]), y[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    net.eval()
    return net


def main() -> None:
    X_train, X_test, y_train, y_test = load_digits(test_size=0.25, seed=0)
    steps = EPOCHS * -(-len(X_train) // BATCH)

    def accuracy(model, dtype):
        return float(np.mean(model.predict_classes(X_test.astype(dtype)) == y_test))

    acc64 = accuracy(neurogebra_fit(X_train, y_train), np.float64)
    acc32 = accuracy(neurogebra_fit(X_train, y_train, np.float32), np.float32)
    import torch

    torch.set_num_threads(1)
    net = torch_fit(torch, X_train, y_train)
    with torch.no_grad():
        scores = net(torch.tensor(X_test, dtype=torch.float32))
    torch_acc = float(np.mean(scores.argmax(1).numpy() == y_test))
    ours64, ours32, theirs = median_seconds(
        [
            lambda: neurogebra_fit(X_train, y_train),
            lambda: neurogebra_fit(X_train, y_train, np.float32),
            lambda: torch_fit(torch, X_train, y_train),
        ],
        repeats=REPEATS,
    )
    rows = [
        ("neurogebra `Model.fit`, float64", ours64, acc64),
        ("neurogebra `Model.fit`, float32", ours32, acc32),
        ("PyTorch, same loop by hand, float32", theirs, torch_acc),
    ]
    table = "\n".join(
        f"| {name} | {t:.2f} | {t / steps * 1e3:.2f} | {acc:.1%} |" for name, t, acc in rows
    )
    write_section(
        "models_cnn",
        f"""## Digits CNN vs PyTorch (`benchmarks/models_cnn.py`)

scikit-learn's 8x8 digits (1,347 training images), Conv2D(16, 3x3, same, relu) → BatchNorm →
MaxPool2D(2) → Flatten → Dense(10, softmax), Adam 0.01, batch 32, {EPOCHS} epochs ({steps}
steps); median of {REPEATS} interleaved runs. PyTorch {torch.__version__} on the CPU, one thread.

| library | fit (s) | per step (ms) | test accuracy |
|---|---|---|---|
{table}

**Ratio (our time / PyTorch's): {ours64 / theirs:.2f}x in float64, {ours32 / theirs:.2f}x in
float32.**
""",
    )
    print(f"ours64 {ours64:.2f}s ours32 {ours32:.2f}s torch {theirs:.2f}s")


if __name__ == "__main__":
    main()
