"""The diagnosis names the cause a wrong answer's numbers show, and only that cause."""

from __future__ import annotations

import re

import numpy as np
import pytest

from neurogebra_grader.checks.battery import Program, run_program
from neurogebra_grader.checks.close import judge_close
from neurogebra_grader.checks.decreasing import judge_decreasing
from neurogebra_grader.checks.gradient import judge_gradient
from neurogebra_grader.checks.value_engine import judge_run
from neurogebra_grader.diagnosis import (
    UNKNOWN,
    diagnose_curve,
    diagnose_engine,
    diagnose_values,
)

RNG = np.random.default_rng(0)
X = RNG.uniform(-2, 2, 40)
Y = 2.5 * X + 4.0 + RNG.normal(0, 0.5, 40)


def gradients(w: float, b: float, *, mean: bool = True, factor: float = 2.0):
    error = w * X + b - Y
    scale = 1 / len(X) if mean else 1.0
    return factor * scale * float(np.sum(error * X)), factor * scale * float(np.sum(error))


def losses(*, reset: bool = True, sign: float = 1.0, lr: float = 0.05, steps: int = 100):
    """A gradient-descent run on a line, with the typical bugs switched on or off."""
    w = b = 0.0
    dw_total = db_total = 0.0
    out = []
    for _ in range(steps):
        out.append(float(np.mean((w * X + b - Y) ** 2)))
        dw, db = gradients(w, b)
        dw_total = dw if reset else dw_total + dw
        db_total = db if reset else db_total + db
        w, b = w - sign * lr * dw_total, b - sign * lr * db_total
    return out


@pytest.mark.parametrize(
    ("got", "cause"),
    [
        (lambda g: [-v for v in g], "sign"),
        (lambda g: [v / 2 for v in g], "half"),
        (lambda g: [v * 2 for v in g], "double"),
        (lambda g: [v * len(X) for v in g], "k-times"),
        (lambda g: [v / len(X) for v in g], "k-th"),
    ],
)
def test_a_gradient_names_the_cause_its_numbers_show(got, cause):
    right = list(gradients(1.0, 0.5))
    assert diagnose_values(got(right), right, gradient=True).cause == cause


def test_the_bugs_themselves_are_recognised_from_the_students_numbers():
    right = gradients(1.0, 0.5)
    assert diagnose_values(gradients(1.0, 0.5, factor=1.0), right, gradient=True).cause == "half"
    summed = gradients(1.0, 0.5, mean=False)
    assert diagnose_values(summed, right, gradient=True).cause == "k-times"


def test_no_pattern_means_no_cause_and_the_hint_says_so():
    assert diagnose_values([1.0, 7.0], [2.0, 4.0]) is None
    assert diagnose_values([2.0, 4.0], [2.0, 4.0]) is None
    assert diagnose_values([0.0], [0.0]) is None
    failure = judge_close("f(x)", np.array([1.0, 7.0]), np.array([2.0, 4.0]))
    assert failure.hint.startswith(UNKNOWN) and failure.seen == ""
    assert "sign" not in failure.message()


def test_a_loss_that_does_not_fall_because_gradients_pile_up_is_not_told_to_check_its_sign():
    curve = losses(reset=False)
    assert diagnose_curve(curve).cause == "not-reset"
    failure = judge_decreasing("the losses", np.array(curve), factor=0.1)
    assert failure is not None
    assert "reset" in failure.hint and "sign" not in failure.message().lower()


def test_a_loss_that_rises_from_the_first_step_is_told_its_steps_go_uphill():
    curve = losses(sign=-1.0, steps=20)
    assert diagnose_curve(curve).cause == "uphill"
    failure = judge_decreasing("the losses", np.array(curve), factor=0.1)
    assert "against the gradient" in failure.hint
    assert "wrong sign" in failure.hint  # the sign is named, not only the direction


