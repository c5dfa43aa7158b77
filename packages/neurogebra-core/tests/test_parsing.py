"""Formula text -> SymPy: names become symbols, only known functions are called, nothing runs."""

from __future__ import annotations

import pytest
import sympy as sp

from neurogebra.core.parsing import FormulaError, parse_formula, real_symbol


@pytest.mark.parametrize("name", ["gamma", "beta", "S", "N", "E", "lambda_", "I", "Q", "zeta"])
def test_special_names_are_plain_symbols(name: str) -> None:
    expr = parse_formula(f"2*{name} + x")
    assert expr.free_symbols == {real_symbol(name), real_symbol("x")}
    assert expr.subs({real_symbol(name): 1, real_symbol("x"): 0}) == 2


def test_pi_is_the_constant() -> None:
    assert parse_formula("pi*r**2").free_symbols == {real_symbol("r")}
    assert parse_formula("pi").evalf() == pytest.approx(3.141592653589793)


def test_a_name_can_be_a_function_and_a_symbol() -> None:
    expr = parse_formula("gamma(x) + gamma")
    assert expr.has(sp.gamma) and real_symbol("gamma") in expr.free_symbols


def test_symbols_are_real() -> None:
    x = real_symbol("x")
    assert sp.diff(parse_formula("Abs(x)"), x) == sp.sign(x)


def test_decimals_are_exact_and_caret_is_a_power() -> None:
    assert parse_formula("0.1*x") == sp.Rational(1, 10) * real_symbol("x")
    assert parse_formula("x^2") == real_symbol("x") ** 2


def test_shorthands_expand_to_plain_sympy() -> None:
    x = real_symbol("x")
    assert parse_formula("relu(x)") == sp.Max(0, x)
    assert parse_formula("sigmoid(x)") == 1 / (1 + sp.exp(-x))
    assert parse_formula("log(x, 2)") == sp.log(x) / sp.log(2)


def test_piecewise_with_conditions() -> None:
    expr = parse_formula("Piecewise((x, x > 0), (0, True))")
    assert expr.subs(real_symbol("x"), 3) == 3 and expr.subs(real_symbol("x"), -3) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo(x)", "unknown function 'foo'"),
        ("exps(x)", "did you mean 'exp'"),
        ("__import__('os').system('echo hi')", "only named functions"),
        ("__import__('os')", "unknown function '__import__'"),
        ("x.real", "not part of the formula language"),
        ("lambda*w**2", "name the symbol lambda_"),
        ("x +", "can't read"),
        ("", "empty"),
        ("[x, 1]", "not part of the formula language"),
        ("exp(x=1)", "positional"),
    ],
)
def test_bad_formulas_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message.replace("(", r"\(")):
        parse_formula(text)


def test_formula_must_be_text() -> None:
    with pytest.raises(TypeError, match="string"):
        parse_formula(3)  # type: ignore[arg-type]
