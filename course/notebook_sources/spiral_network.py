"""Assignment 3, "spiral_network": course project 3 as an assignment. A network of Value
neurons learns to tell three interleaved spirals apart."""

from __future__ import annotations

from notebook_sources.cells import (
    given,
    md,
    notebook,
    replace_once,
    solution,
    solved,
    tests,
    with_time_limits,
)

NAME = "spiral_network"

THRESHOLD = 0.80  # the test accuracy the trained network must reach

INTRO = with_time_limits(
    md(
        "intro",
        f"""
    # Assignment 3: A neural network from scratch

    Three spirals wind around each other. No straight line can separate them, so linear
    models fail here; a small neural network, built from nothing but scalar `Value`s, can. You
    will write every piece of it: the data, a neuron, a layer, the network, the loss, the
    training loop, and the picture of what it learned.

    **By the end of this assignment you will be able to:**

    1. generate a classic non-linear data set from polar coordinates;
    2. build a neuron, a layer and a multi-layer perceptron (MLP) from `Value`s and explain
       how many parameters each has;
    3. turn raw scores into probabilities with a numerically stable softmax, and measure
       them with cross-entropy;
    4. write mini-batch gradient descent: forward, zero the gradients, backward, update;
    5. reach a test accuracy of at least **{THRESHOLD:.0%}** and draw the decision regions
       your network learned.

    Fill in each `# YOUR CODE HERE`, then run the test cell below it. Hidden tests run when the
    notebook is graded. The whole notebook runs in well under a minute.

    | task | points |
    |---|---|
    | 1. The spiral data | 10 |
    | 2. A neuron | 15 |
    | 3. A layer and a network | 15 |
    | 4. Softmax and cross-entropy | 15 |
    | 5. Predictions and accuracy | 10 |
    | 6. Training | 25 |
    | 7. The decision boundary | 10 |
    | **total** | **100** |

    **What you may use.** Python, `math`, `random`, NumPy, matplotlib, and the scalar `Value`
    that the setup cell imports from `neurogebra` (your own engine from Assignment 1 would do
    the same job). The network, its loss and its training loop are yours to build:
    `neurogebra`'s `Tensor`, `ModelBuilder` and `NeuroCraft`, or another library's networks,
    are not allowed in their place.
    """,
    )
)

SETUP = given(
    "setup",
    """
    import math
    import random

    import matplotlib.pyplot as plt
    import numpy as np

    from neurogebra.core.autograd import Value
    from neurogebra_grader import (
        check_accuracy,
        check_axes,
        check_close,
        check_decreasing,
        check_equal,
        check_type,
    )

    random.seed(42)
    np.random.seed(42)
    """,
)

TASK1 = md(
    "task1",
    r"""
    ## Task 1: The spiral data (10 points)

    Each class is one arm of a spiral. Walk outwards from the centre: the radius $r$ grows
    evenly from 0 to 1 while the angle $\theta$ turns through 4 radians, and class $k$ starts
    its turn where class $k - 1$ stopped. A little noise on the angle makes it realistic.
    For class $k$ (with $n$ points):

    * `r = np.linspace(0.0, 1.0, n)`
    * `theta = np.linspace(4.0 * k, 4.0 * (k + 1), n) + noise * rng.standard_normal(n)`
    * the points are $(r \sin\theta,\; r\cos\theta)$, all labelled $k$.

    Write `make_spirals(n_points, n_classes, noise, rng)` returning `X` (shape
    `(n_points * n_classes, 2)`) and integer labels `y`, class 0's points first, then class 1's,
    and so on. Draw the noise for the classes in that order too (one `rng.standard_normal(n)`
    call per class), so the same `rng` always gives the same spirals.
    """,
)

MAKE_SPIRALS = solution(
    "make-spirals",
    '''
    def make_spirals(n_points, n_classes, noise, rng):
        """n_points points on each of n_classes spiral arms: (X, y)."""
        ### BEGIN SOLUTION
        X = np.zeros((n_points * n_classes, 2))
        y = np.zeros(n_points * n_classes, dtype=int)
        for k in range(n_classes):
            rows = slice(k * n_points, (k + 1) * n_points)
            r = np.linspace(0.0, 1.0, n_points)
            theta = np.linspace(4.0 * k, 4.0 * (k + 1), n_points)
            theta = theta + noise * rng.standard_normal(n_points)
            X[rows, 0] = r * np.sin(theta)
            X[rows, 1] = r * np.cos(theta)
            y[rows] = k
        return X, y
        ### END SOLUTION
    ''',
)

