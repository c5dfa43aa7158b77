"""Number checks: right answers pass, wrong ones say what, expected, got and a hint."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogebra import Value
from neurogebra_grader import (
    CheckFailed,
    check_close,
    check_decreasing,
    check_equal,
    check_type,
)

finite = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=50)
@given(st.lists(finite, min_size=1, max_size=8))
def test_equal_arrays_pass_and_shifted_ones_fail(values):
    check_close(np.array(values), values)
    shifted = [v + 1.0 + abs(v) * 1e-3 for v in values]
    with pytest.raises(CheckFailed):
        check_close(shifted, values)


def test_message_says_what_expected_got_and_hint():
    with pytest.raises(CheckFailed) as caught:
        check_close(4.0, 2.0, what="mse([1, 2], [1, 4])", hint="average the squared errors")
    assert str(caught.value) == (
        "mse([1, 2], [1, 4]): expected 2, got 4 (the result is twice the expected one)."
        " Hint: average the squared errors."
    )
    assert isinstance(caught.value, AssertionError)


def test_values_and_numpy_scalars_are_read_as_numbers():
    check_close([Value(1.0), np.float32(2.0)], [1.0, 2.0])
    check_close(Value(3.0), 3)


def test_shape_mismatch_is_named():
    with pytest.raises(CheckFailed, match=r"\(shape\): expected shape \(3,\), got shape \(2,\)"):
        check_close([1.0, 2.0], [1.0, 2.0, 3.0], what="predict(X)")


def test_which_item_differs_is_named():
    with pytest.raises(CheckFailed, match="1 of 3 items differ, the first at index 2"):
        check_close([1.0, 2.0, 9.0], [1.0, 2.0, 3.0])


def test_nan_is_reported():
    with pytest.raises(CheckFailed, match="nan"):
        check_close(float("nan"), 1.0)


def test_non_numbers_fail_with_their_type():
    with pytest.raises(CheckFailed, match="got str 'abc'"):
        check_close("abc", 1.0, what="the loss")
    with pytest.raises(CheckFailed, match="NoneType"):
        check_close(None, 1.0)


class AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def test_objects_are_never_asked_whether_they_are_equal():
    with pytest.raises(CheckFailed, match="a AlwaysEqual"):
        check_equal(AlwaysEqual(), 371, what="number of parameters")
    with pytest.raises(CheckFailed):
        check_close(AlwaysEqual(), 1.0)


def test_check_equal():
    check_equal(371, 371)
    check_equal((240, 2), (240, 2), what="X.shape")
    check_equal(np.array([0, 1, 2]), np.array([0, 1, 2]))
    check_equal(np.int64(3), 3)
    with pytest.raises(CheckFailed, match="expected 371, got 370"):
        check_equal(370, 371)
    with pytest.raises(CheckFailed):
        check_equal(np.array([0, 1]), np.array([0, 1, 2]))


def test_check_decreasing():
    check_decreasing([10.0, 5.0, 1.0])
    with pytest.raises(CheckFailed, match=r"rose at every step.*step against the gradient"):
        check_decreasing([1.0, 2.0, 4.0])
    with pytest.raises(CheckFailed, match="nan/inf at step 2"):
        check_decreasing([1.0, 0.5, float("inf")])
    with pytest.raises(CheckFailed, match="at least 2 values"):
        check_decreasing([1.0])


def test_check_type():
    check_type(Value(1.0), Value, what="the neuron's output")
    with pytest.raises(CheckFailed, match="expected a Value, got a float"):
        check_type(1.0, Value, what="the neuron's output")
    with pytest.raises(CheckFailed, match="a int or float"):
        check_type("1", (int, float), what="x")
