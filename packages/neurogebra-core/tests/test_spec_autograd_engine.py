"""Every Value example of the API contract's autograd-engine.md, run as written.

The page's code blocks are embedded below verbatim (see spec_pages); each test runs them in
page order in one namespace, like a reader pasting them into a notebook, and checks that they
print what their comments say. The Value example of how-neurogebra-works.md is here too.
"""

from __future__ import annotations

import math

import pytest
from spec_pages import normalise, page_blocks, printed, run_block

from neurogebra.core.autograd import Value

# ---- the page's code blocks, in page order ----

CREATE = r"""
from neurogebra.core.autograd import Value

# Create values
a = Value(2.0)
b = Value(3.0)

print(a)  # Value(data=2.0, grad=0.0)
print(b)  # Value(data=3.0, grad=0.0)
"""

FORWARD = r"""
from neurogebra.core.autograd import Value

a = Value(2.0)
b = Value(3.0)

# Each operation creates a new Value and records the connection
c = a + b      # c = 5.0
d = a * b      # d = 6.0
e = c + d      # e = 11.0

print(f"a = {a.data}")  # 2.0
print(f"b = {b.data}")  # 3.0
print(f"c = a + b = {c.data}")  # 5.0
print(f"d = a * b = {d.data}")  # 6.0
print(f"e = c + d = {e.data}")  # 11.0
"""

BACKWARD = r"""
# Compute de/da and de/db
e.backward()

print(f"de/da = {a.grad}")  # 4.0  (from + path: 1, from * path: b=3 → total: 1+3=4)
print(f"de/db = {b.grad}")  # 3.0  (from + path: 1, from * path: a=2 → total: 1+2=3)
"""

OPERATIONS = r"""
from neurogebra.core.autograd import Value

x = Value(2.0)

# Basic arithmetic
y = x + 3        # Addition
y = x * 3        # Multiplication
y = x ** 2       # Power
y = x - 1        # Subtraction
y = x / 2        # Division
y = -x           # Negation

# Activation functions
y = x.relu()     # ReLU
y = x.sigmoid()  # Sigmoid
y = x.tanh()     # Tanh
y = x.exp()      # Exponential
y = x.log()      # Natural log
"""

NEURON = r"""
from neurogebra.core.autograd import Value

# Inputs
x1 = Value(2.0)
x2 = Value(3.0)

# Learnable parameters
w1 = Value(0.5)
w2 = Value(-0.3)
b = Value(0.1)

# Forward pass
z = w1 * x1 + w2 * x2 + b   # Linear: 0.5*2 + (-0.3)*3 + 0.1 = 0.2
output = z.sigmoid()          # Activation: σ(0.2) ≈ 0.5498

# Backward pass
output.backward()

print(f"Output: {output.data:.4f}")
print(f"Gradients:")
print(f"  dout/dw1 = {w1.grad:.4f}")
print(f"  dout/dw2 = {w2.grad:.4f}")
print(f"  dout/db  = {b.grad:.4f}")
"""

TRAINING_LOOP = r"""
from neurogebra.core.autograd import Value
import random

# Training data: y = 2x + 1
data = [(1, 3), (2, 5), (3, 7), (4, 9)]

# Learnable parameters
w = Value(0.0)
b = Value(0.0)
learning_rate = 0.01

for epoch in range(100):
    total_loss = Value(0.0)

    for x_val, y_val in data:
        # Forward pass
        x = Value(x_val)
        y_pred = w * x + b

        # Loss (MSE for one sample)
        loss = (y_pred - Value(y_val)) ** 2
        total_loss = total_loss + loss

    # Backward pass
    total_loss.backward()

    # Update parameters (gradient descent)
    w.data -= learning_rate * w.grad
    b.data -= learning_rate * b.grad

    # Reset gradients for next epoch
    w.grad = 0.0
    b.grad = 0.0

    if epoch % 20 == 0:
        print(f"Epoch {epoch:>3}: loss = {total_loss.data:.4f}, w = {w.data:.4f}, b = {b.data:.4f}")

print(f"\nLearned: y = {w.data:.2f}x + {b.data:.2f}")
# Expected: y ≈ 2.00x + 1.00
"""

