"""Fairness cases for the spiral_network assignment: ten students and their fair grades.

Points per graded cell: make-spirals 5 + 5, neuron 8 + 7, layer-mlp 8 + 7, softmax 8 + 7,
predict-accuracy 5 + 5, train-loss 10, train-accuracy 10, train-hidden 5, plot-boundary 10.
Self-consistency checks (the MLP's output from *its own* hidden layer, predict agreeing with
*its own* network, one training step from *its own* gradients) must hold for a student whose
random draws differ, so such a student loses at most the one check the text pins down.
"""

from __future__ import annotations

from student import UNTOUCHED, Case, swap

ALT_STYLE = {
    "neuron": """
class Neuron:
    def __init__(self, n_inputs, activation="relu", rng=random):
        if activation not in ["relu", "tanh", "linear"]:
            raise ValueError("activation must be relu, tanh or linear")
        limit = math.sqrt(6 / (n_inputs + 1))
        self.w = []
        for _ in range(n_inputs):
            self.w.append(Value(rng.uniform(-limit, limit)))
        self.b = Value(0.0)
        self.activation = activation

    def __call__(self, x):
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        if self.activation == "linear":
            return act
        return act.relu() if self.activation == "relu" else act.tanh()

    def parameters(self):
        return [*self.w, self.b]
""",
    "layer-mlp": """
class Layer:
    def __init__(self, n_inputs, n_outputs, activation="relu", rng=random):
        self.neurons = []
        for _ in range(n_outputs):
            self.neurons.append(Neuron(n_inputs, activation, rng=rng))

    def __call__(self, x):
        outs = []
        for n in self.neurons:
            outs.append(n(x))
        return outs

    def parameters(self):
        params = []
        for n in self.neurons:
            params.extend(n.parameters())
        return params


class MLP:
    def __init__(self, sizes, rng=random):
        self.layers = []
        for i in range(len(sizes) - 1):
            last = i == len(sizes) - 2
            self.layers.append(Layer(sizes[i], sizes[i + 1], "linear" if last else "relu", rng))

    def __call__(self, x):
        out = x
        for layer in self.layers:
            out = layer(out)
        return out

    def parameters(self):
        return sum((layer.parameters() for layer in self.layers), [])
""",
    "predict-accuracy": """
def predict(model, X):
    out = np.zeros(len(X), dtype=int)
    for i, row in enumerate(X):
        scores = model([float(v) for v in row])
        out[i] = int(np.argmax([s.data for s in scores]))
    return out


def accuracy(predictions, labels):
    right = sum(1 for p, t in zip(predictions, labels) if p == t)
    return right / len(labels)
""",
}

OTHER_DRAWS = swap(
    "neuron",
    "self.w = [Value(rng.uniform(-limit, limit)) for _ in range(n_inputs)]",
    "draws = [rng.uniform(-limit, limit) for _ in range(n_inputs)]\n"
    "        self.w = [Value(v) for v in reversed(draws)]  # same draws, other order",
)

NAIVE_SOFTMAX = """
def softmax_cross_entropy(scores, target):
    top = max(s.data for s in scores)
    shifted = [s - top for s in scores]
    exps = [z.exp() for z in shifted]
    total = exps[0]
    for e in exps[1:]:
        total = total + e
    probabilities = [e / total for e in exps]
    loss = total.log() - shifted[target]  # log-sum-exp minus the target's score
    return loss, probabilities
"""

SLOW_PREDICT = """
def predict(model, X):
    classes = []
    for row in X:
        scores = model([float(v) for v in row])
        _, probabilities = softmax_cross_entropy(scores, 0)  # a whole softmax just to compare
        best = 0
        for i in range(len(probabilities)):
            if probabilities[i].data > probabilities[best].data:
                best = i
        classes.append(best)
    return np.array(classes)


def accuracy(predictions, labels):
    return float(np.mean(np.asarray(predictions) == np.asarray(labels)))
"""

ARRAY_ACCURACY = swap(
    "predict-accuracy",
    "return float(np.mean(np.asarray(predictions) == np.asarray(labels)))",
    "return float((predictions == labels).mean())  # predict returns an array",
)

