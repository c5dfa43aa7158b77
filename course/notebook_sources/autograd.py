"""Assignment 1, "autograd": students build a scalar autograd engine, fit a line with it, and
check its gradients against neurogebra's Value and central differences."""

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

NAME = "autograd"

INTRO = with_time_limits(
    md(
        "intro",
        """
    # Assignment 1: Build your own autograd engine

    Every deep-learning library has, at its heart, a small machine that computes derivatives
    for you. In this assignment you build one yourself, from nothing but Python floats. By the
    end you will have trained a model with code you wrote line by line.

    **By the end of this assignment you will be able to:**

    1. explain what a computation graph records, and why each node keeps its *local*
       derivatives;
    2. implement `+`, `*`, `**`, `relu`, `tanh` and `exp` for a `Value` class, each with its
       local derivative;
    3. write `backward()`: put the graph in topological order and apply the chain rule, and
       explain why gradients are *added up* (and so why we need `zero_grad()`);
    4. fit a straight line to data with your own engine;
    5. check gradients two independent ways: against `neurogebra`'s `Value` and against
       central differences.

    **How this notebook works.** Fill in every cell that says `# YOUR CODE HERE` (delete the
    `raise NotImplementedError()` line). Below each task there is a test cell: run it, and if
    something is off it tells you what it checked, what it expected, what it got, and a hint.
    When your notebook is graded, more tests run in the cells marked *hidden tests*; they try
    inputs the visible tests don't, so test your code beyond the examples too.

    | task | points |
    |---|---|
    | 1. Addition and multiplication | 10 |
    | 2. Powers and activation functions | 20 |
    | 3. Backpropagation | 30 |
    | 4. Fit a line with your engine | 20 |
    | 5. Check your gradients | 20 |
    | **total** | **100** |

    **What you may use.** Python, `math`, `random` and NumPy. This assignment asks you to
    *build* the engine, so your cells may not import or call anything from `neurogebra` (its
    `Value`, `Tensor`, `Expression` or any other part, under any name or by any route). Task
    5's comparison cell imports `neurogebra`'s `Value` as `NeurogebraValue`: that cell is
    ours, and your cells may not use that name either. A notebook whose cells use the library
    is flagged for review and earns no points for Tasks 1 to 3 (the engine); the other tasks
    are graded as usual.
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

    from neurogebra_grader import (
        check_close,
        check_decreasing,
        check_equal,
        check_gradient,
        check_value_engine,
    )

    random.seed(0)
    np.random.seed(0)
    """,
)

STORY_GRAPH = md(
    "story-graph",
    r"""
    ## A number that remembers where it came from

    Suppose $c = a \cdot b$. If we nudge $a$ a little, $c$ changes $b$ times as much: the
    *local derivative* $\partial c / \partial a$ is $b$ (and $\partial c / \partial b$ is $a$).
    A `Value` stores its number in `.data`, and, when it was computed from other Values, it
    keeps those inputs in `.children` and one local derivative per input in `.local_grads`.

    Chain many operations and you get a graph. Later, `backward()` walks that graph from the
    output back to the inputs and combines the local derivatives with the **chain rule**:

    $$\frac{\partial \,\text{out}}{\partial \,\text{input}} \mathrel{+}=
      \text{local derivative} \times \frac{\partial \,\text{out}}{\partial \,\text{node}}$$

    Here is the class. It only stores things; you will give it its operations one task at a
    time. (Python looks methods up on the class each time they are called, so we can attach a
    function to the class later with `Value.__add__ = add`: that is exactly the same as having
    written `__add__` inside the class body.)
    """,
)

SKELETON = given(
    "value-class",
    '''
    class Value:
        """A number that remembers how it was computed, so it can find its own gradient."""

        def __init__(self, data, children=(), local_grads=(), op=""):
            self.data = float(data)
            self.grad = 0.0  # d(output)/d(self), filled in by backward()
            self.children = tuple(children)  # the Values this one was computed from
            self.local_grads = tuple(local_grads)  # d(self)/d(child), one per child
            self.op = op  # a label for the operation, handy when printing graphs

        def __repr__(self):
            return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"


    def as_value(x):
        """Wrap a plain number in a Value (a Value passes through unchanged)."""
        return x if isinstance(x, Value) else Value(x)


    print(Value(2.0))
    ''',
)

TASK1 = md(
    "task1",
    r"""
    ## Task 1: Addition and multiplication (10 points)

    Write `add(self, other)` and `mul(self, other)`. Each returns a **new** `Value` whose
    `data` is the result, whose `children` are `(self, other)` and whose `local_grads` hold
    $\partial\,\text{result}/\partial\,\text{self}$ and
    $\partial\,\text{result}/\partial\,\text{other}$, in that order:

    * for $a + b$ both local derivatives are $1$;
    * for $a \cdot b$ they are $b$ and $a$ (the *values* `other.data` and `self.data`).

    `other` may be a plain number (as in `x * 3`); the first line of each function already
    wraps it with `as_value`. The last lines attach your functions to the class, also as
    `__radd__` and `__rmul__`: Python calls those for `3 * x`, where the number comes first.

    Work with plain floats: handing the arithmetic or its derivatives to `neurogebra`'s `Value`
    is not allowed (see *What you may use* above).
    """,
)

ADD_MUL = solution(
    "add-mul",
    '''
    def add(self, other):
        """self + other; other may be a Value or a plain number."""
        other = as_value(other)
        ### BEGIN SOLUTION
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")
        ### END SOLUTION


    def mul(self, other):
        """self * other; other may be a Value or a plain number."""
        other = as_value(other)
        ### BEGIN SOLUTION
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")
        ### END SOLUTION


    Value.__add__ = Value.__radd__ = add
    Value.__mul__ = Value.__rmul__ = mul
    ''',
)

TEST_ADD_MUL = tests(
    "test-add-mul",
    5,
    """
    a, b = Value(2.0), Value(-3.0)
    check_close((a + b).data, -1.0, what="(Value(2) + Value(-3)).data")
    check_close((a + b).local_grads, [1.0, 1.0], what="(a + b).local_grads")
    check_close((a * b).data, -6.0, what="(Value(2) * Value(-3)).data")
    check_close(
        (a * b).local_grads,
        [-3.0, 2.0],
        what="(Value(2) * Value(-3)).local_grads",
        hint="d(a*b)/da is the value of b, and d(a*b)/db is the value of a",
    )
    check_equal((a * b).children == (a, b), True, what="(a * b).children == (a, b)")
    print("Task 1: visible tests passed")
    """,
)

TEST_ADD_MUL_HIDDEN = tests(
    "test-add-mul-hidden",
    5,
    """
    # Hidden tests for Task 1 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    rng = random.Random(11)
    for _ in range(20):
        x, y = rng.uniform(-5, 5), rng.uniform(-5, 5)
        a, b = Value(x), Value(y)
        check_close((a + b).data, x + y, what="the data of the sum of two Values at random inputs")
        check_close((a * b).local_grads, [y, x], what="the local gradients of the product of two Values at random inputs", hint="each factor's local gradient is the other factor's data")
    x = Value(1.5)
    check_close((x + 2).data, 3.5, what="the data of a Value plus a plain number", hint="wrap a plain number in a Value before adding")
    check_close((2 + x).data, 3.5, what="the data of a plain number plus a Value (the number on the left)", hint="needs __radd__")
    check_close((4 * x).data, 6.0, what="the data of a plain number times a Value (the number on the left)", hint="needs __rmul__")
    check_close((x * 4).local_grads, [4.0, 1.5], what="the local gradients of a Value times a plain number")
    check_close((x * x).local_grads, [1.5, 1.5], what="the local gradients of a Value multiplied by itself")
    ### END HIDDEN TESTS
    """,
)

TASK2 = md(
    "task2",
    r"""
    ## Task 2: Powers and activation functions (20 points)

    These operations have a single input, so `children` is `(self,)` and `local_grads` holds
    one number. Write:

    | method | result | local derivative |
    |---|---|---|
    | `power(self, k)` (`x ** k`, `k` a plain number) | $x^k$ | $k\,x^{k-1}$ |
    | `relu(self)` | $\max(0, x)$ | $1$ if $x > 0$, else $0$ |
    | `tanh(self)` | $t = \tanh x$ | $1 - t^2$ |
    | `exp(self)` | $e^x$ | $e^x$ (itself!) |

    Use the `math` module (`math.tanh`, `math.exp`). Notice how the derivatives of `tanh` and
    `exp` reuse the result you just computed: computing it once is cheaper.
    """,
)

POW_ACT = solution(
    "pow-activations",
    '''
    def power(self, k):
        """self ** k for a plain number k."""
        ### BEGIN SOLUTION
        return Value(self.data**k, (self,), (k * self.data ** (k - 1),), f"**{k}")
        ### END SOLUTION


    def relu(self):
        """max(0, self)."""
        ### BEGIN SOLUTION
        slope = 1.0 if self.data > 0 else 0.0
        return Value(max(self.data, 0.0), (self,), (slope,), "relu")
        ### END SOLUTION


    def tanh(self):
        """The hyperbolic tangent of self."""
        ### BEGIN SOLUTION
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")
        ### END SOLUTION


    def exp(self):
        """e to the power self."""
        ### BEGIN SOLUTION
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")
        ### END SOLUTION


    Value.__pow__ = power
    Value.relu = relu
    Value.tanh = tanh
    Value.exp = exp
    ''',
)

TEST_POW_ACT = tests(
    "test-pow-activations",
    10,
    """
    x = Value(0.5)
    check_close((x**3).data, 0.125, what="(Value(0.5) ** 3).data")
    check_close((x**3).local_grads, [0.75], what="(Value(0.5) ** 3).local_grads")
    check_close(Value(2.0).relu().data, 2.0, what="Value(2).relu().data")
    check_close(Value(-1.0).relu().data, 0.0, what="Value(-1).relu().data")
    check_close(Value(-1.0).relu().local_grads, [0.0], what="Value(-1).relu().local_grads")
    check_close(x.tanh().data, math.tanh(0.5), what="Value(0.5).tanh().data")
    check_close(x.tanh().local_grads, [1 - math.tanh(0.5) ** 2], what="Value(0.5).tanh().local_grads")
    check_close(x.exp().local_grads, [math.exp(0.5)], what="Value(0.5).exp().local_grads")
    print("Task 2: visible tests passed")
    """,
)

TEST_POW_ACT_HIDDEN = tests(
    "test-pow-activations-hidden",
    10,
    """
    # Hidden tests for Task 2 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    rng = random.Random(12)
    for _ in range(20):
        v = rng.uniform(-3, 3)
        x = Value(v)
        check_close(x.relu().local_grads, [1.0 if v > 0 else 0.0], what="relu's local gradient at a random positive or negative input")
        check_close(x.tanh().data, math.tanh(v), what="tanh's data at a random input")
        check_close(x.tanh().local_grads, [1 - math.tanh(v) ** 2], what="tanh's local gradient at a random input")
        check_close(x.exp().data, math.exp(v), what="exp's data at a random input")
        check_close((x**2).local_grads, [2 * v], what="the local gradient of squaring a Value at a random input")
    check_close((Value(4.0) ** -1).local_grads, [-1 / 16], what="the local gradient of a Value raised to a negative power")
    check_close((Value(4.0) ** 0.5).local_grads, [0.25], what="the local gradient of a Value raised to a fractional power")
    check_close(Value(0.0).relu().data, 0.0, what="relu's data at exactly zero")
    check_equal(Value(1.0).exp().children[0].data, 1.0, what="the child that exp() keeps: the Value it was called on")
    ### END HIDDEN TESTS
    """,
)

MORE_OPS_TEXT = md(
    "more-ops-text",
    r"""
    ### Free operations

    With `+`, `*` and `**` we get subtraction, negation and division for free, because
    $-a = a \cdot (-1)$, $a - b = a + (-b)$ and $a / b = a \cdot b^{-1}$. Their gradients come
    out right automatically: the chain rule does the work. Run the cell.
    """,
)

MORE_OPS = given(
    "more-ops",
    """
    def neg(self):
        return self * -1


    def sub(self, other):
        return self + (-as_value(other))


    def rsub(self, other):
        return as_value(other) + (-self)


    def truediv(self, other):
        return self * as_value(other) ** -1


    def rtruediv(self, other):
        return as_value(other) * self**-1


    Value.__neg__ = neg
    Value.__sub__, Value.__rsub__ = sub, rsub
    Value.__truediv__, Value.__rtruediv__ = truediv, rtruediv
    """,
)

TASK3 = md(
    "task3",
    r"""
    ## Task 3: Backpropagation (30 points)

    `out.backward()` must fill in `.grad` of every Value that `out` depends on with
    $\partial\,\text{out}/\partial\,\text{that Value}$. Two steps:

    **1. Topological order.** List every node of the graph so that each node comes *after*
    all of its children. Write `topological_order(root)` with a depth-first search: visit a
    node's children first, then append the node; remember which nodes you have already visited
    so that a node used twice appears once. (A recursive helper function is fine here; a
    version with an explicit stack also handles graphs deeper than Python's recursion limit.)

    **2. The chain rule, backwards.** Set `self.grad = 1.0` (the output changes one-for-one
    with itself), then go through the nodes in *reverse* topological order; for each node, for
    each `child, local` pair in `zip(node.children, node.local_grads)`:

    ```python
    child.grad += local * node.grad
    ```

    Why `+=`? In `x * x` the node `x` is used twice, and its gradient is the sum over both
    uses: $\frac{d}{dx} x \cdot x = x + x$. And why the reverse order? A node can only pass on
    its gradient once every node that uses it has passed theirs to it.

    Task 3 stands on its own: its tests build their graphs with the given constructor alone,
    `Value(data, children, local_grads)` (for example `Value(6.0, (a, b), (3.0, 2.0))` is
    `a * b` at `a = 2`, `b = 3`), and never call your `+` or `*`. So only `backward`,
    `topological_order` and `zero_grad` are judged here, and a mistake in Task 1 or 2 does not
    cost points again.

    Because gradients add up, they also add up *across* calls to `backward()`. That's why
    training loops reset them: write `zero_grad(self)`, which sets `self.grad` back to `0.0`.
    """,
)

BACKWARD = solution(
    "backward",
    '''
    def topological_order(root):
        """Every Value that root depends on (root included), each after all of its children."""
        ### BEGIN SOLUTION
        order, visited = [], set()
        stack = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in node.children)
        return order
        ### END SOLUTION


    def backward(self):
        """Fill .grad of every Value this one depends on with d(self)/d(that Value)."""
        ### BEGIN SOLUTION
        self.grad = 1.0
        for node in reversed(topological_order(self)):
            for child, local in zip(node.children, node.local_grads):
                child.grad += local * node.grad
        ### END SOLUTION


    def zero_grad(self):
        """Reset this Value's gradient to 0."""
        ### BEGIN SOLUTION
        self.grad = 0.0
        ### END SOLUTION


    Value.backward = backward
    Value.zero_grad = zero_grad
    ''',
)

TEST_TOPO = tests(
    "test-topological-order",
    5,
    """
    # The graph is built with the given constructor Value(data, children, local_grads) only,
    # so this test judges topological_order alone (not your + and *).
    a, b = Value(2.0), Value(3.0)
    c = Value(6.0, (a, b), (3.0, 2.0))  # c = a * b
    d = Value(5.0, (a, b), (1.0, 1.0))  # d = a + b
    e = Value(11.0, (d, c), (1.0, 1.0))  # e = d + c: a and b are used twice
    order = topological_order(e)
    check_equal(len(order), 5, what="len(topological_order(e)) for e = (a + b) + a * b")
    check_equal(
        len({id(node) for node in order}), 5, what="different nodes in topological_order(e)"
    )
    position = {id(node): i for i, node in enumerate(order)}
    check_equal(position.get(id(e)), 4, what="the position of e in topological_order(e)")
    missing = len(order)  # a child missing from the order counts as coming too late
    check_equal(
        all(position.get(id(child), missing) < position[id(node)] for node in order for child in node.children),
        True,
        what="every node comes after all of its children in topological_order(e)",
    )
    print("Task 3, topological order: visible tests passed")
    """,
)

TEST_BACKWARD = tests(
    "test-backward",
    10,
    """
    # Graphs built with the given constructor only: this test judges backward and zero_grad.
    x = Value(3.0)
    square = Value(9.0, (x, x), (3.0, 3.0))  # x * x at x = 3: x is used twice
    square.backward()
    check_close(
        x.grad, 6.0, what="x.grad for x * x at x = 3", hint="use += so both uses count"
    )
    square = Value(9.0, (x, x), (3.0, 3.0))
    square.backward()
    check_close(x.grad, 12.0, what="x.grad after a second backward() without zero_grad()")
    x.zero_grad()
    check_close(x.grad, 0.0, what="x.grad after x.zero_grad()")

    a, b = Value(2.0), Value(3.0)
    c = Value(6.0, (a, b), (3.0, 2.0))  # c = a * b
    d = Value(5.0, (a, b), (1.0, 1.0))  # d = a + b
    e = Value(11.0, (d, c), (1.0, 1.0))  # e = d + c, a diamond
    e.backward()
    check_close([a.grad, b.grad], [4.0, 3.0], what="[a.grad, b.grad] for e = (a + b) + a * b")

    # h reaches out directly and through p and q: it may pass its gradient on only after
    # q has passed its part to it (reverse topological order)
    x = Value(0.5)
    h = Value(1.0, (x,), (2.0,))
    p = Value(3.0, (h,), (3.0,))
    q = Value(3.0, (p,), (1.0,))
    out = Value(4.0, (q, h), (1.0, 1.0))
    out.backward()
    check_close(
        x.grad,
        8.0,
        what="x.grad where h = Value(1.0, (x,), (2.0,)) is used by out directly and through "
        "p = Value(3.0, (h,), (3.0,)) and q = Value(3.0, (p,), (1.0,))",
        hint="go through the nodes in reverse topological order",
    )
    print("Task 3, backward: visible tests passed")
    """,
)

TEST_BACKWARD_HIDDEN = tests(
    "test-backward-hidden",
    15,
    """
    # Hidden tests for Task 3 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    # Task 3 judged on its own: every graph is built with the given constructor, never with
    # Task 1's + and * (a Task 1 bug is not charged again here); many random graphs, with
    # nodes used twice and diamonds.
    check_value_engine(Value, build="constructor", seed=4, n_graphs=40)
    x = Value(0.5)
    y = x
    for _ in range(400):
        y = Value(y.data * 1.001 + x.data * 0.001, (y, x), (1.001, 0.001))
    deep_order = topological_order(y)
    check_equal(len(deep_order), 401, what="len(topological_order(y)) for a 400-node chain")
    check_equal(
        deep_order[0] is x and deep_order[-1] is y,
        True,
        what="the chain's first input first and its output last in topological_order(y)",
    )
    y.backward()
    check_close(x.grad, 2 * 1.001**400 - 1, what="x.grad after a 400-node chain")
    ### END HIDDEN TESTS
    """,
)

TASK4 = md(
    "task4",
    r"""
    ## Task 4: Fit a line with your engine (20 points)

    Time to use the engine. Below are 20 noisy points near a straight line. Find the slope `w`
    and intercept `b` that minimise the mean squared error

    $$L(w, b) = \frac{1}{n}\sum_{i=1}^{n} (w x_i + b - y_i)^2$$

    by gradient descent, letting *your* `Value` compute $\partial L/\partial w$ and
    $\partial L/\partial b$. Write `fit_line(xs, ys, learning_rate, steps)`:

    1. start from `w = Value(0.0)` and `b = Value(0.0)`;
    2. in each step, build the loss $L$ from Values, append `loss.data` to a list `losses`
       (so `losses[0]` is the loss of the starting line), reset the gradients of `w` and `b`,
       call `backward()`, and move each parameter against its gradient:
       `w.data -= learning_rate * w.grad`;
    3. return `(w.data, b.data, losses)`.
    """,
)

LINE_DATA = given(
    "line-data",
    """
    rng = np.random.default_rng(3)
    xs = np.linspace(-1.0, 1.0, 20)
    ys = 3.0 * xs - 0.5 + rng.normal(0.0, 0.2, size=20)

    plt.scatter(xs, ys)
    plt.xlabel("x")
    plt.ylabel("y")
    plt.title("20 noisy points near a line")
    plt.show()
    """,
)

FIT_LINE = solution(
    "fit-line",
    '''
    def fit_line(xs, ys, learning_rate=0.1, steps=100):
        """Gradient descent on the mean squared error; returns (w, b, losses)."""
        ### BEGIN SOLUTION
        w, b = Value(0.0), Value(0.0)
        losses = []
        for _ in range(steps):
            loss = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
            losses.append(loss.data)
            w.zero_grad()
            b.zero_grad()
            loss.backward()
            w.data -= learning_rate * w.grad
            b.data -= learning_rate * b.grad
        return w.data, b.data, losses
        ### END SOLUTION


    w_fit, b_fit, line_losses = fit_line(xs, ys)
    print(f"learned line: y = {w_fit:.3f} x + {b_fit:.3f}  (final loss {line_losses[-1]:.4f})")
    ''',
)

TEST_FIT_LINE = tests(
    "test-fit-line",
    10,
    """
    check_decreasing(line_losses, what="the losses of fit_line(xs, ys)", factor=0.1)
    best_w, best_b = np.polyfit(xs, ys, 1)  # the exact least-squares line, for comparison
    check_close(w_fit, best_w, atol=0.01, what="the slope w from fit_line(xs, ys)")
    check_close(b_fit, best_b, atol=0.01, what="the intercept b from fit_line(xs, ys)")
    print("Task 4: visible tests passed")
    """,
)

TEST_FIT_LINE_HIDDEN = tests(
    "test-fit-line-hidden",
    10,
    """
    # Hidden tests for Task 4 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    xs2 = np.linspace(-2.0, 2.0, 9)
    ys2 = -2.0 * xs2 + 1.0
    w2, b2, losses2 = fit_line(xs2, ys2, learning_rate=0.05, steps=150)
    check_equal(len(losses2), 150, what="len(losses): one loss per step, for another number of steps")
    check_close(losses2[0], float(np.mean(ys2**2)), what="the first recorded loss: the loss with w and b both zero")
    check_close([w2, b2], [-2.0, 1.0], atol=1e-3, what="the fitted (w, b) on points exactly on a line: it should find that line")
    ### END HIDDEN TESTS
    """,
)

TASK5 = md(
    "task5",
    r"""
    ## Task 5: Check your gradients (20 points)

    How do we *know* an autograd engine is right? Two independent witnesses:

    * another engine: `neurogebra`'s own `Value` (same idea, written separately);
    * central differences, which need no calculus at all:
      $\frac{\partial f}{\partial x} \approx \frac{f(x + h) - f(x - h)}{2h}$ for a small $h$.

    Write `gradients(value_class, f, inputs)`: wrap each input number in `value_class`, call
    `f` on those Values, run `backward()` on the result, and return the list of the inputs'
    `.grad`. Because it takes the class as an argument, the same function runs on both
    engines. The tests compare its results with central differences: run with your `Value`,
    they build on Tasks 1–4 (`+`, `*`, `**`, `/`, `tanh`, `relu`, `exp`); run with
    `neurogebra`'s `Value`, they test `gradients` alone.
    """,
)

GRADIENTS = solution(
    "gradients",
    '''
    def gradients(value_class, f, inputs):
        """d f / d input for each input, computed by the autograd engine value_class."""
        ### BEGIN SOLUTION
        leaves = [value_class(x) for x in inputs]
        f(*leaves).backward()
        return [leaf.grad for leaf in leaves]
        ### END SOLUTION
    ''',
)

COMPARE = given(
    "compare",
    """
    from neurogebra.core.autograd import Value as NeurogebraValue


    def neuron(w1, w2, b):
        \"\"\"A tanh neuron with fixed inputs 0.5 and -1.5, as a function of its parameters.\"\"\"
        return (w1 * 0.5 + w2 * -1.5 + b).tanh()


    point = [0.3, -0.8, 0.1]
    mine = gradients(Value, neuron, point)
    theirs = gradients(NeurogebraValue, neuron, point)
    print("parameter   your engine   neurogebra")
    for name, g1, g2 in zip(["w1", "w2", "b"], mine, theirs):
        print(f"{name:>9}   {g1:11.6f}   {g2:10.6f}")
    """,
)

TEST_GRADIENTS = tests(
    "test-gradients",
    10,
    """
    def neuron_floats(w1, w2, b):
        return math.tanh(w1 * 0.5 + w2 * -1.5 + b)


    check_gradient(neuron_floats, point, mine, names=["w1", "w2", "b"], what="gradients(Value, neuron, point) vs central differences")
    print("Task 5: visible tests passed")
    """,
)

TEST_GRADIENTS_HIDDEN = tests(
    "test-gradients-hidden",
    10,
    """
    # Hidden tests for Task 5 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    def mixed(a, b, c):
        return (a * b).relu() + (c**2 + a).exp() * 0.1 - b / (c + 3.0)


    def mixed_floats(a, b, c):
        return max(a * b, 0.0) + math.exp(c**2 + a) * 0.1 - b / (c + 3.0)


    rng = random.Random(13)
    for _ in range(5):
        at = [rng.uniform(-1, 1) for _ in range(3)]
        check_gradient(mixed_floats, at, gradients(Value, mixed, at), names="abc", what="gradients with your Value on a function mixing relu, exp, powers and division")
        check_gradient(mixed_floats, at, gradients(NeurogebraValue, mixed, at), names="abc", what="gradients with neurogebra's Value on that mixed function, vs central differences")
    check_close(gradients(Value, lambda x: x * x * x, [2.0]), [12.0], what="gradients of a cube written as one Value used three times in a product")
    ### END HIDDEN TESTS
    """,
)

WRAP_UP = md(
    "wrap-up",
    """
    ## What you built

    About forty lines of your own code now compute exact derivatives of any formula made of
    `+ - * / **`, `relu`, `tanh` and `exp`, and you have trained a model with them. The same
    recipe (local derivatives recorded on the way forward, the chain rule on the way back)
    powers every large framework; they just apply it to whole arrays at once.

    Next, in *linear regression*, you will meet the same gradient three ways: worked out by
    hand, computed by autograd, and derived symbolically, and compare all three with the exact
    closed-form answer.
    """,
)


# What students must build themselves (read by the grader from the source notebook's
# metadata, see neurogebra_grader.pipeline.own_work): a notebook whose cells use the library
# is flagged and earns nothing for the engine's tests.
OWN_WORK = {
    "what": "your own autograd engine (Tasks 1 to 3)",
    "forbidden": ["neurogebra"],
    "names": ["NeurogebraValue"],
    "tests": [
        "test-add-mul",
        "test-add-mul-hidden",
        "test-pow-activations",
        "test-pow-activations-hidden",
        "test-topological-order",
        "test-backward",
        "test-backward-hidden",
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
            STORY_GRAPH,
            SKELETON,
            TASK1,
            ADD_MUL,
            TEST_ADD_MUL,
            TEST_ADD_MUL_HIDDEN,
            TASK2,
            POW_ACT,
            TEST_POW_ACT,
            TEST_POW_ACT_HIDDEN,
            MORE_OPS_TEXT,
            MORE_OPS,
            TASK3,
            BACKWARD,
            TEST_TOPO,
            TEST_BACKWARD,
            TEST_BACKWARD_HIDDEN,
            TASK4,
            LINE_DATA,
            FIT_LINE,
            TEST_FIT_LINE,
            TEST_FIT_LINE_HIDDEN,
            TASK5,
            GRADIENTS,
            COMPARE,
            TEST_GRADIENTS,
            TEST_GRADIENTS_HIDDEN,
            WRAP_UP,
        ]
    )


# The partially correct submission: Tasks 1-3 right; Task 4 records each loss *after* the
# update (the visible test passes, the hidden one sees losses[0] is wrong); Task 5 left undone.
PARTIAL = {
    "add-mul": solved(ADD_MUL.source),
    "pow-activations": solved(POW_ACT.source),
    "backward": solved(BACKWARD.source),
    "fit-line": replace_once(
        solved(FIT_LINE.source),
        "        losses.append(loss.data)\n",
        "",
    ).replace(
        "        b.data -= learning_rate * b.grad\n",
        "        b.data -= learning_rate * b.grad\n"
        "        losses.append(sum((w.data * x + b.data - y) ** 2 for x, y in zip(xs, ys)) / len(xs))\n",
    ),
}

# Points the partial submission earns, per graded cell.
PARTIAL_POINTS = {
    "test-add-mul": 5,
    "test-add-mul-hidden": 5,
    "test-pow-activations": 10,
    "test-pow-activations-hidden": 10,
    "test-topological-order": 5,
    "test-backward": 10,
    "test-backward-hidden": 15,
    "test-fit-line": 10,
    "test-fit-line-hidden": 0,
    "test-gradients": 0,
    "test-gradients-hidden": 0,
}