TEST_MAKE_SPIRALS = tests(
    "test-make-spirals",
    5,
    """
    X_demo, y_demo = make_spirals(5, 3, 0.0, np.random.default_rng(0))
    check_equal(X_demo.shape, (15, 2), what="make_spirals(5, 3, ...)[0].shape")
    check_equal(y_demo.tolist(), [0] * 5 + [1] * 5 + [2] * 5, what="the labels y")
    check_close(np.hypot(X_demo[:5, 0], X_demo[:5, 1]), np.linspace(0, 1, 5), what="the radii of class 0")
    check_close(X_demo[9], [np.sin(8.0), np.cos(8.0)], what="the last point of class 1 (noise=0)")
    print("Task 1: visible tests passed")
    """,
)

TEST_MAKE_SPIRALS_HIDDEN = tests(
    "test-make-spirals-hidden",
    5,
    """
    # Hidden tests for Task 1 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    X_h, y_h = make_spirals(7, 4, 0.3, np.random.default_rng(5))
    noise_rng = np.random.default_rng(5)
    expected = np.zeros((28, 2))
    for k in range(4):
        r = np.linspace(0.0, 1.0, 7)
        theta = np.linspace(4.0 * k, 4.0 * (k + 1), 7) + 0.3 * noise_rng.standard_normal(7)
        expected[7 * k : 7 * (k + 1)] = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    check_close(X_h, expected, what="make_spirals with other numbers of points, classes and noise, from a fresh generator", hint="draw the noise from the rng you are given, class by class, as the task describes")
    check_equal(np.bincount(y_h).tolist(), [7, 7, 7, 7], what="the number of points in each class")
    ### END HIDDEN TESTS
    """,
)

SPLIT_TEXT = md(
    "split-text",
    """
    ### Training and test sets

    We make 100 points per spiral, shuffle them, and keep 20% aside. The network never trains
    on those 60 test points, so they tell us honestly how well it *generalises*.
    """,
)

SPLIT = given(
    "split",
    """
    data_rng = np.random.default_rng(42)
    X, y = make_spirals(100, 3, 0.15, data_rng)
    order = data_rng.permutation(len(X))
    X_train, y_train = X[order[:240]], y[order[:240]]
    X_test, y_test = X[order[240:]], y[order[240:]]

    plt.figure(figsize=(5, 5))
    plt.scatter(X_train[:, 0], X_train[:, 1], c=y_train, cmap="viridis", s=15)
    plt.title("Three spirals: 240 training points")
    plt.xlabel("x₁")
    plt.ylabel("x₂")
    plt.axis("equal")
    plt.show()
    """,
)

TASK2 = md(
    "task2",
    r"""
    ## Task 2: A neuron (15 points)

    A neuron takes inputs $x_1, \dots, x_n$, weighs each, adds a bias and applies an
    *activation*: $\text{out} = f(w_1 x_1 + \dots + w_n x_n + b)$. Its parameters are
    `Value`s, so the chain rule can reach them.

    * `__init__`: draw each weight uniformly from $[-\ell, \ell]$ with
      $\ell = \sqrt{6 / (n + 1)}$ (this keeps signals from growing or fading layer after
      layer), using `rng.uniform(-limit, limit)` once per weight in order; the bias starts at
      `Value(0.0)`.
    * `__call__(x)`: `x` is a list of numbers (or Values); return one Value. Activations:
      `"relu"`, `"tanh"` and `"linear"` (no activation); anything else is a `ValueError`.
      Tip: `sum(..., start)` adds a sequence onto `start`, here the bias.
    * `parameters()`: the weights, then the bias, as one list.
    * Keep them in attributes with these names: `self.w` (the list of weight `Value`s, one
      per input), `self.b` (the bias `Value`) and `self.activation` (the activation's name).
      The tests read them and change them between calls (`neuron.w[0].data = 0.5`,
      `neuron.activation = "relu"`), so `__call__` reads them each time it runs: a change
      takes effect at the next call.
    """,
)

