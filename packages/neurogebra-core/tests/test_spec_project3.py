"""The Neurogebra side of the API contract's project3-spiral-network.md, run as written.

The page's Neurogebra blocks are embedded verbatim (see spec_pages) and run in page order in
one namespace: data, network, softmax demo, the 30-epoch training, test evaluation and the
parameter inspection of step 8. Its MathForge half needs the symbolic layer and runs as soon as
``neurogebra.MathForge`` exists. Plots draw off-screen (MPLBACKEND=Agg, set in conftest).
The PyTorch blocks are the page's comparison, not our API, and are not run here.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from spec_pages import normalise, page_blocks, printed, run_block

from neurogebra.examples.spiral import spiral_split

# ---- the page's Neurogebra blocks ----

# block 0 of the page
STEP1_DATA = r'''
import numpy as np
import matplotlib.pyplot as plt

def generate_spirals(n_points=100, n_classes=3, noise=0.1):
    """Generate spiral dataset — a classic non-linear classification problem."""
    X = np.zeros((n_points * n_classes, 2))
    y = np.zeros(n_points * n_classes, dtype=int)

    for class_idx in range(n_classes):
        start = n_points * class_idx
        end = n_points * (class_idx + 1)

        r = np.linspace(0.0, 1.0, n_points)
        theta = np.linspace(
            class_idx * 4, (class_idx + 1) * 4, n_points
        ) + np.random.randn(n_points) * noise

        X[start:end, 0] = r * np.sin(theta)
        X[start:end, 1] = r * np.cos(theta)
        y[start:end] = class_idx

    return X, y

# Generate data
np.random.seed(42)
X, y = generate_spirals(n_points=100, n_classes=3, noise=0.15)

# Train/test split
indices = np.random.permutation(len(X))
split = int(0.8 * len(X))
X_train, X_test = X[indices[:split]], X[indices[split:]]
y_train, y_test = y[indices[:split]], y[indices[split:]]

# Visualize
plt.figure(figsize=(8, 8))
colors = ['#FF6B6B', '#4ECDC4', '#45B7D1']
for i in range(3):
    mask = y_train == i
    plt.scatter(X_train[mask, 0], X_train[mask, 1],
               c=colors[i], label=f'Class {i}', alpha=0.7, s=30)
plt.title("Spiral Dataset — Can Your Neural Network Solve This?", fontsize=14)
plt.xlabel("x₁")
plt.ylabel("x₂")
plt.legend()
plt.grid(True, alpha=0.3)
plt.axis('equal')
plt.show()

print(f"Training: {len(X_train)} samples")
print(f"Testing:  {len(X_test)} samples")
print(f"Classes:  3 spirals")
print(f"Features: 2 (x, y coordinates)")
'''

# block 1 of the page
STEP2_NETWORK = r'''
from neurogebra.core.autograd import Value
import random

random.seed(42)

class Neuron:
    """A single neuron: computes w·x + b, then applies activation."""

    def __init__(self, n_inputs, activation='relu'):
        # Xavier initialization for better training
        limit = (6 / (n_inputs + 1)) ** 0.5
        self.w = [Value(random.uniform(-limit, limit)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.activation = activation

    def __call__(self, x):
        # Linear: w·x + b
        raw = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)

        # Activation
        if self.activation == 'relu':
            return raw.relu()
        elif self.activation == 'tanh':
            return raw.tanh()
        elif self.activation == 'linear':
            return raw
        return raw.relu()

    def parameters(self):
        return self.w + [self.b]


class Layer:
    """A layer of neurons."""

    def __init__(self, n_inputs, n_outputs, activation='relu'):
        self.neurons = [Neuron(n_inputs, activation) for _ in range(n_outputs)]

    def __call__(self, x):
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class NeuralNetwork:
    """Complete neural network with multiple layers."""

    def __init__(self, layer_sizes, activations=None):
        """
        Args:
            layer_sizes: [input_size, hidden1, hidden2, ..., output_size]
            activations: activation for each layer (default: relu, linear for last)
        """
        if activations is None:
            activations = ['relu'] * (len(layer_sizes) - 2) + ['linear']

        self.layers = []
        for i in range(len(layer_sizes) - 1):
            self.layers.append(
                Layer(layer_sizes[i], layer_sizes[i+1], activations[i])
            )

        n_params = len(self.parameters())
        print(f"Neural Network created:")
        print(f"  Architecture: {' → '.join(map(str, layer_sizes))}")
        print(f"  Activations:  {activations}")
        print(f"  Parameters:   {n_params:,}")

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


# Create neural network: 2 inputs → 16 hidden → 16 hidden → 3 outputs
nn_neuro = NeuralNetwork(
    layer_sizes=[2, 16, 16, 3],
    activations=['relu', 'relu', 'linear']
)
'''

# block 3 of the page
STEP3_SOFTMAX = r'''
def softmax_cross_entropy(scores, target):
    """
    Compute softmax probabilities and cross-entropy loss.

    This is EXACTLY what PyTorch's CrossEntropyLoss does internally,
    but here you can see every step!

    Steps:
    1. Find max score (for numerical stability)
    2. Compute exp(score - max) for each class
    3. Normalize to get probabilities (softmax)
    4. Loss = -log(probability of correct class)
    """
    # Step 1: Numerical stability — subtract max
    max_score = max(s.data for s in scores)

    # Step 2: Compute exponentials
    exp_scores = [(s - Value(max_score)).exp() for s in scores]

    # Step 3: Softmax — normalize to probabilities
    sum_exp = sum(exp_scores)
    probabilities = [e / sum_exp for e in exp_scores]

    # Step 4: Cross-entropy loss
    # -log(P(correct class))
    loss = -(probabilities[target].log())

    return loss, probabilities

# Example: verify it works
dummy_scores = [Value(2.0), Value(1.0), Value(0.1)]  # Raw scores for 3 classes
loss, probs = softmax_cross_entropy(dummy_scores, target=0)  # Target = class 0

print("=== Softmax + Cross-Entropy Demo ===")
print(f"Raw scores: [{', '.join(f'{s.data:.1f}' for s in dummy_scores)}]")
print(f"Probabilities: [{', '.join(f'{p.data:.3f}' for p in probs)}]")
print(f"Sum of probs: {sum(p.data for p in probs):.3f} (should be 1.0)")
print(f"Loss (target=class 0): {loss.data:.4f}")
print(f"(Lower loss = higher confidence in correct class)")
'''

# block 5 of the page
STEP4_TRAINING = r"""
# ═══════════════════════════════════════════════
# NEUROGEBRA TRAINING — See every gradient flow!
# ═══════════════════════════════════════════════