MINI_NETWORK = r"""
from neurogebra.core.autograd import Value
import random

class Neuron:
    def __init__(self, n_inputs):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Value(0.0)

    def __call__(self, x):
        # w · x + b
        act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu()

    def parameters(self):
        return self.w + [self.b]

class MLP:
    def __init__(self, n_inputs, layer_sizes):
        sizes = [n_inputs] + layer_sizes
        self.layers = []
        for i in range(len(layer_sizes)):
            neurons = [Neuron(sizes[i]) for _ in range(sizes[i+1])]
            self.layers.append(neurons)

    def __call__(self, x):
        for layer in self.layers:
            x = [neuron(x) for neuron in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for neuron in layer for p in neuron.parameters()]

# Create a tiny network: 2 inputs → 4 hidden → 1 output
random.seed(42)
model = MLP(2, [4, 1])

print(f"Total parameters: {len(model.parameters())}")
# (2+1)*4 + (4+1)*1 = 12 + 5 = 17 parameters
"""

ZERO_GRAD = r"""
x = Value(3.0)
y = x ** 2
y.backward()
print(f"After first backward: x.grad = {x.grad}")  # 6.0

# If we compute again WITHOUT zeroing:
y = x ** 2
y.backward()
print(f"After second backward: x.grad = {x.grad}")  # 12.0 — WRONG! Accumulated!

# Always zero gradients between iterations:
x.zero_grad()
y = x ** 2
y.backward()
print(f"After zero + backward: x.grad = {x.grad}")  # 6.0 — Correct!
"""
HOW_IT_WORKS_AUTOGRAD = r"""
from neurogebra.core.autograd import Value
x = Value(2.0)
y = Value(3.0)
# Forward: compute result
z = x * y + x ** 2 # z = 2*3 + 2² = 10
# Backward: compute gradients
z.backward()
print(x.grad) # dz/dx = y + 2x = 3 + 4 = 7.0
print(y.grad) # dz/dy = x = 2.0
"""

PAGE_BLOCKS = [
    CREATE,
    FORWARD,
    BACKWARD,
    OPERATIONS,
    NEURON,
    TRAINING_LOOP,
    MINI_NETWORK,
    ZERO_GRAD,
]


def run_page_until(block: str) -> tuple[str, dict[str, object]]:
    """Run the page's blocks up to and including ``block``; return its output and namespace."""
    namespace: dict[str, object] = {}
    for code in PAGE_BLOCKS:
        output = run_block(code, namespace, "<autograd-engine.md>")
        if code is block:
            return output, namespace
    raise AssertionError("block not on the page")


def test_embedded_blocks_match_the_page() -> None:
    assert [normalise(b) for b in PAGE_BLOCKS] == page_blocks("autograd-engine.md")


def test_how_it_works_block_matches_its_page() -> None:
    assert normalise(HOW_IT_WORKS_AUTOGRAD) in page_blocks("how-neurogebra-works.md")


def test_create_values() -> None:
    output, _ = run_page_until(CREATE)
    assert output.splitlines() == ["Value(data=2.0, grad=0.0)", "Value(data=3.0, grad=0.0)"]


def test_forward_pass() -> None:
    output, ns = run_page_until(FORWARD)
    assert output.splitlines() == [
        "a = 2.0",
        "b = 3.0",
        "c = a + b = 5.0",
        "d = a * b = 6.0",
        "e = c + d = 11.0",
    ]
    assert ns["c"].op == "+" and ns["d"].op == "*" and ns["e"].op == "+"  # type: ignore[attr-defined]


def test_backward_pass() -> None:
    output, ns = run_page_until(BACKWARD)
    assert output.splitlines() == ["de/da = 4.0", "de/db = 3.0"]
    # the comments' derivation: de/da = 1 + b, de/db = 1 + a
    assert ns["a"].grad == 1 + ns["b"].data  # type: ignore[attr-defined]
    assert ns["b"].grad == 1 + ns["a"].data  # type: ignore[attr-defined]


