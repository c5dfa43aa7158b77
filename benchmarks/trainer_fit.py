"""`Trainer.fit` on 10,000 points for 1,000 epochs, against a hand-written NumPy loop.

Workload: fit the quadratic a*x^2 + b*x + c (all three trainable, starting at 0) to 10,000
noisy points with mean squared error, full batch, momentum 0.9, learning rate 0.05, 1,000
epochs. Baseline: the same training written by hand in NumPy (the gradient of the MSE worked
out on paper), which is the fastest a student's own loop gets. Both must land on the same
coefficients. Also recorded: the same fit with Adam in mini-batches of 1,000.
"""

from __future__ import annotations

import numpy as np
from _report import median_seconds, write_section

from neurogebra import Expression
from neurogebra.core.trainer import Trainer

N = 10_000
EPOCHS = 1_000
REPEATS = 5
LEARNING_RATE = 0.05

rng = np.random.default_rng(0)
X = rng.uniform(-2, 2, size=N)
Y = 3 * X**2 - 2 * X + 0.5 + rng.normal(scale=0.1, size=N)


def model() -> Expression:
    return Expression(
        "quadratic",
        "a*x**2 + b*x + c",
        params={"a": 0.0, "b": 0.0, "c": 0.0},
        trainable_params=["a", "b", "c"],
    )


def with_trainer(**fit_options: object) -> np.ndarray:
    expr = model()
    optimizer = fit_options.pop("optimizer", "momentum")
    Trainer(expr, learning_rate=LEARNING_RATE, optimizer=optimizer).fit(
        X, Y, epochs=EPOCHS, **fit_options
    )
    return np.array([expr.params[k] for k in "abc"])


def by_hand() -> np.ndarray:
    theta = np.zeros(3)
    velocity = np.zeros(3)
    for _ in range(EPOCHS):
        a, b, c = theta
        residual = a * X**2 + b * X + c - Y
        grad = 2 * np.array([np.mean(residual * X**2), np.mean(residual * X), np.mean(residual)])
        velocity = 0.9 * velocity + grad
        theta = theta - LEARNING_RATE * velocity
    return theta


def main() -> None:
    ours_params, hand_params = with_trainer(), by_hand()
    np.testing.assert_allclose(ours_params, hand_params, rtol=1e-9, atol=1e-9)
    ours, hand = median_seconds([with_trainer, by_hand], repeats=REPEATS)
    (adam,) = median_seconds(
        [lambda: with_trainer(optimizer="adam", batch_size=1_000)], repeats=REPEATS
    )
    learned = ", ".join(f"{k}={v:.3f}" for k, v in zip("abc", ours_params, strict=True))
    write_section(
        "trainer_fit",
        f"""## `Trainer.fit` vs a hand-written NumPy loop (`benchmarks/trainer_fit.py`)

Quadratic a·x² + b·x + c fitted to {N:,} points for {EPOCHS:,} epochs (MSE, full batch,
momentum 0.9, learning rate {LEARNING_RATE}), median of {REPEATS} interleaved runs:

| training | total (s) | per epoch (ms) |
|---|---|---|
| `Trainer.fit` (symbolic gradients compiled to NumPy) | {ours:.3f} | {ours / EPOCHS * 1e3:.3f} |
| hand-written NumPy loop (gradient derived on paper) | {hand:.3f} | {hand / EPOCHS * 1e3:.3f} |
| `Trainer.fit`, Adam, mini-batches of 1,000 | {adam:.3f} | {adam / EPOCHS * 1e3:.3f} |

**Ratio to the hand-written loop: {ours / hand:.2f}x**; both learn {learned}
(true 3, -2, 0.5).
""",
    )


if __name__ == "__main__":
    main()