learning_rate = 0.05
epochs = 30
batch_size = 16
neuro_history = {"loss": [], "accuracy": []}

print("Training Neurogebra Neural Network...")
print("=" * 50)

for epoch in range(epochs):
    # Shuffle training data
    perm = np.random.permutation(len(X_train))

    epoch_loss = 0.0
    correct = 0
    total = 0

    # Mini-batch training
    for start in range(0, len(X_train), batch_size):
        batch_idx = perm[start:start + batch_size]
        batch_loss = Value(0.0)

        for idx in batch_idx:
            # Convert input to Value objects
            x_input = [Value(float(X_train[idx, 0])),
                       Value(float(X_train[idx, 1]))]
            target = int(y_train[idx])

            # Forward pass — compute scores
            scores = nn_neuro(x_input)

            # Compute loss
            loss, probs = softmax_cross_entropy(scores, target)
            batch_loss = batch_loss + loss

            # Track accuracy
            predicted = max(range(3), key=lambda i: scores[i].data)
            correct += (predicted == target)
            total += 1

        # Average batch loss
        batch_loss = batch_loss / len(batch_idx)

        # ==============================
        # BACKWARD PASS — The Magic Part
        # ==============================

        # 1. Zero all gradients
        for p in nn_neuro.parameters():
            p.grad = 0.0

        # 2. Backpropagate — compute dLoss/dParam for every parameter
        batch_loss.backward()

        # 3. Update every parameter: param = param - lr * gradient
        for p in nn_neuro.parameters():
            p.data -= learning_rate * p.grad

        epoch_loss += batch_loss.data

    accuracy = correct / total
    neuro_history["loss"].append(epoch_loss)
    neuro_history["accuracy"].append(accuracy)

    if epoch % 5 == 0 or epoch == epochs - 1:
        print(f"  Epoch {epoch:>3d}/{epochs}: Loss = {epoch_loss:.4f}, Accuracy = {accuracy:.1%}")

