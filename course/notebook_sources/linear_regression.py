"""Assignment 2, "linear_regression": predictions, MSE, the gradient three ways (by hand, by
autograd, symbolically), gradient descent, the closed form, and plots."""

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

NAME = "linear_regression"

INTRO = with_time_limits(
    md(
        "intro",
        """
    # Assignment 2: Linear regression, three ways to a gradient

    A straight line is the smallest model there is, which makes it the best place to see every
    moving part of machine learning at once: a model, a loss that says how wrong it is, the
    gradient of that loss, and an algorithm that follows the gradient downhill.

    **By the end of this assignment you will be able to:**

    1. write a linear model's predictions and its mean squared error (MSE) with NumPy;
    2. derive the gradient of the MSE by hand, and confirm it numerically;
    3. get the same gradient from autograd (`Value`) and from symbolic differentiation
       (`Expression.gradient`), and say what each approach is good at;
    4. train the line by gradient descent and compare it with the exact closed-form solution;
    5. plot the fitted line and the loss curve.

    Fill in each `# YOUR CODE HERE`, then run the test cell below it. Hidden tests run when the
    notebook is graded, on other data than the visible tests.

    | task | points |
    |---|---|
    | 1. Predictions | 10 |
    | 2. Mean squared error | 10 |
    | 3. The gradient by hand | 15 |
    | 4. The gradient by autograd | 15 |
    | 5. The gradient, symbolically | 15 |
    | 6. Gradient descent | 15 |
    | 7. The closed-form solution | 10 |
    | 8. Plots | 10 |
    | **total** | **100** |

    **What you may use.** NumPy, matplotlib, and `neurogebra`'s `Value` and `Expression`:
    Tasks 4 and 5 are about using them. Tasks 6 and 7 ask for your own gradient descent and
    your own normal equations, so a ready-made fit (`np.polyfit`, scikit-learn, `neurogebra`'s
    `Trainer` or `ModelBuilder`) in their place is not allowed.
    """,
    )
)

