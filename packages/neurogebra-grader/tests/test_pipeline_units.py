"""Unit tests of the pipeline's trusted side: rewriting, plain data, judges, tamper flags."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neurogebra_grader.pipeline.judges import judge_call
from neurogebra_grader.pipeline.plaindata import BadData, decode, encode
from neurogebra_grader.pipeline.rewrite import BadTestCell, rewrite_test_sites
from neurogebra_grader.pipeline.tamper import scan_code

HIDDEN = """x = [1.0, 2.0]
expected = [2.0, 4.0]
check_close(double(x), expected, what="double", rtol=1e-3)
check_equal(len(x), 2)
"""


def test_student_rewrite_leaves_out_expected_values_and_what_only_fed_them():
    code, sites = rewrite_test_sites(HIDDEN, "student")
    assert [s for s, _ in sites] == ["check_close", "check_equal"]
    assert (
        "expected" not in code and "4.0" not in code and "1e-3" not in code and "0.001" not in code
    )
    assert "double(x)" in code and "x = [1.0, 2.0]" in code
    compile(code, "<cell>", "exec")


def test_reference_rewrite_keeps_every_argument():
    code, _ = rewrite_test_sites(HIDDEN, "reference")
    assert "'expected': expected" in code and "'rtol': 0.001" in code


def test_rewrite_refuses_star_args_with_a_clear_message():
    with pytest.raises(BadTestCell, match="write the arguments out"):
        rewrite_test_sites("check_close(*pair)", "student")


def test_plain_data_round_trips_and_rejects_anything_else():
    value = {"a": np.array([[1.0, math.inf]]), "b": (1, "x"), "c": [None, True]}
    back = decode(encode(value))
    assert back["a"].tolist() == [[1.0, math.inf]] and back["b"] == (1, "x")
    for bad in ({"__ndarray__": [1.0], "shape": [2]}, {"__ndarray__": ["1"], "shape": [1]}, {1, 2}):
        with pytest.raises(BadData):
            decode(bad)


def _close_call(got, expected, **settings):
    return judge_call(
        "check_close",
        {"got": encode(np.asarray(got, dtype=float))},
        {"expected": encode(np.asarray(expected, dtype=float)), **settings},
    )


def test_judge_uses_the_reference_settings_and_defaults():
    assert _close_call([2.0, 4.0], [2.0, 4.0]) is None
    assert _close_call([2.0, 4.001], [2.0, 4.0]) is not None  # default rtol 1e-6
    assert _close_call([2.0, 4.001], [2.0, 4.0], rtol=1e-3) is None


def test_judge_fails_unreadable_or_missing_answers():
    failure = judge_call("check_close", {"got": {"not_plain": "a Liar"}}, {"expected": encode(1.0)})
    assert failure is not None and "Liar" in failure.got
    assert judge_call("check_close", {}, {"expected": encode(1.0)}) is not None
    assert judge_call("check_close", {"got": {"__ndarray__": "x"}}, {"expected": encode(1.0)})


@pytest.mark.parametrize(
    ("code", "flag"),
    [
        ("get_ipython().input_transformers_cleanup.append(f)", "input-transformer"),
        ("import sys\nsys.settrace(None)", "trace-hook"),
        ("import builtins\nbuiltins.len = lambda x: 3", "patches-builtins"),
        ("import numpy as np\nnp.allclose = lambda *a: True", "patches-library"),
        ("class A:\n    def __eq__(self, o):\n        return True", "constant-comparison"),
        ("open('/work/main/course/gradebook.db')", "paths-outside"),
        ("import socket", "network"),
        ("import os\nos.environ['HOME']", "reads-environment"),
        ("print(In[-1], _ih)", "reads-history"),
    ],
)
def test_tamper_scan_flags(code, flag):
    assert flag in {f.code for f in scan_code(code, "cell")}


def test_tamper_scan_leaves_ordinary_code_alone():
    code = "import numpy as np\ndef mse(y, p):\n    return np.mean((y - p) ** 2) / 2\nx = '1/2'"
    assert scan_code(code, "cell") == []


def _observation(site, got):
    return {"site": site, "check": "check_close", "data": {"got": encode(np.asarray(got, float))}}


def _reference(site, expected):
    data = {
        "got": encode(np.asarray(expected, float)),
        "expected": encode(np.asarray(expected, float)),
    }
    return {"site": site, "check": "check_close", "data": {**data, "what": "f(2)"}}


def test_a_test_cell_passes_only_when_every_check_passes():
    from neurogebra_grader.pipeline.assemble import GradedCell
    from neurogebra_grader.pipeline.verdict import HIDDEN_FAILED, judge_test

    cell = GradedCell("t", 5.0, "test", 0, ["check_close"] * 2, [False, True])
    reference = [_reference(0, 4.0), _reference(1, 9.0)]
    assert judge_test(cell, [_observation(0, 4.0), _observation(1, 9.0)], reference, "ok", "")[0]
    visible = judge_test(cell, [_observation(0, 5.0), _observation(1, 9.0)], reference, "ok", "")
    assert visible == (
        False,
        "f(2): expected 4, got 5. Hint: the numbers alone don't show the cause; "
        "compare each step with the task text.",
    )
    hidden = judge_test(cell, [_observation(0, 4.0), _observation(1, 8.0)], reference, "ok", "")
    assert hidden[0] is False and hidden[1].startswith(HIDDEN_FAILED + ": f(…): expected")
    assert "9" not in hidden[1] and "8" not in hidden[1]
    fewer = judge_test(cell, [_observation(0, 4.0)], reference, "ok", "")
    assert fewer[0] is False and "stopped before" not in fewer[1]
    assert "Check 1: passed. Check 2: did not run." in fewer[1]
    extra = [_observation(0, 4.0), _observation(1, 9.0), _observation(1, 9.0)]
    assert not judge_test(cell, extra, reference, "ok", "")[0]
    assert not judge_test(cell, reference, reference, "error", "NameError: x")[0]


SIDE_EFFECT_CELL = """params = make_params()
loss = Loss(params)
loss.backward()
expected = [p.data - 0.1 * p.grad for p in params]
train(params)
check_close([p.data for p in params], expected, what="one step")
check_close(len(params), loss.size, what="the loss saw every parameter")
"""


class _Param:
    def __init__(self, data: float) -> None:
        self.data, self.grad = data, 0.0


class _Loss:
    def __init__(self, params: list[_Param]) -> None:
        self.params = params

    def backward(self) -> None:
        for p in self.params:
            p.grad += 1.0


def _train_zeroing_after_the_step(params: list[_Param]) -> None:
    for p in params:  # a classic bug: the gradients are reset after the step, not before
        p.data -= 0.1 * p.grad
        p.grad = 0.0


def _student_run(source: str, namespace: dict) -> list[dict]:
    code, _ = rewrite_test_sites(source, "student")
    seen: list[dict] = []
    namespace["_ng_observe"] = lambda site, check, args, kinds: seen.append(args)
    exec(compile(code.split("\n", 1)[1], "<cell>", "exec"), namespace)
    return seen


def test_student_rewrite_keeps_a_call_that_changes_the_students_objects():
    """`loss.backward()` feeds only the expected side, but it sets the gradients that the
    student's train() must reset: without it, a train() that never resets them looks right."""
    code, _ = rewrite_test_sites(SIDE_EFFECT_CELL, "student")
    assert "loss.backward()" in code and "expected" not in code
    namespace = {"make_params": lambda: [_Param(1.0), _Param(2.0)], "Loss": _Loss}
    during: list[bool] = []

    def train(params: list[_Param]) -> None:
        during.append("loss" in namespace)  # what a train() reading the cell's names finds
        _train_zeroing_after_the_step(params)

    namespace["train"] = train
    seen, _ = _student_run(SIDE_EFFECT_CELL, namespace)
    assert seen["got"] == [0.9, 1.9]  # the grads were 1.0 when train() ran, as in the cell
    assert during == [False]  # loss (which the expected side reads) was gone by then


def test_student_rewrite_drops_changes_made_only_to_the_expected_value():
    source = """expected = np.zeros(3)
expected[0] = 4.0
expected.sort()
print(expected)
check_close(f(), expected)
"""
    code, _ = rewrite_test_sites(source, "student")
    assert "expected" not in code and "4.0" not in code and "print" not in code
    # nor is a value the instructor wrote handed to the student's code, even in a bare call
    source = """weights = [0.5, -1.0]
set_weights(net, weights)
check_close(net(2.0), weights[0] * 2.0)
"""
    code, _ = rewrite_test_sites(source, "student")
    assert "weights" not in code and "0.5" not in code and "net(2.0)" in code
