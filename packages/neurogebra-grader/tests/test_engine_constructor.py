"""check_value_engine(build="constructor"): backward judged on graphs made with the
constructor only, so a bug in the student's operators is not charged again."""

from __future__ import annotations

import pytest
from student_engines import make_engine

from neurogebra_grader import CheckFailed, check_value_engine
from neurogebra_grader.checks import node_graphs
from neurogebra_grader.checks.battery import battery, run_program
from neurogebra_grader.checks.value_engine import VALUE_ENGINE


def course_value(backward_bug: str = "") -> type:
    """The course's Value (children, local_grads) with a backward written as students do;
    its operators are not written yet."""

    class Value:
        def __init__(self, data, children=(), local_grads=(), op=""):
            self.data = float(data)
            self.grad = 0.0
            self.children = tuple(children)
            self.local_grads = tuple(local_grads)

        def __add__(self, other):
            raise NotImplementedError()

        __mul__ = __add__

        def backward(self):
            order, seen = [], set()

            def visit(node):
                if backward_bug == "duplicates" or id(node) not in seen:
                    seen.add(id(node))
                    for child in node.children:
                        visit(child)
                    order.append(node)

            visit(self)
            if backward_bug != "no-seed":
                self.grad = 1.0
            for node in reversed(order):
                for child, local in zip(node.children, node.local_grads, strict=True):
                    if backward_bug == "local-only":
                        child.grad += local
                    else:
                        child.grad += local * node.grad

        def zero_grad(self):
            self.grad = 0.0

    return Value


SETTINGS = {"ops": ("add", "mul"), "seed": 4, "n_graphs": 40, "build": "constructor"}


def message(value_cls: type) -> str:
    with pytest.raises(CheckFailed) as caught:
        check_value_engine(value_cls, build="constructor", seed=4, n_graphs=40)
    return str(caught.value)


def test_a_correct_backward_passes_without_any_operator():
    check_value_engine(course_value(), build="constructor", seed=4, n_graphs=40)
    check_value_engine(make_engine(), build="constructor", seed=1, n_graphs=40)


def test_a_wrong_local_derivative_of_mul_is_not_charged():
    with pytest.raises(CheckFailed, match="mul of two Values"):
        check_value_engine(make_engine("mul_grad"), ops=("add", "mul"))
    check_value_engine(make_engine("mul_grad"), build="constructor", seed=4, n_graphs=40)


def test_assign_instead_of_add_fails_with_the_plus_equals_hint():
    text = message(make_engine("overwrite"))
    assert "a Value used twice (built with the constructor)" in text
    assert "out = Value(2.25, (x, x), (1.5, 1.5))" in text
    assert "expected x.grad=3, got x.grad=1.5" in text
    assert "(+=), not overwrite it (=)" in text


@pytest.mark.parametrize(
    ("engine", "words"),
    [
        (make_engine("no_topo"), ["diamond", "reverse of a topological order"]),
        (make_engine("no_zero_grad"), ["zero_grad() between", "back to 0.0"]),
        (course_value("duplicates"), ["diamond", "more than once", "list each node once"]),
        (course_value("no-seed"), ["self.grad = 1.0", "no gradient reached"]),
        (course_value("local-only"), ["child.grad += local * node.grad"]),
    ],
)
def test_each_backward_bug_gets_the_hint_of_its_cause(engine, words):
    text = message(engine)
    for word in words:
        assert word in text, text
    assert "numbers alone" not in text


def test_the_battery_is_plain_data_and_names_the_constructor():
    programs = battery(seed=4, n_graphs=40, build="constructor")
    assert programs == battery(seed=4, n_graphs=40, build="constructor")
    assert len(programs) == 46
    assert all(node_graphs.is_node(step) for p in programs for step in p.steps)
    assert "b = Value(3, (a,), (3,))" in programs[2].text()
    with pytest.raises(ValueError, match="build="):
        battery(build="operator")


def test_chain_rule_gives_the_reports_of_a_correct_engine():
    for program in battery(seed=7, n_graphs=30, build="constructor"):
        want, got = node_graphs.chain_rule(program), run_program(course_value(), program)
        assert want["data"] == got["data"]
        assert want["grads"] == pytest.approx(got["grads"], rel=1e-12)


def test_kernel_probe_and_trusted_judge_split():
    probe = VALUE_ENGINE.probes["engine"]
    reports = probe(course_value(), SETTINGS.__getitem__)
    assert VALUE_ENGINE.judge({"value_cls": reports}, dict(SETTINGS), "", "") is None
    # the judge needs no reference run's reports for constructor graphs
    bad = probe(make_engine("overwrite"), SETTINGS.__getitem__)
    failure = VALUE_ENGINE.judge({"value_cls": bad}, dict(SETTINGS), "", "")
    assert failure is not None and "+=" in failure.hint
    assert failure.topic.startswith("the Value engine on a Value used twice")
    # the student's reports cannot choose the battery: the judge rebuilds it from settings
    short = VALUE_ENGINE.judge({"value_cls": reports[:3]}, dict(SETTINGS), "", "")
    assert short is not None and "a different number" in short.got