NEURON = solution(
    "neuron",
    '''
    class Neuron:
        """activation(w · x + b) for one list of inputs x."""

        def __init__(self, n_inputs, activation="relu", rng=random):
            ### BEGIN SOLUTION
            if activation not in ("relu", "tanh", "linear"):
                raise ValueError(f"unknown activation {activation!r}: use relu, tanh or linear")
            limit = (6 / (n_inputs + 1)) ** 0.5
            self.w = [Value(rng.uniform(-limit, limit)) for _ in range(n_inputs)]
            self.b = Value(0.0)
            self.activation = activation
            ### END SOLUTION

        def __call__(self, x):
            ### BEGIN SOLUTION
            raw = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
            if self.activation == "relu":
                return raw.relu()
            if self.activation == "tanh":
                return raw.tanh()
            return raw
            ### END SOLUTION

        def parameters(self):
            ### BEGIN SOLUTION
            return self.w + [self.b]
            ### END SOLUTION
    ''',
)

TEST_NEURON = tests(
    "test-neuron",
    8,
    """
    neuron = Neuron(2, "linear", rng=random.Random(0))
    check_equal(len(neuron.parameters()), 3, what="len(Neuron(2).parameters())")
    for p in neuron.parameters():
        check_type(p, Value, what="each parameter of a Neuron")
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.5, -1.0, 0.25
    out = neuron([2.0, 3.0])
    check_type(out, Value, what="Neuron(...)([2.0, 3.0])")
    check_close(out.data, -1.75, what="a linear neuron with w=[0.5, -1], b=0.25 at x=[2, 3]")
    neuron.activation = "relu"
    check_close(neuron([2.0, 3.0]).data, 0.0, what="the same neuron with relu")
    print("Task 2: visible tests passed")
    """,
)

TEST_NEURON_HIDDEN = tests(
    "test-neuron-hidden",
    7,
    """
    # Hidden tests for Task 2 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    big = Neuron(50, "relu", rng=random.Random(1))
    limit = (6 / 51) ** 0.5
    weights = [w.data for w in big.w]
    check_equal(max(abs(v) for v in weights) <= limit, True, what="every initial weight of a many-input neuron lies within the task's ± limit")
    check_equal(max(abs(v) for v in weights) > limit / 2, True, what="the initial weights of a many-input neuron spread over the whole allowed range", hint="draw each weight with rng.uniform over the full range the task gives")
    check_close(big.b.data, 0.0, what="the initial bias of a new neuron")
    t = Neuron(3, "tanh", rng=random.Random(2))
    x = [0.1, -0.4, 0.7]
    t_w, t_b = [w.data for w in t.w], t.b.data  # its own weights: whatever your rng drew
    out = t(x)
    check_close(out.data, math.tanh(sum(w * v for w, v in zip(t_w, x)) + t_b), what="a tanh neuron's output, from its own weights and bias")
    out.backward()
    check_close([w.grad for w in t.w], [(1 - math.tanh(sum(w * v for w, v in zip(t_w, x)) + t_b) ** 2) * v for v in x], what="the weight gradients of a tanh neuron after backward(), from its own weights and bias")
    first = Neuron(2, "linear", rng=random.Random(7)).w[0].data
    check_close(first, random.Random(7).uniform(-(2**0.5), 2**0.5), what="the first weight a new neuron draws with rng.uniform")
    ### END HIDDEN TESTS
    """,
)

TASK3 = md(
    "task3",
    r"""
    ## Task 3: A layer and a network (15 points)

    A **layer** is a list of neurons that all read the same inputs; its output is the list of
    their outputs. A **multi-layer perceptron** chains layers: the outputs of one are the
    inputs of the next. `MLP([2, 16, 16, 3])` has a layer of 16 neurons reading 2 inputs,
    another of 16 reading those 16, and 3 output neurons, one score per class.

    Hidden layers use `"relu"`. The last layer is `"linear"`: its outputs are raw scores,
    which the softmax in Task 4 turns into probabilities. Pass `rng` on to every neuron, and
    create the layers (and the neurons in each) in order.

    Keep a layer's neurons in a list `self.neurons` and the network's layers in a list
    `self.layers`, first to last. The tests read them and change weights through them
    (`net.layers[1].neurons[0].b.data = -2.0`), so `__call__` goes through these lists each
    time it runs: a change takes effect at the next call.

    How many parameters does `MLP([2, 16, 16, 3])` have? Each neuron has one weight per input
    plus a bias: $16 \cdot 3 + 16 \cdot 17 + 3 \cdot 17 = 371$.
    """,
)

