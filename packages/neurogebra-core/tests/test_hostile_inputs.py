"""Every public entry point of neurogebra-core, fed wrong types, shapes, NaN/inf, empty and huge
inputs (hypothesis): each call gives a correct result or an error whose message names the
argument that was wrong. Never an internal error (AttributeError, ZeroDivisionError, ...)."""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogebra import Expression, MathForge, Trainer, Value
from neurogebra.core.autograd import draw_graph
from neurogebra.core.tensor import (
    Tensor,
    arange,
    clip,
    cross_entropy,
    linear,
    log_softmax,
    mse,
    randn,
    softmax,
    where,
    zeros,
)

FORGE = MathForge()
ALLOWED_ERRORS = (TypeError, ValueError, KeyError, IndexError, OverflowError, FloatingPointError)

# Inputs a hostile or confused user passes.
HOSTILE = st.one_of(
    st.sampled_from(
        [
            None,
            "3",
            "",
            b"x",
            1j,
            True,
            -1,
            0,
            10**400,
            math.nan,
            math.inf,
            -math.inf,
            1e308,
            [],
            [[]],
            [[1.0], [1.0, 2.0]],
            [None, 1.0],
            {"a": 1},
            object(),
            (1, "a"),
            np.array([]),
            np.zeros((0, 3)),
            np.array([1 + 1j]),
            np.array(["a"]),
            np.array(["2024-01-01"], dtype="datetime64[D]"),
            np.array([np.nan, np.inf]),
            np.float32(1.5),
            np.ones((2, 3, 4, 5)),
        ]
    ),
    st.builds(
        np.full,
        st.sampled_from([(0,), (3,), (2, 2), (1, 0, 2)]),
        st.sampled_from([0.0, -1e300, 1e300, math.nan]),
    ),
)

Call = Callable[[Any], Any]

# entry point -> (argument name, call with the hostile value in that argument, words that name it)
ENTRY_POINTS: dict[str, tuple[Call, str]] = {
    "Tensor(data)": (lambda v: Tensor(v), r"Tensor|data|dtype"),
    "Tensor(dtype)": (lambda v: Tensor([1.0], dtype=v), r"dtype"),
    "Tensor + other": (lambda v: Tensor([1.0, 2.0]) + v, r"Tensor \+|shapes|other side"),
    "Tensor * other": (lambda v: Tensor([1.0, 2.0]) * v, r"Tensor \*|shapes|other side"),
    "Tensor @ other": (lambda v: Tensor([[1.0, 2.0]]) @ v, r"Tensor @|shapes"),
    "Tensor == other": (lambda v: Tensor([1.0, 2.0]) == v, r"Tensor ==|compare|shapes"),
    "Tensor -= other": (lambda v: _isub(v), r"Tensor -=|in place"),
    "Tensor.sum(axis)": (lambda v: Tensor(np.ones((2, 3))).sum(axis=v), r"axis"),
    "Tensor.max(axis)": (lambda v: Tensor(np.ones((2, 3))).max(axis=v), r"axis|max"),
    "Tensor.reshape(shape)": (lambda v: Tensor(np.ones(6)).reshape(v), r"reshape"),
    "Tensor[index]": (lambda v: Tensor(np.ones(3))[v], r"index"),
    "Tensor.clip(low)": (lambda v: Tensor([1.0]).clip(v, 2.0), r"clip|low"),
    "Tensor.argmax(axis)": (lambda v: Tensor(np.ones((2, 3))).argmax(axis=v), r"axis|argmax"),
    "Tensor.backward(gradient)": (lambda v: _backward(v), r"gradient|backward"),
    "softmax(x)": (lambda v: softmax(v), r"softmax|Tensor"),
    "log_softmax(axis)": (lambda v: log_softmax(Tensor([1.0, 2.0]), axis=v), r"axis"),
    "cross_entropy(logits)": (lambda v: cross_entropy(v, [0]), r"cross_entropy|Tensor|logits"),
    "cross_entropy(target)": (
        lambda v: cross_entropy(Tensor([[1.0, 2.0]]), v),
        r"cross_entropy|label|target",
    ),
    "cross_entropy(reduction)": (
        lambda v: cross_entropy(Tensor([[1.0, 2.0]]), [0], reduction=v),
        r"reduction",
    ),
    "mse(target)": (lambda v: mse(Tensor([1.0, 2.0]), v), r"mse|target|shape|Tensor"),
    "linear(weight)": (lambda v: linear(Tensor([[1.0, 2.0]]), v), r"linear|weight|Tensor"),
    "linear(bias)": (
        lambda v: linear(Tensor([[1.0, 2.0]]), Tensor(np.ones((2, 2))), v),
        r"linear|bias|Tensor",
    ),
    "where(condition)": (lambda v: where(v, Tensor([1.0]), 0.0), r"where|condition"),
    "clip(high)": (lambda v: clip(Tensor([1.0]), high=v), r"clip|high"),
    "zeros(shape)": (lambda v: zeros(v), r"zeros|size|shape"),
    "randn(rng)": (lambda v: randn(2, rng=v), r"randn|rng"),
    "arange(stop)": (lambda v: arange(0, v), r"arange|stop|too many"),
    "Value(data)": (lambda v: Value(v), r"Value|real number"),
    "Value + other": (lambda v: Value(1.0) + v, r"Value|real number"),
    "Value ** other": (lambda v: Value(2.0) ** v, r"Value|real number|\*\*|power"),
    "Value.backward(gradient)": (lambda v: Value(1.0).backward(v), r"backward|real number"),
    "Expression(formula)": (lambda v: Expression("f", v), r"formula|symbolic_expr"),
    "Expression(name)": (lambda v: Expression(v, "x"), r"name"),
    "Expression(params)": (lambda v: Expression("f", "a*x", params=v), r"param"),
    "Expression.eval(x)": (lambda v: FORGE.get("sigmoid").eval(x=v), r"x="),
    "Expression.gradient(var)": (lambda v: FORGE.get("relu").gradient(v), r"var|symbol"),
    "MathForge.get(name)": (lambda v: FORGE.get(v), r"name|formula"),
    "MathForge.get(params)": (lambda v: FORGE.get("leaky_relu", params=v), r"param"),
    "MathForge.list_all(category)": (lambda v: FORGE.list_all(v), r"categor"),
    "MathForge.search(query)": (lambda v: FORGE.search(v), r"query"),
    "Trainer(learning_rate)": (lambda v: _trainer(learning_rate=v), r"learning_rate"),
    "Trainer(optimizer)": (lambda v: _trainer(optimizer=v), r"optimizer"),
    "Trainer.fit(X)": (lambda v: _fit(X=v), r"\bX\b|column"),
    "Trainer.fit(y)": (lambda v: _fit(y=v), r"\by\b|target"),
    "Trainer.fit(epochs)": (lambda v: _fit(epochs=v), r"epochs"),
    "Trainer.fit(batch_size)": (lambda v: _fit(batch_size=v), r"batch_size"),
    "Trainer.fit(loss)": (lambda v: _fit(loss=v), r"loss"),
    "draw_graph(root)": (lambda v: draw_graph(v), r"draw_graph|Value or a Tensor"),
}


