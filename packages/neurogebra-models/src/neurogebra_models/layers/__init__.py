"""The layers a model is built from.

Example:
    >>> [Dense(4, activation="relu"), Dropout(0.2)]
    [Dense(units=4, activation='relu', input_dim=None, initializer='he'), Dropout(rate=0.2)]
"""

from neurogebra_models.layers.base import Layer, Shape, describe_shape
from neurogebra_models.layers.batch_norm import BatchNorm
from neurogebra_models.layers.conv import Conv2D
from neurogebra_models.layers.dense import Dense
from neurogebra_models.layers.dropout import Dropout
from neurogebra_models.layers.flatten import Flatten
from neurogebra_models.layers.pooling import MaxPool2D

LAYER_TYPES: dict[str, type[Layer]] = {
    layer.kind: layer for layer in (Dense, Dropout, Conv2D, MaxPool2D, Flatten, BatchNorm)
}

__all__ = [
    "LAYER_TYPES",
    "BatchNorm",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "MaxPool2D",
    "Shape",
    "describe_shape",
]