TRAIN_TESTS = ("test-train-loss", "test-train-accuracy", "test-train-hidden")

CASES = [
    Case(
        "sp-styles",
        "valid alternatives: explicit loops, math.sqrt, np.argmax over the scores' data",
        ALT_STYLE,
    ),
    Case(
        "sp-other-draws",
        "the neuron's weights are the same draws in reverse order: the text's draw order is "
        "missed (one hidden check may go), every later task is right for this network",
        {"neuron": OTHER_DRAWS},
        points={"test-neuron-hidden": (0, 7)},
    ),
    Case(
        "sp-no-reset",
        "train never resets the gradients before backward()",
        {
            "train": swap(
                "train", "            for p in params:\n                p.grad = 0.0\n", ""
            )
        },
        points={"test-train-loss": (0, 10), "test-train-accuracy": (0, 10), "test-train-hidden": 0},
        messages={"test-train-hidden": ("zero|reset",)},
    ),
    Case(
        "sp-sign",
        "train climbs the loss: p.data += learning_rate * p.grad",
        {"train": swap("train", "p.data -= learning_rate", "p.data += learning_rate")},
        points={grade_id: 0 for grade_id in TRAIN_TESTS},
        messages={"test-train-loss": ("train|history", "sign|overflow|diverge")},
    ),
    Case(
        "sp-radius-off-by-one",
        "make_spirals starts each arm one step out (linspace(0, 1, n + 1)[1:]): Task 1 is "
        "wrong, the network still learns these spirals",
        {
            "make-spirals": swap(
                "make-spirals",
                "r = np.linspace(0.0, 1.0, n_points)",
                "r = np.linspace(0.0, 1.0, n_points + 1)[1:]",
            )
        },
        points={"test-make-spirals": 0, "test-make-spirals-hidden": 0},
        messages={"test-make-spirals": ("radii",)},
    ),
    Case(
        "sp-batch-off-by-one",
        "train's batches stop one batch early (range(0, len(X) - batch_size, batch_size))",
        {
            "train": swap(
                "train",
                "for start in range(0, len(X), batch_size):",
                "for start in range(0, len(X) - batch_size, batch_size):",
            )
        },
        points={"test-train-hidden": 0},
    ),
    Case(
        "sp-no-shift",
        "softmax without subtracting the largest score: overflows on large scores",
        {
            "softmax": swap(
                "softmax",
                "exps = [(s - top).exp() for s in scores]",
                "exps = [s.exp() for s in scores]",
            )
        },
        points={"test-softmax-hidden": 0},
        messages={"test-softmax-hidden": ("overflow|largest|subtract",)},
    ),
    Case(
        "sp-half-done",
        "Tasks 1-4 done; predictions, training and the plot left as released",
        {"predict-accuracy": UNTOUCHED, "train": UNTOUCHED, "plot-boundary": UNTOUCHED},
        points={
            grade_id: 0
            for grade_id in (
                "test-predict-accuracy",
                "test-predict-accuracy-hidden",
                *TRAIN_TESTS,
                "test-plot-boundary",
            )
        },
        messages={"test-predict-accuracy": ("NotImplementedError|unanswered|predict",)},
    ),
    Case(
        "sp-naive",
        "numerically careful in another way: the loss as log-sum-exp minus the target score",
        {"softmax": NAIVE_SOFTMAX},
    ),
    Case(
        "sp-array-accuracy",
        "accuracy takes NumPy arrays only; the task text (as merged for issue 13) says it must "
        "accept plain lists too, so the hidden list check fails: that test, and only it, goes",
        {"predict-accuracy": ARRAY_ACCURACY},
        points={"test-predict-accuracy-hidden": 0},
        messages={"test-predict-accuracy-hidden": ("accuracy", "plain lists")},
    ),
    Case(
        "sp-slow",
        "slow but correct: predict builds a softmax graph per point to compare scores",
        {"predict-accuracy": SLOW_PREDICT},
    ),
]
