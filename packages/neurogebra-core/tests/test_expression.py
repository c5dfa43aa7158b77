"""Expression: evaluation, calculus, composition, arithmetic, display and the autograd bridge."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import neurogebra.core.expression as expression_module
from neurogebra import Expression
from neurogebra.core.autograd import Value
from neurogebra.core.parsing import real_symbol

finite = st.floats(min_value=-3, max_value=3, allow_nan=False)


def line() -> Expression:
    return Expression("line", "m*x + b", params={"m": 2.0, "b": 1.0})


# ---- evaluation ----


def test_scalar_in_number_out() -> None:
    assert line().eval(x=3) == 7.0 and type(line().eval(x=3)) is float
    relu = Expression("relu", "Max(0, x)")
    assert relu.eval(x=5) == 5 and type(relu.eval(x=5)) is int  # like max(0, 5)
    assert type(relu.eval(x=5.0)) is float and type(relu.eval(x=np.float64(5))) is float
    assert type(Expression("half", "x/2").eval(x=4)) is float  # like 4 / 2 in Python
    assert Expression("sq", "x**2").eval(x=np.int64(3)) == 9


def test_arrays_broadcast() -> None:
    e = Expression("sum", "a + b")
    out = e.eval(a=np.arange(3.0)[:, None], b=np.arange(4.0))
    assert isinstance(out, np.ndarray) and out.shape == (3, 4)
    np.testing.assert_allclose(out, np.arange(3.0)[:, None] + np.arange(4.0))
    np.testing.assert_allclose(line().eval(x=[0, 1, 2]), [1.0, 3.0, 5.0])


def test_constant_results_take_the_shape_of_array_inputs() -> None:
    slope = line().gradient("x")  # m: no x left in the formula
    np.testing.assert_array_equal(slope.eval(x=np.zeros(4)), np.full(4, 2.0))


def test_keywords_override_params_and_params_stay() -> None:
    e = line()
    assert e.eval(x=1.0, m=10.0) == 11.0
    assert e.params == {"m": 2.0, "b": 1.0}


def test_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = expression_module.compile_numpy

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(expression_module, "compile_numpy", counting)
    e = Expression("sig", "1/(1 + exp(-x))")
    for value in (0.0, 1.0, np.linspace(-1, 1, 5)):
        e.eval(x=value)
    assert len(calls) == 1


def test_missing_and_unexpected_variables_are_named() -> None:
    e = Expression("plane", "a*x + b*y", params={"a": 1.0, "b": 2.0})
    with pytest.raises(TypeError, match=r"missing the variable 'y'.*expects x, y"):
        e.eval(x=1.0)
    with pytest.raises(TypeError, match=r"unexpected variable 'z'.*expects x, y"):
        e.eval(x=1.0, y=1.0, z=3.0)
    with pytest.raises(TypeError, match="did you mean 'x'"):
        e.eval(xx=1.0, y=2.0)


def test_piecewise_functions_work_on_arrays() -> None:
    x = np.array([-2.0, -0.5, 0.5, 2.0, 7.0])
    cases = {
        "Max(0, x)": np.maximum(0, x),
        "Min(Max(0, x), 6)": np.clip(x, 0, 6),
        "Heaviside(x)": (x > 0).astype(float),
        "Piecewise((x, x > 0), (exp(x) - 1, True))": np.where(x > 0, x, np.expm1(x)),
        "Abs(x) + sign(x)": np.abs(x) + np.sign(x),
    }
    for formula, expected in cases.items():
        np.testing.assert_allclose(Expression("f", formula).eval(x=x), expected, err_msg=formula)


# ---- construction errors ----


def test_bad_construction_is_explained() -> None:
    with pytest.raises(ValueError, match="parameter 'q' does not appear"):
        Expression("line", "m*x + b", params={"q": 1.0})
    with pytest.raises(ValueError, match="no starting value"):
        Expression("line", "m*x + b", params={"m": 1.0}, trainable_params=["b"])
    with pytest.raises(TypeError, match="real number"):
        Expression("line", "m*x + b", params={"m": "two"})
    with pytest.raises(TypeError, match="formula string"):
        Expression("bad", [1, 2])  # type: ignore[arg-type]


def test_accepts_sympy_and_makes_its_symbols_real() -> None:
    x = sp.Symbol("x")
    e = Expression("abs", sp.Abs(x))
    assert e.gradient("x").symbolic_expr == sp.sign(real_symbol("x"))


# ---- calculus ----


def test_gradient_keeps_parameters() -> None:
    e = Expression("q", "a*x**2 + b", params={"a": 3.0, "b": 1.0}, trainable_params=["a"])
    d = e.gradient("x")
    assert d.formula == "2*a*x" and d.params == {"a": 3.0, "b": 1.0}
    assert d.trainable_params == ["a"] and d.eval(x=2.0) == 12.0
    assert e.gradient("a").eval(x=2.0) == 4.0
    assert set(e.gradients()) == {"x"} and set(e.gradients(include_params=True)) == {"x", "a", "b"}
    with pytest.raises(ValueError, match="not one of its symbols"):
        e.gradient("z")


def test_simplify_expand_integrate() -> None:
    e = Expression("f", "(x + 1)**2 - x**2")
    assert e.simplify().formula == "2*x + 1"
    assert Expression("g", "(x + 1)**2").expand().formula == "x**2 + 2*x + 1"
    integral = Expression("h", "3*x**2", params={}).integrate("x")
    assert integral.formula == "x**3"
    with pytest.raises(ValueError, match="no closed form"):
        Expression("w", "sin(sin(x))").integrate("x")


# ---- composition and arithmetic ----


def test_compose_substitutes_the_variable_not_parameters() -> None:
    relu = Expression("relu", "Max(0, x)")
    affine = Expression("affine", "w*t + c", params={"w": 2.0, "c": -1.0})
    neuron = relu.compose(affine)
    assert neuron.variables == ["t"] and neuron.params == {"w": 2.0, "c": -1.0}
    assert neuron.eval(t=3.0) == 5.0 and neuron.eval(t=0.0) == 0.0
    leaky = Expression("leaky", "Max(alpha*x, x)", params={"alpha": 0.1})
    with pytest.raises(ValueError, match="'alpha' is a parameter"):
        leaky.compose(affine, var="alpha")
    with pytest.raises(ValueError, match="say which one"):
        Expression("two", "x*y").compose(affine)
    assert Expression("two", "x*y").compose(affine, var="y").formula == "x*(c + t*w)"


def test_compose_refuses_conflicting_parameters() -> None:
    a = Expression("a", "k*x", params={"k": 1.0})
    b = Expression("b", "k + y", params={"k": 2.0})
    with pytest.raises(ValueError, match="both have a parameter 'k'"):
        a.compose(b)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda e: e + 1, 8.0),
        (lambda e: 1 + e, 8.0),
        (lambda e: 3 - e, -4.0),
        (lambda e: e - 3, 4.0),
        (lambda e: 2 * e, 14.0),
        (lambda e: e * 0.5, 3.5),
        (lambda e: 2 / e, 2 / 7),
        (lambda e: e / 2, 3.5),
        (lambda e: 2**e, 128.0),
        (lambda e: e**2, 49.0),
        (lambda e: -e, -7.0),
        (lambda e: e + e * e, 56.0),
    ],
)
def test_arithmetic_with_numbers_on_both_sides(make, expected: float) -> None:
    result = make(line())
    assert isinstance(result, Expression)
    assert result.eval(x=3.0) == pytest.approx(expected)
    assert result.params == {"m": 2.0, "b": 1.0}


def test_arithmetic_merges_variables_and_trainable_params() -> None:
    a = Expression("a", "p*x", params={"p": 1.0}, trainable_params=["p"])
    b = Expression("b", "q*y", params={"q": 2.0}, trainable_params=["q"])
    total = a + b
    assert total.variables == ["x", "y"] and total.trainable_params == ["p", "q"]
    assert total.eval(x=1.0, y=1.0) == 3.0
    with pytest.raises(TypeError):
        a + "b"  # type: ignore[operator]


# ---- display and words ----


def test_display() -> None:
    e = line()
    assert repr(e) == "Expression('line', 'b + m*x', params={'m': 2.0, 'b': 1.0})"
    assert str(e) == "line(x) = b + m*x"
    assert e.latex() == "b + m x"
    assert e._repr_latex_() == r"$\displaystyle \mathrm{line}(x) = b + m x$"


@pytest.mark.parametrize("level", ["beginner", "intermediate", "advanced"])
def test_explain_levels(level: str) -> None:
    text = Expression("sq", "x**2").explain(level)
    assert isinstance(text, str) and "x**2" in text and "2*x" in text
    assert text._repr_markdown_() == str(text)


def test_explain_grows_with_level_and_names_pitfalls() -> None:
    e = Expression("nll", "-log(p)")
    beginner, advanced = e.explain("beginner"), e.explain("advanced")
    assert len(advanced) > len(beginner)
    assert "logarithm" in e.explain("intermediate")
    with pytest.raises(ValueError, match="did you mean 'advanced'"):
        e.explain("advnced")


# ---- the bridge to autograd ----

BRIDGE_FORMULAS = [
    "m*x**2 + b*x",
    "1/(1 + exp(-x))",
    "tanh(x)*x + sqrt(x**2 + 1)",
    "log(1 + exp(x))",
    "Max(0, x) + Min(1, x)",
    "Abs(x - 0.3)*sin(x) + cos(x)",
    "Piecewise((x, x > 0), (exp(x) - 1, True))",
    "x*(1 + erf(x/sqrt(2)))/2",
    "atan(x) + asinh(x) + cosh(x)/2",
]


@functools.cache
def bridge_pair(formula: str) -> tuple[Expression, Expression]:
    """The expression and its gradient, built once so each example reuses the compiled code."""
    e = Expression("f", formula, params={"m": 1.5, "b": -0.5} if "m*" in formula else None)
    return e, e.gradient("x")


@pytest.mark.parametrize("formula", BRIDGE_FORMULAS)
@settings(max_examples=25, deadline=None)
@given(x=finite)
def test_value_inputs_give_the_symbolic_gradient(formula: str, x: float) -> None:
    e, slope = bridge_pair(formula)
    if any(abs(x - kink) < 1e-6 for kink in (0.0, 0.3, 1.0)):
        return  # the slope is not defined at a kink
    v = Value(x)
    out = e.eval(x=v)
    assert isinstance(out, Value)
    out.backward()
    assert out.data == pytest.approx(e.eval(x=x), rel=1e-12, abs=1e-12)
    assert v.grad == pytest.approx(slope.eval(x=x), rel=1e-9, abs=1e-12)


def test_value_bridge_with_several_inputs_and_constants() -> None:
    e = Expression("neuron", "Max(0, w*x + b)", params={"b": 0.5})
    w, x = Value(2.0), Value(-3.0)
    out = e.eval(w=w, x=x)  # 2*-3 + 0.5 < 0: relu gives the constant 0
    out.backward()
    assert out.data == 0.0 and (w.grad, x.grad) == (0.0, 0.0)
    w, x = Value(2.0), Value(3.0)
    out = e.eval(w=w, x=x)
    out.backward()
    assert (w.grad, x.grad) == (3.0, 2.0)
    assert math.isclose(e.gradient("w").eval(w=2.0, x=3.0), 3.0)


def test_matches_pytorch_gradients() -> None:
    torch = pytest.importorskip("torch")
    x = np.linspace(-3, 3, 41) + 0.013
    pairs = {
        "x*(1 + erf(x/sqrt(2)))/2": torch.nn.functional.gelu,
        "x/(1 + exp(-x))": torch.nn.functional.silu,
        "log(1 + exp(x))": torch.nn.functional.softplus,
        "x*tanh(log(1 + exp(x)))": torch.nn.functional.mish,
        "Piecewise((x, x > 0), (exp(x) - 1, True))": torch.nn.functional.elu,
    }
    for formula, function in pairs.items():
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        function(t).sum().backward()
        ours = Expression("f", formula).gradient("x").eval(x=x)
        np.testing.assert_allclose(ours, t.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=formula)


def test_value_parameters_get_gradients_too() -> None:
    e = Expression("line", "m*x + b", params={"m": 2.0, "b": 1.0})
    m = Value(2.0)
    out = e.eval(x=3.0, m=m)
    out.backward()
    assert out.data == 7.0 and m.grad == e.gradient("m").eval(x=3.0) == 3.0


def test_pickle_and_deepcopy_keep_everything_but_the_compiled_code() -> None:
    import copy
    import pickle

    e = Expression("line", "m*x + b", params={"m": 2.0, "b": 1.0}, trainable_params=["m"])
    e.eval(x=1.0)
    for clone in (pickle.loads(pickle.dumps(e)), copy.deepcopy(e)):
        assert repr(clone) == repr(e) and clone.eval(x=3.0) == 7.0
