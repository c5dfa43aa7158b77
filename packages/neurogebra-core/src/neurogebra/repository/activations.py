"""Activation functions: the non-linearities applied inside and at the end of networks.

Multi-input activations (softmax) are written for a fixed, small number of inputs so that the
formula stays readable; the same pattern extends to any number.

Example:
    >>> ENTRIES[0].name, ENTRIES[0].formula
    ('relu', 'Max(0, x)')
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "activations")
ANY_X = "x: any real number"

ENTRIES = [
    entry(
        "relu", "Max(0, x)",
        "Rectified linear unit: positive inputs pass through unchanged, negative inputs become 0.",
        "The default activation of hidden layers: cheap, with slope 1 for every positive input.",
        ANY_X,
        pitfalls="A unit whose input is negative for every sample gets no gradient and stops "
        "learning (a 'dead' ReLU).",
    ),
    entry(
        "leaky_relu", "Max(alpha*x, x)",
        "ReLU with a small slope alpha for negative inputs instead of a flat zero.",
        "Hidden layers where dead ReLUs are a problem; GAN discriminators.",
        "x: any real number; 0 < alpha < 1", sample={"alpha": (0.01, 0.5)}, params={"alpha": 0.01},
    ),
    entry(
        "sigmoid", "1/(1 + exp(-x))",
        "Squeezes any real number into the interval (0, 1), so the output reads as a probability.",
        "The output unit of binary classifiers; the gates of LSTM and GRU cells.",
        ANY_X,
        pitfalls="It saturates: beyond |x| = 5 its slope is under 0.007, which stalls deep stacks.",
    ),
    entry(
        "tanh", "tanh(x)",
        "Squeezes any real number into (-1, 1); outputs are centred on zero.",
        "Hidden layers of small networks and recurrent cells.",
        ANY_X, pitfalls="Saturates for large |x| like sigmoid.",
    ),
    entry(
        "gelu", "x*(1 + erf(x/sqrt(2)))/2",
        "Gaussian error linear unit: x weighted by the chance that a standard normal value is "
        "below x, a smooth ReLU that lets small negative values through.",
        "Transformers (BERT, GPT and most of their descendants).",
        ANY_X,
    ),
    entry(
        "gelu_tanh", "x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))/2",
        "The tanh approximation of GELU: within about 0.001 of it, without the error function.",
        "Older transformer code (GPT-2) and hardware where erf is slow.",
        ANY_X,
    ),
    entry(
        "swish", "x/(1 + exp(-beta*x))",
        "x times sigmoid(beta*x): smooth, unbounded above, with a small dip below zero.",
        "EfficientNet and MobileNetV3; with beta = 1 it is also called SiLU.",
        "x: any real number; beta > 0", sample={"beta": (0.5, 2.0)}, params={"beta": 1.0},
    ),
    entry(
        "elu", "Piecewise((x, x > 0), (alpha*(exp(x) - 1), True))",
        "Exponential linear unit: identity for positive inputs, a curve that levels off at "
        "-alpha for negative ones.",
        "Deep networks, where its negative outputs keep mean activations near zero.",
        "x: any real number; alpha > 0", sample={"alpha": (0.5, 2.0)}, params={"alpha": 1.0},
    ),
    entry(
        "selu", "scale*Piecewise((x, x > 0), (alpha*(exp(x) - 1), True))",
        "Scaled ELU whose two constants make activations keep mean 0 and variance 1 from layer "
        "to layer.",
        "Self-normalizing fully connected networks (with LeCun-normal initialization).",
        "x: any real number; keep the default scale and alpha for self-normalization",
        sample={"scale": (1.0, 1.1), "alpha": (1.5, 1.8)},
        params={"scale": 1.0507009873554805, "alpha": 1.6732632423543772},
    ),
    entry(
        "celu", "Max(0, x) + Min(0, alpha*(exp(x/alpha) - 1))",
        "Continuously differentiable ELU: like ELU, but its slope is continuous at 0 for every "
        "alpha.",
        "A drop-in ELU replacement when alpha is tuned.",
        "x: any real number; alpha > 0", sample={"alpha": (0.5, 2.0)}, params={"alpha": 1.0},
    ),
    entry(
        "softplus", "log(1 + exp(x))",
        "A smooth ReLU: near 0 for very negative inputs, near x for large ones, always positive.",
        "Producing positive quantities (variances, rates); a smooth stand-in for ReLU.",
        ANY_X,
        pitfalls="Computed literally, exp(x) overflows above x = 709; stable code uses "
        "max(x, 0) + log(1 + exp(-|x|)).",
    ),
    entry(
        "softsign", "x/(1 + Abs(x))",
        "Squeezes into (-1, 1) like tanh but approaches the limits more slowly.",
        "An alternative to tanh whose gradient vanishes more gently.",
        ANY_X,
    ),
    entry(
        "mish", "x*tanh(log(1 + exp(x)))",
        "x times tanh(softplus(x)): smooth and non-monotonic, similar to swish.",
        "Vision models such as YOLOv4.",
        ANY_X,
    ),
    entry(
        "hard_sigmoid", "Max(0, Min(1, x/6 + 1/2))",
        "A straight-line sigmoid: 0 below -3, 1 above 3, a ramp in between.",
        "Mobile networks, where exp is expensive.",
        ANY_X,
    ),
    entry(
        "hard_tanh", "Max(-1, Min(1, x))",
        "Clips the input to [-1, 1], leaving it unchanged in between.",
        "A cheap tanh; bounded activations in quantized networks.",
        ANY_X,
    ),
    entry(
        "relu6", "Min(Max(0, x), 6)",
        "ReLU capped at 6.",
        "MobileNet; the cap keeps activations in a range low-precision numbers represent well.",
        ANY_X,
    ),
    entry(
        "hard_swish", "x*Min(Max(0, x + 3), 6)/6",
        "x times hard_sigmoid(x): swish built from straight lines.",
        "MobileNetV3.",
        ANY_X,
    ),
    entry(
        "softmax", "exp(z1)/(exp(z1) + exp(z2) + exp(z3))",
        "The probability softmax gives the first of three scores: its exponential divided by the "
        "sum of the exponentials of all three. The three probabilities add up to 1.",
        "The output layer of multi-class classifiers; attention weights.",
        "z1, z2, z3: any real numbers",
        pitfalls="Subtract the largest score from every score before exponentiating; the "
        "probabilities don't change and nothing overflows.",
    ),
    entry(
        "identity", "x",
        "Returns its input unchanged (the 'linear' activation).",
        "The output layer of regression networks.",
        ANY_X,
    ),
    entry(
        "gaussian", "exp(-x**2)",
        "A bell curve: 1 at x = 0, falling towards 0 on both sides.",
        "Radial basis function networks.",
        ANY_X,
    ),
    entry(
        "bent_identity", "(sqrt(x**2 + 1) - 1)/2 + x",
        "Close to x for small inputs and bending to slope 1/2 or 3/2 for large ones; smooth "
        "and unbounded.",
        "Regression networks that need a gently non-linear, never-flat activation.",
        ANY_X,
    ),
    entry(
        "log_sigmoid", "-log(1 + exp(-x))",
        "The logarithm of sigmoid(x); always negative.",
        "Log-probabilities in binary losses, where it is steadier than log(sigmoid(x)).",
        ANY_X,
    ),
    entry(
        "sine", "sin(x)",
        "The sine function as an activation: periodic, between -1 and 1.",
        "Implicit neural representations (SIREN) that fit images and signals.",
        ANY_X,
    ),
    entry(
        "tanhshrink", "x - tanh(x)",
        "What is left of x after removing tanh(x): near 0 for small inputs, near x - 1 or "
        "x + 1 for large ones.",
        "Sparse coding and denoising models.",
        ANY_X,
    ),
]  # fmt: skip
