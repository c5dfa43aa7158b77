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

The run's error then says which cells' output was not kept (:func:`cut_note`), so the report
names it: a student who printed after the hidden tests had started, honestly or to watch
them, is told why that output is missing.

Example:
    >>> safe_error_name("ValueError"), safe_error_name("leak_6_25")
    ('ValueError', 'Exception')
    >>> cut_note([4, 6])
    'output of cells 5, 7 not kept: printed or raised after the hidden tests had started'
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


def is_test_cell(cell: Any) -> bool:
    """True for a graded test cell (nbgrader ``grade`` and not ``solution``), hidden or not."""
    meta = _nbgrader(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def may_hold_hidden_tests(cell: Any) -> bool:
    """True for a cell marked as holding hidden tests, or an unmarked graded test cell."""
    if cell.get("cell_type") != "code":
        return False
    mark = cell.get("metadata", {}).get("neurogebra", {})
    mark = mark.get("hidden_tests") if isinstance(mark, dict) else None
    if isinstance(mark, bool):
        return mark
    return is_test_cell(cell)


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


def hides_something(output: dict[str, Any], *, test_cell: bool) -> bool:
    """True when cutting ``output`` takes away something the report should mention.

    Printed or displayed output anywhere; an error only outside a test cell (a test's error
    is judged, and its verdict names the kind) and other than the ``NotImplementedError``
    that an unanswered nbgrader solution cell still raises.
    """
    if output.get("output_type") != "error":
        return True
    return not test_cell and output.get("ename") != "NotImplementedError"


def cut_note(indices: list[int]) -> str:
    """What the report says about cells (0-based ``indices``) whose output was cut."""
    numbers = ", ".join(str(i + 1) for i in indices)
    cells = "cells" if len(indices) > 1 else "cell"
    return (
        f"output of {cells} {numbers} not kept: printed or raised after the hidden tests "
        "had started"
    )


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
