"""Saving a model to one NumPy archive (``.npz``) and reading it back.

The archive holds one array per parameter (``param_0``, ``param_1``, ...) and, under
``config``, a JSON text describing the layers, the input width and the compile settings. It is
read with ``allow_pickle=False``, so loading a file never runs code from it.

Example:
    >>> import tempfile, pathlib
    >>> from neurogebra_models.layers import Dense
    >>> from neurogebra_models.model import Model
    >>> model = Model([Dense(2, input_dim=3)], seed=0)
    >>> path = save_model(model, pathlib.Path(tempfile.mkdtemp()) / "net.npz")
    >>> bool((load_model(path).get_weights()[0] == model.get_weights()[0]).all())
    True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from neurogebra_models.layers import LAYER_TYPES, Layer
from neurogebra_models.losses import LOSSES, Loss
from neurogebra_models.model import Model
from neurogebra_models.optimizers import OPTIMIZERS

__all__ = ["load_model", "save_model"]

FORMAT = "neurogebra-model"
FORMAT_VERSION = 2  # 2: image input shapes, shared layers ("same_as"), dtype, buffers


def _layer_configs(model: Model) -> list[dict[str, Any]]:
    """One entry per position; a layer used again is written as ``{"same_as": first index}``."""
    first: dict[int, int] = {}
    configs: list[dict[str, Any]] = []
    for i, layer in enumerate(model.layers):
        if id(layer) in first:
            configs.append({"same_as": first[id(layer)]})
        else:
            first[id(layer)] = i
            configs.append({"type": layer.kind, **layer.config()})
    return configs


def _config(model: Model) -> dict[str, Any]:
    config: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "name": model.name,
        "seed": model.seed,
        "input_dim": model.input_dim,
        "dtype": None if model.dtype is None else model.dtype.name,
        "layers": _layer_configs(model),
        "compile": None,
    }
    if model.loss is not None and model.optimizer is not None:
        config["compile"] = {
            "loss": model.loss.name,
            "loss_config": model.loss.config(),
            "optimizer": model.optimizer.name,
            "optimizer_config": model.optimizer.config(),
            "metrics": list(model.metric_functions),
        }
    return config


def save_model(model: Model, path: str | Path) -> Path:
    """Write ``model`` to ``path`` (``.npz`` is added when missing); returns the path written."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"save: the folder {str(path.parent)!r} does not exist; create it first (e.g. "
            f"Path({str(path.parent)!r}).mkdir(parents=True)) or save somewhere else"
        )
    # Any: savez's stubs type **kwargs like its keyword options (allow_pickle: bool)
    arrays: dict[str, Any] = {f"param_{i}": w for i, w in enumerate(model.get_weights())}
    np.savez(path, config=np.array(json.dumps(_config(model))), **arrays)
    return path


def load_model(path: str | Path) -> Model:
    """The model saved at ``path``, with its weights and compile settings."""
    path = Path(path)
    if not path.exists() and path.with_name(path.name + ".npz").exists():
        path = path.with_name(path.name + ".npz")
    with np.load(path, allow_pickle=False) as archive:
        if "config" not in archive.files:
            raise ValueError(f"{path} is not a saved neurogebra model (no 'config' entry)")
        config = json.loads(str(archive["config"]))
        weights = [archive[f"param_{i}"] for i in range(len(archive.files) - 1)]
    if config.get("format") != FORMAT:
        raise ValueError(f"{path} is not a saved neurogebra model")
    layers: list[Layer] = []
    for spec in config["layers"]:
        spec = dict(spec)
        if "same_as" in spec:
            layers.append(layers[spec["same_as"]])
            continue
        kind = spec.pop("type")
        if kind == "Conv2D":
            spec["kernel_size"] = tuple(spec["kernel_size"])
            if spec["input_shape"] is not None:
                spec["input_shape"] = tuple(spec["input_shape"])
        layers.append(LAYER_TYPES[kind](**spec))
    model = Model(layers, name=config["name"], seed=config["seed"], dtype=config.get("dtype"))
    if config["input_dim"] is not None:
        model.build(config["input_dim"])
        model.set_weights(weights)
    compiled = config["compile"]
    if compiled:
        loss: Loss = LOSSES[compiled["loss"]](**compiled["loss_config"])
        optimizer = OPTIMIZERS[compiled["optimizer"]](**compiled["optimizer_config"])
        model.compile(loss=loss, optimizer=optimizer, metrics=compiled["metrics"])
    return model
