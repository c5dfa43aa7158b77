"""The demo's sample class: for each assignment a correct, a partial, a broken and a hostile
submission, made from the released notebook the way a student would make them.

- ``correct``: every answer cell holds the instructor's solution;
- ``partial``: the first half of the answers are done, the rest left as released;
- ``broken``: the first answer is right, the second crashes the kernel (``os._exit``);
- ``hostile``: the first answer is right, the second attacks the grader: it looks for the
  gradebook and the course source, patches ``numpy.allclose``, answers with an object that
  equals everything, and installs an IPython input transformer that blanks every later cell.

Example:
    >>> sorted(KINDS)
    ['broken', 'correct', 'hostile', 'partial']
"""

from __future__ import annotations

import copy
from typing import Any

ATTACK = """
import glob, os, numpy as np
here = os.getcwd()
patterns = ('/work/*/course/*', '/root/*', here + '/../*', here + '/../../*/gradebook.db')
found = [p for pattern in patterns for p in glob.glob(pattern)]
print('course files visible from the sandbox:', found)
np.allclose = lambda *args, **kwargs: True          # "every comparison passes"

class Anything(float):
    def __eq__(self, other):
        return True                                   # "equal to every expected value"

def _blank(lines):
    return ['pass\\n']                               # later cells, tests included, do nothing
get_ipython().input_transformers_cleanup.append(_blank)
"""

CRASH = "\nimport os\nos._exit(1)  # the kernel dies here\n"


def _answers(source: Any) -> dict[str, str]:
    return {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def make_sample(kind: str, release: Any, source: Any) -> Any:
    """A submission of ``kind`` built from the released and the source notebook."""
    answers = _answers(source)
    order = list(answers)
    nb = copy.deepcopy(release)
    by_id = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    done = {
        "correct": order,
        "partial": order[: (len(order) + 1) // 2],
        "broken": order[:1],
        "hostile": order[:1],
    }[kind]
    for gid in done:
        by_id[gid].source = answers[gid]
    if kind in ("broken", "hostile") and len(order) > 1:
        second = by_id[order[1]]
        second.source = answers[order[1]] + (CRASH if kind == "broken" else ATTACK)
    return nb


KINDS = ("correct", "partial", "broken", "hostile")
