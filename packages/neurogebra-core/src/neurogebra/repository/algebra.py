"""Algebra: the families of functions a model is built from and fitted with.

Example:
    >>> ENTRIES[1].formula
    'a*x**2 + b*x + c'
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "algebra")
POSITIVE_X = {"x": (0.1, 5.0)}

ENTRIES = [
    entry(
        "linear", "m*x + b",
        "A straight line with slope m and intercept b.",
        "Linear regression; the first model to train with gradient descent.",
        "all symbols: any real numbers", params={"m": 1.0, "b": 0.0},
    ),
    entry(
        "quadratic", "a*x**2 + b*x + c",
        "A parabola: opens upward when a > 0, downward when a < 0.",
        "Polynomial regression; the simplest loss landscape to study optimizers on.",
        "all symbols: any real numbers", params={"a": 1.0, "b": 0.0, "c": 0.0},
    ),
    entry(
        "cubic", "a*x**3 + b*x**2 + c*x + d",
        "A third-degree polynomial: an S-shaped curve with up to two turning points.",
        "Polynomial regression; smooth interpolation between points (cubic splines).",
        "all symbols: any real numbers", params={"a": 1.0, "b": 0.0, "c": 0.0, "d": 0.0},
    ),
    entry(
        "polynomial", "c0 + c1*x + c2*x**2 + c3*x**3 + c4*x**4",
        "A polynomial of degree four with coefficients c0..c4.",
        "Polynomial features and regression; seeing overfitting as the degree grows.",
        "all symbols: any real numbers",
        params={"c0": 0.0, "c1": 1.0, "c2": 0.0, "c3": 0.0, "c4": 0.0},
    ),
    entry(
        "power_law", "a*x**k",
        "a times x to the power k: doubling x multiplies the result by 2^k.",
        "Scaling laws (model size vs loss), allometry, frequency distributions.",
        "x > 0 (any real for whole-number k); a, k: any real numbers",
        sample=POSITIVE_X, params={"a": 1.0, "k": 2.0},
    ),
    entry(
        "exponential_growth", "a*exp(k*x)",
        "Starts at a and grows (k > 0) or decays (k < 0) by the same factor per unit of x.",
        "Population growth, radioactive decay, learning-rate schedules.",
        "all symbols: any real numbers", params={"a": 1.0, "k": 1.0},
    ),
    entry(
        "logarithmic", "a*log(x) + b",
        "A curve that keeps rising ever more slowly: each doubling of x adds a*log(2).",
        "Diminishing returns, e.g. accuracy against data-set size.",
        "x > 0; a, b: any real numbers", sample={"x": (0.1, 10.0)}, params={"a": 1.0, "b": 0.0},
    ),
    entry(
        "hyperbola", "a/(x - h) + k",
        "A reciprocal curve with a vertical asymptote at x = h and a horizontal one at k.",
        "Inverse relationships (time against speed); learning-curve models.",
        "x != h", sample={"x": (1.0, 3.0), "h": (-2.0, 0.0)},
        params={"a": 1.0, "h": 0.0, "k": 0.0},
    ),
    entry(
        "quadratic_root", "(-b + sqrt(b**2 - 4*a*c))/(2*a)",
        "The larger root of a*x^2 + b*x + c = 0 when a > 0 (the quadratic formula).",
        "Solving for where a parabola crosses zero.",
        "a != 0 and b^2 - 4ac >= 0",
        sample={"a": (0.5, 2.0), "c": (-2.0, -0.5)},
    ),
    entry(
        "geometric_series", "a*(1 - r**n)/(1 - r)",
        "The sum of n terms a, a*r, a*r^2, ...",
        "Discounted rewards in reinforcement learning; compound growth.",
        "r != 1 (0 < r < 1 for non-integer n); n >= 0",
        sample={"r": (0.1, 0.9), "n": (1.0, 10.0)},
    ),
    entry(
        "arithmetic_series", "n*(2*a + (n - 1)*d)/2",
        "The sum of n terms a, a + d, a + 2d, ...",
        "Counting operations, e.g. the pairs compared by a nested loop.",
        "n >= 0; a, d: any real numbers", sample={"n": (1.0, 10.0)},
    ),
    entry(
        "compound_interest", "P*(1 + r/n)**(n*t)",
        "What P grows to at yearly rate r, compounded n times a year, after t years.",
        "Finance; the limit n -> infinity gives continuous growth P*exp(r*t).",
        "P > 0; r > -n; n > 0; t >= 0",
        sample={"P": (1.0, 100.0), "r": (0.01, 0.2), "n": (1.0, 12.0), "t": (0.0, 10.0)},
    ),
    entry(
        "logistic_curve", "L/(1 + exp(-k*(x - x0)))",
        "An S-curve rising from 0 to L, steepest (slope k*L/4) at x = x0.",
        "Growth that saturates: adoption, epidemics, learning curves.",
        "all symbols: any real numbers; L, k > 0 for the usual shape",
        params={"L": 1.0, "k": 1.0, "x0": 0.0},
    ),
    entry(
        "absolute_value", "Abs(x)",
        "The distance of x from zero.",
        "Errors and norms; the building block of L1 penalties.",
        "x: any real number",
    ),
    entry(
        "reciprocal", "1/x",
        "One divided by x.",
        "Rates and inverse scaling (1/sqrt(n) initialization, 1/t schedules).",
        "x != 0", sample=POSITIVE_X,
    ),
    entry(
        "gaussian_function", "a*exp(-(x - b)**2/(2*c**2))",
        "A bell curve of height a, centred at b, with width c.",
        "Curve fitting of peaks; radial basis features.",
        "c != 0", sample={"c": (0.5, 2.0)}, params={"a": 1.0, "b": 0.0, "c": 1.0},
    ),
]  # fmt: skip