print(f"\nFinal Training Accuracy: {neuro_history['accuracy'][-1]:.1%}")
"""

# block 8 of the page
STEP6_EVALUATION = r"""
# Neurogebra test evaluation
neuro_correct = 0
neuro_predictions = []

for i in range(len(X_test)):
    x_input = [Value(float(X_test[i, 0])), Value(float(X_test[i, 1]))]
    scores = nn_neuro(x_input)
    predicted = max(range(3), key=lambda j: scores[j].data)
    neuro_predictions.append(predicted)
    neuro_correct += (predicted == y_test[i])

neuro_test_acc = neuro_correct / len(X_test)
print(f"Neurogebra Test Accuracy: {neuro_test_acc:.1%}")
"""

# block 11 of the page
STEP8_INSPECTION = r"""
from neurogebra import MathForge

forge = MathForge()

print("=" * 60)
print("INSPECTING WHAT THE NETWORK LEARNED")
print("=" * 60)

# 1. Layer-by-layer parameter statistics
for i, layer in enumerate(nn_neuro.layers):
    weights = [p.data for neuron in layer.neurons for p in neuron.w]
    biases = [neuron.b.data for neuron in layer.neurons]

    print(f"\nLayer {i+1}:")
    print(f"  Neurons:      {len(layer.neurons)}")
    print(f"  Weights:      mean={np.mean(weights):.4f}, std={np.std(weights):.4f}")
    print(f"  Weight range: [{min(weights):.4f}, {max(weights):.4f}]")
    print(f"  Biases:       mean={np.mean(biases):.4f}, std={np.std(biases):.4f}")

# 2. Understanding with MathForge
print("\n" + "=" * 60)
print("THE MATH BEHIND YOUR NETWORK")
print("=" * 60)

relu = forge.get("relu")
print(f"\nReLU activation:     {relu.symbolic_expr}")
print(f"ReLU gradient:       {relu.gradient('x').symbolic_expr}")
print(f"ReLU at x=2:         {relu.eval(x=2.0)}")
print(f"ReLU at x=-2:        {relu.eval(x=-2.0)}")
print(f"ReLU grad at x=2:    {relu.gradient('x').eval(x=2.0)}")
print(f"ReLU grad at x=-2:   {relu.gradient('x').eval(x=-2.0)}")

print(f"\nEach neuron computes:")
print(f"  output = ReLU(w₁·x₁ + w₂·x₂ + b)")
print(f"  = ReLU(weighted_sum + bias)")
print(f"  = max(0, weighted_sum + bias)")

print(f"\nThe final layer computes 3 scores (one per class).")
print(f"Softmax converts scores to probabilities.")
print(f"We predict the class with highest probability.")
"""

# block 12 of the page
STEP8_NEURON_PLOTS = r"""
# See what each neuron in the first layer "looks at"
fig, axes = plt.subplots(2, 4, figsize=(16, 8))

h = 0.05
x_range = np.arange(-1.5, 1.5, h)
y_range = np.arange(-1.5, 1.5, h)
xx, yy = np.meshgrid(x_range, y_range)

for idx, ax in enumerate(axes.flat[:min(8, len(nn_neuro.layers[0].neurons))]):
    neuron = nn_neuro.layers[0].neurons[idx]

    # Compute activation for each point
    Z = np.zeros_like(xx)
    for i in range(len(x_range)):
        for j in range(len(y_range)):
            x_val = Value(float(xx[j, i]))
            y_val = Value(float(yy[j, i]))
            result = neuron([x_val, y_val])
            Z[j, i] = result.data

    im = ax.contourf(xx, yy, Z, levels=20, cmap='viridis')
    ax.set_title(f"Neuron {idx+1}")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")

