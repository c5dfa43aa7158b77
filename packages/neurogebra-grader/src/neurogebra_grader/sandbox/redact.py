"""Hidden tests stay hidden: what a kernel says once the first hidden test has started is cut.

A hidden test runs in the student's kernel, so student code can watch it (an IPython event
hook, ``sys.settrace``, reading ``In``) and print, display or raise what it saw. From the
first cell that may hold hidden tests on, the runner therefore keeps only the observations
(plain data that the trusted judges read and never quote for a hidden test) and the kind of
each error: printed and displayed output is replaced by a note, and an error message by the
name of its (built-in) exception class. Those cells' outputs never reach feedback, the
returned notebook or an error message.

Which cells may hold hidden tests: a cell the planner marked with
``metadata["neurogebra"]["hidden_tests"] = True``, or, when it left no mark, every graded test
cell (nbgrader ``grade`` and not ``solution``); the first of them starts the cut.

Example:
    >>> safe_error_name("ValueError"), safe_error_name("leak_6_25")
    ('ValueError', 'Exception')
"""

from __future__ import annotations

import builtins
from typing import Any

HIDDEN_OUTPUT_NOTE = (
    "[output not shown: it was produced after the hidden tests had started, "
    "and could reveal them]\n"
)
HIDDEN_MESSAGE = "message not shown: raised after the hidden tests had started"
OWN_ERRORS = frozenset({"CheckFailed", "DeadKernelError"})


def safe_error_name(ename: Any) -> str:
    """``ename`` when it names a built-in exception (or a check failure), else "Exception".

    A student's own exception class could carry a message in its name.
    """
    name = str(ename)
    known = getattr(builtins, name, None)
    if name in OWN_ERRORS or (isinstance(known, type) and issubclass(known, BaseException)):
        return name
    return "Exception"


def _nbgrader(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def may_hold_hidden_tests(cell: Any) -> bool:
    """True for a cell marked as holding hidden tests, or an unmarked graded test cell."""
    if cell.get("cell_type") != "code":
        return False
    mark = cell.get("metadata", {}).get("neurogebra", {})
    mark = mark.get("hidden_tests") if isinstance(mark, dict) else None
    if isinstance(mark, bool):
        return mark
    meta = _nbgrader(cell)
    return bool(meta.get("grade")) and not meta.get("solution")


def first_hidden_cell(nb: Any) -> int | None:
    """Index of the first cell that may hold hidden tests (None: the notebook has none)."""
    for index, cell in enumerate(nb.cells):
        if may_hold_hidden_tests(cell):
            return index
    return None


def hidden_error(error: str) -> str:
    """A cell error reduced to its (safe) exception name: ``ValueError: message not shown``."""
    name = error.split(":", 1)[0].strip() if error else "Exception"
    return f"{safe_error_name(name)}: ({HIDDEN_MESSAGE})"


def redact_outputs(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Outputs with everything printed or displayed replaced by one note (errors: name only)."""
    kept: list[dict[str, Any]] = []
    for out in outputs:
        if out.get("output_type") == "error":
            name = safe_error_name(out.get("ename", ""))
            kept.append(
                {
                    "output_type": "error",
                    "ename": name,
                    "evalue": f"({HIDDEN_MESSAGE})",
                    "traceback": [f"{name}: ({HIDDEN_MESSAGE})"],
                }
            )
    if len(kept) < len(outputs):
        kept.insert(0, {"output_type": "stream", "name": "stdout", "text": HIDDEN_OUTPUT_NOTE})
    return kept
