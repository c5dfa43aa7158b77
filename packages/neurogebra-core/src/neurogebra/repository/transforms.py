"""Transforms: reshaping data before (or inside) a model.

Example:
    >>> ENTRIES[1].formula
    '(x - mu)/sigma'
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "transforms")
RANGE = {"x_min": (-2.0, -1.0), "x_max": (1.0, 2.0)}

ENTRIES = [
    entry(
        "min_max_scaling", "(x - x_min)/(x_max - x_min)",
        "Maps the range [x_min, x_max] onto [0, 1].",
        "Scaling features with known bounds (pixels, percentages).",
        "x_max > x_min", sample=RANGE,
        pitfalls="One extreme outlier squeezes every other value into a tiny interval.",
    ),
    entry(
        "standardization", "(x - mu)/sigma",
        "The z-score: how many standard deviations x lies above the mean.",
        "Preparing features for gradient descent, so every feature has a similar scale.",
        "sigma > 0", sample={"sigma": (0.5, 2.0)},
        pitfalls="Compute mu and sigma on the training set only, then reuse them on test data.",
    ),
    entry(
        "mean_normalization", "(x - mu)/(x_max - x_min)",
        "Centres x on the mean and divides by the range, giving values within [-1, 1].",
        "Feature scaling when a zero mean matters and the range is known.",
        "x_max > x_min", sample=RANGE,
    ),
    entry(
        "rescale_to_range", "a + (x - x_min)*(b - a)/(x_max - x_min)",
        "Maps [x_min, x_max] onto any target interval [a, b].",
        "Scaling to [-1, 1] for tanh outputs, or back to physical units.",
        "x_max > x_min", sample=RANGE,
    ),
    entry(
        "log1p_transform", "log(1 + x)",
        "The logarithm of 1 + x: compresses large values while keeping 0 at 0.",
        "Skewed, non-negative features (counts, incomes, prices).",
        "x > -1", sample={"x": (0.0, 10.0)},
    ),
    entry(
        "box_cox", "(x**lambda_ - 1)/lambda_",
        "A family of power transforms that makes positive, skewed data closer to normal.",
        "Regression with skewed targets; variance stabilization.",
        "x > 0; lambda_ != 0 (the limit lambda_ -> 0 is log x)",
        sample={"x": (0.5, 5.0), "lambda_": (0.2, 2.0)}, params={"lambda_": 0.5},
    ),
    entry(
        "yeo_johnson_positive", "((x + 1)**lambda_ - 1)/lambda_",
        "The Yeo-Johnson power transform for x >= 0: Box-Cox shifted so that 0 is allowed.",
        "Making non-negative skewed features more normal (scikit-learn's PowerTransformer).",
        "x >= 0; lambda_ != 0", sample={"x": (0.0, 5.0), "lambda_": (0.2, 2.0)},
        params={"lambda_": 0.5},
    ),
    entry(
        "logit", "log(p/(1 - p))",
        "The log-odds of a probability: the inverse of the sigmoid.",
        "Turning probabilities back into scores; logistic regression's linear scale.",
        "0 < p < 1", sample={"p": (0.05, 0.95)},
    ),
    entry(
        "clip", "Min(Max(x, low), high)",
        "Keeps x inside [low, high], replacing values outside by the nearest bound.",
        "Capping outliers; clipping probabilities away from 0 and 1 before a log.",
        "low <= high", sample={"low": (-2.0, -1.0), "high": (1.0, 2.0)},
    ),
    entry(
        "sqrt_transform", "sqrt(x)",
        "The square root: a gentler compression than the log.",
        "Count data, whose variance grows with the mean.",
        "x >= 0", sample={"x": (0.1, 10.0)},
    ),
    entry(
        "signed_log", "sign(x)*log(1 + Abs(x))",
        "A log compression that works on negative numbers too, keeping the sign.",
        "Heavy-tailed features or rewards that can be negative.",
        "x: any real number",
    ),
    entry(
        "arcsinh_transform", "asinh(x)",
        "The inverse hyperbolic sine: like x near 0 and like a log for large |x|.",
        "Compressing wide-ranging signed data (finance, astronomy).",
        "x: any real number",
    ),
    entry(
        "temperature_softmax", "exp(z1/T)/(exp(z1/T) + exp(z2/T))",
        "The probability of the first of two scores after dividing them by a temperature T: "
        "T > 1 flattens the choice, T < 1 sharpens it.",
        "Sampling from language models; knowledge distillation.",
        "z1, z2: any real numbers; T > 0", sample={"T": (0.5, 3.0)}, params={"T": 1.0},
    ),
    entry(
        "fourier_feature", "sin(omega*x + phi)",
        "A sinusoidal feature of x with frequency omega and phase phi.",
        "Random Fourier features; positional encodings in transformers.",
        "all symbols: any real numbers", params={"omega": 1.0, "phi": 0.0},
    ),
    entry(
        "l2_normalize", "x1/sqrt(x1**2 + x2**2)",
        "The first component of a two-component vector scaled to length 1.",
        "Normalizing embeddings before a cosine similarity.",
        "x1, x2 not both 0",
    ),
]  # fmt: skip
