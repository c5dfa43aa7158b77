"""`Trainer`: fit an Expression's trainable parameters to data by gradient descent.

The loss's derivative with respect to the prediction and the model's derivatives with respect
to its parameters are worked out exactly by SymPy and compiled to NumPy (each stage sharing
common subexpressions); the chain rule joins them with one dot product per parameter. Each
step is a handful of vectorized array operations: no finite differences, no Python loop over
samples.

Example:
    >>> import numpy as np
    >>> from neurogebra import Expression
    >>> expr = Expression("line", "m*x + b", params={"m": 0.0, "b": 0.0},
    ...                   trainable_params=["m", "b"])
    >>> X = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    >>> history = Trainer(expr, learning_rate=0.01).fit(X, 2 * X + 1, epochs=200)
    >>> round(expr.params["m"], 2), round(expr.params["b"], 2)
    (2.0, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from neurogebra.core.compiling import compile_numpy
from neurogebra.core.differentiation import differentiate
from neurogebra.core.expression import Expression
from neurogebra.core.loss_history import LossHistory
from neurogebra.core.naming import did_you_mean
from neurogebra.core.optimizers import make_optimizer
from neurogebra.core.parsing import parse_formula, real_symbol
from neurogebra.repository import all_entries, entries_by_name

__all__ = ["LOSSES", "Trainer"]

# Losses the Trainer accepts by name: the repository's losses that are formulas of y_pred and
# y_true alone (besides their parameters): mse, mae, huber, binary_cross_entropy, hinge, ...
LOSSES = tuple(
    entry.name
    for entry in all_entries()
    if entry.category == "losses"
    and {s.name for s in parse_formula(entry.formula).free_symbols} - set(entry.params)
    == {"y_pred", "y_true"}
)

# The symbol standing for the targets inside the compiled loss; chosen so that it can't clash
# with a model's own variable names.
_TARGET = "target__y"
# The most epochs fit() runs: each adds an entry to the history, and more would never finish.
MAX_EPOCHS = 10_000_000

Callback = Callable[[int, float, dict[str, float]], Any]


def _loss_expression(loss: str | Expression) -> Expression:
    if isinstance(loss, Expression):
        expression = loss
    elif isinstance(loss, str) and loss in LOSSES:
        expression = entries_by_name()[loss].to_expression()
    else:
        raise ValueError(
            f"unknown loss {loss!r}{did_you_mean(str(loss), LOSSES)}; choose one of "
            f"{', '.join(LOSSES)}, or pass an Expression of y_pred and y_true"
        )
    if sorted(expression.variables) != ["y_pred", "y_true"]:
        raise ValueError(
            f"a loss must be a formula of y_pred and y_true; {expression.name} has variables "
            f"{', '.join(expression.variables) or 'none'}"
        )
    return expression


class Trainer:
    """Fits ``expr.trainable_params`` to data; the learned values are written to ``expr.params``.

    Args:
        expr: the model, an Expression with at least one trainable parameter.
        learning_rate: step size of the optimizer.
        optimizer: ``"momentum"`` (the default: heavy-ball momentum 0.9), ``"sgd"`` (plain
            gradient descent) or ``"adam"``. Momentum is the default because, at the small
            learning rates that are safe on unscaled data, plain gradient descent needs many
            times more epochs to settle (the page's line example ends at m=2.06, b=0.79 with
            ``"sgd"`` after 200 epochs, and at m=2.00, b=1.00 with momentum).
        seed: seeds the shuffling of mini-batches.
        **settings: optimizer settings: ``momentum`` for momentum; ``beta1``, ``beta2``,
            ``epsilon`` for adam.

    Attributes:
        optimizer: the optimizer object (``type(trainer.optimizer).__name__`` names it); each
            :meth:`fit` starts a fresh one, so its state belongs to the latest fit.
        optimizer_name: the name it was made from.
        history: the loss of each epoch of the latest fit (see :meth:`fit`).

    Example:
        >>> import numpy as np
        >>> q = Expression("q", "a*x**2 + c", params={"a": 0.0, "c": 0.0},
        ...                trainable_params=["a", "c"])
        >>> X = np.linspace(-2, 2, 50)
        >>> _ = Trainer(q, learning_rate=0.05, optimizer="adam").fit(X, 3 * X**2 - 1, epochs=2000)
        >>> round(q.params["a"], 2), round(q.params["c"], 2)
        (3.0, -1.0)
    """

    def __init__(
        self,
        expr: Expression,
        learning_rate: float = 0.01,
        optimizer: str = "momentum",
        *,
        seed: int | None = 0,
        **settings: float,
    ) -> None:
        if not isinstance(expr, Expression):
            raise TypeError(f"Trainer needs an Expression to train, got {type(expr).__name__}")
        if not expr.trainable_params:
            raise ValueError(
                f"nothing to train: {expr.name} has no trainable parameters; name them, e.g. "
                f"Expression(..., params={{...}}, trainable_params=[...]) (its parameters: "
                f"{', '.join(expr.params) or 'none'}), or use MathForge().get(name, "
                "trainable=True)"
            )
        self.expr = expr
        self.learning_rate = learning_rate
        self.optimizer_name = optimizer
        self.settings = settings
        try:  # made now so that bad settings fail early
            self.optimizer = make_optimizer(optimizer, learning_rate, **settings)
        except TypeError as error:
            raise TypeError(f"bad setting for the {optimizer!r} optimizer: {error}") from None
        self.seed = seed
        self.history = LossHistory()

    # ---- data ----

    def _columns(self, X: Any) -> dict[str, np.ndarray]:
        variables = self.expr.variables
        if isinstance(X, Mapping):
            missing = [v for v in variables if v not in X]
            extra = [k for k in X if k not in variables]
            if missing or extra:
                raise ValueError(
                    f"X maps columns to the variables of {self.expr.name} "
                    f"({', '.join(variables)}); "
                    + (f"missing: {', '.join(missing)}. " if missing else "")
                    + (f"not variables: {', '.join(map(str, extra))}." if extra else "")
                )
            columns = {v: _real_array(X[v], f"X[{v!r}]") for v in variables}
        else:
            data = _real_array(X, "X")
            if data.ndim == 1:
                if len(variables) != 1:
                    raise ValueError(
                        f"X is 1-D, but {self.expr.name} has {len(variables)} variables "
                        f"({', '.join(variables)}); pass a 2-D array with one column per "
                        "variable in that order, or a dict {variable: column}"
                    )
                columns = {variables[0]: data}
            elif data.ndim == 2:
                if data.shape[1] != len(variables):
                    raise ValueError(
                        f"X has {data.shape[1]} columns but {self.expr.name} has "
                        f"{len(variables)} variables ({', '.join(variables)}, in that order)"
                    )
                columns = {v: data[:, i] for i, v in enumerate(variables)}
            else:
                raise ValueError(f"X must be 1-D or 2-D (samples x variables), got {data.ndim}-D")
        lengths = {v: c.shape for v, c in columns.items()}
        for v, column in columns.items():
            if column.ndim != 1:
                raise ValueError(f"the column for {v} must be 1-D, got shape {column.shape}")
            if not np.all(np.isfinite(column)):
                raise ValueError(f"the column for {v} contains nan or infinity; clean it first")
        if len({shape for shape in lengths.values()}) > 1:
            raise ValueError(f"the columns of X have different lengths: {lengths}")
        return columns

    def _targets(self, y: Any, n: int) -> np.ndarray:
        target = _real_array(y, "y")
        if target.ndim == 2 and target.shape[1] == 1:
            target = target[:, 0]
        if target.ndim != 1 or target.shape[0] != n:
            raise ValueError(
                f"y must hold one target per sample: X has {n} samples, y has shape {target.shape}"
            )
        if not np.all(np.isfinite(target)):
            raise ValueError("y contains nan or infinity; clean it first")
        return target

    # ---- the compiled loss ----

    def _compile(self, loss: Expression) -> tuple[Callable, Callable]:
        """Two NumPy functions, all derivatives worked out by SymPy:

        - model stage: (columns..., params...) -> [prediction, d prediction / d param...];
        - loss stage: (prediction, targets) -> [per-sample loss, d loss / d prediction].

        The chain rule then gives each parameter's gradient as one dot product, which is
        cheaper than materializing a per-sample gradient array for every parameter, and the
        prediction is computed once and shared by the loss and its slope.
        """
        model = self.expr
        y_pred = real_symbol("y_pred")
        loss_of_pred = loss.symbolic_expr.xreplace(
            {
                real_symbol("y_true"): real_symbol(_TARGET),
                **{real_symbol(k): v for k, v in loss.params.items()},
            }
        )
        sensitivities = [
            differentiate(model.symbolic_expr, real_symbol(p)) for p in model.trainable_params
        ]
        model_stage = compile_numpy(
            [model.symbolic_expr, *sensitivities], [*model.variables, *model.params]
        )
        loss_stage = compile_numpy(
            [loss_of_pred, differentiate(loss_of_pred, y_pred)], ["y_pred", _TARGET]
        )
        return model_stage, loss_stage

    # ---- training ----

    def fit(
        self,
        X: Any,
        y: Any,
        epochs: int = 100,
        batch_size: int | None = None,
        loss: str | Expression | None = None,
        verbose: bool = False,
        callback: Callback | None = None,
        *,
        loss_fn: str | Expression | None = None,
    ) -> LossHistory:
        """Train for ``epochs`` passes over the data; return the mean loss of each epoch.

        The result is a list of floats that also answers ``history["loss"]`` (neurogebra 2.x's
        dict of lists).

        Args:
            X: inputs: 1-D for a one-variable expression; 2-D with one column per variable (in
                the order of ``expr.variables``); or a dict ``{variable: column}``.
            y: one target per sample.
            epochs: number of passes over the data.
            batch_size: samples per step (shuffled each epoch); None uses all data per step.
            loss: ``"mse"`` (the default), ``"mae"``, ``"huber"`` (other names: :data:`LOSSES`),
                or an Expression of ``y_pred`` and ``y_true``; averaged over each batch.
            verbose: show a progress bar with the current loss.
            callback: called as ``callback(epoch, loss, params)`` after every epoch; return
                True from it to stop early.
            loss_fn: neurogebra 2.x's name for ``loss`` (give one or the other).
        """
        if loss is not None and loss_fn is not None:
            raise TypeError("fit() got both loss and loss_fn; they are the same setting")
        loss = loss if loss is not None else loss_fn if loss_fn is not None else "mse"
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"epochs must be a positive whole number, got {epochs!r}")
        if epochs > MAX_EPOCHS:  # a history that long would never finish (nor fit in memory)
            digits = len(str(epochs))
            raise ValueError(f"epochs must be at most {MAX_EPOCHS:,}, got one of {digits} digits")
        if batch_size is not None and (
            isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
        ):
            raise ValueError(
                f"batch_size must be a positive whole number or None, got {batch_size!r}"
            )
        loss_expr = _loss_expression(loss)
        columns = self._columns(X)
        n = len(next(iter(columns.values()))) if columns else np.asarray(y).shape[0]
        targets = self._targets(y, n)
        if n == 0:
            raise ValueError("X and y are empty; there is nothing to fit")
        stages = self._compile(loss_expr)
        optimizer = make_optimizer(self.optimizer_name, self.learning_rate, **self.settings)
        self.optimizer = optimizer
        model = self.expr
        theta = np.array([model.params[p] for p in model.trainable_params], dtype=float)
        rng = np.random.default_rng(self.seed)
        step = n if batch_size is None else min(batch_size, n)
        inputs = [columns[v] for v in model.variables]
        self.history = LossHistory()
        progress = _progress(epochs, model.name) if verbose else None
        try:
            for epoch in range(epochs):
                order = rng.permutation(n) if step < n else None
                epoch_loss = 0.0
                for start in range(0, n, step):
                    index = None if order is None else order[start : start + step]
                    batch = inputs if index is None else [c[index] for c in inputs]
                    target = targets if index is None else targets[index]
                    batch_loss = self._step(stages, batch, target, theta, optimizer, epoch)
                    epoch_loss += batch_loss * len(target) / n
                self.history.append(epoch_loss)
                model.params.update(zip(model.trainable_params, theta.tolist(), strict=True))
                if progress is not None:
                    progress.update(1)
                    if epoch % max(1, epochs // 100) == 0 or epoch == epochs - 1:
                        progress.set_postfix(loss=f"{epoch_loss:.6g}")
                if callback is not None and callback(epoch, epoch_loss, dict(model.params)):
                    break
        finally:
            if progress is not None:
                progress.close()
        return self.history

    def _step(
        self,
        stages: tuple[Callable, Callable],
        batch: list[np.ndarray],
        target: np.ndarray,
        theta: np.ndarray,
        optimizer: Any,
        epoch: int,
    ) -> float:
        """One optimizer step on one batch; returns the batch's mean loss before the step."""
        model_stage, loss_stage = stages
        values = dict(zip(self.expr.trainable_params, theta.tolist(), strict=True))
        params = [values.get(k, v) for k, v in self.expr.params.items()]
        size = len(target)
        # Overflow shows up as a non-finite loss, reported below with what to do about it.
        with np.errstate(over="ignore", invalid="ignore"):
            prediction, *sensitivities = model_stage(*batch, *params)
            losses, slope = loss_stage(_full(prediction, size), target)
            batch_loss = float(_full(losses, size).sum()) / size
            gradient = _mean_gradient(_full(slope, size), sensitivities)
        if not (math.isfinite(batch_loss) and math.isfinite(gradient.sum())):
            raise FloatingPointError(
                f"training diverged: the loss became {batch_loss} at epoch {epoch + 1}; lower "
                f"the learning_rate (now {self.learning_rate}) or scale the data (e.g. "
                "standardize X)"
            )
        optimizer.step(theta, gradient)
        return batch_loss

    def predict(self, X: Any) -> np.ndarray:
        """The model's outputs on ``X`` (same layouts as :meth:`fit`) with the current params."""
        return self.expr.eval(**self._columns(X))

    def __repr__(self) -> str:
        return (
            f"Trainer({self.expr.name!r}, learning_rate={self.learning_rate}, "
            f"optimizer={self.optimizer_name!r})"
        )


