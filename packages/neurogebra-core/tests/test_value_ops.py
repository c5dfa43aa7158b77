"""Value's forward results, bookkeeping (op, label, children, slots, repr) and backward rules."""

from __future__ import annotations

import math
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import neurogebra
from neurogebra.core.autograd import Value, topological_order

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
moderate = st.floats(-1e6, 1e6)


# ---- construction, repr, slots ----


def test_repr_is_the_documented_one() -> None:
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert str(Value(3.0)) == "Value(data=3.0, grad=0.0)"


def test_repr_shows_grad_and_label() -> None:
    x = Value(3.0, label="x")
    (x * x).backward()
    assert repr(x) == "Value(data=3.0, grad=6.0, label='x')"


@pytest.mark.parametrize("number", [2, 2.0, True, np.float64(2.5), np.int32(-4), Fraction(1, 4)])
def test_any_real_number_becomes_a_float(number: object) -> None:
    v = Value(number)  # type: ignore[arg-type]
    assert type(v.data) is float
    assert v.data == float(number)  # type: ignore[arg-type]
    assert v.grad == 0.0


def test_slots_no_instance_dict() -> None:
    v = Value(1.0)
    assert not hasattr(v, "__dict__")
    with pytest.raises(AttributeError):
        v.colour = "red"  # type: ignore[attr-defined]
    assert "__dict__" not in Value.__slots__
    # every class in the hierarchy except object declares __slots__
    assert all("__slots__" in vars(cls) for cls in Value.__mro__[:-1])


def test_value_is_exported_from_the_package_root() -> None:
    assert neurogebra.Value is Value


# ---- forward values and recorded op ----


@given(moderate, moderate)
def test_arithmetic_forward_values_and_ops(x: float, y: float) -> None:
    a, b = Value(x), Value(y)
    for result, expected, op in [
        (a + b, x + y, "+"),
        (a + y, x + y, "+"),
        (y + a, y + x, "+"),
        (a - b, x - y, "-"),
        (a - y, x - y, "-"),
        (y - a, y - x, "-"),
        (a * b, x * y, "*"),
        (a * y, x * y, "*"),
        (y * a, y * x, "*"),
        (-a, -x, "neg"),
    ]:
        assert isinstance(result, Value)
        assert result.data == expected
        assert result.op == op
    if y != 0:
        assert (a / b).data == x / y and (a / b).op == "/"
        assert (a / y).data == x / y
    if x != 0:
        assert (y / a).data == y / x


def test_forward_values_of_elementary_functions() -> None:
    x = Value(2.0)
    assert (x**2).data == 4.0 and (x**2).op == "**"
    assert (x**-1).data == 0.5
    assert (x**0.5).data == math.sqrt(2.0)
    assert (x ** Value(3.0)).data == 8.0
    assert (3 ** Value(2.0)).data == 9.0
    assert x.relu().data == 2.0 and x.relu().op == "relu"
    assert (-x).relu().data == 0.0
    assert x.sigmoid().data == pytest.approx(1 / (1 + math.exp(-2.0)), rel=1e-15)
    assert x.sigmoid().op == "sigmoid"
    assert x.tanh().data == math.tanh(2.0) and x.tanh().op == "tanh"
    assert x.exp().data == math.exp(2.0) and x.exp().op == "exp"
    assert x.log().data == math.log(2.0) and x.log().op == "log"


def test_leaves_have_no_op_and_no_children() -> None:
    x = Value(1.0)
    assert x.op == ""
    assert x.children == ()


def test_children_are_the_inputs_in_order() -> None:
    a, b = Value(1.0), Value(2.0)
    assert (a * b).children == (a, b)
    assert (b - a).children == (b, a)
    assert (a + 3).children == (a,)
    assert (3 - a).children == (a,)
    assert (a * a).children == (a, a)
    assert a.exp().children == (a,)


def test_label_is_optional_and_kept() -> None:
    assert Value(1.0).label == ""
    x = Value(1.0, label="weight")
    assert x.label == "weight"
    y = x * 2
    assert y.label == ""
    y.label = "scaled"
    assert y.label == "scaled"


# ---- sums ----


@given(st.lists(moderate, min_size=1, max_size=30))
def test_builtin_sum_over_values(xs: list[float]) -> None:
    values = [Value(x) for x in xs]
    total = sum(values)
    assert isinstance(total, Value)
    assert total.data == pytest.approx(math.fsum(xs), rel=1e-9, abs=1e-6)
    total.backward()
    assert all(v.grad == 1.0 for v in values)


@given(st.lists(moderate, min_size=0, max_size=30), moderate)
def test_value_sum_is_one_node_and_exact(xs: list[float], constant: float) -> None:
    values = [Value(x) for x in xs]
    total = Value.sum([*values, constant])
    assert total.data == math.fsum([*xs, constant])
    assert total.children == tuple(values)
    total.backward()
    assert all(v.grad == 1.0 for v in values)


def test_value_sum_counts_a_repeated_value_each_time() -> None:
    a, b = Value(1.0), Value(2.0)
    total = Value.sum([a, b, a, a])
    assert total.data == 5.0 and total.op == "sum"
    total.backward()
    assert (a.grad, b.grad) == (3.0, 1.0)


