"""Model.fit against PyTorch on the course's spiral task, the same network and recipe.

Workload: the project-3 spiral split (240 training points), a 2→16→16→3 ReLU network with a
softmax output, categorical cross-entropy on the logits, Adam (learning rate 0.01), batch 16,
30 epochs, shuffled every epoch; timed from an untrained model to the end of fit(). PyTorch
runs on the CPU with one thread (`torch.set_num_threads(1)`); the neurogebra side uses NumPy as
it comes. Both test accuracies are reported too, so speed is never bought with wrong answers.
Target: our fit faster than PyTorch's.
"""

from __future__ import annotations

import numpy as np
from _report import median_seconds, write_section

from neurogebra.examples.spiral import spiral_split
from neurogebra_models import ModelBuilder

REPEATS = 7
EPOCHS, BATCH, LEARNING_RATE = 30, 16, 0.01


def neurogebra_fit(X_train: np.ndarray, y_train: np.ndarray, seed: int = 0):
    builder = ModelBuilder(seed=seed)
    model = builder.Sequential(
        [
            builder.Dense(16, activation="relu", input_dim=2),
            builder.Dense(16, activation="relu"),
            builder.Dense(3, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer=builder.Adam(LEARNING_RATE))
    model.fit(X_train, y_train, epochs=EPOCHS, batch_size=BATCH, verbose=0)
    return model


def torch_fit(torch, X_train: np.ndarray, y_train: np.ndarray, seed: int = 0):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 16),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 16),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 3),
    )
    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    criterion = torch.nn.CrossEntropyLoss()
    X = torch.tensor(X_train, dtype=torch.float32)
    y = torch.tensor(y_train, dtype=torch.long)
    for _ in range(EPOCHS):
        order = torch.randperm(len(X))
        for start in range(0, len(X), BATCH):
            index = order[start : start + BATCH]
            loss = criterion(net(X[index]), y[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return net


def main() -> None:
    X_train, X_test, y_train, y_test = spiral_split()
    ours_acc = float(np.mean(neurogebra_fit(X_train, y_train).predict_classes(X_test) == y_test))
    try:
        import torch
    except ImportError:
        torch = None
    if torch is None:
        (ours,) = median_seconds([lambda: neurogebra_fit(X_train, y_train)], REPEATS)
        write_section(
            "models_fit",
            f"""## Model.fit vs PyTorch (`benchmarks/models_fit.py`)

Spiral task, 2→16→16→3, Adam 0.01, batch 16, 30 epochs: Model.fit {ours:.3f} s
(test accuracy {ours_acc:.1%}). PyTorch is not installed here, so no ratio was measured.
""",
        )
        return
    torch.set_num_threads(1)
    net = torch_fit(torch, X_train, y_train)
    with torch.no_grad():
        scores = net(torch.tensor(X_test, dtype=torch.float32))
    torch_acc = float(np.mean(scores.argmax(1).numpy() == y_test))
    ours, theirs = median_seconds(
        [lambda: neurogebra_fit(X_train, y_train), lambda: torch_fit(torch, X_train, y_train)],
        repeats=REPEATS,
    )
    ratio = theirs / ours
    verdict = "faster than" if ratio > 1 else "SLOWER than"
    write_section(
        "models_fit",
        f"""## Model.fit vs PyTorch (`benchmarks/models_fit.py`)

Spiral task (240 training points), 2→16→16→3 ReLU network, cross-entropy, Adam 0.01, batch 16,
30 epochs (450 steps), from an untrained model to the end of training; median of {REPEATS}
interleaved runs. PyTorch {torch.__version__} on the CPU with one thread.

| library | fit (s) | per step (µs) | test accuracy |
|---|---|---|---|
| neurogebra `Model.fit` | {ours:.3f} | {ours / 450 * 1e6:.0f} | {ours_acc:.1%} |
| PyTorch, same loop by hand | {theirs:.3f} | {theirs / 450 * 1e6:.0f} | {torch_acc:.1%} |

**Ratio (PyTorch time / ours): {ratio:.2f}x**: Model.fit is {verdict} PyTorch here.
""",
    )


if __name__ == "__main__":
    main()