SETUP = given(
    "setup",
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from neurogebra import Expression
    from neurogebra.core.autograd import Value
    from neurogebra_grader import (
        check_axes,
        check_close,
        check_decreasing,
        check_equal,
        check_gradient,
    )

    np.random.seed(0)
    """,
)

DATA_TEXT = md(
    "data-text",
    """
    ## The data

    Fifty measurements `y` that depend roughly linearly on `X`, with noise. (We made them with
    a known line, $y = 2.5x + 4$, so you can tell whether your answers make sense.)
    """,
)

DATA = given(
    "data",
    """
    rng = np.random.default_rng(7)
    X = rng.uniform(-3.0, 3.0, size=50)
    y = 2.5 * X + 4.0 + rng.normal(0.0, 1.0, size=50)

    plt.scatter(X, y, s=15)
    plt.xlabel("X")
    plt.ylabel("y")
    plt.title("50 noisy measurements")
    plt.show()
    """,
)

TASK1 = md(
    "task1",
    r"""
    ## Task 1: Predictions (10 points)

    A line with slope $w$ and intercept $b$ predicts $\hat y_i = w x_i + b$ for every input.
    Write `predict(X, w, b)` that returns all the predictions as one NumPy array. No loop is
    needed: NumPy applies `w * X + b` to every element at once.
    """,
)

PREDICT = solution(
    "predict",
    '''
    def predict(X, w, b):
        """The line's prediction w * x + b for every x in X (a NumPy array)."""
        ### BEGIN SOLUTION
        return w * np.asarray(X, dtype=float) + b
        ### END SOLUTION
    ''',
)

TEST_PREDICT = tests(
    "test-predict",
    5,
    """
    check_close(predict(np.array([0.0, 1.0, 2.0]), 2.0, 1.0), [1.0, 3.0, 5.0], what="predict([0, 1, 2], w=2, b=1)")
    check_equal(predict(X, 1.0, 0.0).shape, (50,), what="predict(X, 1, 0).shape")
    print("Task 1: visible tests passed")
    """,
)

TEST_PREDICT_HIDDEN = tests(
    "test-predict-hidden",
    5,
    """
    # Hidden tests for Task 1 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    check_close(predict(X, -0.5, 3.0), -0.5 * X + 3.0, what="predict on the whole data array with another slope and intercept")
    check_close(predict(np.array([2.0]), 0.0, -1.0), [-1.0], what="predict on a one-point array with zero slope (only the intercept counts)")
    ### END HIDDEN TESTS
    """,
)

TASK2 = md(
    "task2",
    r"""
    ## Task 2: Mean squared error (10 points)

    How wrong is a line? Square each error (so misses in either direction count, and big
    misses count a lot) and average:

    $$\text{MSE} = \frac{1}{n}\sum_{i=1}^{n}(\hat y_i - y_i)^2$$

    Write `mse(y_pred, y_true)`; return a plain float.
    """,
)

MSE = solution(
    "mse",
    '''
    def mse(y_pred, y_true):
        """The mean of the squared differences between predictions and targets."""
        ### BEGIN SOLUTION
        errors = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
        return float(np.mean(errors**2))
        ### END SOLUTION


    print(f"MSE of the line y = 0: {mse(predict(X, 0.0, 0.0), y):.3f}")
    ''',
)

TEST_MSE = tests(
    "test-mse",
    5,
    """
    check_close(
        mse(np.array([1.0, 2.0]), np.array([1.0, 4.0])),
        2.0,
        what="mse([1, 2], [1, 4])",
        hint="average the squared errors: (0² + 2²) / 2",
    )
    print("Task 2: visible tests passed")
    """,
)

TEST_MSE_HIDDEN = tests(
    "test-mse-hidden",
    5,
    """
    # Hidden tests for Task 2 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    check_close(mse(y, y), 0.0, what="mse of the targets against themselves (a perfect fit)")
    check_close(mse(predict(X, 2.0, 3.0), y), float(np.mean((2.0 * X + 3.0 - y) ** 2)), what="mse of another line's predictions on the data set")
    check_close(mse(np.array([3.0]), np.array([-1.0])), 16.0, what="mse of a single prediction against a single target")
    ### END HIDDEN TESTS
    """,
)

TASK3 = md(
    "task3",
    r"""
    ## Task 3: The gradient by hand (15 points)

    To improve the line we need to know which way is downhill: the partial derivatives of
    $L(w, b) = \frac{1}{n}\sum_i (w x_i + b - y_i)^2$. By the chain rule, the derivative of
    a square $u^2$ is $2u$ times the derivative of $u$, and $u_i = w x_i + b - y_i$ changes
    with $w$ at rate $x_i$ and with $b$ at rate $1$:

    $$\frac{\partial L}{\partial w} = \frac{2}{n}\sum_i (w x_i + b - y_i)\,x_i
      \qquad
      \frac{\partial L}{\partial b} = \frac{2}{n}\sum_i (w x_i + b - y_i)$$

    Write `mse_gradients(X, y, w, b)` that returns the pair `(dL_dw, dL_db)` as floats. The
    test compares your formula with *central differences*, a purely numerical estimate.
    """,
)

MSE_GRADIENTS = solution(
    "mse-gradients",
    '''
    def mse_gradients(X, y, w, b):
        """(dL/dw, dL/db) of the mean squared error of the line w * x + b, worked out by hand."""
        ### BEGIN SOLUTION
        errors = w * X + b - y
        return float(2.0 * np.mean(errors * X)), float(2.0 * np.mean(errors))
        ### END SOLUTION
    ''',
)

TEST_MSE_GRADIENTS = tests(
    "test-mse-gradients",
    8,
    """
    def loss(w, b):
        return float(np.mean((w * X + b - y) ** 2))


    check_gradient(loss, [1.0, 0.5], mse_gradients(X, y, 1.0, 0.5), names=["w", "b"], what="mse_gradients")
    print("Task 3: visible tests passed")
    """,
)

TEST_MSE_GRADIENTS_HIDDEN = tests(
    "test-mse-gradients-hidden",
    7,
    """
    # Hidden tests for Task 3 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    X3 = np.array([0.5, -1.0, 2.0, 4.0])
    y3 = np.array([1.0, 0.0, -2.0, 3.0])


    def loss3(w, b):
        return float(np.mean((w * X3 + b - y3) ** 2))


    for w3, b3 in [(0.0, 0.0), (-2.0, 1.5), (3.0, -4.0)]:
        check_gradient(loss3, [w3, b3], mse_gradients(X3, y3, w3, b3), names=["w", "b"], what="mse_gradients on a small data set of its own, at several (w, b)")
    ### END HIDDEN TESTS
    """,
)

TASK4 = md(
    "task4",
    """
    ## Task 4: The gradient by autograd (15 points)

    Deriving gradients by hand gets tedious fast. In Assignment 1 you built an engine that does
    it for you; `neurogebra` ships the same idea as `Value`. Write
    `autograd_gradients(X, y, w, b)`: make `w` and `b` into Values, build the MSE from them
    (a Python loop over the data points is fine), call `backward()`, and return
    `(w.grad, b.grad)`. No calculus this time: the engine applies the chain rule for you.
    """,
)

AUTOGRAD_GRADIENTS = solution(
    "autograd-gradients",
    '''
    def autograd_gradients(X, y, w, b):
        """(dL/dw, dL/db) of the mean squared error, computed by neurogebra's Value."""
        ### BEGIN SOLUTION
        w_value, b_value = Value(w), Value(b)
        loss = sum((w_value * float(x) + b_value - float(t)) ** 2 for x, t in zip(X, y)) / len(X)
        loss.backward()
        return w_value.grad, b_value.grad
        ### END SOLUTION
    ''',
)

TEST_AUTOGRAD_GRADIENTS = tests(
    "test-autograd-gradients",
    8,
    """
    errors = 1.0 * X + 0.5 - y
    check_close(
        autograd_gradients(X, y, 1.0, 0.5),
        [2 * np.mean(errors * X), 2 * np.mean(errors)],
        what="autograd_gradients(X, y, 1, 0.5) vs the exact gradient of the MSE",
        hint="the gradient of the *mean* squared error: divide the sum by len(X)",
    )
    print("Task 4: visible tests passed")
    """,
)

TEST_AUTOGRAD_GRADIENTS_HIDDEN = tests(
    "test-autograd-gradients-hidden",
    7,
    """
    # Hidden tests for Task 4 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    X4 = np.array([1.0, 2.0, -3.0])
    y4 = np.array([0.0, 1.0, 5.0])
    errors4 = -1.5 * X4 + 2.0 - y4
    expected4 = [2 * np.mean(errors4 * X4), 2 * np.mean(errors4)]
    check_close(autograd_gradients(X4, y4, -1.5, 2.0), expected4, what="autograd_gradients on a small data set of its own, at another (w, b)")
    ### END HIDDEN TESTS
    """,
)

TASK5 = md(
    "task5",
    """
    ## Task 5: The gradient, symbolically (15 points)

    A third way: let the computer do the algebra. `neurogebra`'s `Expression` holds a formula;
    `.gradient("m")` returns a new Expression, the derivative with respect to `m`, which you
    can print and evaluate. The cell below shows the derivatives of one squared error
    $(m x + b - t)^2$ (we call the slope `m` and the target `t` here). Compare them with your
    hand-derived formulas from Task 3!
    """,
)

SYMBOLIC_DEMO = given(
    "symbolic-demo",
    """
    squared_error = Expression("squared_error", "(m*x + b - t)**2", params={"m": 1.0, "b": 0.5})
    print(squared_error.gradient("m"))
    print(squared_error.gradient("b"))
    print("at m=1, b=0.5, x=2, t=3:", squared_error.gradient("m").eval(x=2.0, t=3.0))
    """,
)

TASK5_HOW = md(
    "task5-how",
    """
    `.eval(...)` takes the values of the formula's variables as keywords; the `params` given
    when the Expression was made are used for anything you leave out, and keywords override
    them. It also accepts whole NumPy arrays and then returns an array, one value per point.

    Write `symbolic_gradients(X, y, w, b)`: make the squared-error Expression with
    `params={"m": w, "b": b}`, take its gradients with respect to `m` and `b`, evaluate them on
    all the data points (`x=X, t=y`), and return the two **means** as floats (the MSE is the
    mean of the squared errors, so its gradient is the mean of their gradients).
    """,
)

SYMBOLIC_GRADIENTS = solution(
    "symbolic-gradients",
    '''
    def symbolic_gradients(X, y, w, b):
        """(dL/dw, dL/db) of the mean squared error, from Expression.gradient."""
        ### BEGIN SOLUTION
        squared_error = Expression("squared_error", "(m*x + b - t)**2", params={"m": w, "b": b})
        d_m = squared_error.gradient("m").eval(x=X, t=y)
        d_b = squared_error.gradient("b").eval(x=X, t=y)
        return float(np.mean(d_m)), float(np.mean(d_b))
        ### END SOLUTION
    ''',
)

TEST_SYMBOLIC_GRADIENTS = tests(
    "test-symbolic-gradients",
    8,
    """
    def loss(w, b):
        return float(np.mean((w * X + b - y) ** 2))


    check_gradient(loss, [1.0, 0.5], symbolic_gradients(X, y, 1.0, 0.5), names=["w", "b"], what="symbolic_gradients")
    print("Task 5: visible tests passed")
    """,
)

TEST_SYMBOLIC_GRADIENTS_HIDDEN = tests(
    "test-symbolic-gradients-hidden",
    7,
    """
    # Hidden tests for Task 5 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    X5 = np.array([2.0, -1.0, 0.0, 1.0])
    y5 = np.array([1.0, 1.0, 2.0, -2.0])
    errors5 = 0.5 * X5 - 1.0 - y5
    expected5 = [2 * np.mean(errors5 * X5), 2 * np.mean(errors5)]
    check_close(symbolic_gradients(X5, y5, 0.5, -1.0), expected5, what="symbolic_gradients on a small data set of its own, at another (w, b)")
    ### END HIDDEN TESTS
    """,
)

COMPARE_TEXT = md(
    "compare-text",
    """
    ### Three answers, one gradient

    By hand, by autograd, by algebra: if your three functions agree, the table below shows the
    same numbers three times. Each approach has its place: the hand formula is fastest but
    error-prone to derive; autograd works for any program you can run; the symbolic
    derivative is a formula you can read, simplify and reuse.
    """,
)

COMPARE = given(
    "compare",
    """
    for name, grad in [
        ("by hand", mse_gradients),
        ("autograd", autograd_gradients),
        ("symbolic", symbolic_gradients),
    ]:
        dw, db = grad(X, y, 1.0, 0.5)
        print(f"{name:>9}: dL/dw = {dw:9.5f}   dL/db = {db:9.5f}")
    """,
)

TASK6 = md(
    "task6",
    """
    ## Task 6: Gradient descent (15 points)

    Now walk downhill. Start at `w = b = 0`; in each step compute the loss and record it, get
    the gradient with your `mse_gradients` (the fastest of the three), and step against it:

    ```python
    w = w - learning_rate * dL_dw
    b = b - learning_rate * dL_db
    ```

    Write `gradient_descent(X, y, learning_rate, steps)` returning `(w, b, losses)`, where
    `losses[i]` is the MSE *before* step `i` (so `losses[0]` is the loss of the line `y = 0`).
    """,
)

GRADIENT_DESCENT = solution(
    "gradient-descent",
    '''
    def gradient_descent(X, y, learning_rate=0.05, steps=300):
        """Fit w and b by gradient descent from w = b = 0; returns (w, b, losses)."""
        ### BEGIN SOLUTION
        w, b = 0.0, 0.0
        losses = []
        for _ in range(steps):
            losses.append(mse(predict(X, w, b), y))
            dw, db = mse_gradients(X, y, w, b)
            w -= learning_rate * dw
            b -= learning_rate * db
        return w, b, losses
        ### END SOLUTION


    w_gd, b_gd, losses_gd = gradient_descent(X, y)
    print(f"gradient descent: y = {w_gd:.4f} x {b_gd:+.4f}   (final MSE {losses_gd[-1]:.4f})")
    ''',
)

TEST_GRADIENT_DESCENT = tests(
    "test-gradient-descent",
    8,
    """
    check_equal(len(losses_gd), 300, what="len(losses) for steps=300")
    check_decreasing(losses_gd, what="the losses of gradient_descent(X, y)", factor=0.1)
    check_close([w_gd, b_gd], [2.43, 4.03], atol=0.05, what="(w, b) from gradient_descent(X, y)")
    print("Task 6: visible tests passed")
    """,
)

TEST_GRADIENT_DESCENT_HIDDEN = tests(
    "test-gradient-descent-hidden",
    7,
    """
    # Hidden tests for Task 6 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    X6 = np.array([-1.0, 0.0, 1.0, 2.0])
    y6 = 3.0 - 2.0 * X6
    mse_at_start = float(mse(np.zeros_like(y6), y6))  # your own mse (Task 2) at w = b = 0
    w6, b6, losses6 = gradient_descent(X6, y6, learning_rate=0.1, steps=500)
    check_close(losses6[0], mse_at_start, what="the first recorded loss vs your own mse with w and b both zero")
    check_close([w6, b6], [-2.0, 3.0], atol=1e-4, what="the fitted (w, b) on points exactly on a line: it should find that line")
    w1, b1, losses1 = gradient_descent(X6, y6, learning_rate=0.1, steps=1)
    check_close([w1, b1], [-0.1 * 3.0, -0.1 * -4.0], what="(w, b) after a single step from zero", hint="one step moves w and b from zero by minus the learning rate times their gradients")
    ### END HIDDEN TESTS
    """,
)

TASK7 = md(
    "task7",
    r"""
    ## Task 7: The closed-form solution (10 points)

    For a line (and for any linear model) there is a shortcut: the best parameters solve a
    small linear system, the *normal equations*. Put a column of ones next to `X` to make the
    matrix $A = [X \;\; 1]$; the best $\theta = (w, b)$ satisfies

    $$A^\top A\,\theta = A^\top y.$$

    Write `closed_form(X, y)` returning `(w, b)` as floats. Use `np.linalg.solve` (or
    `np.linalg.lstsq`, which solves the same least-squares problem more robustly). Gradient
    descent should land on the same line (compare them yourself; the tests of this task check
    `closed_form` only).
    """,
)

CLOSED_FORM = solution(
    "closed-form",
    '''
    def closed_form(X, y):
        """The least-squares line (w, b), from the normal equations."""
        ### BEGIN SOLUTION
        A = np.column_stack([X, np.ones_like(X)])
        w, b = np.linalg.solve(A.T @ A, A.T @ y)
        return float(w), float(b)
        ### END SOLUTION


    w_best, b_best = closed_form(X, y)
    print(f"closed form:      y = {w_best:.4f} x {b_best:+.4f}")
    ''',
)

TEST_CLOSED_FORM = tests(
    "test-closed-form",
    5,
    """
    check_close(closed_form(X, y), np.polyfit(X, y, 1), what="closed_form(X, y) vs the least-squares line")
    print("Task 7: visible tests passed")
    """,
)

TEST_CLOSED_FORM_HIDDEN = tests(
    "test-closed-form-hidden",
    5,
    """
    # Hidden tests for Task 7 run here when your notebook is graded.
    ### BEGIN HIDDEN TESTS
    X7 = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    y7 = np.array([1.0, 2.5, 2.0, 4.5, 5.0])
    check_close(closed_form(X7, y7), [1.0, 1.0], what="closed_form on a small data set that no line fits exactly")
    check_close(closed_form(X7, -3.0 * X7 + 7.0), [-3.0, 7.0], what="closed_form on points exactly on a line: it should return that line")
    ### END HIDDEN TESTS
    """,
)

TASK8 = md(
    "task8",
    """
    ## Task 8: Plots (10 points)

    Pictures tell you at a glance whether training worked. Write
    `plot_fit(X, y, w, b, losses)` that makes a figure with two side-by-side axes
    (`fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))`) and returns the figure:

    * left: the data as a scatter plot (`left.scatter`, or `left.plot` with markers and no
      line, such as `"o"`) and the fitted line (`left.plot`) across the data;
    * right: the loss curve, one point per entry of `losses` (the list your
      `gradient_descent` from Task 6 returns);
    * label the x and y axes of both, and give each a title.
    """,
)

PLOT_FIT = solution(
    "plot-fit",
    '''
    def plot_fit(X, y, w, b, losses):
        """Scatter + fitted line on the left, the loss curve on the right; returns the figure."""
        ### BEGIN SOLUTION
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        left.scatter(X, y, s=15, label="data")
        ends = np.array([X.min(), X.max()])
        left.plot(ends, predict(ends, w, b), color="C1", label=f"y = {w:.2f} x {b:+.2f}")
        left.set_xlabel("X")
        left.set_ylabel("y")
        left.set_title("The fitted line")
        left.legend()
        right.plot(np.arange(len(losses)), losses)
        right.set_xlabel("step")
        right.set_ylabel("MSE")
        right.set_title("The loss curve")
        fig.tight_layout()
        return fig
        ### END SOLUTION


    fit_figure = plot_fit(X, y, w_gd, b_gd, losses_gd)
    ''',
)

TEST_PLOT_FIT = tests(
    "test-plot-fit",
    10,
    """
    check_equal(len(fit_figure.axes) >= 2, True, what="the figure has two axes")
    left, right = fit_figure.axes[:2]
    check_axes(left, scatter_points=50, lines=1, what="the left plot (data and line)")
    n_losses = len(losses_gd)  # one point per loss of your gradient_descent (Task 6)
    check_axes(right, line_points=n_losses, what="the right plot (one point per loss)")
    print("Task 8: visible tests passed")
    """,
)

WRAP_UP = md(
    "wrap-up",
    """
    ## What you learned

    You met one gradient in three guises and saw them agree, trained a model by following it,
    and checked the result against the exact answer. The closed form exists only for linear
    models; gradient descent works for any model you can differentiate, which is why the rest
    of the course runs on it. Next: a neural network that separates three spirals, where no
    straight line can help.
    """,
)


def build():
    """The source notebook (with solutions and hidden tests)."""
    return notebook(
        [
            INTRO,
            SETUP,
            DATA_TEXT,
            DATA,
            TASK1,
            PREDICT,
            TEST_PREDICT,
            TEST_PREDICT_HIDDEN,
            TASK2,
            MSE,
            TEST_MSE,
            TEST_MSE_HIDDEN,
            TASK3,
            MSE_GRADIENTS,
            TEST_MSE_GRADIENTS,
            TEST_MSE_GRADIENTS_HIDDEN,
            TASK4,
            AUTOGRAD_GRADIENTS,
            TEST_AUTOGRAD_GRADIENTS,
            TEST_AUTOGRAD_GRADIENTS_HIDDEN,
            TASK5,
            SYMBOLIC_DEMO,
            TASK5_HOW,
            SYMBOLIC_GRADIENTS,
            TEST_SYMBOLIC_GRADIENTS,
            TEST_SYMBOLIC_GRADIENTS_HIDDEN,
            COMPARE_TEXT,
            COMPARE,
            TASK6,
            GRADIENT_DESCENT,
            TEST_GRADIENT_DESCENT,
            TEST_GRADIENT_DESCENT_HIDDEN,
            TASK7,
            CLOSED_FORM,
            TEST_CLOSED_FORM,
            TEST_CLOSED_FORM_HIDDEN,
            TASK8,
            PLOT_FIT,
            TEST_PLOT_FIT,
            WRAP_UP,
        ]
    )


# The partially correct submission: predictions right; the MSE sums instead of averaging (so
# Task 2 fails; Task 6 compares its losses with the student's own mse, so it still passes); the
# hand gradient and gradient descent right; autograd and symbolic gradients, the closed form and the plot undone.
PARTIAL = {
    "predict": solved(PREDICT.source),
    "mse": replace_once(solved(MSE.source), "np.mean(errors**2)", "np.sum(errors**2)"),
    "mse-gradients": solved(MSE_GRADIENTS.source),
    "gradient-descent": solved(GRADIENT_DESCENT.source),
}

PARTIAL_POINTS = {
    "test-predict": 5,
    "test-predict-hidden": 5,
    "test-mse": 0,
    "test-mse-hidden": 0,
    "test-mse-gradients": 8,
    "test-mse-gradients-hidden": 7,
    "test-autograd-gradients": 0,
    "test-autograd-gradients-hidden": 0,
    "test-symbolic-gradients": 0,
    "test-symbolic-gradients-hidden": 0,
    "test-gradient-descent": 8,
    "test-gradient-descent-hidden": 7,
    "test-closed-form": 0,
    "test-closed-form-hidden": 0,
    "test-plot-fit": 0,
}