LAYER_MLP = solution(
    "layer-mlp",
    '''
    class Layer:
        """n_outputs neurons that read the same n_inputs inputs."""

        def __init__(self, n_inputs, n_outputs, activation="relu", rng=random):
            ### BEGIN SOLUTION
            self.neurons = [Neuron(n_inputs, activation, rng) for _ in range(n_outputs)]
            ### END SOLUTION

        def __call__(self, x):
            ### BEGIN SOLUTION
            return [neuron(x) for neuron in self.neurons]
            ### END SOLUTION

        def parameters(self):
            ### BEGIN SOLUTION
            return [p for neuron in self.neurons for p in neuron.parameters()]
            ### END SOLUTION


    class MLP:
        """Layers of the given sizes: relu in the hidden layers, linear scores at the end."""

        def __init__(self, sizes, rng=random):
            ### BEGIN SOLUTION
            last = len(sizes) - 2
            self.layers = [
                Layer(n_in, n_out, "linear" if i == last else "relu", rng)
                for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))
            ]
            ### END SOLUTION

        def __call__(self, x):
            ### BEGIN SOLUTION
            for layer in self.layers:
                x = layer(x)
            return x
            ### END SOLUTION

        def parameters(self):
            ### BEGIN SOLUTION
            return [p for layer in self.layers for p in layer.parameters()]
            ### END SOLUTION
    ''',
)

TEST_LAYER_MLP = tests(
    "test-layer-mlp",
    8,
    """
    layer = Layer(2, 4, rng=random.Random(0))
    check_equal(len(layer([1.0, -1.0])), 4, what="len(Layer(2, 4)([1, -1]))")
    check_equal(len(layer.parameters()), 12, what="len(Layer(2, 4).parameters())")
    net = MLP([2, 16, 16, 3], rng=random.Random(0))
    check_equal(len(net.parameters()), 371, what="len(MLP([2, 16, 16, 3]).parameters())")
    scores = net([0.5, -0.2])
    check_equal(len(scores), 3, what="len(MLP([2, 16, 16, 3])([0.5, -0.2]))")
    for score in scores:
        check_type(score, Value, what="each score of the network")
    print("Task 3: visible tests passed")
    """,
)

TEST_LAYER_MLP_HIDDEN = tests(
    "test-layer-mlp-hidden",
    7,
    """
    # Hidden tests for Task 3 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    net = MLP([3, 5, 2], rng=random.Random(4))
    check_equal(len(net.parameters()), 5 * 4 + 2 * 6, what="the number of parameters of a small MLP with one hidden layer")
    check_equal([len(layer.neurons) for layer in net.layers], [5, 2], what="the number of neurons in each layer of that MLP")
    for neuron in net.layers[1].neurons:
        for w in neuron.w:
            w.data = -1.0
        neuron.b.data = -2.0
    scores = net([0.3, 0.1, -0.2])
    check_equal(scores[0].data <= -2.0, True, what="the last layer is linear: a score can be negative")
    hidden = [n([0.3, 0.1, -0.2]).data for n in net.layers[0].neurons]
    check_close(scores[1].data, -sum(hidden) - 2.0, what="the MLP's output vs your first layer's outputs through the last layer's weights and bias")
    sum(scores).backward()
    grads = [p.grad for p in net.parameters()]
    check_equal(any(g != 0.0 for g in grads[:20]), True, what="after backward(), gradients reach the first layer's parameters")
    ### END HIDDEN TESTS
    """,
)

TASK4 = md(
    "task4",
    r"""
    ## Task 4: Softmax and cross-entropy (15 points)

    The network outputs three raw scores. **Softmax** turns them into probabilities:
    $p_i = e^{s_i} / \sum_j e^{s_j}$. **Cross-entropy** is the loss $-\log p_t$ for the
    correct class $t$: zero when the network is certain and right, large when it is confident
    and wrong.

    One trap: $e^{1000}$ overflows. Softmax doesn't change if every score is shifted by the
    same amount, so subtract the largest score first (as a plain number:
    `max(s.data for s in scores)`); then the biggest exponent is $e^0 = 1$.

    Write `softmax_cross_entropy(scores, target)` returning `(loss, probabilities)`: the loss
    a Value, the probabilities a list of Values. With `Value` this takes only `-`, `exp`, `/`
    and `log`, and `backward()` gives the famously simple gradient
    $\partial\,\text{loss}/\partial s_i = p_i - [i = t]$.
    """,
)