def _real_array(values: Any, name: str) -> np.ndarray:
    """``values`` as a float array, or an error naming ``name`` (never a silent cast).

    Example:
        >>> _real_array([1, 2], "X")
        array([1., 2.])
    """
    try:
        raw = np.asarray(values)
    except ValueError:
        raise ValueError(f"{name} is ragged: its rows have different lengths") from None
    if raw.dtype.kind == "c":
        raise TypeError(f"{name} holds complex numbers; Trainer fits real numbers only")
    if raw.dtype.kind in "mM":
        raise TypeError(f"{name} holds dates or times; turn them into numbers first")
    try:
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(
            f"{name} must hold real numbers, got {raw.dtype} values such as {raw.flat[0]!r:.40}"
            if raw.size
            else f"{name} must hold real numbers"
        ) from None


def _full(values: Any, size: int) -> np.ndarray:
    """``values`` as an array of ``size`` elements (a formula may give a constant)."""
    if isinstance(values, np.ndarray) and values.shape == (size,):
        return values
    return np.broadcast_to(np.asarray(values, dtype=float), (size,))


def _mean_gradient(slope: np.ndarray, sensitivities: list[Any]) -> np.ndarray:
    """Chain rule averaged over a batch: mean(dloss/dpred * dpred/dparam) for each param."""
    size = slope.shape[0]
    total_slope = None
    gradient = np.empty(len(sensitivities))
    for i, sensitivity in enumerate(sensitivities):
        if np.ndim(sensitivity) == 0:  # e.g. an intercept: dpred/db = 1
            if total_slope is None:
                total_slope = float(slope.sum())
            gradient[i] = float(sensitivity) * total_slope / size
        else:
            gradient[i] = float(np.dot(_full(sensitivity, size), slope)) / size
    return gradient


def _progress(epochs: int, name: str):
    # tqdm: a maintained progress bar that renders both in terminals and in Jupyter.
    from tqdm.auto import tqdm

    return tqdm(total=epochs, desc=f"training {name}", unit="epoch")