plt.suptitle("What Each Neuron in Layer 1 Responds To", fontsize=14, fontweight='bold')
plt.tight_layout()
plt.show()
"""

NEUROGEBRA_BLOCKS = {
    0: STEP1_DATA,
    1: STEP2_NETWORK,
    3: STEP3_SOFTMAX,
    5: STEP4_TRAINING,
    8: STEP6_EVALUATION,
    11: STEP8_INSPECTION,
    12: STEP8_NEURON_PLOTS,
}
MATHFORGE_LINES = ("from neurogebra import MathForge\n", "forge = MathForge()\n")
MATHFORGE_PART = "# 2. Understanding with MathForge"


def without_mathforge(block: str) -> str:
    """Step 8's inspection up to, not including, the MathForge part."""
    for line in MATHFORGE_LINES:
        assert line in block
        block = block.replace(line, "")
    return block.split(MATHFORGE_PART)[0]


@pytest.fixture(scope="module")
def page() -> dict[str, Any]:
    """Run steps 1-6 once (training takes most of the time); outputs keyed by step."""
    import matplotlib.pyplot as plt

    namespace: dict[str, Any] = {}
    outputs = {}
    for name, block in [
        ("data", STEP1_DATA),
        ("network", STEP2_NETWORK),
        ("softmax", STEP3_SOFTMAX),
        ("training", STEP4_TRAINING),
        ("evaluation", STEP6_EVALUATION),
    ]:
        outputs[name] = run_block(block, namespace, f"<project3: {name}>")
    plt.close("all")
    return {"ns": namespace, "out": outputs}


def test_embedded_blocks_match_the_page() -> None:
    blocks = page_blocks("project3-spiral-network.md")
    for index, block in NEUROGEBRA_BLOCKS.items():
        assert normalise(block) == blocks[index], f"block {index} differs from the page"


def test_step1_data(page: dict[str, Any]) -> None:
    assert page["out"]["data"].splitlines() == [
        "Training: 240 samples",
        "Testing:  60 samples",
        "Classes:  3 spirals",
        "Features: 2 (x, y coordinates)",
    ]
    ns = page["ns"]
    # the same split as neurogebra.examples.spiral, which the demo and benchmark use
    for ours, theirs in zip(
        spiral_split(seed=42, noise=0.15),
        (ns["X_train"], ns["X_test"], ns["y_train"], ns["y_test"]),
        strict=True,
    ):
        np.testing.assert_array_equal(ours, theirs)


def test_step2_network(page: dict[str, Any]) -> None:
    assert page["out"]["network"].splitlines() == [
        "Neural Network created:",
        "  Architecture: 2 → 16 → 16 → 3",
        "  Activations:  ['relu', 'relu', 'linear']",
        "  Parameters:   371",  # (2+1)*16 + (16+1)*16 + (16+1)*3
    ]


def test_step3_softmax_cross_entropy(page: dict[str, Any]) -> None:
    output = page["out"]["softmax"]
    scores = [2.0, 1.0, 0.1]
    exps = [math.exp(s) for s in scores]
    probs = [e / sum(exps) for e in exps]
    assert printed(output, "Raw scores: ") == "[2.0, 1.0, 0.1]"
    assert printed(output, "Probabilities: ") == f"[{', '.join(f'{p:.3f}' for p in probs)}]"
    assert printed(output, "Probabilities: ") == "[0.659, 0.242, 0.099]"
    assert printed(output, "Sum of probs: ") == "1.000 (should be 1.0)"
    assert printed(output, "Loss (target=class 0): ") == "0.4170"
    assert float(printed(output, "Loss (target=class 0): ")) == pytest.approx(
        -math.log(probs[0]), abs=5e-5
    )
    # and the loss backpropagates to softmax - one-hot, as the textbook says
    value = page["ns"]["Value"]
    fresh = [value(s) for s in scores]
    loss, _ = page["ns"]["softmax_cross_entropy"](fresh, target=0)
    loss.backward()
    for i, s in enumerate(fresh):
        assert s.grad == pytest.approx(probs[i] - (i == 0), rel=1e-12)


