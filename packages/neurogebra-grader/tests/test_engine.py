"""check_value_engine on the reference engine, a correct student engine and typical mistakes."""

from __future__ import annotations

import pytest
from student_engines import make_engine

from neurogebra import Value
from neurogebra_grader import CheckFailed, check_value_engine
from neurogebra_grader.checks.battery import Program, battery, run_program
from neurogebra_grader.checks.value_engine import judge_run


def test_reference_engine_passes_every_program():
    check_value_engine(Value, ops=("add", "mul", "sub", "div", "pow", "relu", "tanh", "exp"))


def test_a_correct_student_engine_passes():
    check_value_engine(make_engine(), n_graphs=40, seed=3)


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ("mul_grad", ["mul of two Values", "x.grad=-2", "got x.grad=1.5", "for a, and a for b"]),
        ("no_radd", ["add with a plain number on the left", "TypeError", "__radd__"]),
        ("relu_grad", ["relu", "x.grad=0", "got x.grad=1", "blocks it"]),
        (
            "exp_raises",
            ["exp", "`out = x.exp()` to run, got NotImplementedError.", "not written yet"],
        ),
        ("no_topo", ["diamond", "reverse topological order"]),
        ("overwrite", ["a Value used twice", "x.grad=3", "got x.grad=1.5", "+="]),
        ("no_zero_grad", ["zero_grad() between two backward calls", "back to 0.0"]),
    ],
)
def test_each_typical_mistake_is_named(mistake, words):
    with pytest.raises(CheckFailed) as caught:
        check_value_engine(make_engine(mistake))
    message = str(caught.value)
    for word in words:
        assert word in message, message
    assert "expected" in message and "got" in message and "Hint:" in message


def test_a_broken_class_fails_cleanly():
    class NotAnEngine:
        def __init__(self, data):
            self.data = data

    with pytest.raises(CheckFailed, match="AttributeError"):
        check_value_engine(NotAnEngine)


def test_values_that_start_with_a_gradient_are_caught():
    class Engine(make_engine()):
        def __init__(self, *args):
            super().__init__(*args)
            self.grad = 1.0

    with pytest.raises(CheckFailed, match=r"start with grad 0\.0"):
        check_value_engine(Engine)


def test_battery_is_plain_data_and_reproducible():
    first, second = battery(seed=5, n_graphs=10), battery(seed=5, n_graphs=10)
    assert first == second
    assert battery(seed=6, n_graphs=10) != first
    for program in first:
        assert all(type(v) is float for v in program.leaves)
        assert all(type(step[0]) is str for step in program.steps)


def test_random_graphs_use_only_the_requested_ops():
    programs = battery(("add", "tanh"), n_graphs=15)
    ops = {step[0] for program in programs for step in program.steps}
    assert ops == {"add", "tanh"}


def test_unknown_op_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown ops"):
        battery(("add", "softmax"))


def test_judge_reads_only_reports():
    program = Program("x times y", (2.0, 3.0), (("mul", 0, 1),))
    expected = run_program(Value, program)
    assert expected == {"data": 6.0, "grads": [3.0, 2.0], "initial_grads": [0.0, 0.0]}
    assert judge_run(program, dict(expected), expected) is None
    wrong = {**expected, "grads": [3.0, 0.0]}
    failure = judge_run(program, wrong, expected)
    assert failure is not None
    assert failure.expected == "x.grad=3, y.grad=2" and failure.got == "x.grad=3, y.grad=0"
    assert "x = Value(2); y = Value(3); out = x * y" in failure.what
