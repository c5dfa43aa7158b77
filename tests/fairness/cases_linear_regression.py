"""Fairness cases for the linear_regression assignment: ten students and their fair grades.

Points per graded cell: predict 5 + 5, mse 5 + 5, mse-gradients 8 + 7, autograd-gradients
8 + 7, symbolic-gradients 8 + 7, gradient-descent 8 + 7, closed-form 5 + 5, plot-fit 10.
Task 6 uses the student's mse_gradients by the task text, so a wrong hand gradient leaves
Task 6 a range; everything else is judged on its own task only.
"""

from __future__ import annotations

from student import UNTOUCHED, Case, swap

ALT_ONE = {
    "predict": """
def predict(X, w, b):
    return np.array([w * x + b for x in X])
""",
    "mse": """
def mse(y_pred, y_true):
    n = len(y_true)
    return sum((p - t) ** 2 for p, t in zip(y_pred, y_true)) / n


print(mse(predict(X, 0.0, 0.0), y))
""",
    "mse-gradients": """
def mse_gradients(X, y, w, b):
    dw = db = 0.0
    for x, t in zip(X, y):
        error = w * x + b - t
        dw += 2 * error * x
        db += 2 * error
    return dw / len(X), db / len(X)
""",
    "closed-form": """
def closed_form(X, y):
    A = np.column_stack([X, np.ones(len(X))])
    (w, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    return float(w), float(b)


w_best, b_best = closed_form(X, y)
""",
    "plot-fit": """
def plot_fit(X, y, w, b, losses):
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(X, y, "o", label="data")  # a scatter plot drawn with plot()
    xs_line = np.linspace(X.min(), X.max(), 2)
    left.plot(xs_line, w * xs_line + b, "r-", label="fit")
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title("data and fit")
    right.plot(losses)
    right.set_xlabel("step")
    right.set_ylabel("loss")
    right.set_title("loss")
    return fig


fit_figure = plot_fit(X, y, w_gd, b_gd, losses_gd)
""",
}

ALT_TWO = {
    "autograd-gradients": """
def autograd_gradients(X, y, w, b):
    w, b = Value(w), Value(b)
    loss = Value(0.0)
    for i in range(len(X)):
        loss = loss + (w * float(X[i]) + b - float(y[i])) ** 2
    loss = loss / len(X)
    loss.backward()
    return w.grad, b.grad
""",
    "symbolic-gradients": """
def symbolic_gradients(X, y, w, b):
    e = Expression("se", "(m*x + b - t)**2", params={"m": w, "b": b})
    gm = np.asarray(e.gradient("m").eval(x=X, t=y), dtype=float)
    gb = np.asarray(e.gradient("b").eval(x=X, t=y), dtype=float)
    return float(gm.mean()), float(gb.mean())
""",
    "gradient-descent": """
def gradient_descent(X, y, learning_rate=0.05, steps=300):
    w = b = 0.0
    losses = []
    for step in range(steps):
        losses.append(mse(predict(X, w, b), y))
        dw, db = mse_gradients(X, y, w, b)
        w, b = w - learning_rate * dw, b - learning_rate * db
    return w, b, losses


w_gd, b_gd, losses_gd = gradient_descent(X, y)
""",
    "closed-form": """
def closed_form(X, y):
    A = np.c_[X, np.ones_like(X)]
    theta = np.linalg.inv(A.T @ A) @ A.T @ y
    return float(theta[0]), float(theta[1])


w_best, b_best = closed_form(X, y)
""",
}

NAIVE = {
    "mse": """
def mse(y_pred, y_true):
    total = 0.0
    for p, t in zip(list(y_pred), list(y_true)):
        total = total + (p - t) * (p - t)
    return float(total / len(y_pred))
""",
    "closed-form": """
def closed_form(X, y):
    x_mean, y_mean = np.mean(X), np.mean(y)
    w = np.sum((X - x_mean) * (y - y_mean)) / np.sum((X - x_mean) ** 2)
    return float(w), float(y_mean - w * x_mean)


w_best, b_best = closed_form(X, y)
""",
}

