"""The library at its edges: one rule for scalars and arrays, stable formulas, one convention
for kinks, and odd inputs that must never give a silent wrong answer."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
import sympy as sp

from neurogebra import Expression, MathForge, Value
from neurogebra.core.tensor import Tensor
from neurogebra.repository import all_entries
from neurogebra.repository.entry import DEFAULT_SAMPLE_RANGE

FORGE = MathForge()

# ---- Expression.eval: one rule (NumPy's) for numbers and arrays ----


@pytest.mark.parametrize(
    ("formula", "point", "expected", "warning"),
    [
        ("1/x", 0.0, math.inf, "divide by zero"),
        ("x**2", 1e200, math.inf, "overflow"),
        ("sqrt(x)", -1.0, math.nan, "invalid value"),
        ("log(x)", 0.0, -math.inf, "divide by zero"),
    ],
)
def test_numbers_and_arrays_follow_one_rule(formula, point, expected, warning):
    e = Expression("f", formula)
    with pytest.warns(RuntimeWarning, match=warning):
        scalar = e.eval(x=point)
    with pytest.warns(RuntimeWarning, match=warning):
        array = e.eval(x=np.array([point, 1.0]))
    assert isinstance(scalar, float)
    np.testing.assert_array_equal([scalar], array[:1])
    np.testing.assert_array_equal([scalar], [expected])


def test_a_real_formula_outside_its_domain_gives_nan_never_complex():
    pmf = FORGE.get("bernoulli_pmf")
    names = pmf.variables
    point = dict.fromkeys(names, 0.5) | {"p": 1.5}
    with pytest.warns(RuntimeWarning):
        result = pmf.eval(**point)
    assert isinstance(result, float) and math.isnan(result)
    with pytest.warns(RuntimeWarning):
        assert math.isnan(Expression("f", "x**0.5").eval(x=-4))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "is None"),
        ("3", "is text"),
        (1 + 2j, "is complex"),
        (np.array([1j]), "complex"),
        ([None, 1.0], "not numbers"),
        ([[1.0], [1.0, 2.0]], "different lengths"),
        (np.array(["2024-01-01"], dtype="datetime64[D]"), "dates"),
    ],
)
def test_eval_refuses_what_is_not_a_real_number_and_names_the_variable(value, words):
    with pytest.raises(TypeError, match=rf"relu\.eval\(\): x=.*{words}"):
        FORGE.get("relu").eval(x=value)


def test_eval_takes_the_one_variable_positionally():
    relu = FORGE.get("relu")
    assert relu.eval(3) == 3 and relu(-2.0) == 0.0
    np.testing.assert_array_equal(relu.eval(np.array([-1.0, 1.0])), [0.0, 1.0])
    with pytest.raises(TypeError, match=r"by name.*mse\.eval\(y_pred=1\.0, y_true=1\.0\)"):
        FORGE.get("mse").eval(1.0, 2.0)
    with pytest.raises(TypeError, match="by name"):
        relu.eval(3, x=4)


def test_the_gradient_of_a_constant_is_zero():
    g = Expression("c", "5").gradient("x")
    assert g.eval() == 0
    with pytest.raises(ValueError, match="not one of its symbols"):
        Expression("f", "x**2").gradient("y")  # a typo in a real formula is still caught


# ---- every repository formula at extreme inputs ----


def _extremes(entry, name):
    low, high = entry.sample_range(name)
    if (low, high) == DEFAULT_SAMPLE_RANGE:  # any real number: go far out
        return [-1e3, 1e3, -1e8, 1e8]
    width = high - low  # a bounded domain: approach both edges
    return [low + 1e-9 * width, high - 1e-9 * width]


def _truth(expr, values):
    """The value in 40-digit arithmetic, or None where the formula is undefined."""
    exact = {s: sp.Float(values[s.name], 40) for s in expr.free_symbols}
    try:
        result = complex(sp.N(expr.xreplace(exact), 30))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if result.imag != 0 or math.isnan(result.real):
        return None
    return result.real


@pytest.mark.parametrize("entry", all_entries(), ids=lambda e: e.name)
def test_every_formula_is_right_at_extreme_inputs(entry):
    expression = entry.to_expression()
    names = expression.variables
    points = list(itertools.product(*(_extremes(entry, n) for n in names)))[:16]
    checked = 0
    for point in points:
        values = dict(zip(names, point, strict=True))
        truth = _truth(expression.symbolic_expr, {**expression.params, **values})
        if truth is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # overflow to inf is allowed
            ours = expression.eval(**values)
        if abs(truth) > 1e300:  # beyond floats: inf of the right sign (or a huge number)
            assert abs(ours) > 1e300 and np.sign(ours) == np.sign(truth), (values, ours)
        else:
            assert math.isfinite(ours), (values, truth, ours)
            assert abs(ours - truth) <= 1e-6 * abs(truth) + 1e-9, (values, truth, ours)
        checked += 1
    assert checked or not names


@pytest.mark.parametrize(
    ("name", "point", "expected"),
    [
        ("softplus", {"x": 1000.0}, 1000.0),
        ("softplus", {"x": -1000.0}, 0.0),
        ("log_sigmoid", {"x": -1000.0}, -1000.0),
        ("sigmoid", {"x": -1000.0}, 0.0),
        ("softmax", {"z1": 1000.0, "z2": 1000.0, "z3": 1000.0}, 1 / 3),
        ("softmax", {"z1": -1000.0, "z2": -1000.0, "z3": -1000.0}, 1 / 3),
        ("binary_cross_entropy", {"y_true": 1.0, "y_pred": 1.0}, 0.0),
        ("binary_cross_entropy", {"y_true": 0.0, "y_pred": 0.0}, 0.0),
        ("cross_entropy", {"y1": 1, "y2": 0, "y3": 0, "p1": 1.0, "p2": 0.0, "p3": 0.0}, 0.0),
        ("log_cosh", {"y_pred": 1000.0, "y_true": 0.0}, 1000.0 - math.log(2.0)),
    ],
)
def test_the_issues_examples_are_stable_and_silent(name, point, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even a warning
        assert FORGE.get(name).eval(**point) == pytest.approx(expected, abs=1e-12)


def test_stable_compilation_keeps_the_readable_formula():
    assert FORGE.get("softplus").formula == "log(exp(x) + 1)"
    assert "log(y_pred)" in FORGE.get("binary_cross_entropy").formula
    assert FORGE.get("softmax").formula.startswith("exp(z1)/")


# ---- kinks: the slope from the left, everywhere ----


def _value_slope(name: str, x: float) -> float:
    v = Value(x)
    FORGE.get(name).eval(x=v).backward()
    return v.grad


@pytest.mark.parametrize(
    ("name", "x", "slope"),
    [
        ("relu", 0.0, 0.0),
        ("leaky_relu", 0.0, 0.01),
        ("celu", 0.0, 1.0),  # smooth at 0 despite its pieces
        ("hard_tanh", 1.0, 1.0),
        ("hard_tanh", -1.0, 0.0),
        ("relu6", 6.0, 1.0),
        ("relu6", 0.0, 0.0),
    ],
)
def test_one_convention_for_kinks_in_gradient_value_and_tensor(name, x, slope):
    e = FORGE.get(name)
    assert e.gradient("x").eval(x=x) == pytest.approx(slope)
    assert _value_slope(name, x) == pytest.approx(slope)
    if name == "relu":
        t = Tensor([x], requires_grad=True)
        t.relu().sum().backward()
        v = Value(x)
        v.relu().backward()
        assert t.grad[0] == v.grad == slope


def test_kinks_match_torch_where_torch_is_consistent():
    torch = pytest.importorskip("torch")
    for name, function in [
        ("relu", torch.relu),
        ("leaky_relu", lambda t: torch.nn.functional.leaky_relu(t, 0.01)),
        ("celu", torch.nn.functional.celu),
    ]:
        t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        function(t).backward()
        assert FORGE.get(name).gradient("x").eval(x=0.0) == pytest.approx(float(t.grad)), name
        assert _value_slope(name, 0.0) == pytest.approx(float(t.grad)), name


# ---- odd inputs to Value ----


def test_value_relu_keeps_nan_and_zero_is_false():
    assert math.isnan(Value(math.nan).relu().data)
    assert math.isnan(Tensor([math.nan]).relu().item())
    assert not Value(0.0) and Value(-0.5) and Value(math.nan)