SOFTMAX = solution(
    "softmax",
    '''
    def softmax_cross_entropy(scores, target):
        """(-log softmax(scores)[target], the softmax probabilities)."""
        ### BEGIN SOLUTION
        top = max(s.data for s in scores)
        exps = [(s - top).exp() for s in scores]
        total = sum(exps)
        probabilities = [e / total for e in exps]
        return -probabilities[target].log(), probabilities
        ### END SOLUTION


    demo_loss, demo_probs = softmax_cross_entropy([Value(2.0), Value(1.0), Value(0.1)], 0)
    print("probabilities:", [round(p.data, 3) for p in demo_probs], " loss:", round(demo_loss.data, 4))
    ''',
)

TEST_SOFTMAX = tests(
    "test-softmax",
    8,
    """
    scores = [Value(2.0), Value(1.0), Value(0.1)]
    loss, probs = softmax_cross_entropy(scores, 0)
    check_close([p.data for p in probs], [0.659, 0.2424, 0.0986], rtol=1e-3, what="softmax([2, 1, 0.1])")
    check_close(loss.data, 0.4170, rtol=1e-3, what="the loss for target 0", hint="-log(p[target])")
    loss.backward()
    check_close([s.grad for s in scores], [0.659 - 1, 0.2424, 0.0986], rtol=1e-3, what="d loss / d scores")
    print("Task 4: visible tests passed")
    """,
)

TEST_SOFTMAX_HIDDEN = tests(
    "test-softmax-hidden",
    7,
    """
    # Hidden tests for Task 4 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    big = [Value(1000.0), Value(0.0), Value(-1000.0)]
    loss, probs = softmax_cross_entropy(big, 0)
    check_close(loss.data, 0.0, atol=1e-9, what="the loss for huge scores far apart (they must not overflow)", hint="subtract the largest score before exp")
    rng = np.random.default_rng(9)
    for _ in range(5):
        raw = rng.normal(0, 3, size=4)
        target = int(rng.integers(4))
        scores = [Value(float(s)) for s in raw]
        loss, probs = softmax_cross_entropy(scores, target)
        expected = np.exp(raw - raw.max()) / np.exp(raw - raw.max()).sum()
        check_close([p.data for p in probs], expected, what="the probabilities for a few random scores")
        loss.backward()
        check_close([s.grad for s in scores], expected - np.eye(4)[target], what="the gradient of the loss with respect to each random score")
    ### END HIDDEN TESTS
    """,
)

TASK5 = md(
    "task5",
    """
    ## Task 5: Predictions and accuracy (10 points)

    The predicted class of a point is the index of its largest score. Write
    `predict(model, X)`, returning a NumPy array with one integer class per row of `X` (pass
    each row to the model as a list of floats: `[float(v) for v in row]`), and
    `accuracy(predictions, labels)`, the fraction that match, as a float. Both arguments of
    `accuracy` hold one integer class per point, as a NumPy array (what `predict` returns,
    or `y`) or as a plain list: accept either.
    """,
)

PREDICT = solution(
    "predict-accuracy",
    '''
    def predict(model, X):
        """The class with the highest score, for every row of X."""
        ### BEGIN SOLUTION
        classes = []
        for row in X:
            scores = model([float(v) for v in row])
            classes.append(max(range(len(scores)), key=lambda i: scores[i].data))
        return np.array(classes, dtype=int)
        ### END SOLUTION


    def accuracy(predictions, labels):
        """The fraction of predictions equal to the labels."""
        ### BEGIN SOLUTION
        return float(np.mean(np.asarray(predictions) == np.asarray(labels)))
        ### END SOLUTION
    ''',
)

