"""Which arguments of each check are read in the student's kernel, and how they become data.

A test cell's check call is split in two. The *student* arguments (the student's answer,
and settings that shape the probe such as the Value-engine battery's seed) are evaluated in
the sandboxed kernel and turned into plain data there. The *reference* arguments (expected
values, tolerances, thresholds, messages) never run in the student's kernel: they are read
from the instructor's solution run and the check's own defaults, in the trusted grader.

Each argument has a *kind* that says how the kernel turns it into plain data:

- ``array``: numbers, Values, lists or arrays -> a float array;
- ``exact``: builtin scalars, strings, tuples, lists, integer arrays -> themselves;
- ``value``: a setting written in the test (a string, a number, a tuple of names);
- ``engine``: a Value-like class -> its reports on the check's battery of small graphs;
- ``axes``: a matplotlib Axes -> its lines, scatter sizes, fills and labels;
- ``gradient``: a function -> its central-difference gradient at ``at`` (reference only);
- ``isinstance``: an object -> whether it is an instance of the ``expected`` argument;
- ``none``: evaluated for the probe's sake, not reported;
- ``plain``: a name a recomputed expected side reads (see expected.py) -> plain data, or a
  float array when it holds Values.

Example:
    >>> SPECS["check_close"].student
    {'got': 'array'}
"""

from __future__ import annotations

from dataclasses import dataclass, field

VALUE = "value"


@dataclass(frozen=True)
class Spec:
    """The arguments a check reports from the student's kernel and from the reference run."""

    student: dict[str, str]
    reference: dict[str, str] = field(default_factory=dict)

    def kinds(self, role: str) -> dict[str, str]:
        """Argument kinds to evaluate in a run of ``role`` ('student' or 'reference')."""
        return dict(self.student) if role == "student" else {**self.student, **self.reference}


_TEXT = {"what": VALUE, "hint": VALUE}

SPECS: dict[str, Spec] = {
    "check_close": Spec(
        {"got": "array"}, {"expected": "array", "rtol": VALUE, "atol": VALUE, **_TEXT}
    ),
    "check_equal": Spec({"got": "exact"}, {"expected": "exact", **_TEXT}),
    "check_decreasing": Spec({"values": "array"}, {"factor": VALUE, **_TEXT}),
    "check_type": Spec({"obj": "isinstance", "expected": "none"}, {**_TEXT}),
    "check_gradient": Spec(
        {"got": "array"},
        {
            "f": "gradient",
            "at": "array",
            "h": VALUE,
            "names": VALUE,
            "rtol": VALUE,
            "atol": VALUE,
            **_TEXT,
        },
    ),
    "check_accuracy": Spec(
        {"predictions": "array"}, {"labels": "array", "at_least": VALUE, **_TEXT}
    ),
    "check_value_engine": Spec(
        {"value_cls": "engine", "ops": VALUE, "seed": VALUE, "n_graphs": VALUE}
    ),
    "check_axes": Spec(
        {"ax": "axes"},
        {
            "lines": VALUE,
            "line_points": VALUE,
            "scatter_points": VALUE,
            "filled": VALUE,
            "labelled": VALUE,
            **_TEXT,
        },
    ),
}
