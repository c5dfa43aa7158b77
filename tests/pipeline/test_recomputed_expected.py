"""Issue #13, "self-consistency checks judged against the instructor's numbers".

A small network course in the shape of spiral_network: a Neuron that draws its weights with
``rng.uniform``, a Layer and an MLP, ``predict`` and one training ``step``. The later tests
compare the student's objects with the student's own other objects (the MLP's output with its
hidden layer, ``predict`` with the network's scores, a step with the parameters minus lr times
the gradients); the grader recomputes their expected side from plain data the kernel reports.
A student whose Neuron draws its weights differently, but is otherwise right, loses only the
test that checks the draw itself; a student with a real bug in ``predict`` loses only that.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
import toycourse as tc
from nbformat.v4 import new_code_cell

SETUP = """import random
import numpy as np
from neurogebra.core.autograd import Value
from neurogebra_grader import check_close, check_equal

X = np.array([[0.5, -0.2], [0.1, 0.9], [-0.7, 0.3], [0.2, 0.2]])
y = np.array([0, 1, 1, 0])"""

NEURON = '''class Neuron:
    """out = act(w . x + b); weights drawn with rng.uniform(-1, 1), one per input, in order."""

    def __init__(self, n_inputs, activation="relu", rng=random):
        ### BEGIN SOLUTION
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.activation = activation
        ### END SOLUTION

    def __call__(self, x):
        ### BEGIN SOLUTION
        out = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return out.relu() if self.activation == "relu" else out
        ### END SOLUTION

    def parameters(self):
        ### BEGIN SOLUTION
        return [*self.w, self.b]
        ### END SOLUTION'''

TEST_NEURON = """n = Neuron(2, "linear", rng=random.Random(0))
n.w[0].data, n.w[1].data, n.b.data = 0.5, -1.0, 0.25
check_close(n([2.0, 3.0]).data, -1.75, what="a linear neuron with w=[0.5, -1], b=0.25")"""

TEST_DRAW = """first = Neuron(2, "linear", rng=random.Random(7)).w[0].data
check_close(first, random.Random(7).uniform(-1, 1), what="the first weight drawn")"""

MLP = '''class MLP:
    """Layers of neurons: relu inside, a linear last layer."""

    def __init__(self, sizes, rng=random):
        ### BEGIN SOLUTION
        self.layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            act = "linear" if i == len(sizes) - 2 else "relu"
            self.layers.append(Layer(n_in, n_out, act, rng))
        ### END SOLUTION

    def __call__(self, x):
        for layer in self.layers:
            x = [neuron(x) for neuron in layer.neurons]
        return x

    def parameters(self):
        return [p for layer in self.layers for n in layer.neurons for p in n.parameters()]


class Layer:
    def __init__(self, n_in, n_out, activation, rng):
        self.neurons = [Neuron(n_in, activation, rng) for _ in range(n_out)]'''

TEST_MLP = """net = MLP([3, 4, 2], rng=random.Random(4))
for neuron in net.layers[1].neurons:
    for w in neuron.w:
        w.data = -1.0
    neuron.b.data = -2.0
x = [0.3, 0.1, -0.2]
hidden = [n(x).data for n in net.layers[0].neurons]
scores = net(x)
check_close(scores[1].data, -sum(hidden) - 2.0, what="MLP output vs its hidden layer")
firsts, (w0, *rest) = [], [p.data for p in net.parameters()]
for neuron in net.layers[0].neurons:
    firsts.append(neuron.w[0].data)