TEST_PREDICT = tests(
    "test-predict-accuracy",
    5,
    """
    check_close(accuracy(np.array([0, 1, 2, 2]), np.array([0, 1, 1, 2])), 0.75, what="accuracy([0,1,2,2], [0,1,1,2])")
    net = MLP([2, 4, 3], rng=random.Random(3))
    for neuron in net.layers[-1].neurons:
        neuron.b.data = 0.0
    net.layers[-1].neurons[2].b.data = 100.0  # class 2 always wins
    check_equal(predict(net, X_test[:5]).tolist(), [2] * 5, what="predict() when class 2 has the top score")
    print("Task 5: visible tests passed")
    """,
)

TEST_PREDICT_HIDDEN = tests(
    "test-predict-accuracy-hidden",
    5,
    """
    # Hidden tests for Task 5 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    net = MLP([2, 6, 3], rng=random.Random(8))
    scores = [[s.data for s in net([float(v) for v in row])] for row in X_test[:20]]
    check_equal(predict(net, X_test[:20]).tolist(), np.argmax(scores, axis=1).tolist(), what="predict on some test points vs the top score of your own network on each point")
    try:  # the text promises plain lists too; an error here should name that, not just its type
        accuracy_of_lists = accuracy([1, 1, 1], [0, 0, 0])
    except Exception as error:
        accuracy_of_lists = f"{type(error).__name__} raised"
    check_equal(accuracy_of_lists, 0.0, what="accuracy of plain lists when nothing matches", hint="accuracy must accept plain lists as well as NumPy arrays")
    ### END HIDDEN TESTS
    """,
)

TASK6 = md(
    "task6",
    f"""
    ## Task 6: Training (25 points)

    Gradient descent on mini-batches: rather than the whole training set, each step looks at a
    small batch of points, which gives many more (noisier, but cheaper) steps per pass. Write
    `train(model, X, y, epochs, learning_rate, batch_size, rng)`. In each epoch:

    1. shuffle: `order = rng.permutation(len(X))`, and cut `order` into consecutive batches of
       `batch_size` indices (the last batch may be smaller);
    2. for each batch: the batch loss is the **mean** of `softmax_cross_entropy` over its
       points; set every parameter's `.grad` to `0.0`; call `backward()`; then update every
       parameter: `p.data -= learning_rate * p.grad`;
    3. record the epoch's mean batch loss in `history["loss"]`, and the fraction of training
       points classified correctly *during* the epoch (from the scores you computed anyway)
       in `history["accuracy"]`.

    Return `history`, a dict with those two lists. Printing a line per epoch is a nice touch.
    `train` builds on your `MLP` (Task 3) and `softmax_cross_entropy` (Task 4). Its hidden
    test compares one step with *your* network's own loss and gradients, so a slip in an
    earlier task is not charged again here; the test-accuracy goal needs them all right.
    The cell after yours trains a `2 → 16 → 16 → 3` network for 15 epochs (about fifteen
    seconds). A correct implementation reaches a test accuracy of about 90% here; the goal is
    {THRESHOLD:.0%}.
    """,
)

TRAIN = solution(
    "train",
    '''
    def train(model, X, y, epochs=15, learning_rate=0.2, batch_size=16, rng=None):
        """Mini-batch gradient descent on softmax cross-entropy; returns the history."""
        rng = rng if rng is not None else np.random.default_rng(0)
        history = {"loss": [], "accuracy": []}
        ### BEGIN SOLUTION
        params = model.parameters()
        for epoch in range(epochs):
            order = rng.permutation(len(X))
            batch_losses, correct = [], 0
            for start in range(0, len(X), batch_size):
                batch = order[start : start + batch_size]
                losses = []
                for i in batch:
                    scores = model([float(v) for v in X[i]])
                    loss, _ = softmax_cross_entropy(scores, int(y[i]))
                    losses.append(loss)
                    correct += max(range(len(scores)), key=lambda c: scores[c].data) == y[i]
                batch_loss = sum(losses) / len(losses)
                for p in params:
                    p.grad = 0.0
                batch_loss.backward()
                for p in params:
                    p.data -= learning_rate * p.grad
                batch_losses.append(batch_loss.data)
            history["loss"].append(float(np.mean(batch_losses)))
            history["accuracy"].append(correct / len(X))
            loss_now, accuracy_now = history["loss"][-1], history["accuracy"][-1]
            print(f"epoch {epoch + 1:2d}/{epochs}: loss {loss_now:.4f}, accuracy {accuracy_now:.1%}")
        ### END SOLUTION
        return history
    ''',
)

