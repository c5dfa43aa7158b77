"""Numerical safety and error messages: bad input fails loudly and names the offending value."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurogebra.core.autograd import Value

BIGGEST = sys.float_info.max
EXP_LIMIT = math.log(BIGGEST)  # exp overflows a float just above this
finite = st.floats(allow_nan=False, allow_infinity=False)
extremes = st.sampled_from([1e308, -1e308, BIGGEST, -BIGGEST, 710.0, -710.0, 1e-308, -5e-324])


def reference_sigmoid(x: float) -> float:
    # exp(-|x|) never overflows
    z = math.exp(-abs(x))
    return 1 / (1 + z) if x >= 0 else z / (1 + z)


# ---- sigmoid and tanh: any finite input ----


@given(st.one_of(finite, extremes))
def test_sigmoid_never_overflows(x: float) -> None:
    v = Value(x)
    s = v.sigmoid()
    s.backward()
    assert 0.0 <= s.data <= 1.0
    assert s.data == pytest.approx(reference_sigmoid(x), rel=1e-12, abs=1e-300)
    assert 0.0 <= v.grad <= 0.25
    assert math.isfinite(v.grad)


@given(st.one_of(finite, extremes))
def test_tanh_never_overflows(x: float) -> None:
    v = Value(x)
    t = v.tanh()
    t.backward()
    assert -1.0 <= t.data <= 1.0
    assert t.data == math.tanh(x)
    assert 0.0 <= v.grad <= 1.0


def test_sigmoid_and_tanh_saturate_at_the_float_extremes() -> None:
    for x, s, t in [(1e308, 1.0, 1.0), (-1e308, 0.0, -1.0), (BIGGEST, 1.0, 1.0)]:
        v = Value(x)
        assert v.sigmoid().data == s
        assert v.tanh().data == t


# ---- exp ----


@given(st.floats(max_value=EXP_LIMIT, allow_nan=False))
def test_exp_within_range_is_finite(x: float) -> None:
    v = Value(x)
    e = v.exp()
    e.backward()
    assert math.isfinite(e.data) and e.data == math.exp(x)
    assert v.grad == e.data


@given(st.floats(min_value=EXP_LIMIT, exclude_min=True))
def test_exp_beyond_float_range_raises_naming_the_value(x: float) -> None:
    with pytest.raises(OverflowError) as error:
        Value(x).exp()
    assert repr(x) in str(error.value)
    assert str(error.value).startswith("Value.exp")


def test_exp_overflow_message_example() -> None:
    with pytest.raises(OverflowError, match=r"Value\.exp: exp\(800\.0\) is beyond the float range"):
        Value(800.0).exp()


# ---- log ----


def test_log_of_a_negative_number_message() -> None:
    with pytest.raises(ValueError) as error:
        Value(-2.0).log()
    assert str(error.value).startswith("Value.log: input must be > 0, got -2.0")


@given(st.one_of(st.floats(max_value=0.0), st.just(math.nan)))
def test_log_of_non_positive_raises_naming_the_value(x: float) -> None:
    with pytest.raises(ValueError) as error:
        Value(x).log()
    assert str(error.value).startswith(f"Value.log: input must be > 0, got {x!r}")


@given(st.floats(min_value=0.0, exclude_min=True, allow_infinity=False))
def test_log_of_any_positive_float_works(x: float) -> None:
    v = Value(x)
    out = v.log()
    out.backward()
    assert out.data == math.log(x)
    assert v.grad == 1 / x  # inf for subnormal x, never an exception


# ---- division by zero and powers ----


@pytest.mark.parametrize(
    ("compute", "numerator"),
    [
        (lambda: Value(3.0) / 0, "3.0"),
        (lambda: Value(3.0) / 0.0, "3.0"),
        (lambda: Value(3.0) / Value(0.0), "3.0"),
        (lambda: 3 / Value(0.0), "3.0"),
        (lambda: Value(0.0) / Value(-0.0), "0.0"),
    ],
)
def test_division_by_zero_says_so(compute: Callable[[], Value], numerator: str) -> None:
    with pytest.raises(ZeroDivisionError, match=rf"dividing {numerator} by zero"):
        compute()


@pytest.mark.parametrize(
    "compute",
    [lambda: Value(0.0) ** -1, lambda: 0 ** Value(-1.0), lambda: Value(0.0) ** Value(-0.5)],
)
def test_zero_to_a_negative_power_is_a_division_by_zero(compute: Callable[[], Value]) -> None:
    with pytest.raises(ZeroDivisionError, match=r"0\.0 raised to the negative power"):
        compute()


def test_power_overflow_names_the_operands() -> None:
    with pytest.raises(OverflowError, match=r"10\.0 \*\* 400\.0 is beyond the float range"):
        Value(10.0) ** 400
    with pytest.raises(OverflowError, match=r"10\.0 \*\* 400\.0"):
        10 ** Value(400.0)


def test_negative_base_with_fractional_exponent_has_no_real_result() -> None:
    with pytest.raises(ValueError, match=r"negative base -8\.0 .* exponent 0\.5"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match=r"negative base -8\.0"):
        Value(-8.0) ** Value(1.5)


@given(st.floats(min_value=1e-300, max_value=1e-150), st.sampled_from([1.0, -1.0]))
def test_tiny_divisors_and_bases_do_not_crash_the_derivative(tiny: float, sign: float) -> None:
    """x / tiny and tiny ** -1 are floats; their slopes may be infinite but never raise."""
    b = Value(sign * tiny)
    a = Value(1e-160)
    quotient = a / b
    quotient.backward()
    assert quotient.data == 1e-160 / (sign * tiny)
    assert not math.isnan(b.grad)
    reciprocal = Value(sign * tiny)
    power = reciprocal**-1
    power.backward()
    assert power.data == (sign * tiny) ** -1
    assert reciprocal.grad < 0 or math.isinf(reciprocal.grad)
    flipped = Value(sign * tiny)
    (1.0 / flipped).backward()
    assert flipped.grad == -math.inf or flipped.grad < 0


# ---- non-numeric input ----

BAD_INPUTS = [
    pytest.param("3", id="str"),
    pytest.param(None, id="None"),
    pytest.param([1.0, 2.0], id="list"),
    pytest.param(np.array([1.0, 2.0]), id="ndarray"),
    pytest.param(np.zeros((2, 2)), id="2d-ndarray"),
    pytest.param(1 + 2j, id="complex"),
    pytest.param({"x": 1.0}, id="dict"),
]

ENTRY_POINTS: dict[str, Callable[[Value, object], object]] = {
    "Value(bad)": lambda v, bad: Value(bad),  # type: ignore[arg-type]
    "v + bad": lambda v, bad: v + bad,
    "v - bad": lambda v, bad: v - bad,
    "v * bad": lambda v, bad: v * bad,
    "v / bad": lambda v, bad: v / bad,
    "v ** bad": lambda v, bad: v**bad,
    "v < bad": lambda v, bad: v < bad,
    "v >= bad": lambda v, bad: v >= bad,
    "Value.sum": lambda v, bad: Value.sum([v, bad]),  # type: ignore[list-item]
    "backward(bad)": lambda v, bad: v.backward(bad),  # type: ignore[arg-type]
}
# With the bad object on the left, Python asks Value's reflected method (arrays excepted:
# NumPy broadcasts over the Value, which is NumPy's business).
REFLECTED: dict[str, Callable[[Value, object], object]] = {
    "bad + v": lambda v, bad: bad + v,
    "bad - v": lambda v, bad: bad - v,
    "bad * v": lambda v, bad: bad * v,
    "bad / v": lambda v, bad: bad / v,
    "bad ** v": lambda v, bad: bad**v,
    "bad < v": lambda v, bad: bad < v,
}


def check_type_error(call: Callable[[Value, object], object], bad: object) -> None:
    with pytest.raises(TypeError) as error:
        call(Value(2.0), bad)
    message = str(error.value)
    assert message.startswith("Value"), message
    assert repr(bad) in message, message
    assert type(bad).__name__ in message
    if getattr(bad, "shape", ()) != ():
        assert "Tensor" in message  # says what to use instead


@pytest.mark.parametrize("bad", BAD_INPUTS)
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_non_numbers_raise_type_error_naming_them(entry: str, bad: object) -> None:
    check_type_error(ENTRY_POINTS[entry], bad)


@pytest.mark.parametrize("bad", [p for p in BAD_INPUTS if p.id not in ("ndarray", "2d-ndarray")])
@pytest.mark.parametrize("entry", REFLECTED)
def test_non_numbers_on_the_left_raise_type_error_naming_them(entry: str, bad: object) -> None:
    check_type_error(REFLECTED[entry], bad)


def test_zero_dimensional_array_hint() -> None:
    with pytest.raises(TypeError, match=r"ndarray array\(2\.0?\); pass an int or a float"):
        Value(np.array(2.0))  # type: ignore[arg-type]