SLOW = {
    "gradient-descent": """
def gradient_descent(X, y, learning_rate=0.05, steps=300):
    w, b = 0.0, 0.0
    losses = []
    for _ in range(steps):
        losses.append(mse(predict(X, w, b), y))
        dw, db = autograd_gradients(X, y, w, b)  # a whole graph per step: slow, still right
        w -= learning_rate * dw
        b -= learning_rate * db
    return w, b, losses


w_gd, b_gd, losses_gd = gradient_descent(X, y)
""",
}

CASES = [
    Case(
        "lr-styles",
        "valid alternatives: a list comprehension, a loop for the gradient, lstsq, and the "
        'data drawn with left.plot(X, y, "o")',
        ALT_ONE,
    ),
    Case(
        "lr-styles-2",
        "valid alternatives: a loop-built Value loss, .mean() of arrays, tuple updates, inv()",
        ALT_TWO,
    ),
    Case(
        "lr-no-factor-2",
        "mse_gradients forgets the factor 2; the rest is right",
        {
            "mse-gradients": swap(
                "mse-gradients",
                "float(2.0 * np.mean(errors * X)), float(2.0 * np.mean(errors))",
                "float(np.mean(errors * X)), float(np.mean(errors))",
            )
        },
        points={
            "test-mse-gradients": 0,
            "test-mse-gradients-hidden": 0,
            "test-gradient-descent": (0, 8),
            "test-gradient-descent-hidden": (0, 7),
        },
        messages={"test-mse-gradients": ("mse_gradients", "w")},
    ),
    Case(
        "lr-sum",
        "mse sums the squared errors instead of averaging them",
        {"mse": swap("mse", "np.mean(errors**2)", "np.sum(errors**2)")},
        points={"test-mse": 0, "test-mse-hidden": 0},
        messages={"test-mse": ("mse([1, 2], [1, 4])", "average|mean")},
    ),
    Case(
        "lr-sign",
        "gradient descent walks uphill: w += learning_rate * dw",
        {
            "gradient-descent": swap(
                "gradient-descent",
                "w -= learning_rate",
                "w += learning_rate",
                "b -= learning_rate",
                "b += learning_rate",
            )
        },
        points={"test-gradient-descent": 0, "test-gradient-descent-hidden": 0},
        messages={"test-gradient-descent": ("losses", "sign")},
    ),
    Case(
        "lr-off-by-one",
        "gradient descent takes one step too many (range(steps + 1))",
        {
            "gradient-descent": swap(
                "gradient-descent", "for _ in range(steps):", "for _ in range(steps + 1):"
            )
        },
        points={"test-gradient-descent": 0, "test-gradient-descent-hidden": 0},
        messages={"test-gradient-descent": ("len(losses)", "300", "301")},
    ),
    Case(
        "lr-half-done",
        "Tasks 1-3 done, the rest left as released",
        {
            "autograd-gradients": UNTOUCHED,
            "symbolic-gradients": UNTOUCHED,
            "gradient-descent": UNTOUCHED,
            "closed-form": UNTOUCHED,
            "plot-fit": UNTOUCHED,
        },
        points={
            grade_id: 0
            for grade_id in (
                "test-autograd-gradients",
                "test-autograd-gradients-hidden",
                "test-symbolic-gradients",
                "test-symbolic-gradients-hidden",
                "test-gradient-descent",
                "test-gradient-descent-hidden",
                "test-closed-form",
                "test-closed-form-hidden",
                "test-plot-fit",
            )
        },
        messages={"test-closed-form": ("closed_form|NotImplementedError|unanswered",)},
    ),
    Case(
        "lr-naive",
        "numerically naive but correct: a float loop for the MSE, the slope as cov / var",
        NAIVE,
    ),
    Case(
        "lr-slow",
        "slow but correct: gradient descent asks autograd for every step's gradient",
        SLOW,
    ),
]
