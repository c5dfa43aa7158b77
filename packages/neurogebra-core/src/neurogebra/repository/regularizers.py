"""Regularizers: penalties added to a loss to keep a model simple.

A penalty is written for one weight (or a small group); the total penalty sums it over the
weights.

Example:
    >>> ENTRIES[1].formula
    'lambda_*w**2'
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "regularizers")
STRENGTH = {"lambda_": (0.001, 1.0)}
WEIGHT = "w: any real number; lambda_ >= 0"

ENTRIES = [
    entry(
        "l1", "lambda_*Abs(w)",
        "Lasso penalty: lambda times the size of a weight.",
        "Sparse models: it pushes unhelpful weights to exactly zero (feature selection).",
        WEIGHT, sample=STRENGTH, params={"lambda_": 0.01},
    ),
    entry(
        "l2", "lambda_*w**2",
        "Ridge penalty (weight decay): lambda times the square of a weight.",
        "Almost every neural network and linear model: it keeps weights small and smooth.",
        WEIGHT, sample=STRENGTH, params={"lambda_": 0.01},
    ),
    entry(
        "elastic_net", "lambda_*(l1_ratio*Abs(w) + (1 - l1_ratio)*w**2)",
        "A blend of L1 and L2: l1_ratio of lasso and the rest of ridge.",
        "Correlated features, where pure L1 picks one at random and elastic net keeps groups.",
        "w: any real number; lambda_ >= 0; 0 <= l1_ratio <= 1",
        sample={**STRENGTH, "l1_ratio": (0.0, 1.0)}, params={"lambda_": 0.01, "l1_ratio": 0.5},
    ),
    entry(
        "l1_vector", "lambda_*(Abs(w1) + Abs(w2) + Abs(w3))",
        "The L1 penalty of a three-weight vector: lambda times the sum of the weights' sizes.",
        "Seeing how lasso treats each weight of a layer separately.",
        "w1, w2, w3: any real numbers; lambda_ >= 0", sample=STRENGTH, params={"lambda_": 0.01},
    ),
    entry(
        "l2_vector", "lambda_*(w1**2 + w2**2 + w3**2)",
        "The L2 penalty of a three-weight vector: lambda times its squared length.",
        "Weight decay over a whole layer.",
        "w1, w2, w3: any real numbers; lambda_ >= 0", sample=STRENGTH, params={"lambda_": 0.01},
    ),
    entry(
        "group_lasso", "lambda_*sqrt(w1**2 + w2**2)",
        "lambda times the length of a group of weights: the group is pushed to zero as a whole.",
        "Removing whole features, channels or neurons at once (structured sparsity).",
        "w1, w2: any real numbers, not both 0 for the gradient; lambda_ >= 0",
        sample=STRENGTH, params={"lambda_": 0.01},
    ),
    entry(
        "max_norm_penalty", "lambda_*Max(0, sqrt(w1**2 + w2**2) - c)**2",
        "No penalty while a weight vector is shorter than c, a quadratic one beyond.",
        "A soft version of max-norm constraints, used with dropout.",
        "w1, w2: any real numbers; c > 0; lambda_ >= 0",
        sample={**STRENGTH, "c": (0.5, 2.0)}, params={"lambda_": 0.01, "c": 1.0},
    ),
    entry(
        "pseudo_huber_penalty", "lambda_*(sqrt(w**2 + epsilon**2) - epsilon)",
        "A smooth L1 penalty: quadratic for tiny weights, like lambda*|w| for large ones.",
        "L1-style sparsity with optimizers that need a gradient at 0.",
        "w: any real number; epsilon > 0; lambda_ >= 0",
        sample={**STRENGTH, "epsilon": (0.01, 1.0)}, params={"lambda_": 0.01, "epsilon": 0.01},
    ),
    entry(
        "log_penalty", "lambda_*log(1 + Abs(w)/epsilon)",
        "Log-sum penalty: grows quickly for small weights and slowly for large ones.",
        "Sparse recovery that shrinks large weights less than L1 does.",
        "w: any real number; epsilon > 0; lambda_ >= 0",
        sample={**STRENGTH, "epsilon": (0.1, 1.0)}, params={"lambda_": 0.01, "epsilon": 0.1},
    ),
    entry(
        "total_variation", "lambda_*(Abs(w2 - w1) + Abs(w3 - w2))",
        "Penalizes changes between neighbouring values, favouring piecewise-constant signals.",
        "Image denoising; smooth time-varying coefficients.",
        "w1, w2, w3: any real numbers; lambda_ >= 0", sample=STRENGTH, params={"lambda_": 0.01},
    ),
    entry(
        "inverted_dropout", "mask*x/(1 - p)",
        "A unit's output under inverted dropout: mask is 1 if the unit is kept, 0 if dropped "
        "(with probability p), and kept outputs are scaled by 1/(1 - p) to keep the average.",
        "Dropout layers during training; at test time the unit is used unchanged.",
        "x: any real number; mask: 0 or 1; 0 <= p < 1",
        sample={"mask": (0.0, 1.0), "p": (0.1, 0.9)},
    ),
    entry(
        "gaussian_kl", "(mu**2 + sigma**2 - log(sigma**2) - 1)/2",
        "KL divergence of a normal distribution N(mu, sigma^2) from the standard normal.",
        "The regularization term of variational autoencoders.",
        "mu: any real number; sigma > 0", sample={"sigma": (0.2, 3.0)},
    ),
    entry(
        "label_smoothing", "(1 - epsilon)*y + epsilon/k",
        "A one-hot target y softened: epsilon of the probability is spread over all k classes.",
        "Classification networks (image models, transformers) to curb over-confidence.",
        "y: 0 or 1; k: number of classes (>= 2); 0 <= epsilon < 1",
        sample={"y": (0.0, 1.0), "k": (2.0, 10.0), "epsilon": (0.0, 0.5)},
        params={"epsilon": 0.1},
    ),
    entry(
        "entropy_bonus", "-beta*(p*log(p) + (1 - p)*log(1 - p))",
        "beta times the entropy of a two-way choice with probability p: largest at p = 1/2.",
        "Reinforcement learning, rewarding policies that keep exploring.",
        "0 < p < 1; beta >= 0",
        sample={"p": (0.05, 0.95), "beta": (0.001, 1.0)}, params={"beta": 0.01},
    ),
]  # fmt: skip