def test_only_a_loss_that_rises_from_the_first_step_is_told_to_check_the_sign():
    for curve in (
        losses(reset=False),
        [1.0, 0.5, 0.8, 1.3, 0.6, 1.9],
        [1.0, 0.4, 0.3, 0.9, 2.0],
        [2.0, 2.0, 2.0],
        losses(lr=1e-4, steps=50),
    ):
        cause = diagnose_curve(curve)
        assert cause is not None and cause.cause != "uphill"
        assert not re.search(r"\bsign\b", cause.text().lower())  # ("assign" is fine)
    assert re.search(r"\bsign\b", diagnose_curve([1.0, 1.5, 2.5, 4.0]).text())


def test_flat_and_slow_curves():
    assert diagnose_curve([2.0, 2.0, 2.0]).cause == "flat"
    assert diagnose_curve(losses(lr=1e-4, steps=50)).cause == "slow"
    assert losses()[-1] < 0.1 * losses()[0]  # the bug-free run passes the check


def test_a_gradient_check_says_what_the_numbers_show():
    failure = judge_gradient(
        "mse_gradients",
        np.array(gradients(1.0, 0.5, factor=1.0)),
        np.array(gradients(1.0, 0.5)),
        [1.0, 0.5],
        names=["w", "b"],
        hint="the test's own hint",
    )
    assert failure.seen == "the gradient is half the expected one"
    assert "factor 2" in failure.hint  # a sure cause wins over the test's general hint


def test_the_test_hint_stays_when_the_pattern_fits_more_than_one_cause():
    failure = judge_close("mse", np.array(4.0), np.array(2.0), hint="average the squared errors")
    assert failure.hint == "average the squared errors"
    assert failure.seen == "the result is twice the expected one"


class Overwrites:
    """A Value whose backward overwrites .grad (= instead of +=)."""

    def __init__(self, data, parents=(), local=()):
        self.data, self.grad, self.parents, self.local = float(data), 0.0, parents, local

    def __mul__(self, other):
        other = other if isinstance(other, Overwrites) else Overwrites(other)
        return Overwrites(self.data * other.data, (self, other), (other.data, self.data))

    def __add__(self, other):
        other = other if isinstance(other, Overwrites) else Overwrites(other)
        return Overwrites(self.data + other.data, (self, other), (1.0, 1.0))

    def backward(self, grad=1.0):
        self.grad = grad
        for parent, local in zip(self.parents, self.local, strict=True):
            parent.backward(grad * local)

    def zero_grad(self):
        self.grad = 0.0


def test_the_engine_names_an_overwrite_from_its_numbers():
    from neurogebra import Value

    twice = Program("a Value used twice", (1.5,), (("mul", 0, 0),))
    failure = judge_run(twice, run_program(Overwrites, twice), run_program(Value, twice))
    assert failure is not None and "(+=)" in failure.hint and "only one of its uses" in failure.seen
    again = Program("two backward calls", (0.8, 0.5), (("mul", 0, 1),), runs=2)
    failure = judge_run(again, run_program(Overwrites, again), run_program(Value, again))
    assert failure is not None and "overwrote .grad" in failure.hint


def test_the_engine_does_not_blame_an_overwrite_where_the_order_could_be_the_cause():
    assert diagnose_engine("a diamond-shaped graph", 1, False, [1.0, 0.5], [2.0, 1.5]) is None
    assert diagnose_engine("zero_grad() between", 2, True, [4.0], [2.0]).cause == "zero-grad"


def test_half_a_value_names_both_causes_and_keeps_the_tests_hint():
    """x.grad after two backward() calls is half when backward overwrites: no factor-2 claim."""
    failure = judge_close("x.grad after a second backward()", np.array(6.0), np.array(12.0))
    assert "(= where += is needed)" in failure.hint
    kept = judge_close("x.grad", np.array(3.0), np.array(6.0), hint="use += so both uses count")
    assert kept.hint == "use += so both uses count" and kept.seen.endswith("half the expected one")
