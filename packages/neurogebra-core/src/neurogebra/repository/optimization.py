"""Optimization: the update rules and learning-rate schedules of training.

Each formula is one step for one parameter ``w`` with gradient ``grad``; an optimizer applies
it to every parameter.

Example:
    >>> ENTRIES[0].formula
    'w - lr*grad'
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "optimization")
RATE = {"lr": (0.001, 0.5)}

ENTRIES = [
    entry(
        "gradient_descent_step", "w - lr*grad",
        "Move the parameter a small step (the learning rate) against its gradient.",
        "The update of plain (stochastic) gradient descent.",
        "lr > 0", sample=RATE, params={"lr": 0.01},
        pitfalls="Too large a learning rate overshoots and diverges; too small crawls.",
    ),
    entry(
        "momentum_step", "w - lr*(mu*v + grad)",
        "A momentum SGD step: the velocity (the previous velocity v decayed by mu, plus the new "
        "gradient) replaces the raw gradient.",
        "Training networks faster through ravines than plain SGD.",
        "lr > 0; 0 <= mu < 1", sample={**RATE, "mu": (0.5, 0.99)},
        params={"lr": 0.01, "mu": 0.9},
    ),
    entry(
        "nesterov_step", "w - lr*(grad + mu*(mu*v + grad))",
        "Nesterov momentum: step along the gradient plus the velocity it is about to have.",
        "SGD with Nesterov momentum, often a little faster than plain momentum.",
        "lr > 0; 0 <= mu < 1", sample={**RATE, "mu": (0.5, 0.99)},
        params={"lr": 0.01, "mu": 0.9},
    ),
    entry(
        "adam_first_moment", "beta1*m + (1 - beta1)*grad",
        "Adam's running average of gradients (an exponential moving average).",
        "Adam and AdamW.",
        "0 <= beta1 < 1", sample={"beta1": (0.5, 0.99)}, params={"beta1": 0.9},
    ),
    entry(
        "adam_second_moment", "beta2*v + (1 - beta2)*grad**2",
        "Adam's running average of squared gradients: the scale of recent gradients.",
        "Adam, AdamW (and, with its own decay, RMSProp).",
        "0 <= beta2 < 1", sample={"beta2": (0.9, 0.999)}, params={"beta2": 0.999},
    ),
    entry(
        "adam_bias_correction", "m/(1 - beta1**t)",
        "Undoes the pull towards zero of a moving average that started at 0, after t steps.",
        "Adam's first steps, which would otherwise be far too small.",
        "t >= 1; 0 <= beta1 < 1", sample={"t": (1.0, 100.0), "beta1": (0.5, 0.99)},
        params={"beta1": 0.9},
    ),
    entry(
        "adam_step", "w - lr*(m/(1 - beta1**t))/(sqrt(v/(1 - beta2**t)) + epsilon)",
        "An Adam step: the bias-corrected average gradient divided by the bias-corrected "
        "root-mean-square gradient, so each parameter moves about lr per step.",
        "The default optimizer of deep learning.",
        "v >= 0; t >= 1; lr, epsilon > 0; 0 <= beta1, beta2 < 1",
        sample={**RATE, "v": (0.01, 1.0), "t": (1.0, 100.0), "beta1": (0.5, 0.99),
                "beta2": (0.9, 0.999), "epsilon": (1e-8, 1e-3)},
        params={"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
    ),
    entry(
        "rmsprop_step", "w - lr*grad/(sqrt(s) + epsilon)",
        "An RMSProp step: the gradient divided by the root of its running mean square s.",
        "Recurrent networks and reinforcement learning.",
        "s >= 0; lr, epsilon > 0", sample={**RATE, "s": (0.01, 1.0), "epsilon": (1e-8, 1e-3)},
        params={"lr": 0.001, "epsilon": 1e-8},
    ),
    entry(
        "adagrad_step", "w - lr*grad/sqrt(G + epsilon)",
        "An AdaGrad step: the gradient divided by the root of the sum G of all past squared "
        "gradients, so frequently updated parameters slow down.",
        "Sparse features (word embeddings, click prediction).",
        "G >= 0; lr, epsilon > 0", sample={**RATE, "G": (0.01, 1.0), "epsilon": (1e-8, 1e-3)},
        params={"lr": 0.01, "epsilon": 1e-8},
    ),
    entry(
        "decoupled_weight_decay", "w - lr*weight_decay*w",
        "AdamW's weight decay: shrink the parameter towards zero separately from the gradient "
        "step.",
        "AdamW, the usual optimizer for transformers.",
        "lr, weight_decay >= 0", sample={**RATE, "weight_decay": (0.0, 0.1)},
        params={"lr": 0.001, "weight_decay": 0.01},
    ),
    entry(
        "cosine_annealing", "lr_min + (lr_max - lr_min)*(1 + cos(pi*t/T))/2",
        "A learning rate that glides from lr_max down to lr_min along half a cosine over T steps.",
        "Schedules for image models and transformers (often after a warm-up).",
        "0 <= t <= T; T > 0", sample={"t": (0.0, 100.0), "T": (100.0, 200.0)},
        params={"lr_min": 0.0, "lr_max": 0.1},
    ),
    entry(
        "inverse_time_decay", "lr0/(1 + k*t)",
        "A learning rate that shrinks like 1/t after t steps.",
        "Classic stochastic approximation, with convergence guarantees for convex problems.",
        "t >= 0; k >= 0", sample={"t": (0.0, 100.0), "k": (0.0, 1.0)},
        params={"lr0": 0.1, "k": 0.01},
    ),
    entry(
        "step_decay", "lr0*drop**floor(epoch/epochs_per_drop)",
        "A learning rate multiplied by drop every epochs_per_drop epochs.",
        "ResNet-style schedules (divide by 10 at fixed epochs).",
        "epoch >= 0; 0 < drop < 1; epochs_per_drop > 0",
        sample={"epoch": (0.0, 100.0), "drop": (0.1, 0.9), "epochs_per_drop": (5.0, 30.0)},
        params={"lr0": 0.1, "drop": 0.5, "epochs_per_drop": 10.0},
    ),
    entry(
        "linear_warmup", "lr_max*Min(1, t/warmup)",
        "A learning rate that rises linearly from 0 to lr_max over the first warmup steps.",
        "Transformers and large-batch training, where full-size early steps destabilize.",
        "t >= 0; warmup > 0", sample={"t": (0.0, 200.0), "warmup": (50.0, 150.0)},
        params={"lr_max": 0.001, "warmup": 100.0},
    ),
    entry(
        "gradient_clipping", "Max(-c, Min(c, grad))",
        "Clip a gradient to the range [-c, c].",
        "Keeping exploding gradients (recurrent networks) from wrecking a step.",
        "c > 0", sample={"c": (0.5, 2.0)}, params={"c": 1.0},
    ),
    entry(
        "armijo_bound", "f0 + c*alpha*slope",
        "The most a line-search step of size alpha may leave of the loss: the start value f0 "
        "plus a fraction c of the predicted decrease (slope is negative going downhill).",
        "Backtracking line search in L-BFGS and classical optimization.",
        "0 < c < 1; alpha > 0", sample={"c": (0.0, 1.0), "alpha": (0.01, 1.0)},
        params={"c": 0.0001},
    ),
]  # fmt: skip
