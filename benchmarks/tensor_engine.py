"""Array autograd: our `Tensor` against the same training written by hand in NumPy, and PyTorch.

Two workloads, each one epoch of mini-batch SGD from identical initial weights and batch order:

- project 3: spiral data (240 training points), 2→16→16→3 ReLU MLP, softmax cross-entropy,
  batch 16, SGD 0.05, float64. Arrays are tiny, so this measures per-operation overhead.
- MLP: 10,000×784 random float32 inputs, 10 classes, 784→256→10 ReLU MLP, softmax
  cross-entropy, batch 128, SGD 0.1. This measures how much of NumPy's speed survives.

The hand-written NumPy baseline does exactly the arithmetic a student would write: forward,
softmax cross-entropy, backward by the chain rule, SGD update. PyTorch 2.13.0 (CPU, one thread,
`nn.Linear` + `cross_entropy` + `optim.SGD`) runs when it is installed.
Targets: Tensor within 1.5x (project 3) and 1.3x (MLP) of NumPy, and faster than PyTorch.

Every engine gets one BLAS thread, as PyTorch is asked to use one: on a 2-core machine shared
with other jobs, a second BLAS thread mostly waits for a core, which made the NumPy timings vary
threefold from run to run. For the same reason the times are CPU time of this process
(`time.process_time`), which leaves out the time spent waiting for a core; with one thread per
engine it equals wall time on an idle machine.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # read once, when NumPy loads its BLAS below

import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from itertools import pairwise  # noqa: E402

import numpy as np  # noqa: E402
from _report import median_seconds, write_section  # noqa: E402

from neurogebra.core.tensor import Tensor, cross_entropy, linear  # noqa: E402
from neurogebra.examples.spiral import spiral_split  # noqa: E402

try:  # PyTorch is only a yardstick: the comparison is left out where it isn't installed
    import torch

    torch.set_num_threads(1)
except ImportError:
    torch = None

Params = list[np.ndarray]  # [W1, b1, W2, b2, ...]; W has shape (inputs, outputs)

SPIRAL_REPEATS = 151  # a project-3 epoch takes milliseconds: many samples steady the median
MLP_REPEATS = 9


def initial_params(sizes: list[int], dtype: type, seed: int = 0) -> Params:
    """Xavier-uniform weights and zero biases, as in the course's network."""
    rng = np.random.default_rng(seed)
    params: Params = []
    for n_in, n_out in pairwise(sizes):
        limit = (6 / (n_in + n_out)) ** 0.5
        params += [rng.uniform(-limit, limit, (n_in, n_out)).astype(dtype), np.zeros(n_out, dtype)]
    return params


def batches(n: int, batch_size: int) -> list[np.ndarray]:
    order = np.random.default_rng(1).permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


# ---- one epoch, three ways ----


def tensor_epoch(init: Params, X: np.ndarray, y: np.ndarray, batch_size: int, lr: float):
    params = [Tensor(p, requires_grad=True) for p in init]
    layers = list(zip(params[::2], params[1::2], strict=True))
    inputs = Tensor(X)  # the data set as one Tensor, indexed per batch (as PyTorch's below)
    total_loss, correct = 0.0, 0
    for idx in batches(len(X), batch_size):
        h = inputs[idx]
        for i, (w, b) in enumerate(layers):
            h = linear(h, w, b)  # x @ w + b as one node, as a Dense layer computes it
            if i < len(layers) - 1:
                h = h.relu()
        targets = y[idx]
        loss = cross_entropy(h, targets)
        for p in params:
            p.zero_grad()
        loss.backward()
        for p in params:
            p.data -= lr * p.grad
        total_loss += loss.item()
        correct += int((h.data.argmax(axis=1) == targets).sum())
    return total_loss, correct, [p.data for p in params]


def numpy_epoch(init: Params, X: np.ndarray, y: np.ndarray, batch_size: int, lr: float):
    params = [p.copy() for p in init]
    n_layers = len(params) // 2
    total_loss, correct = 0.0, 0
    for idx in batches(len(X), batch_size):
        # forward, keeping what backward needs
        inputs, masks = [], []
        h = X[idx]
        for i in range(n_layers):
            inputs.append(h)
            h = h @ params[2 * i] + params[2 * i + 1]
            if i < n_layers - 1:
                mask = h > 0
                masks.append(mask)
                h = h * mask
        targets = y[idx]
        n = len(idx)
        rows = np.arange(n)
        shifted = h - h.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        loss = (np.log(total.ravel()) - shifted[rows, targets]).sum() / n
        # backward: d loss / d logits = (softmax - one_hot) / n, then the chain rule
        grad = exp / total
        grad[rows, targets] -= 1.0
        grad *= 1.0 / n
        grads = [None] * len(params)
        for i in reversed(range(n_layers)):
            grads[2 * i] = inputs[i].T @ grad
            grads[2 * i + 1] = grad.sum(axis=0)
            if i > 0:
                grad = (grad @ params[2 * i].T) * masks[i - 1]
        for p, g in zip(params, grads, strict=True):
            p -= lr * g
        total_loss += float(loss)
        correct += int((h.argmax(axis=1) == targets).sum())
    return total_loss, correct, params


