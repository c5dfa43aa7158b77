"""Issue 13, section 3: graded end to end, a buggy submission's feedback names the real cause.

Three students of the toy course each make one typical mistake: a backward pass that
overwrites ``.grad`` (``=`` for ``+=``), a mean that forgets to divide (caught only by a hidden
test), and a square with its sign flipped. Each verdict must name that cause, and the hidden
one must say what it tested in words without the hidden inputs or numbers.
"""

from __future__ import annotations

import re

import pytest
import toycourse as tc
from classroom import grade_class, notebook

OVERWRITES = tc.ENGINE.replace("parent.grad += local", "parent.grad = local")
SUMS = "def mean(xs):\n    return float(sum(xs))\n"
NEGATES = "def square(x):\n    return -x * x\n"


def _class(course, port):
    return {
        "overwrites": notebook(course, engine=OVERWRITES),
        "sums": notebook(course, mean=SUMS),
        "negates": notebook(course, square=NEGATES),
    }


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory):
    assert OVERWRITES != tc.ENGINE
    return grade_class(tmp_path_factory.mktemp("causes"), released, _class)


def _verdicts(graded, student: str) -> dict[str, dict]:
    rows = graded.ledger()[student]["verdicts"][tc.ASSIGNMENT]
    return {v["grade_id"]: v for v in rows}


def test_an_overwritten_gradient_is_named_as_such(graded):
    verdicts = _verdicts(graded, "overwrites")
    assert verdicts["test_square"]["score"] == 10.0 and verdicts["test_mean"]["score"] == 10.0
    message = verdicts["test_engine"]["message"]
    assert verdicts["test_engine"]["score"] == 0.0
    assert "a Value used twice" in message and "(+=)" in message, message
    assert "sign" not in message
    assert message in graded.autograded_text("overwrites")


def test_a_hidden_test_says_what_it_tested_and_the_cause_without_its_numbers(graded):
    verdict = _verdicts(graded, "sums")["test_mean"]
    message = verdict["message"]
    assert verdict["score"] == 0.0
    assert message.startswith("a hidden test failed: mean([…]): expected"), message
    assert "a sum where a mean is wanted" in message, message
    assert not re.search(r"\d", message), message  # no input, expected value or result
    assert "2.5" not in graded.visible_text("sums") and "1, 2, 3, 4" not in graded.visible_text(
        "sums"
    )


def test_a_flipped_sign_is_named_and_nothing_else_is_blamed(graded):
    verdicts = _verdicts(graded, "negates")
    message = verdicts["test_square"]["message"]
    assert message.startswith("square(3): expected 9, got -9 (the result has the opposite sign")
    assert "Hint: the sign is flipped" in message, message
    assert verdicts["test_engine"]["score"] == 20.0 and verdicts["test_mean"]["score"] == 10.0
