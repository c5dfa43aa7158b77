"""Metrics: numbers that say how good a model is, for people rather than optimizers.

Classification metrics are written from the confusion-matrix counts (true/false positives and
negatives), which the formulas treat as real numbers so they can be differentiated too.

Example:
    >>> ENTRIES[0].formula
    '(tp + tn)/(tp + tn + fp + fn)'
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "metrics")
COUNTS = {name: (1.0, 50.0) for name in ("tp", "tn", "fp", "fn")}


def counts(*names: str) -> dict[str, tuple[float, float]]:
    """Sample ranges for the confusion-matrix counts a formula uses."""
    return {name: COUNTS[name] for name in names}


COUNT_DOMAIN = "tp, tn, fp, fn: counts (>= 0) with a non-zero denominator"

ENTRIES = [
    entry(
        "accuracy", "(tp + tn)/(tp + tn + fp + fn)",
        "The fraction of all predictions that are right.",
        "Balanced classification problems; the first number anyone asks for.",
        COUNT_DOMAIN, sample=COUNTS,
        pitfalls="Misleading on imbalanced data: always predicting the majority class of a "
        "99:1 problem scores 99%.",
    ),
    entry(
        "precision", "tp/(tp + fp)",
        "Of everything predicted positive, the fraction that really is positive.",
        "When false alarms are costly: spam filters, search results.",
        COUNT_DOMAIN, sample=counts("tp", "fp"),
    ),
    entry(
        "recall", "tp/(tp + fn)",
        "Of everything really positive, the fraction the model found (sensitivity).",
        "When misses are costly: disease screening, fraud detection.",
        COUNT_DOMAIN, sample=counts("tp", "fn"),
    ),
    entry(
        "f1_score", "2*tp/(2*tp + fp + fn)",
        "The harmonic mean of precision and recall: high only when both are high.",
        "Imbalanced classification; information extraction.",
        COUNT_DOMAIN, sample=counts("tp", "fp", "fn"),
    ),
    entry(
        "f_beta", "(1 + beta**2)*tp/((1 + beta**2)*tp + beta**2*fn + fp)",
        "A weighted harmonic mean of precision and recall in which recall counts beta times as "
        "much.",
        "Choosing the balance: F2 when misses hurt more, F0.5 when false alarms do.",
        COUNT_DOMAIN + "; beta > 0",
        sample={**counts("tp", "fp", "fn"), "beta": (0.5, 2.0)}, params={"beta": 1.0},
    ),
    entry(
        "balanced_accuracy", "(tp/(tp + fn) + tn/(tn + fp))/2",
        "The average of the recall on positives and the recall on negatives.",
        "Imbalanced data, where plain accuracy flatters a majority-class guesser.",
        COUNT_DOMAIN, sample=COUNTS,
    ),
    entry(
        "jaccard_index", "tp/(tp + fp + fn)",
        "Intersection over union of the predicted and the true positives.",
        "Segmentation and object detection (IoU).",
        COUNT_DOMAIN, sample=counts("tp", "fp", "fn"),
    ),
    entry(
        "matthews_corrcoef", "(tp*tn - fp*fn)/sqrt((tp + fp)*(tp + fn)*(tn + fp)*(tn + fn))",
        "The correlation between predicted and true labels: 1 perfect, 0 chance, -1 inverted.",
        "A single trustworthy number for imbalanced binary classification.",
        COUNT_DOMAIN, sample=COUNTS,
    ),
    entry(
        "r_squared", "1 - ss_res/ss_tot",
        "The fraction of the target's variance the model explains: 1 perfect, 0 no better "
        "than predicting the mean.",
        "Regression reports.",
        "ss_res >= 0; ss_tot > 0", sample={"ss_res": (0.0, 10.0), "ss_tot": (1.0, 10.0)},
        pitfalls="Can be negative on test data: the model is then worse than the mean.",
    ),
    entry(
        "adjusted_r_squared", "1 - (1 - r2)*(n - 1)/(n - k - 1)",
        "R^2 corrected for the number of features k and samples n, so adding useless features "
        "lowers it.",
        "Comparing regression models with different numbers of features.",
        "n > k + 1", sample={"r2": (0.0, 1.0), "n": (20.0, 100.0), "k": (1.0, 5.0)},
    ),
    entry(
        "absolute_percentage_error", "Abs((y_true - y_pred)/y_true)",
        "The error as a fraction of the true value; its average is MAPE.",
        "Forecasting, where relative errors are what people understand.",
        "y_true != 0", sample={"y_true": (1.0, 5.0)},
        pitfalls="Explodes for true values near 0 and punishes over-forecasts more.",
    ),
    entry(
        "symmetric_percentage_error", "2*Abs(y_pred - y_true)/(Abs(y_true) + Abs(y_pred))",
        "The error relative to the average size of prediction and truth; its mean is sMAPE.",
        "Forecasting competitions (M3, M4).",
        "y_true and y_pred not both 0", sample={"y_pred": (0.5, 5.0), "y_true": (0.5, 5.0)},
    ),
    entry(
        "cohen_kappa", "(p_o - p_e)/(1 - p_e)",
        "Agreement beyond chance: observed agreement p_o compared with the agreement p_e "
        "expected by chance.",
        "Rater agreement; classification on imbalanced data.",
        "p_e < 1", sample={"p_o": (0.0, 1.0), "p_e": (0.1, 0.8)},
    ),
    entry(
        "psnr", "10*log(max_value**2/mse)/log(10)",
        "Peak signal-to-noise ratio in decibels, from the largest possible pixel value and "
        "the mean squared error.",
        "Image reconstruction, compression and super-resolution.",
        "max_value > 0; mse > 0", sample={"max_value": (1.0, 255.0), "mse": (0.1, 10.0)},
    ),
]  # fmt: skip
