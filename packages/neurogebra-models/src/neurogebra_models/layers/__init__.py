"""The layers a model is built from.

Example:
    >>> [Dense(4, activation="relu"), Dropout(0.2)]
    [Dense(units=4, activation='relu', input_dim=None, initializer='he'), Dropout(rate=0.2)]
"""

from neurogebra_models.layers.base import Layer
from neurogebra_models.layers.dense import Dense
from neurogebra_models.layers.dropout import Dropout

LAYER_TYPES: dict[str, type[Layer]] = {"Dense": Dense, "Dropout": Dropout}

__all__ = ["LAYER_TYPES", "Dense", "Dropout", "Layer"]
