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

The kinds are declared by each check itself (see :mod:`neurogebra_grader.checks.registry`);
``SPECS`` is that registry, by check name. The observer probes the shared kinds (``array``,
``exact``, ``value``, ``plain``, ``isinstance``); a kind only one check reads (``engine``,
``axes``, ``gradient``) is probed by that check's own ``probes``.

Example:
    >>> SPECS["check_close"].student
    {'got': 'array'}
    >>> SPECS["check_close"].kinds("reference")["expected"]
    'array'
"""

from __future__ import annotations

from neurogebra_grader.checks.check import Check
from neurogebra_grader.checks.registry import REGISTRY

SPECS: dict[str, Check] = REGISTRY
