"""Value's gradients against central differences, op by op and on random graphs (hypothesis).

The reference for every derivative is a central difference of the same function computed in
50-digit arithmetic (value_programs.PRECISE), independent of Value, so a wrong local derivative
shows up even when Value's forward pass is right; forward results are checked against floats.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st
from value_programs import (
    FLOATS,
    PRECISE,
    VALUES,
    Backend,
    OutOfRange,
    assert_gradients_close,
    central_differences,
    chains,
    output,
    programs,
    programs_with_inputs,
    run,
)

from neurogebra.core.autograd import Value


def away_from_zero(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high).flatmap(lambda x: st.sampled_from([x, -x]))


anywhere = st.floats(-10.0, 10.0)
nonzero = away_from_zero(0.1, 10.0)
positive = st.floats(0.1, 10.0)
NO_CONSTANT = st.just(0.0)
three = (anywhere,) * 3


@dataclass(frozen=True)
class Case:
    """``f(backend, xs, k)``: xs are the differentiable inputs, k a plain number."""

    name: str
    f: Callable[[Backend, list[Any], float], Any]
    xs: tuple[st.SearchStrategy[float], ...]
    k: st.SearchStrategy[float] = NO_CONSTANT


CASES = [
    # a Value and a plain number, on either side
    Case("x + k", lambda b, x, k: x[0] + k, (anywhere,), anywhere),
    Case("k + x", lambda b, x, k: k + x[0], (anywhere,), anywhere),
    Case("x - k", lambda b, x, k: x[0] - k, (anywhere,), anywhere),
    Case("k - x", lambda b, x, k: k - x[0], (anywhere,), anywhere),
    Case("x * k", lambda b, x, k: x[0] * k, (anywhere,), anywhere),
    Case("k * x", lambda b, x, k: k * x[0], (anywhere,), anywhere),
    Case("x / k", lambda b, x, k: x[0] / k, (anywhere,), nonzero),
    Case("k / x", lambda b, x, k: k / x[0], (nonzero,), anywhere),
    Case("x ** int", lambda b, x, k: x[0] ** int(k), (nonzero,), st.sampled_from(range(-3, 5))),
    Case("x ** k", lambda b, x, k: x[0] ** k, (positive,), st.floats(-3.0, 3.0)),
    Case("k ** x", lambda b, x, k: k ** x[0], (st.floats(-5.0, 5.0),), st.floats(0.1, 5.0)),
    # one Value
    Case("-x", lambda b, x, k: -x[0], (anywhere,)),
    Case("relu", lambda b, x, k: b.relu(x[0]), (away_from_zero(1e-6, 10.0),)),
    Case("sigmoid", lambda b, x, k: b.sigmoid(x[0]), (st.floats(-30.0, 30.0),)),
    Case("tanh", lambda b, x, k: b.tanh(x[0]), (st.floats(-10.0, 10.0),)),
    Case("exp", lambda b, x, k: b.exp(x[0]), (st.floats(-20.0, 20.0),)),
    Case("log", lambda b, x, k: b.log(x[0]), (st.floats(0.01, 100.0),)),
    # two Values
    Case("x + y", lambda b, x, k: x[0] + x[1], (anywhere, anywhere)),
    Case("x - y", lambda b, x, k: x[0] - x[1], (anywhere, anywhere)),
    Case("x * y", lambda b, x, k: x[0] * x[1], (anywhere, anywhere)),
    Case("x / y", lambda b, x, k: x[0] / x[1], (anywhere, nonzero)),
    Case("x ** y", lambda b, x, k: x[0] ** x[1], (positive, st.floats(-3.0, 3.0))),
    # one Value used twice by one op
    Case("x + x", lambda b, x, k: x[0] + x[0], (anywhere,)),
    Case("x * x", lambda b, x, k: x[0] * x[0], (anywhere,)),
    Case("x / x", lambda b, x, k: x[0] / x[0], (nonzero,)),
    Case("x ** x", lambda b, x, k: x[0] ** x[0], (positive,)),
    # sums of many Values (and numbers), with a Value repeated
    Case(
        "Value.sum", lambda b, x, k: b.nsum([x[0], x[1], k, x[2], x[0]]), (anywhere,) * 3, anywhere
    ),
    Case(
        "builtin sum", lambda b, x, k: sum([x[0], x[1], k, x[2], x[0]]), (anywhere,) * 3, anywhere
    ),
    Case("builtin sum, start", lambda b, x, k: sum((x[1], x[2]), x[0]), three),
]


def check_case(case: Case, xs: list[float], k: float) -> None:
    leaves = [Value(x) for x in xs]
    out = case.f(VALUES, leaves, k)
    expected = case.f(FLOATS, list(xs), k)
    assert isinstance(out, Value)
    assert math.isclose(out.data, expected, rel_tol=1e-12, abs_tol=1e-300), (out.data, expected)
    out.backward()
    numeric = central_differences(lambda p: case.f(PRECISE, p, k), xs)
    assert_gradients_close([leaf.grad for leaf in leaves], numeric)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@given(data=st.data())
def test_op_gradient_matches_central_differences(case: Case, data: st.DataObject) -> None:
    xs = [data.draw(strategy, label=f"x{i}") for i, strategy in enumerate(case.xs)]
    k = data.draw(case.k, label="k")
    check_case(case, xs, k)


def test_the_case_list_covers_every_operation() -> None:
    """Guard against an op slipping out of CASES: each public op is exercised above."""
    names = " ".join(case.name for case in CASES)
    for op in ("+", "-", "*", "/", "**", "relu", "sigmoid", "tanh", "exp", "log", "sum"):
        assert op in names


def test_gradient_checker_catches_a_wrong_derivative() -> None:
    """The comparison used above fails for a derivative that is off (so it can fail)."""
    numeric = central_differences(lambda p: p[0] ** 3, [1.5])
    assert_gradients_close([3 * 1.5**2], numeric)
    with pytest.raises(AssertionError):
        assert_gradients_close([3 * 1.5**2 * (1 + 1e-6)], numeric)


# ---- random graphs ----


def check_program(program: Any, xs: list[float]) -> None:
    leaves = [Value(x) for x in xs]
    try:
        nodes = run(program, leaves, VALUES, kink=1e-6)
        reference = run(program, xs, FLOATS)
        numeric = central_differences(lambda p: output(program, p), xs)
    except OutOfRange:
        reject()
    for node, expected in zip(nodes, reference, strict=True):
        assert math.isclose(node.data, expected, rel_tol=1e-9, abs_tol=1e-12)
    nodes[-1].backward()
    assert_gradients_close([leaf.grad for leaf in leaves], numeric)


@given(programs_with_inputs(programs()))
def test_random_graph_gradients_match_central_differences(case: Any) -> None:
    check_program(*case)


@given(programs_with_inputs(programs(max_inputs=2, max_steps=30, ops=("add", "mul", "reuse"))))
def test_graphs_that_reuse_nodes_heavily(case: Any) -> None:
    check_program(*case)


@given(programs_with_inputs(chains()))
def test_deep_chain_gradients_match_central_differences(case: Any) -> None:
    check_program(*case)


@given(st.floats(-1.0, 1.0), st.integers(1, 2000))
def test_one_node_reused_many_times(x: float, times: int) -> None:
    """y = sum_i x*x*c_i + Value.sum([x]*n): x feeds thousands of nodes directly."""
    leaf = Value(x)
    squared = leaf * leaf
    y = sum(squared * (i % 7) for i in range(times)) + Value.sum([leaf] * times)
    y.backward()
    weights = sum(i % 7 for i in range(times))
    assert leaf.grad == pytest.approx(2 * x * weights + times, rel=1e-12, abs=1e-9)
    assert squared.grad == pytest.approx(weights, rel=1e-12)


@given(st.floats(-3.0, 3.0), st.floats(-3.0, 3.0))
def test_shared_subexpression_diamond(x: float, y: float) -> None:
    """s = x*y feeds four paths; each path's contribution is added once."""
    a, b = Value(x), Value(y)
    s = a * b
    out = s.tanh() + s.sigmoid() + s * s + (s - a)
    out.backward()
    t, sg = math.tanh(x * y), 1 / (1 + math.exp(-x * y))
    ds = (1 - t * t) + sg * (1 - sg) + 2 * x * y + 1
    assert a.grad == pytest.approx(ds * y - 1, rel=1e-9, abs=1e-12)
    assert b.grad == pytest.approx(ds * x, rel=1e-9, abs=1e-12)
