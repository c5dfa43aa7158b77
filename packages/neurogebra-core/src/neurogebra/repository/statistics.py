"""Statistics: summaries of data and the densities of common distributions.

Summaries are written from the running totals they are computed from (a sum and a count, the
mean of squares and the mean), so that each one is a plain formula of a few numbers.

Example:
    >>> ENTRIES[0].formula
    'total/n'
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "statistics")
SPREAD = {"sigma": (0.3, 3.0)}
MOMENTS = {"mean": (-1.0, 1.0), "mean_sq": (1.5, 3.0)}

ENTRIES = [
    entry(
        "mean", "total/n",
        "The average: the sum of the values divided by how many there are.",
        "Summarizing data; every 'mean' loss averages per-sample losses this way.",
        "n > 0 (a count)", sample={"total": (-10.0, 10.0), "n": (1.0, 20.0)},
    ),
    entry(
        "variance", "mean_sq - mean**2",
        "Population variance: the mean of the squares minus the square of the mean.",
        "Measuring spread; batch normalization computes it per feature.",
        "mean_sq >= mean^2 (true of any data)", sample=MOMENTS,
        pitfalls="When the spread is tiny compared to the mean, the subtraction loses digits; "
        "subtract the mean from the data first.",
    ),
    entry(
        "std_dev", "sqrt(mean_sq - mean**2)",
        "Standard deviation: the square root of the variance, in the data's own units.",
        "Standardizing features; error bars.",
        "mean_sq > mean^2", sample=MOMENTS,
    ),
    entry(
        "gaussian_pdf", "exp(-(x - mu)**2/(2*sigma**2))/(sigma*sqrt(2*pi))",
        "The density of the normal distribution with mean mu and standard deviation sigma.",
        "Modelling noise; Gaussian likelihoods; initialization.",
        "x, mu: any real numbers; sigma > 0", sample=SPREAD, params={"mu": 0.0, "sigma": 1.0},
    ),
    entry(
        "gaussian_log_pdf", "-log(sigma) - log(2*pi)/2 - (x - mu)**2/(2*sigma**2)",
        "The logarithm of the normal density: what maximum-likelihood fitting maximizes.",
        "Regression with a learned noise level; Gaussian policies in reinforcement learning.",
        "x, mu: any real numbers; sigma > 0", sample=SPREAD, params={"mu": 0.0, "sigma": 1.0},
    ),
    entry(
        "laplace_pdf", "exp(-Abs(x - mu)/b)/(2*b)",
        "The density of the Laplace distribution: a sharp peak at mu with exponential tails.",
        "The noise model behind absolute-error regression; differential privacy.",
        "x, mu: any real numbers; b > 0", sample={"b": (0.3, 3.0)}, params={"mu": 0.0, "b": 1.0},
    ),
    entry(
        "exponential_pdf", "lambda_*exp(-lambda_*x)",
        "The density of waiting times between events that happen at rate lambda_.",
        "Survival and queueing models.",
        "x >= 0; lambda_ > 0", sample={"x": (0.0, 5.0), "lambda_": (0.2, 3.0)},
        params={"lambda_": 1.0},
    ),
    entry(
        "cauchy_pdf", "1/(pi*gamma*(1 + ((x - x0)/gamma)**2))",
        "The density of the Cauchy distribution: bell-shaped, with tails so heavy it has no mean.",
        "Robust statistics; showing when averages fail.",
        "x, x0: any real numbers; gamma > 0", sample={"gamma": (0.2, 3.0)},
        params={"x0": 0.0, "gamma": 1.0},
    ),
    entry(
        "logistic_pdf", "exp(-(x - mu)/s)/(s*(1 + exp(-(x - mu)/s))**2)",
        "The density of the logistic distribution, whose cumulative curve is the sigmoid.",
        "The probabilistic reading of logistic regression.",
        "x, mu: any real numbers; s > 0", sample={"s": (0.3, 3.0)}, params={"mu": 0.0, "s": 1.0},
    ),
    entry(
        "binary_entropy", "-(p*log(p) + (1 - p)*log(1 - p))",
        "The uncertainty, in nats, of an event with probability p; largest (log 2) at p = 1/2.",
        "Decision-tree splits; the entropy of coin-flip predictions.",
        "0 < p < 1", sample={"p": (0.05, 0.95)},
    ),
    entry(
        "covariance_term", "(x - mean_x)*(y - mean_y)",
        "One sample's contribution to the covariance of x and y; their average is the "
        "covariance.",
        "Correlation, PCA, covariance matrices.",
        "all symbols: any real numbers",
    ),
    entry(
        "weighted_mean", "(w1*x1 + w2*x2)/(w1 + w2)",
        "The average of two values where each counts in proportion to its weight.",
        "Class-weighted losses; combining estimates of different reliability.",
        "w1 + w2 != 0 (usually both > 0)", sample={"w1": (0.1, 2.0), "w2": (0.1, 2.0)},
    ),
    entry(
        "standard_error", "sigma/sqrt(n)",
        "How far the mean of n samples typically lands from the true mean.",
        "Error bars on accuracy; deciding how many runs or samples are enough.",
        "sigma >= 0; n > 0", sample={**SPREAD, "n": (1.0, 100.0)},
    ),
    entry(
        "bessel_correction", "variance*n/(n - 1)",
        "The population variance of n samples rescaled into an unbiased estimate of the "
        "variance of what they were drawn from.",
        "Sample variance (numpy.var with ddof=1).",
        "n > 1; variance >= 0", sample={"variance": (0.1, 5.0), "n": (2.0, 50.0)},
    ),
    entry(
        "correlation", "cov/(sigma_x*sigma_y)",
        "Pearson correlation: covariance divided by both standard deviations, between -1 and 1.",
        "Feature analysis; checking which inputs move together.",
        "sigma_x, sigma_y > 0", sample={"sigma_x": (0.5, 2.0), "sigma_y": (0.5, 2.0)},
    ),
    entry(
        "bernoulli_pmf", "p**k*(1 - p)**(1 - k)",
        "The probability of outcome k (1 or 0) for a coin that lands 1 with probability p.",
        "The likelihood behind binary cross-entropy.",
        "0 < p < 1; k: 0 or 1", sample={"p": (0.1, 0.9), "k": (0.0, 1.0)},
    ),
]  # fmt: skip
