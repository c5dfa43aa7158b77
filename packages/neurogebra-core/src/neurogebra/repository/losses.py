"""Loss functions: how wrong one prediction is.

Each formula is the loss of a single sample (``y_pred`` against ``y_true`` for most); averaging
it over a batch gives the usual loss (the mean of ``mse`` is the mean squared error). This keeps
the formulas elementwise, so they evaluate on whole arrays at once.

Example:
    >>> [e.name for e in ENTRIES][:3]
    ['mse', 'mae', 'huber']
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "losses")
REAL = "y_pred, y_true: any real numbers"
PROBABILITY = {"y_pred": (0.02, 0.98), "y_true": (0.0, 1.0)}
SIGNED_LABEL = "y_true: the label, -1 or +1; y_pred: a real-valued score"

ENTRIES = [
    entry(
        "mse", "(y_pred - y_true)**2",
        "The squared error of one prediction; its average over the data is the mean squared "
        "error (MSE).",
        "Regression: the standard loss for fitting continuous targets.",
        REAL, pitfalls="Squaring lets a few large errors (outliers) dominate the fit.",
    ),
    entry(
        "mae", "Abs(y_pred - y_true)",
        "The absolute error of one prediction; its average is the mean absolute error (MAE).",
        "Regression with outliers: errors count in proportion to their size, not its square.",
        REAL, pitfalls="The slope is always +1 or -1, so steps don't get smaller near the optimum.",
    ),
    entry(
        "huber", "Piecewise((0.5*(y_pred - y_true)**2, Abs(y_pred - y_true) <= delta), "
        "(delta*(Abs(y_pred - y_true) - 0.5*delta), True))",
        "Half the squared error while the error is within delta, a straight line (slope delta) "
        "beyond it: MSE near the target, MAE far from it.",
        "Robust regression; value targets in reinforcement learning.",
        "y_pred, y_true: any real numbers; delta > 0",
        sample={"delta": (0.5, 2.0)}, params={"delta": 1.0},
    ),
    entry(
        "smooth_l1", "Piecewise((0.5*(y_pred - y_true)**2/beta, Abs(y_pred - y_true) < beta), "
        "(Abs(y_pred - y_true) - 0.5*beta, True))",
        "Huber loss divided by its threshold beta: the slope for large errors is 1 whatever "
        "beta is.",
        "Bounding-box regression in object detectors.",
        "y_pred, y_true: any real numbers; beta > 0",
        sample={"beta": (0.5, 2.0)}, params={"beta": 1.0},
    ),
    entry(
        "log_cosh", "log(cosh(y_pred - y_true))",
        "About half the squared error for small errors and the absolute error (minus log 2) for "
        "large ones, smooth everywhere.",
        "Regression that wants Huber's robustness with a smooth second derivative.",
        REAL, pitfalls="cosh overflows for errors above about 710.",
    ),
    entry(
        "binary_cross_entropy", "-(y_true*log(y_pred) + (1 - y_true)*log(1 - y_pred))",
        "How surprised a model is by the label y_true after predicting probability y_pred for "
        "the positive class.",
        "Binary classification with a sigmoid output; multi-label classification.",
        "0 < y_pred < 1; 0 <= y_true <= 1 (usually exactly 0 or 1)", sample=PROBABILITY,
    ),
    entry(
        "cross_entropy", "-(y1*log(p1) + y2*log(p2) + y3*log(p3))",
        "Cross-entropy between a target distribution y1..y3 (one-hot or smoothed) and the "
        "predicted class probabilities p1..p3.",
        "Multi-class classification with a softmax output.",
        "p1, p2, p3 in (0, 1) summing to 1; y1, y2, y3 in [0, 1] summing to 1",
        sample={"p1": (0.05, 0.95), "p2": (0.05, 0.95), "p3": (0.05, 0.95),
                "y1": (0.0, 1.0), "y2": (0.0, 1.0), "y3": (0.0, 1.0)},
    ),
    entry(
        "hinge", "Max(0, 1 - y_true*y_pred)",
        "Zero once the score has the label's sign with a margin of at least 1; grows linearly "
        "otherwise.",
        "Support vector machines and maximum-margin classifiers.",
        SIGNED_LABEL,
    ),
    entry(
        "squared_hinge", "Max(0, 1 - y_true*y_pred)**2",
        "The hinge loss squared: smooth at the margin and harsher on large violations.",
        "L2-SVMs (the default loss of scikit-learn's LinearSVC).",
        SIGNED_LABEL,
    ),
    entry(
        "kl_divergence", "p*log(p/q)",
        "One outcome's term of the Kullback-Leibler divergence of q from p; summed over "
        "outcomes it measures how much q misrepresents p.",
        "Variational autoencoders, knowledge distillation, policy updates (PPO, TRPO).",
        "p, q in (0, 1]", sample={"p": (0.05, 0.95), "q": (0.05, 0.95)},
        pitfalls="It is not symmetric: KL(p||q) and KL(q||p) differ.",
    ),
    entry(
        "poisson", "y_pred - y_true*log(y_pred)",
        "Negative log-likelihood of the count y_true under a Poisson rate y_pred (leaving out "
        "the constant log(y_true!)).",
        "Count regression: visits, clicks, events per hour.",
        "y_pred > 0; y_true >= 0", sample={"y_pred": (0.1, 5.0), "y_true": (0.0, 5.0)},
    ),
    entry(
        "quantile", "Max(tau*(y_true - y_pred), (tau - 1)*(y_true - y_pred))",
        "Pinball loss: under-predictions cost tau per unit, over-predictions 1 - tau, so the "
        "best constant prediction is the tau-quantile.",
        "Forecasting prediction intervals (e.g. the 10th and 90th percentiles).",
        "y_pred, y_true: any real numbers; 0 < tau < 1",
        sample={"tau": (0.1, 0.9)}, params={"tau": 0.5},
    ),
    entry(
        "focal", "-alpha*(1 - p)**gamma*log(p)",
        "Cross-entropy of the true class's probability p, scaled down by (1 - p)^gamma so that "
        "well-classified examples count less.",
        "Dense object detection (RetinaNet) and other heavily imbalanced problems.",
        "0 < p < 1; alpha > 0; gamma >= 0",
        sample={"p": (0.05, 0.95), "alpha": (0.1, 1.0), "gamma": (0.5, 3.0)},
        params={"alpha": 0.25, "gamma": 2.0},
    ),
    entry(
        "logistic", "log(1 + exp(-y_true*y_pred))",
        "Logistic loss for a label of -1 or +1 and a real score: the negative log-probability "
        "that logistic regression gives the label.",
        "Logistic regression written with signed labels; gradient boosting.",
        SIGNED_LABEL,
    ),
    entry(
        "exponential", "exp(-y_true*y_pred)",
        "Exponential loss: grows exponentially with how confidently wrong the score is.",
        "AdaBoost, which can be derived as minimizing it.",
        SIGNED_LABEL, pitfalls="Very sensitive to mislabelled examples.",
    ),
    entry(
        "msle", "(log(1 + y_pred) - log(1 + y_true))**2",
        "Squared difference of log(1 + value): penalizes relative errors, so 100 vs 110 costs "
        "about as much as 10 vs 11.",
        "Targets spanning orders of magnitude (prices, populations).",
        "y_pred, y_true > -1 (normally >= 0)", sample={"y_pred": (0.0, 5.0), "y_true": (0.0, 5.0)},
    ),
    entry(
        "epsilon_insensitive", "Max(0, Abs(y_pred - y_true) - epsilon)",
        "Ignores errors smaller than epsilon and counts the excess linearly.",
        "Support vector regression.",
        "y_pred, y_true: any real numbers; epsilon >= 0",
        sample={"epsilon": (0.05, 1.0)}, params={"epsilon": 0.1},
    ),
]  # fmt: skip
