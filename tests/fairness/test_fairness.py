"""The fairness suite: every case earns its fair points per question, with the key words of
each failure in its message, and exactly the flags it should raise (see student.py).

The expected grades come from the task texts (what a fair teaching assistant gives), not
from what the grader happens to give: a failure here means the grader is unfair to that
student, and the grader must change, not the case.
"""

from __future__ import annotations

import re

import pytest
from conftest import CASES, graded_class
from student import Case

ALL = [(a, c) for a, cases in CASES.items() for c in cases]


def _id(item: tuple[str, Case]) -> str:
    return item[1].student


@pytest.mark.parametrize("assignment", list(CASES))
def test_the_solution_scores_full_marks_without_flags(course, assignment):
    graded = graded_class(course, assignment)
    verdicts = graded.verdicts("solution")
    assert {g: v["score"] for g, v in verdicts.items()} == {
        g: v["points"] for g, v in verdicts.items()
    }
    assert graded.rows["solution"]["flags"] == []


@pytest.mark.parametrize("item", ALL, ids=_id)
def test_each_question_earns_its_fair_points(course, item):
    assignment, case = item
    verdicts = graded_class(course, assignment).verdicts(case.student)
    unknown = set(case.points) - set(verdicts)
    assert not unknown, f"the case names graded cells the notebook lacks: {unknown}"
    unfair = {}
    for grade_id, verdict in verdicts.items():
        low, high = case.fair(grade_id, verdict["points"])
        if not low <= float(verdict["score"] or 0.0) <= high:
            unfair[grade_id] = (verdict["score"], (low, high), verdict["message"])
    assert not unfair, f"{case.student} ({case.story}): got, fair, message: {unfair}"


def _says(message: str, words: str) -> bool:
    """Whether ``message`` holds one of ``words`` ("a|b"), or none of them ("!a|b")."""
    wrong = words.startswith("!")
    found = any(re.search(re.escape(w), message, re.I) for w in words.lstrip("!").split("|"))
    return not found if wrong else found


@pytest.mark.parametrize("item", [i for i in ALL if i[1].messages], ids=_id)
def test_each_failure_names_its_cause(course, item):
    assignment, case = item
    verdicts = graded_class(course, assignment).verdicts(case.student)
    missing = {}
    for grade_id, words in case.messages.items():
        message = verdicts[grade_id]["message"]
        lacking = [w for w in words if not _says(message, w)]
        if lacking:
            missing[grade_id] = (lacking, message)
    assert not missing, f"{case.student}: key words missing from the messages: {missing}"


@pytest.mark.parametrize("item", ALL, ids=_id)
def test_flags_are_raised_exactly_where_they_belong(course, item):
    assignment, case = item
    graded = graded_class(course, assignment)
    codes = sorted({f["code"] for f in graded.rows[case.student]["flags"]})
    assert codes == sorted(set(case.flags))
    for code in case.flags:
        line = next(line for line in graded.report.splitlines() if case.student in line)
        assert code in line, f"the report does not show {code} for {case.student}"


@pytest.mark.parametrize("item", ALL, ids=_id)
def test_each_case_is_python_a_student_could_run(item):
    """A case's cells parse (a typo in a case would test the case, not the grader)."""
    _, case = item
    for cell, code in case.cells.items():
        if code is not None:
            compile(code, f"{case.student}:{cell}", "exec")