RUN_TRAINING = given(
    "run-training",
    f"""
    THRESHOLD = {THRESHOLD}  # the test accuracy to reach

    model = MLP([2, 16, 16, 3], rng=random.Random(42))
    history = train(
        model, X_train, y_train, epochs=15, learning_rate=0.2, batch_size=16, rng=np.random.default_rng(0)
    )
    test_predictions = predict(model, X_test)
    print(f"test accuracy: {{accuracy(test_predictions, y_test):.1%}} (goal: at least {{THRESHOLD:.0%}})")
    """,
)

TEST_TRAIN_LOSS = tests(
    "test-train-loss",
    10,
    """
    check_equal(len(history["loss"]), 15, what='len(history["loss"]) after 15 epochs')
    check_decreasing(history["loss"], factor=0.7, what="the training loss per epoch")
    check_equal(history["accuracy"][-1] > history["accuracy"][0], True, what="training accuracy went up")
    print("Task 6, the loss: visible tests passed")
    """,
)

TEST_TRAIN_ACCURACY = tests(
    "test-train-accuracy",
    10,
    """
    check_accuracy(
        test_predictions,
        y_test,
        at_least=THRESHOLD,
        what="test accuracy",
        hint="follow Task 6 step by step: mean batch loss, zeroed grads, p.data -= lr * p.grad",
    )
    print("Task 6, test accuracy: visible test passed")
    """,
)

TEST_TRAIN_HIDDEN = tests(
    "test-train-hidden",
    5,
    """
    # Hidden tests for Task 6 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    tiny = MLP([2, 4, 3], rng=random.Random(3))
    X_tiny, y_tiny = X_train[:8], y_train[:8]
    full_loss = sum(softmax_cross_entropy(tiny([float(v) for v in x]), int(t))[0] for x, t in zip(X_tiny, y_tiny)) / 8
    full_loss.backward()
    before = [p.data for p in tiny.parameters()]
    grads = [p.grad for p in tiny.parameters()]
    loss_before = full_loss.data
    # the grads are left non-zero on purpose: train() must reset them before its backward()
    tiny_history = train(tiny, X_tiny, y_tiny, epochs=1, learning_rate=0.1, batch_size=8, rng=np.random.default_rng(1))
    step = [p.data - w for p, w in zip(tiny.parameters(), before)]
    check_close(step, [-0.1 * g for g in grads], what="a parameter's change in one full-batch step vs minus learning rate times your gradient")
    check_close(tiny_history["loss"], [loss_before], what="history['loss'] of that epoch vs the mean of your softmax_cross_entropy over the batch")
    ### END HIDDEN TESTS
    """,
)

TASK7 = md(
    "task7",
    """
    ## Task 7: The decision boundary (10 points)

    What did the network learn? Colour every point of the plane by the class the network
    predicts there. Write `plot_decision_boundary(model, X, y, ax, step=0.05)`:

    1. make a grid covering the data with a margin of 0.3:
       `xx, yy = np.meshgrid(np.arange(x_min, x_max, step), np.arange(y_min, y_max, step))`;
    2. predict the class of every grid point (`predict` on
       `np.column_stack([xx.ravel(), yy.ravel()])`), and reshape to `xx.shape`;
    3. fill the regions: `ax.contourf(xx, yy, Z, levels=[-0.5, 0.5, 1.5, 2.5], alpha=0.3)`;
    4. draw the points on top with **one** `ax.scatter(X[:, 0], X[:, 1], c=y, ...)` call;
    5. label both axes.
    """,
)

PLOT = solution(
    "plot-boundary",
    '''
    def plot_decision_boundary(model, X, y, ax, step=0.05):
        """Colour the plane by predicted class and draw the points (X, y) on top."""
        ### BEGIN SOLUTION
        x_min, x_max = X[:, 0].min() - 0.3, X[:, 0].max() + 0.3
        y_min, y_max = X[:, 1].min() - 0.3, X[:, 1].max() + 0.3
        xx, yy = np.meshgrid(np.arange(x_min, x_max, step), np.arange(y_min, y_max, step))
        Z = predict(model, np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
        ax.contourf(xx, yy, Z, levels=[-0.5, 0.5, 1.5, 2.5], alpha=0.3, cmap="viridis")
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="viridis", edgecolors="k", linewidths=0.5, s=25)
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ### END SOLUTION


    fig, ax = plt.subplots(figsize=(6, 6))
    plot_decision_boundary(model, X_test, y_test, ax)
    ax.set_title(f"Decision regions, test accuracy {accuracy(test_predictions, y_test):.0%}")
    plt.show()
    ''',
)