def _isub(v: Any) -> Tensor:
    t = Tensor([1.0, 2.0])
    t -= v
    return t


def _backward(v: Any) -> None:
    (Tensor([1.0, 2.0], requires_grad=True) * 2.0).backward(v)


def _line() -> Expression:
    return Expression("line", "m*x + b", params={"m": 0.0, "b": 0.0}, trainable_params=["m", "b"])


def _trainer(**settings: Any) -> Trainer:
    return Trainer(_line(), **settings)


def _fit(**overrides: Any) -> Any:
    X = np.linspace(0.0, 1.0, 8)
    arguments: dict[str, Any] = {"X": X, "y": 2 * X, "epochs": 2, **overrides}
    return Trainer(_line()).fit(**arguments)


def _check(entry: str, value: Any) -> None:
    call, names = ENTRY_POINTS[entry]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nan/inf inputs may warn, as NumPy does
        try:
            call(value)
        except ALLOWED_ERRORS as error:
            message = str(error)
            assert re.search(names, message), (
                f"{entry} with {value!r:.60}: the error does not name the argument: "
                f"{type(error).__name__}: {message}"
            )


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@settings(max_examples=40, deadline=None)
@given(value=HOSTILE)
def test_hostile_input_gives_a_result_or_an_error_naming_the_argument(entry, value):
    _check(entry, value)


def test_a_correct_result_for_the_inputs_that_are_fine():
    """Some hostile-looking inputs are legitimate; they must give the right answer."""
    assert np.isnan(FORGE.get("sigmoid").eval(x=math.nan))
    assert FORGE.get("sigmoid").eval(x=math.inf) == 1.0
    assert FORGE.get("sigmoid").eval(x=True) == pytest.approx(0.7310585786)
    assert Tensor(np.zeros((0, 3))).sum().item() == 0.0
    assert (Tensor([1.0, 2.0]) + np.float32(1.5)).dtype == np.float64
    assert np.isnan(Value(math.nan).data)
    assert FORGE.list_all("activation") == FORGE.list_all("activations")