def test_step4_training(page: dict[str, Any]) -> None:
    output = page["out"]["training"]
    lines = output.splitlines()
    assert lines[:2] == ["Training Neurogebra Neural Network...", "=" * 50]
    epochs = re.findall(
        r"^  Epoch +(\d+)/30: Loss = (\d+\.\d{4}), Accuracy = (\d+\.\d)%$", output, re.M
    )
    assert [int(e) for e, _, _ in epochs] == [0, 5, 10, 15, 20, 25, 29]
    history = page["ns"]["neuro_history"]
    assert len(history["loss"]) == len(history["accuracy"]) == 30
    for epoch, loss, accuracy in epochs:
        assert float(loss) == pytest.approx(history["loss"][int(epoch)], abs=5e-5)
        assert float(accuracy) == pytest.approx(100 * history["accuracy"][int(epoch)], abs=0.05)
    # it learns: the loss falls steadily and the spirals get separated
    assert history["loss"][-1] < 0.6 * history["loss"][0]
    assert history["accuracy"][-1] > 0.75 > 1 / 3
    final = printed(output, "Final Training Accuracy: ")
    assert final == f"{history['accuracy'][-1]:.1%}"


def test_step6_test_evaluation(page: dict[str, Any]) -> None:
    ns = page["ns"]
    accuracy = printed(page["out"]["evaluation"], "Neurogebra Test Accuracy: ")
    assert accuracy == f"{ns['neuro_test_acc']:.1%}"
    assert len(ns["neuro_predictions"]) == 60
    assert ns["neuro_test_acc"] > 0.75  # far above chance (1/3) on held-out points


def test_step8_parameter_inspection(page: dict[str, Any]) -> None:
    ns = page["ns"]
    output = run_block(without_mathforge(STEP8_INSPECTION), ns, "<project3: inspection>")
    assert output.startswith("=" * 60 + "\nINSPECTING WHAT THE NETWORK LEARNED\n" + "=" * 60)
    assert re.findall(r"^Layer (\d):$", output, re.M) == ["1", "2", "3"]
    assert re.findall(r"^  Neurons: +(\d+)$", output, re.M) == ["16", "16", "3"]
    network = ns["nn_neuro"]
    means = re.findall(r"^  Weights: +mean=(-?\d+\.\d{4}), std=(\d+\.\d{4})$", output, re.M)
    for layer, (mean, std) in zip(network.layers, means, strict=True):
        weights = [p.data for neuron in layer.neurons for p in neuron.w]
        assert float(mean) == pytest.approx(np.mean(weights), abs=5e-5)
        assert float(std) == pytest.approx(np.std(weights), abs=5e-5)
    assert "MathForge" not in output


def test_step8_neuron_plots(page: dict[str, Any]) -> None:
    import matplotlib.pyplot as plt

    run_block(STEP8_NEURON_PLOTS, page["ns"], "<project3: neuron plots>")
    figure = plt.gcf()
    assert len(figure.axes) >= 8
    assert [ax.get_title() for ax in figure.axes[:8]] == [f"Neuron {i}" for i in range(1, 9)]
    plt.close("all")


def test_step8_mathforge_part(page: dict[str, Any]) -> None:
    """Runs the whole step-8 block as written once the symbolic layer provides MathForge."""
    try:
        from neurogebra import MathForge  # noqa: F401
    except ImportError:
        pytest.skip("neurogebra.MathForge is not available yet (symbolic layer)")
    output = run_block(STEP8_INSPECTION, page["ns"], "<project3: inspection with MathForge>")
    assert float(printed(output, "ReLU at x=2:         ")) == 2.0
    assert float(printed(output, "ReLU at x=-2:        ")) == 0.0
    assert float(printed(output, "ReLU grad at x=2:    ")) == 1.0
    assert float(printed(output, "ReLU grad at x=-2:   ")) == 0.0
    assert "x" in printed(output, "ReLU activation:     ")
