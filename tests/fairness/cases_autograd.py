"""Fairness cases for the autograd assignment: twelve students, each with a fair TA's grade.

Points per graded cell: test-add-mul 5 + hidden 5, test-pow-activations 10 + hidden 10,
test-topological-order 5, test-backward 10 + hidden 15, test-fit-line 10 + hidden 10,
test-gradients 10 + hidden 10. Task 4 (fit a line *with your engine*) and Task 5 (check
your gradients) build on the engine by the task text, so where the engine is wrong their
points are a range; the engine's own tasks lose exactly what the bug breaks.
"""

from __future__ import annotations

from student import UNTOUCHED, Case, swap

BUILDS_ON_THE_ENGINE = {  # Tasks 4 and 5 use the student's engine, by their task texts
    "test-fit-line": (0, 10),
    "test-fit-line-hidden": (0, 10),
    "test-gradients": (0, 10),
    "test-gradients-hidden": (0, 10),
}

ENGINE_TESTS = (
    "test-add-mul",
    "test-add-mul-hidden",
    "test-pow-activations",
    "test-pow-activations-hidden",
    "test-topological-order",
    "test-backward",
    "test-backward-hidden",
)

RECURSIVE_TOPO = '''
def topological_order(root):
    """Every Value that root depends on, each after all of its children (recursive DFS)."""
    order = []
    seen = set()

    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for child in node.children:
            visit(child)
        order.append(node)

    visit(root)
    return order


def backward(self):
    self.grad = 1.0
    nodes = topological_order(self)
    for node in nodes[::-1]:
        for i in range(len(node.children)):
            node.children[i].grad += node.local_grads[i] * node.grad


def zero_grad(self):
    self.grad = 0


Value.backward = backward
Value.zero_grad = zero_grad
'''

OTHER_OPS = """
def add(self, other):
    other = as_value(other)
    out = Value(self.data + other.data, children=[self, other], local_grads=[1, 1], op="+")
    return out


def mul(self, other):
    other = as_value(other)
    out = Value(self.data * other.data, children=[self, other], local_grads=[other.data, self.data])
    return out


Value.__add__ = add
Value.__radd__ = add
Value.__mul__ = mul
Value.__rmul__ = mul
"""

OTHER_FIT = """
def fit_line(xs, ys, learning_rate=0.1, steps=100):
    w = Value(0.0)
    b = Value(0.0)
    losses = []
    n = len(xs)
    for step in range(steps):
        total = Value(0.0)
        for i in range(n):
            diff = w * xs[i] + b - ys[i]
            total = total + diff * diff
        loss = total * (1.0 / n)
        losses.append(loss.data)
        w.grad = 0.0
        b.grad = 0.0
        loss.backward()
        w.data = w.data - learning_rate * w.grad
        b.data = b.data - learning_rate * b.grad
    return w.data, b.data, losses


w_fit, b_fit, line_losses = fit_line(xs, ys)
print(w_fit, b_fit, line_losses[-1])
"""

NAIVE_ACTIVATIONS = """
def power(self, k):
    return Value(math.pow(self.data, k), (self,), (k * math.pow(self.data, k - 1),), "pow")


def relu(self):
    if self.data > 0:
        return Value(self.data, (self,), (1.0,), "relu")
    return Value(0.0, (self,), (0.0,), "relu")


def tanh(self):
    e2 = math.exp(2 * self.data)  # the textbook formula: fine for the inputs we use
    t = (e2 - 1) / (e2 + 1)
    return Value(t, (self,), (1 - t**2,), "tanh")


def exp(self):
    return Value(math.exp(self.data), (self,), (math.exp(self.data),), "exp")


Value.__pow__ = power
Value.relu = relu
Value.tanh = tanh
Value.exp = exp
"""

SLOW_BACKWARD = '''
def topological_order(root):
    """Every node after its children: a visited *list*, searched one by one (slow but right)."""
    order, visited = [], []

    def visit(node):
        if any(seen is node for seen in visited):
            return
        visited.append(node)
        for child in node.children:
            visit(child)
        order.append(node)

    visit(root)
    return order


def backward(self):
    topological_order(self)  # a first pass "to check the graph": wasted time, no harm
    self.grad = 1.0
    order = topological_order(self)
    for node in reversed(order):
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad


def zero_grad(self):
    self.grad = 0.0


Value.backward = backward
Value.zero_grad = zero_grad
'''

DELEGATING_OPS = """
import importlib

ng = importlib.import_module("neurogebra")  # let the library work out the local derivatives


def _local(op, *numbers):
    leaves = [ng.Value(x) for x in numbers]
    out = op(*leaves)
    out.backward()
    return out.data, tuple(leaf.grad for leaf in leaves)


def add(self, other):
    other = as_value(other)
    data, grads = _local(lambda a, b: a + b, self.data, other.data)
    return Value(data, (self, other), grads, "+")


def mul(self, other):
    other = as_value(other)
    data, grads = _local(lambda a, b: a * b, self.data, other.data)
    return Value(data, (self, other), grads, "*")


Value.__add__ = Value.__radd__ = add
Value.__mul__ = Value.__rmul__ = mul
"""

