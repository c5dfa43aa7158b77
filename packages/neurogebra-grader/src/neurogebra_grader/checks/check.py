"""What a check is: its student-facing function, the plain data it reads, and its judge.

A :class:`Check` is the one home of a check. Its ``function`` is what a test cell calls in a
student's notebook; ``student`` and ``reference`` name the arguments the grader's kernel reports
and how (their *kinds*, see :mod:`neurogebra_grader.pipeline.probes`); ``probes`` turn the
kinds only this check reads into plain data in the kernel; ``judge`` decides a verdict from
plain data alone, in the trusted grader. The registry (registry.py) lists them.

Example:
    >>> def check_positive(got: float, *, what: str = "the result", hint: str = "") -> None: ...
    >>> def judge(got: dict, ref: dict, what: str, hint: str) -> None: ...
    >>> POSITIVE = Check(check_positive, {"got": "array"}, TEXT, judge)
    >>> POSITIVE.name, POSITIVE.defaults()
    ('check_positive', {'what': 'the result', 'hint': ''})
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from neurogebra_grader.failure import Failure

VALUE = "value"
TEXT = {"what": VALUE, "hint": VALUE}  # every check's message settings

Judge = Callable[[dict[str, Any], dict[str, Any], str, str], Failure | None]
"""``judge(got, ref, what, hint)``: ``got`` holds the student's decoded plain data by argument
name, ``ref`` every parameter (the reference run's values, else the check's defaults)."""

Probe = Callable[[Any, Callable[[str], Any]], Any]
"""``probe(value, setting)``, run in the kernel for an argument of a kind the check owns: plain
data (lists, dicts, arrays, numbers, strings) about ``value``; ``setting(name)`` reads another
argument of the call, else the check's default."""


@dataclass(frozen=True)
class Check:
    """One check: ``function`` (what test cells call), the kinds of its ``student`` and
    ``reference`` arguments, its ``judge`` of plain data, and the kernel's ``probes`` for the
    kinds only this check reads (e.g. ``engine``); shared kinds are probed by the observer."""

    function: Callable[..., None]
    student: Mapping[str, str]
    reference: Mapping[str, str]
    judge: Judge
    probes: Mapping[str, Probe] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The name test cells call the check by."""
        return self.function.__name__

    @property
    def signature(self) -> inspect.Signature:
        """The student-facing function's signature (binds a test cell's arguments)."""
        return inspect.signature(self.function)

    def defaults(self) -> dict[str, Any]:
        """Every parameter that has a default, with it."""
        params = self.signature.parameters.items()
        return {n: p.default for n, p in params if p.default is not inspect.Parameter.empty}

    def kinds(self, role: str) -> dict[str, str]:
        """Argument kinds to evaluate in a run of ``role`` ('student' or 'reference')."""
        return dict(self.student) if role == "student" else {**self.student, **self.reference}