check_close(w0, firsts[0], what="parameters() starts with layer 0")
check_equal(len(rest), 25, what="len(parameters()) - 1")"""

PREDICT = '''def predict(net, X):
    """The index of the top score for each row of X."""
    ### BEGIN SOLUTION
    return np.array([int(np.argmax([s.data for s in net(list(map(float, row)))])) for row in X])
    ### END SOLUTION'''

TEST_PREDICT = """net = MLP([2, 5, 3], rng=random.Random(8))
scores = [[s.data for s in net([float(v) for v in row])] for row in X]
check_equal(predict(net, X).tolist(), np.argmax(scores, axis=1).tolist(), what="predict")"""

STEP = '''def batch_loss(net, X, y):
    """The mean squared distance of the scores from one-hot targets."""
    total = Value(0.0)
    for row, t in zip(X, y):
        scores = net([float(v) for v in row])
        total = total + sum((s - (1.0 if k == t else 0.0)) ** 2 for k, s in enumerate(scores))
    return total * (1.0 / len(X))


def step(net, X, y, lr):
    """One full-batch gradient step; returns the loss before it."""
    ### BEGIN SOLUTION
    for p in net.parameters():
        p.grad = 0.0
    loss = batch_loss(net, X, y)
    loss.backward()
    for p in net.parameters():
        p.data -= lr * p.grad
    return loss.data
    ### END SOLUTION'''

TEST_STEP = """tiny = MLP([2, 3, 2], rng=random.Random(3))
loss = batch_loss(tiny, X, y)
loss.backward()
before, grads = [p.data for p in tiny.parameters()], [p.grad for p in tiny.parameters()]
loss_before = loss.data
reported = step(tiny, X, y, 0.1)
check_close([p.data for p in tiny.parameters()], [w - 0.1 * g for w, g in zip(before, grads)],
            what="the parameters after one step")
check_close(reported, loss_before, what="the loss step returns")"""

CELLS = [
    ("setup", SETUP, "given", 0),
    ("neuron", NEURON, "solution", 0),
    ("test-neuron", TEST_NEURON, "test", 5),
    ("test-draw", TEST_DRAW, "test", 5),
    ("mlp", MLP, "solution", 0),
    ("test-mlp", TEST_MLP, "test", 5),
    ("predict", PREDICT, "solution", 0),
    ("test-predict", TEST_PREDICT, "test", 5),
    ("step", STEP, "solution", 0),
    ("test-step", TEST_STEP, "test", 5),
]


def source_notebook() -> nbformat.NotebookNode:
    cells = []
    for grade_id, text, kind, points in CELLS:
        meta = tc._meta(
            grade_id,
            grade=kind == "test",
            solution=kind == "solution",
            locked=kind != "solution",
            points=points,
        )
        cells.append(new_code_cell(text, metadata=meta))
    return tc.notebook_of(cells)


def submission(course: Path, **answers: str) -> nbformat.NotebookNode:
    def edit(by_id, nb):
        for grade_id, text, kind, _ in CELLS:
            if kind == "solution":
                by_id[grade_id].source = answers.get(grade_id, text)

    return tc.submission_from_release(course, edit)


# draws with rng.gauss instead of rng.uniform(-1, 1): other weights, otherwise right
OTHER_DRAW = NEURON.replace("rng.uniform(-1, 1)", "rng.gauss(0.0, 0.5)")
# the lowest score instead of the top one
WRONG_PREDICT = PREDICT.replace("np.argmax", "np.argmin")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    root = tmp_path_factory.mktemp("recompute")
    course = tc.make_course(root, source_notebook())
    tc.grader("release", course=course)
    tc.place_submission(course, "solution", submission(course))
    tc.place_submission(course, "other_draw", submission(course, neuron=OTHER_DRAW))
    tc.place_submission(course, "wrong_predict", submission(course, predict=WRONG_PREDICT))
    tc.grader("autograde", tc.ASSIGNMENT, course=course, env={**os.environ})
    return {
        student: {v["grade_id"]: v["score"] for v in row["verdicts"][tc.ASSIGNMENT]}
        for student, row in tc.ledger(course).items()
    }


def test_the_instructors_solution_gets_full_marks(graded):
    assert graded["solution"] == {
        "test-neuron": 5,
        "test-draw": 5,
        "test-mlp": 5,
        "test-predict": 5,
        "test-step": 5,
    }


def test_a_different_draw_costs_only_the_test_of_the_draw(graded):
    assert graded["other_draw"] == {
        "test-neuron": 5,
        "test-draw": 0,
        "test-mlp": 5,
        "test-predict": 5,
        "test-step": 5,
    }


def test_a_wrong_predict_costs_only_predict(graded):
    assert graded["wrong_predict"]["test-predict"] == 0
    assert {k: v for k, v in graded["wrong_predict"].items() if k != "test-predict"} == {
        "test-neuron": 5,
        "test-draw": 5,
        "test-mlp": 5,
        "test-step": 5,
    }