CASES = [
    Case(
        "ag-recursive",
        "another valid style: a recursive topological sort, index loops, zero_grad sets int 0",
        {"backward": RECURSIVE_TOPO},
    ),
    Case(
        "ag-keywords",
        "another valid style: keyword arguments and lists for children, a hand-written mean",
        {"add-mul": OTHER_OPS, "fit-line": OTHER_FIT},
    ),
    Case(
        "ag-assign",
        "= instead of += in backward: a node used twice gets only its last use's gradient",
        {"backward": swap("backward", "child.grad += local", "child.grad = local")},
        points={
            "test-backward": 0,
            "test-backward-hidden": 0,
            "test-fit-line": (0, 10),
            "test-fit-line-hidden": (0, 10),
            "test-gradients": (0, 10),
            "test-gradients-hidden": (0, 10),
        },
        messages={"test-backward": ("x.grad", "x * x", "+=")},
    ),
    Case(
        "ag-no-factor",
        "the power rule without its factor k: only Task 2 is wrong in itself",
        {
            "pow-activations": swap(
                "pow-activations", "(k * self.data ** (k - 1),)", "(self.data ** (k - 1),)"
            )
        },
        points={
            "test-pow-activations": 0,
            "test-pow-activations-hidden": 0,
            "test-fit-line": (0, 10),
            "test-fit-line-hidden": (0, 10),
            "test-gradients-hidden": (0, 10),
        },
        messages={"test-pow-activations": ("Value(0.5) ** 3", "local_grads", "0.75")},
    ),
    Case(
        "ag-no-reset",
        "fit_line never resets the gradients, so they pile up from step to step",
        {"fit-line": swap("fit-line", "        w.zero_grad()\n        b.zero_grad()\n", "")},
        points={"test-fit-line": 0, "test-fit-line-hidden": 0},
        messages={"test-fit-line": ("zero|reset", "!sign")},
    ),
    Case(
        "ag-sign",
        "fit_line climbs the loss: w.data += learning_rate * w.grad",
        {
            "fit-line": swap(
                "fit-line",
                "w.data -= learning_rate",
                "w.data += learning_rate",
                "b.data -= learning_rate",
                "b.data += learning_rate",
            )
        },
        points={"test-fit-line": 0, "test-fit-line-hidden": 0},
        messages={"test-fit-line": ("losses", "sign")},
    ),
    Case(
        "ag-off-by-one",
        "fit_line takes steps - 1 steps (the visible fit is still within tolerance)",
        {"fit-line": swap("fit-line", "for _ in range(steps):", "for _ in range(steps - 1):")},
        points={"test-fit-line-hidden": 0},
        messages={"test-fit-line-hidden": ("len(losses)|steps",)},
    ),
    Case(
        "ag-half-done",
        "Tasks 1-3 done; Task 4 and Task 5 left as released",
        {"fit-line": UNTOUCHED, "gradients": UNTOUCHED},
        points={
            "test-fit-line": 0,
            "test-fit-line-hidden": 0,
            "test-gradients": 0,
            "test-gradients-hidden": 0,
        },
        messages={"test-fit-line": ("line_losses|fit_line|NotImplementedError|unanswered",)},
    ),
    Case(
        "ag-naive",
        "numerically naive but correct: tanh from exp(2x), math.pow, exp computed twice",
        {"pow-activations": NAIVE_ACTIVATIONS},
    ),
    Case(
        "ag-slow",
        "slow but correct: a visited list searched linearly, the order computed twice",
        {"backward": SLOW_BACKWARD},
    ),
    Case(
        "ag-mul-grad",
        "Task 1's mul swaps its local derivatives (a, b for b, a); backward is right, and Task 3 "
        "(built with the constructor alone) is not charged again",
        {
            "add-mul": swap(
                "add-mul", '(other.data, self.data), "*"', '(self.data, other.data), "*"'
            )
        },
        points={"test-add-mul": 0, "test-add-mul-hidden": 0, **BUILDS_ON_THE_ENGINE},
        messages={"test-add-mul": ("local_grads", "value of b")},
    ),
    Case(
        "ag-task1-unwritten",
        "Task 1 not written yet (NotImplementedError); Tasks 2 and 3 written and right",
        {"add-mul": UNTOUCHED},
        points={
            "test-add-mul": 0,
            "test-add-mul-hidden": 0,
            "test-fit-line": 0,
            "test-fit-line-hidden": 0,
            "test-gradients": (0, 10),
            "test-gradients-hidden": (0, 10),
        },
        messages={"test-add-mul": ("NotImplementedError|not written|unanswered",)},
    ),
    Case(
        "ag-delegates",
        "Task 1 hands the work to neurogebra's own Value (imported through importlib)",
        {"add-mul": DELEGATING_OPS},
        points={grade_id: 0 for grade_id in ENGINE_TESTS},
        messages={grade_id: ("neurogebra",) for grade_id in ENGINE_TESTS},
        flags=("uses-library-answer",),
    ),
]