def test_value_sum_accepts_generators() -> None:
    a = Value(2.0)
    assert Value.sum(a * i for i in range(4)).data == 12.0


# ---- comparisons ----


@given(moderate, moderate)
def test_comparisons_use_data(x: float, y: float) -> None:
    a, b = Value(x), Value(y)
    assert (a < b) is (x < y)
    assert (a <= b) is (x <= y)
    assert (a > b) is (x > y)
    assert (a >= b) is (x >= y)
    assert (a < y) is (x < y)
    assert (y < a) is (y < x)
    assert (a >= y) is (x >= y)


@given(st.lists(moderate, min_size=1, max_size=20))
def test_max_min_sorted_work_on_values(xs: list[float]) -> None:
    values = [Value(x) for x in xs]
    assert max(values).data == max(xs)
    assert min(values).data == min(xs)
    assert [v.data for v in sorted(values)] == sorted(xs)
    assert max(values) in values  # the winner itself, not a copy


def test_equality_is_identity_so_values_hash() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a == a and a != b
    assert len({a, b, a}) == 2
    assert {a: "a"}[a] == "a"


def test_float_conversion() -> None:
    assert float(Value(2.5)) == 2.5
    assert math.isclose(math.sqrt(Value(4.0)), 2.0)


# ---- backward bookkeeping ----


def test_backward_on_the_spec_example() -> None:
    a, b = Value(2.0), Value(3.0)
    e = (a + b) + a * b
    e.backward()
    assert (a.grad, b.grad, e.grad) == (4.0, 3.0, 1.0)


def test_gradients_accumulate_across_backward_calls_until_zero_grad() -> None:
    x = Value(3.0)
    (x**2).backward()
    assert x.grad == 6.0
    (x**2).backward()
    assert x.grad == 12.0
    (x * 5).backward()
    assert x.grad == 17.0
    x.zero_grad()
    assert x.grad == 0.0
    (x**2).backward()
    assert x.grad == 6.0


def test_backward_twice_on_one_graph_adds_leaf_gradients_but_not_inner_ones() -> None:
    a, b = Value(2.0), Value(-1.5)
    h = a * b
    out = h.tanh() + h * a
    out.backward()
    first = (a.grad, b.grad, h.grad, out.grad)
    out.backward()
    assert (a.grad, b.grad) == (2 * first[0], 2 * first[1])
    assert (h.grad, out.grad) == (first[2], first[3])  # recomputed, not accumulated


def test_backward_with_an_upstream_gradient() -> None:
    x = Value(3.0)
    (x * x).backward(gradient=0.5)
    assert x.grad == 3.0


def test_backward_on_a_leaf_seeds_it() -> None:
    x = Value(3.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_backward_from_an_inner_node_after_the_root() -> None:
    x = Value(2.0)
    inner = x * x
    root = inner * 3
    root.backward()
    assert x.grad == 12.0
    inner.backward()
    assert x.grad == 16.0


def test_zero_grad_only_touches_its_own_value() -> None:
    a, b = Value(1.0), Value(2.0)
    (a * b).backward()
    a.zero_grad()
    assert (a.grad, b.grad) == (0.0, 1.0)


def test_relu_slope_at_zero_is_zero() -> None:
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_nodes_unreachable_from_the_root_keep_their_gradient() -> None:
    x = Value(1.0)
    side = x * 7
    (x * 2).backward()
    assert x.grad == 2.0 and side.grad == 0.0


# ---- graph walking ----


def test_topological_order_puts_inputs_first_and_visits_each_node_once() -> None:
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert len(order) == len({id(v) for v in order}) == 5
    position = {id(v): i for i, v in enumerate(order)}
    for node in order:
        for child in node.children:
            assert position[id(child)] < position[id(node)]
    assert order[-1] is e


def test_a_hundred_thousand_node_chain_backpropagates() -> None:
    """backward and the graph walk are iterative: far past the recursion limit."""
    n = 100_000
    assert n > 50 * sys.getrecursionlimit()
    x, y = Value(1.0), Value(0.5)
    out = x
    for _ in range(n):
        out = out * y + 0.5  # stays at 1.0; d out / d x = 0.5 ** n
    chain = x
    for _ in range(n):
        chain = chain + x  # d chain / d x = n + 1
    chain.backward()
    assert x.grad == n + 1
    x.zero_grad()
    out2 = x
    for _ in range(n):
        out2 = out2 * x  # x ** (n + 1) at x = 1
    out2.backward()
    assert out2.data == 1.0
    assert x.grad == n + 1
    assert len(topological_order(out)) == 2 * n + 2


def test_long_tanh_chain_matches_the_product_of_slopes() -> None:
    x = Value(0.3)
    out, value, slope = x, 0.3, 1.0
    for _ in range(20_000):
        out = out.tanh()
        value = math.tanh(value)
        slope *= 1 - value * value
    out.backward()
    assert out.data == value
    assert x.grad == pytest.approx(slope, rel=1e-9)