def test_supported_operations_statement_by_statement() -> None:
    """Each line of the block builds the op its comment names, with the right value."""
    import ast

    namespace: dict[str, object] = {}
    results = []
    for statement in ast.parse(OPERATIONS).body:
        run_block(ast.unparse(statement), namespace)
        if isinstance(statement, ast.Assign) and statement.targets[0].id == "y":  # type: ignore[attr-defined]
            y = namespace["y"]
            results.append((y.op, y.data))  # type: ignore[attr-defined]
    x = 2.0
    assert results == [
        ("+", x + 3),
        ("*", x * 3),
        ("**", x**2),
        ("-", x - 1),
        ("/", x / 2),
        ("neg", -x),
        ("relu", x),
        ("sigmoid", pytest.approx(1 / (1 + math.exp(-x)), rel=1e-15)),
        ("tanh", math.tanh(x)),
        ("exp", math.exp(x)),
        ("log", math.log(x)),
    ]


def test_building_a_neuron() -> None:
    output, ns = run_page_until(NEURON)
    assert ns["z"].data == pytest.approx(0.2, abs=1e-15)  # type: ignore[attr-defined]
    assert printed(output, "Output: ") == "0.5498"  # σ(0.2) ≈ 0.5498
    s = 1 / (1 + math.exp(-0.2))
    slope = s * (1 - s)
    assert printed(output, "  dout/dw1 = ") == f"{slope * 2.0:.4f}"  # times x1
    assert printed(output, "  dout/dw2 = ") == f"{slope * 3.0:.4f}"  # times x2
    assert printed(output, "  dout/db  = ") == f"{slope:.4f}"
    assert printed(output, "  dout/db  = ") == "0.2475"


def reference_training() -> list[tuple[int, float, float, float]]:
    """The page's gradient descent on y = 2x + 1, with the derivatives worked out by hand."""
    data = [(1, 3), (2, 5), (3, 7), (4, 9)]
    w = b = 0.0
    rows = []
    for epoch in range(100):
        loss = sum((w * x + b - y) ** 2 for x, y in data)
        dw = sum(2 * (w * x + b - y) * x for x, y in data)
        db = sum(2 * (w * x + b - y) for x, y in data)
        w, b = w - 0.01 * dw, b - 0.01 * db
        if epoch % 20 == 0:
            rows.append((epoch, loss, w, b))
    return rows


def test_manual_training_loop() -> None:
    output, ns = run_page_until(TRAINING_LOOP)
    lines = output.splitlines()
    expected = [
        f"Epoch {epoch:>3}: loss = {loss:.4f}, w = {w:.4f}, b = {b:.4f}"
        for epoch, loss, w, b in reference_training()
    ]
    assert lines[:5] == expected
    assert lines[0] == "Epoch   0: loss = 164.0000, w = 1.4000, b = 0.4800"
    losses = [float(line.split("loss = ")[1].split(",")[0]) for line in lines[:5]]
    assert losses == sorted(losses, reverse=True)  # it learns
    learned = printed(output, "Learned: y = ")
    w_text, b_text = learned.split("x + ")
    # "Expected: y ≈ 2.00x + 1.00": after 100 epochs at lr 0.01 the line is close (2.03, 0.91)
    assert float(w_text) == pytest.approx(2.0, abs=0.05)
    assert float(b_text) == pytest.approx(1.0, abs=0.1)
    assert ns["w"].grad == 0.0 and ns["b"].grad == 0.0  # type: ignore[attr-defined]


def test_mini_neural_network() -> None:
    output, ns = run_page_until(MINI_NETWORK)
    assert output.splitlines() == ["Total parameters: 17"]  # (2+1)*4 + (4+1)*1
    model = ns["model"]
    out = model([Value(0.5), Value(-1.0)])  # type: ignore[operator]
    assert isinstance(out, Value)  # one output neuron: a single Value
    out.backward()


def test_zero_grad() -> None:
    output, _ = run_page_until(ZERO_GRAD)
    assert output.splitlines() == [
        "After first backward: x.grad = 6.0",
        "After second backward: x.grad = 12.0",
        "After zero + backward: x.grad = 6.0",
    ]


def test_how_neurogebra_works_autograd_example() -> None:
    namespace: dict[str, object] = {}
    output = run_block(HOW_IT_WORKS_AUTOGRAD, namespace, "<how-neurogebra-works.md>")
    assert output.splitlines() == ["7.0", "2.0"]  # dz/dx = y + 2x = 7.0, dz/dy = x = 2.0
    assert namespace["z"].data == 10.0  # type: ignore[attr-defined]
