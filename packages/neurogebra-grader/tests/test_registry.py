"""The registry is the one list of checks: the exports, SPECS and the dispatch agree with it."""

import inspect

import numpy as np
import pytest

import neurogebra_grader
import neurogebra_grader.checks as checks
from neurogebra_grader.checks.check import ANY_SOURCE, FIXED_SOURCE, Check
from neurogebra_grader.checks.registry import REGISTRY
from neurogebra_grader.pipeline.judges import judge_call
from neurogebra_grader.pipeline.observer import _SHARED_KINDS, probe
from neurogebra_grader.pipeline.plaindata import decode, encode
from neurogebra_grader.pipeline.probes import SPECS
from neurogebra_grader.pipeline.rewrite import rewrite_test

SHARED = set(_SHARED_KINDS)
KINDS = {"array", "exact", "value", "engine", "axes", "gradient", "isinstance", "none", "plain"}


def test_the_registry_the_specs_and_the_exports_name_the_same_checks():
    assert set(REGISTRY) == set(SPECS) == set(checks.__all__)
    public = set(neurogebra_grader.__all__) - {"CheckFailed", "Failure"}
    assert public == set(REGISTRY)
    for name, check in REGISTRY.items():
        assert isinstance(check, Check) and check.name == name
        assert getattr(checks, name) is check.function is getattr(neurogebra_grader, name)
        assert SPECS[name] is check


def test_every_check_has_a_judge_a_signature_and_known_argument_kinds():
    for name, check in REGISTRY.items():
        assert callable(check.judge), name
        params = check.signature.parameters
        assert set(check.student) | set(check.reference) <= set(params), name
        assert not set(check.student) & set(check.reference), name
        assert set(check.student.values()) | set(check.reference.values()) <= KINDS, name
        required = {n for n, p in params.items() if p.default is inspect.Parameter.empty}
        assert required <= set(check.student) | set(check.reference), name
        assert set(check.defaults()) == set(params) - required, name


# Where each check's expected side comes from: a new check is an explicit entry here.
DECLARED = {
    "check_close": {"expected": ANY_SOURCE},
    "check_equal": {"expected": ANY_SOURCE},
    "check_accuracy": {"labels": ANY_SOURCE},
    "check_gradient": {"f": {"instructor"}, "at": FIXED_SOURCE},
    "check_type": {"expected": FIXED_SOURCE},
    "check_decreasing": {},  # factor is a setting: the curve against its own first value
    "check_axes": {},  # what the plot must show is settings
    "check_value_engine": {},  # the battery is the check's own; the reference engine judges
}


def test_every_check_declares_where_its_expected_side_comes_from():
    assert set(DECLARED) == set(REGISTRY)
    for name, check in REGISTRY.items():
        assert {k: set(v) for k, v in check.expected.items()} == DECLARED[name], name
        data = {n for n, kind in check.reference.items() if kind != "value"}
        assert data <= set(check.expected), name


def test_a_check_without_a_declaration_for_its_data_cannot_be_made():
    close = REGISTRY["check_close"]
    reference = dict(close.reference)
    with pytest.raises(ValueError, match="declare where `expected` comes from"):
        Check(close.function, close.student, reference, close.judge)
    with pytest.raises(ValueError, match="not of"):
        Check(close.function, close.student, reference, close.judge, expected={"expected": {"x"}})
    with pytest.raises(ValueError, match="can't be recomputed"):
        Check(
            close.function,
            close.student,
            reference,
            close.judge,
            expected=dict.fromkeys(["expected", "got"], ANY_SOURCE),
        )
    with pytest.raises(ValueError, match="`nothing` in expected is not an argument"):
        Check(close.function, close.student, {}, close.judge, expected={"nothing": ANY_SOURCE})


def test_every_kind_is_probed_by_the_observer_or_by_its_check():
    for name, check in REGISTRY.items():
        kinds = set(check.student.values()) | set(check.reference.values())
        assert kinds - SHARED - {"none"} == set(check.probes), name
    assert probe("axes", "not an axes", {}, "check_axes") == {
        "not_plain": "a str, not a matplotlib Axes"
    }
    gradient = probe("gradient", lambda x, y: x * y, {"at": [2.0, 3.0]}, "check_gradient")
    assert np.allclose(decode(gradient), [3.0, 2.0])


def test_the_rewrite_and_the_dispatch_follow_the_registry(monkeypatch):
    calls = []

    def spy(got, ref, what, hint):
        calls.append((got, ref["rtol"], what))
        return None

    close = REGISTRY["check_close"]
    monkeypatch.setitem(REGISTRY, "check_close", Check(close.function, {"got": "array"}, {}, spy))
    student = {"got": encode(np.array([1.0]))}
    assert judge_call("check_close", student, {"what": encode("w")}) is None
    assert calls and calls[0][1:] == (close.defaults()["rtol"], "w")
    rewritten = rewrite_test("check_close(x, 1.0)", "student")
    assert "_ng_observe(0, 'check_close', {'got': x}" in rewritten


def test_an_unknown_check_has_no_judge():
    try:
        judge_call("check_nothing", {}, {})
    except ValueError as error:
        assert "no judge" in str(error)
    else:
        raise AssertionError("an unknown check was judged")
