"""check_gradient against central differences, on random polynomials (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogebra_grader import CheckFailed, check_gradient
from neurogebra_grader.checks.gradient import central_differences

coef = st.floats(-3, 3, allow_nan=False).filter(lambda c: abs(c) > 0.1)
point = st.floats(-2, 2, allow_nan=False)


@settings(max_examples=40)
@given(coef, coef, point, point)
def test_right_gradients_pass_and_a_forgotten_chain_factor_fails(a, b, w, x):
    def f(w, x):
        return (a * w * x + b) ** 2 + math.tanh(w)

    inner = a * w * x + b
    right = [2 * inner * a * x + 1 - math.tanh(w) ** 2, 2 * inner * a * w]
    check_gradient(f, at=[w, x], got=right)
    forgot = [2 * inner + 1 - math.tanh(w) ** 2, 2 * inner]  # no inner derivative
    if not all(
        math.isclose(r, g, rel_tol=1e-3, abs_tol=1e-3) for r, g in zip(right, forgot, strict=True)
    ):
        with pytest.raises(CheckFailed):
            check_gradient(f, at=[w, x], got=forgot)


def test_central_differences_of_a_product():
    assert central_differences(lambda x, y: x * y, [2.0, 3.0]) == pytest.approx([3.0, 2.0])


def test_message_names_the_point_and_the_numbers():
    with pytest.raises(CheckFailed) as caught:
        check_gradient(
            lambda w, b: (2 * w + b) ** 2,
            at=[1.0, 0.5],
            got=[5.0, 5.0],
            what="mse_gradients",
            names=["w", "b"],
        )
    message = str(caught.value)
    assert message.startswith("mse_gradients at w=1, b=0.5: expected [10, 5] (central")
    assert "got [5, 5]" in message and "Hint:" in message


def test_wrong_number_of_derivatives():
    with pytest.raises(CheckFailed, match="shape"):
        check_gradient(lambda w, b: w + b, at=[1.0, 2.0], got=[1.0])


def test_non_numbers():
    with pytest.raises(CheckFailed, match="NoneType"):
        check_gradient(lambda w: w, at=[1.0], got=None)