def torch_epoch(init: Params, X: np.ndarray, y: np.ndarray, batch_size: int, lr: float):
    layers = []
    for w, b in zip(init[::2], init[1::2], strict=True):
        linear = torch.nn.Linear(*w.shape, dtype=torch.from_numpy(w).dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w.T.copy()))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    total_loss, correct = 0.0, 0
    for idx in batches(len(X), batch_size):
        index = torch.from_numpy(idx)
        xb, targets = X_t[index], y_t[index]
        logits = model(xb)
        loss = torch.nn.functional.cross_entropy(logits, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
        correct += int((logits.argmax(dim=1) == targets).sum())
    params = []
    for layer in model[::2]:
        params += [layer.weight.detach().numpy().T, layer.bias.detach().numpy()]
    return total_loss, correct, params


# ---- running and reporting ----

Workload = tuple[Params, np.ndarray, np.ndarray, int, float]


def spiral_workload() -> Workload:
    X_train, _, y_train, _ = spiral_split()
    return initial_params([2, 16, 16, 3], np.float64), X_train, y_train, 16, 0.05


def mlp_workload() -> Workload:
    rng = np.random.default_rng(2)
    X = rng.random((10_000, 784), dtype=np.float32)
    y = rng.integers(0, 10, 10_000)
    return initial_params([784, 256, 10], np.float32), X, y, 128, 0.1


def check_same_training(workload: Workload) -> None:
    """All engines must do the same arithmetic: same loss, accuracy and final weights."""
    loss_np, correct_np, params_np = numpy_epoch(*workload)
    engines = [tensor_epoch] + ([torch_epoch] if torch is not None else [])
    rtol = 1e-4 if workload[0][0].dtype == np.float32 else 1e-9
    for epoch in engines:
        loss, correct, params = epoch(*workload)
        assert abs(loss - loss_np) <= rtol * abs(loss_np) * 10, (epoch.__name__, loss, loss_np)
        assert abs(correct - correct_np) <= 1, (epoch.__name__, correct, correct_np)
        for p, q in zip(params, params_np, strict=True):
            np.testing.assert_allclose(p, q, rtol=rtol * 10, atol=rtol)


def measure(workload: Workload, repeats: int) -> dict[str, float]:
    check_same_training(workload)
    epochs: dict[str, Callable[[], object]] = {
        "tensor": lambda: tensor_epoch(*workload),
        "numpy": lambda: numpy_epoch(*workload),
    }
    if torch is not None:
        epochs["torch"] = lambda: torch_epoch(*workload)
    for run in epochs.values():  # warm-up (imports, BLAS threads, caches)
        run()
    seconds = median_seconds(list(epochs.values()), repeats, clock=time.process_time)
    return dict(zip(epochs, seconds, strict=True))


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def rows(name: str, times: dict[str, float], target: float) -> tuple[str, list[str]]:
    ratio = times["tensor"] / times["numpy"]
    lines = [
        f"| {name} | {times['tensor'] * 1e3:.1f} | {times['numpy'] * 1e3:.1f} | "
        + (f"{times['torch'] * 1e3:.1f}" if "torch" in times else "n/a")
        + f" | **{ratio:.2f}x** | "
        + (f"{times['torch'] / times['tensor']:.2f}x" if "torch" in times else "n/a")
        + " |"
    ]
    notes = [f"{name}: Tensor/NumPy {ratio:.2f}x (target ≤ {target}x: {verdict(ratio <= target)})"]
    if "torch" in times:
        faster = times["tensor"] < times["torch"]
        notes.append(
            f"{name}: PyTorch/Tensor {times['torch'] / times['tensor']:.2f}x "
            f"(target > 1x, Tensor faster: {verdict(faster)})"
        )
    return lines[0], notes


def main() -> None:
    spiral = measure(spiral_workload(), repeats=SPIRAL_REPEATS)
    mlp = measure(mlp_workload(), repeats=MLP_REPEATS)
    spiral_row, spiral_notes = rows("project 3 (spiral, 2→16→16→3, batch 16)", spiral, 1.5)
    mlp_row, mlp_notes = rows("MLP 784→256→10, 10,000×784 float32, batch 128", mlp, 1.3)
    torch_line = (
        f"PyTorch {torch.__version__}, `torch.set_num_threads(1)`."
        if torch is not None
        else "PyTorch not installed: its column is empty."
    )
    notes = "\n".join(f"- {n}" for n in spiral_notes + mlp_notes)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    write_section(
        "tensor_engine",
        f"""## Array autograd: `Tensor` vs NumPy by hand and PyTorch (`benchmarks/tensor_engine.py`)

One epoch of mini-batch SGD, identical initial weights and batch order for every engine (the
script first checks that all three reach the same loss and weights); median CPU time of
{SPIRAL_REPEATS} (project 3) and {MLP_REPEATS} (MLP) interleaved runs. NumPy {np.__version__},
one BLAS thread; {torch_line}

| workload | Tensor (ms) | NumPy by hand (ms) | PyTorch (ms) | Tensor / NumPy | PyTorch / Tensor |
|---|---|---|---|---|---|
{spiral_row}
{mlp_row}

{notes}

Load average at the end of the run (1, 5, 15 min): {load} on {os.cpu_count()} cores; other
jobs share the machine, so expect a few percent of noise even in CPU time.
""",
    )


if __name__ == "__main__":
    main()