TEST_PLOT = tests(
    "test-plot-boundary",
    10,
    """
    check_axes(ax, filled=True, scatter_points=len(X_test), what="the decision-boundary plot")
    print("Task 7: visible tests passed")
    """,
)

WRAP_UP = md(
    "wrap-up",
    """
    ## What you built

    Every part of a neural network, written by you: neurons, layers, a stable softmax with
    cross-entropy, and mini-batch gradient descent, trained until it bends its decision
    regions around three spirals. Libraries such as PyTorch do the same on whole arrays at
    once, thousands of times faster; now you know what they are doing underneath.

    Things to try (not graded): a `tanh` network instead of `relu`, wider or narrower hidden
    layers, a larger or smaller learning rate. How do the loss curve and the regions change?
    """,
)


# What students must build themselves (see neurogebra_grader.pipeline.own_work): a notebook
# whose cells use the library's networks is flagged and earns nothing for the tests of the
# neuron, the layers and the training loop.
OWN_WORK = {
    "what": "your own neuron, layers and training loop (Tasks 2, 3 and 6)",
    "forbidden": ["neurogebra_models"],
    "names": ["Tensor", "ModelBuilder", "NeuroCraft"],
    "tests": [
        "test-neuron",
        "test-neuron-hidden",
        "test-layer-mlp",
        "test-layer-mlp-hidden",
        "test-train-loss",
        "test-train-accuracy",
        "test-train-hidden",
    ],
}


def build():
    """The source notebook (with solutions and hidden tests)."""
    nb = _cells()
    nb.metadata["neurogebra"] = {"own_work": OWN_WORK}
    return nb


def _cells():
    return notebook(
        [
            INTRO,
            SETUP,
            TASK1,
            MAKE_SPIRALS,
            TEST_MAKE_SPIRALS,
            TEST_MAKE_SPIRALS_HIDDEN,
            SPLIT_TEXT,
            SPLIT,
            TASK2,
            NEURON,
            TEST_NEURON,
            TEST_NEURON_HIDDEN,
            TASK3,
            LAYER_MLP,
            TEST_LAYER_MLP,
            TEST_LAYER_MLP_HIDDEN,
            TASK4,
            SOFTMAX,
            TEST_SOFTMAX,
            TEST_SOFTMAX_HIDDEN,
            TASK5,
            PREDICT,
            TEST_PREDICT,
            TEST_PREDICT_HIDDEN,
            TASK6,
            TRAIN,
            RUN_TRAINING,
            TEST_TRAIN_LOSS,
            TEST_TRAIN_ACCURACY,
            TEST_TRAIN_HIDDEN,
            TASK7,
            PLOT,
            TEST_PLOT,
            WRAP_UP,
        ]
    )


# The partially correct submission: Tasks 1-3 and 5 right; the softmax forgets to subtract the
# largest score (fine on small scores, overflows on [1000, 0, -1000]); training and the plot
# are left undone.
PARTIAL = {
    "make-spirals": solved(MAKE_SPIRALS.source),
    "neuron": solved(NEURON.source),
    "layer-mlp": solved(LAYER_MLP.source),
    "softmax": replace_once(
        solved(SOFTMAX.source),
        "    top = max(s.data for s in scores)\n    exps = [(s - top).exp() for s in scores]",
        "    exps = [s.exp() for s in scores]",
    ),
    "predict-accuracy": solved(PREDICT.source),
}

PARTIAL_POINTS = {
    "test-make-spirals": 5,
    "test-make-spirals-hidden": 5,
    "test-neuron": 8,
    "test-neuron-hidden": 7,
    "test-layer-mlp": 8,
    "test-layer-mlp-hidden": 7,
    "test-softmax": 8,
    "test-softmax-hidden": 0,
    "test-predict-accuracy": 5,
    "test-predict-accuracy-hidden": 5,
    "test-train-loss": 0,
    "test-train-accuracy": 0,
    "test-train-hidden": 0,
    "test-plot-boundary": 0,
}
