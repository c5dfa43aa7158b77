"""neurogebra-models: build, train, explain and look at neural networks, on Tensor's autograd.

Normally used through the ``neurogebra`` package (``from neurogebra import ModelBuilder,
NeuroCraft``), which finds these names through this distribution's entry points. The data sets
are here too; the plots live in ``neurogebra_models.plots`` (imported on demand, as matplotlib
takes a moment to load).

Example:
    >>> from neurogebra_models import ModelBuilder
    >>> builder = ModelBuilder()
    >>> model = builder.Sequential([builder.Dense(3, activation="softmax")])
    >>> model.built
    False
"""

from importlib.metadata import PackageNotFoundError, version

from neurogebra_models.builder import ModelBuilder
from neurogebra_models.clipping import clip_grad_norm, clip_grad_value
from neurogebra_models.craft import NeuroCraft
from neurogebra_models.datasets import (
    load_digits,
    make_circles,
    make_moons,
    make_regression,
    make_spirals,
    make_xor,
    train_test_split,
)
from neurogebra_models.layers import BatchNorm, Conv2D, Dense, Dropout, Flatten, Layer, MaxPool2D
from neurogebra_models.model import Model
from neurogebra_models.optimizers import SGD, Adam, RMSprop
from neurogebra_models.schedules import CosineDecay, ExponentialDecay, StepDecay
from neurogebra_models.training.batches import Batches
from neurogebra_models.training.callbacks import (
    Callback,
    EarlyStopping,
    LambdaCallback,
    LearningRateScheduler,
)
from neurogebra_models.training.history import History

try:
    __version__ = version("neurogebra-models")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "SGD",
    "Adam",
    "BatchNorm",
    "Batches",
    "Callback",
    "Conv2D",
    "CosineDecay",
    "Dense",
    "Dropout",
    "EarlyStopping",
    "ExponentialDecay",
    "Flatten",
    "History",
    "LambdaCallback",
    "Layer",
    "LearningRateScheduler",
    "MaxPool2D",
    "Model",
    "ModelBuilder",
    "NeuroCraft",
    "RMSprop",
    "StepDecay",
    "clip_grad_norm",
    "clip_grad_value",
    "load_digits",
    "make_circles",
    "make_moons",
    "make_regression",
    "make_spirals",
    "make_xor",
    "train_test_split",
]
