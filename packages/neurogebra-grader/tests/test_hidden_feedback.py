"""A failed hidden check says what it tested, in words, with no input or expected number."""

from __future__ import annotations

import re

import numpy as np

from neurogebra_grader.checks.battery import Program
from neurogebra_grader.checks.close import judge_close
from neurogebra_grader.checks.value_engine import judge_run
from neurogebra_grader.pipeline.hidden import PREFIX, hidden_message, scrub_numbers

DIGITS = re.compile(r"\d")


def test_a_hidden_value_check_names_what_it_tested_and_the_cause_without_numbers():
    failure = judge_close(
        "(Value(-1.375) * Value(0.620)).local_grads",
        np.array([-0.62, 1.375]),
        np.array([0.62, -1.375]),
        hint="the local derivative of 0.5 * a is 0.5",
    )
    message = hidden_message(failure, test_hint="the local derivative of 0.5 * a is 0.5")
    assert message.startswith(f"{PREFIX}: (Value(…) * Value(…)).local_grads: expected ")
    assert "opposite sign" in message and "Hint: the sign is flipped" in message
    assert not DIGITS.search(message), message


def test_a_hidden_engine_check_names_its_graph_in_words():
    program = Program("a Value used twice", (1.5,), (("mul", 0, 0),))
    expected = {"data": 2.25, "grads": [3.0], "initial_grads": [0.0]}
    got = {"data": 2.25, "grads": [1.5], "initial_grads": [0.0]}
    message = hidden_message(judge_run(program, got, expected))
    assert "the Value engine on a Value used twice" in message
    assert "(+=)" in message and not DIGITS.search(message), message


def test_an_error_in_a_hidden_engine_check_names_only_a_builtin_class():
    program = Program("a Value used twice", (1.5,), (("mul", 0, 0),))
    got = {"error": "Leak_1_5: 1.5", "during": "out = x * x"}
    message = hidden_message(judge_run(program, got, {}))
    assert "an error (Exception)" in message and "Leak" not in message
    assert not DIGITS.search(message), message


def test_hints_written_by_the_package_keep_their_text():
    failure = judge_close("f(2)", np.array([4.0, 1.0]), np.array([2.0, 3.0]))
    assert "compare each step" in hidden_message(failure)
    assert scrub_numbers("w1 = 3.5e-2, [1, 2], x**2") == "w1 = …, […], x**…"
