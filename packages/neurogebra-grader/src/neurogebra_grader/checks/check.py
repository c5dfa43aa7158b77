"""What a check is: its student-facing function, the plain data it reads, its judge, and
where its expected value may come from.

A :class:`Check` is the one home of a check. Its ``function`` is what a test cell calls in a
student's notebook; ``student`` and ``reference`` name the arguments the grader's kernel reports
and how (their *kinds*, see :mod:`neurogebra_grader.pipeline.probes`); ``probes`` turn the
kinds only this check reads into plain data in the kernel; ``judge`` decides a verdict from
plain data alone, in the trusted grader; ``expected`` names the arguments that are the
expected side and the sources each admits (:data:`SOURCES`, see
:mod:`neurogebra_grader.pipeline.expected`), which the release enforces on every test cell.
Every argument that carries data (a kind other than ``value``) must be declared there; a check
without any (settings only) declares ``{}``. The registry (registry.py) lists them.

Example:
    >>> def check_positive(got: float, *, what: str = "the result", hint: str = "") -> None: ...
    >>> def judge(got: dict, ref: dict, what: str, hint: str) -> None: ...
    >>> POSITIVE = Check(check_positive, {"got": "array"}, TEXT, judge)
    >>> POSITIVE.name, POSITIVE.defaults(), POSITIVE.expected
    ('check_positive', {'what': 'the result', 'hint': ''}, {})
    >>> Check(check_positive, {}, {"got": "array", **TEXT}, judge)
    Traceback (most recent call last):
    ...
    ValueError: check_positive: declare where `got` comes from (expected=...)
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from neurogebra_grader.failure import Failure

VALUE = "value"
TEXT = {"what": VALUE, "hint": VALUE}  # every check's message settings

SOURCES = ("constant", "instructor", "recomputed")
"""Where an expected value may come from: a literal in the test, the instructor's run, or
recomputed in the trusted process from plain data the student's kernel reports."""
ANY_SOURCE = frozenset(SOURCES)
FIXED_SOURCE = frozenset({"constant", "instructor"})  # never from the student's work

Judge = Callable[[dict[str, Any], dict[str, Any], str, str], Failure | None]
"""``judge(got, ref, what, hint)``: ``got`` holds the student's decoded plain data by argument
name, ``ref`` every parameter (the reference run's values, else the check's defaults)."""

Probe = Callable[[Any, Callable[[str], Any]], Any]
"""``probe(value, setting)``, run in the kernel for an argument of a kind the check owns: plain
data (lists, dicts, arrays, numbers, strings) about ``value``; ``setting(name)`` reads another
argument of the call, else the check's default."""


@functools.lru_cache(maxsize=256)
def _signature(function: Callable[..., None]) -> inspect.Signature:
    """``inspect.signature``, once per function: judging asks for it for every check call."""
    return inspect.signature(function)


@dataclass(frozen=True)
class Check:
    """One check: ``function`` (what test cells call), the kinds of its ``student`` and
    ``reference`` arguments, its ``judge`` of plain data, the kernel's ``probes`` for the
    kinds only this check reads (e.g. ``engine``; shared kinds are probed by the observer),
    and its ``expected`` side: argument name -> the sources it admits (:data:`SOURCES`).

    Raises ValueError when an argument that carries data is not declared in ``expected``, a
    declaration names no argument or an unknown source, or an argument the kernel evaluates
    (a ``student`` one) admits ``recomputed``."""

    function: Callable[..., None]
    student: Mapping[str, str]
    reference: Mapping[str, str]
    judge: Judge
    probes: Mapping[str, Probe] = field(default_factory=dict)
    expected: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        name = self.function.__name__
        for arg, kind in self.reference.items():
            if kind != VALUE and arg not in self.expected:
                raise ValueError(f"{name}: declare where `{arg}` comes from (expected=...)")
        for arg, admitted in self.expected.items():
            if arg not in {**self.student, **self.reference}:
                raise ValueError(f"{name}: `{arg}` in expected is not an argument it reports")
            if not admitted or not admitted <= ANY_SOURCE:
                raise ValueError(f"{name}: `{arg}` admits {sorted(admitted)}, not of {SOURCES}")
            if arg in self.student and "recomputed" in admitted:
                raise ValueError(f"{name}: `{arg}` runs in the kernel, it can't be recomputed")

    @property
    def name(self) -> str:
        """The name test cells call the check by."""
        return self.function.__name__

    @property
    def signature(self) -> inspect.Signature:
        """The student-facing function's signature (binds a test cell's arguments)."""
        return _signature(self.function)

    def defaults(self) -> dict[str, Any]:
        """Every parameter that has a default, with it (a new dict each call)."""
        params = self.signature.parameters.items()
        return {n: p.default for n, p in params if p.default is not inspect.Parameter.empty}

    def kinds(self, role: str) -> dict[str, str]:
        """Argument kinds to evaluate in a run of ``role`` ('student' or 'reference')."""
        return dict(self.student) if role == "student" else {**self.student, **self.reference}
