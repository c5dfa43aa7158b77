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

Every cut cell's output says why it is missing (:data:`HIDDEN_OUTPUT_NOTE`, in feedback).
The run's error names a cut cell (:func:`cut_note`) only when what was cut is worth a line in
the report: an error outside a test cell, or output that shows an input of a hidden test
(:func:`hidden_inputs`, read from the test cells themselves: the student's version of a test
cell holds its inputs, never its expected values). An honest notebook that prints training
progress after a hidden test gets no error row for it; one that prints what it watched does.

Example:
    >>> safe_error_name("ValueError"), safe_error_name("leak_6_25")
    ('ValueError', 'Exception')
    >>> cut_note([4, 6])
    'output of cells 5, 7 not kept: after the hidden tests began, it raised or showed their inputs'
    >>> hidden_inputs(["check_close(square(-2.5), 6.25)", "check_close(mean([1, 2, 3, 4]), 2.0)"])
    ['-2.5', '1, 2, 3, 4', '6.25']
"""

from __future__ import annotations

import ast
import builtins
import json
import math
import re
from typing import Any

from neurogebra_grader.pyparse import parse

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


def is_solution(cell: Any) -> bool:
    """True for a cell the student writes (nbgrader ``solution``)."""
    return bool(_nbgrader(cell).get("solution"))


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


def _number(node: ast.AST) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def _rare(number: float) -> bool:
    """A number honest output is unlikely to show by chance: not whole, two or more
    significant digits (-2.5 and 1.001, not 3, 2.0 or 0.5)."""
    digits = repr(abs(number)).replace(".", "").lstrip("0").rstrip("0")
    finite = math.isfinite(number) and "e" not in digits
    return finite and number != int(number) and len(digits) >= 2


def _telling(node: ast.AST) -> list[str]:
    """How an input written in a test cell would look if a kernel printed it back."""
    number = _number(node)
    if number is not None:
        return [ast.unparse(node)] if _rare(number) else []
    if isinstance(node, ast.List | ast.Tuple) and len(node.elts) > 1:
        numbers = [_number(e) for e in node.elts]
        if all(n is not None for n in numbers) and len(set(numbers)) > 1:
            return [", ".join(ast.unparse(e) for e in node.elts)]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.strip()
        return [text] if len(text) >= 8 and not text.isidentifier() else []
    return []


def hidden_inputs(sources: list[str], shown: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The inputs written in these test cells, as text that printed output would show; those
    also written in the ``shown`` sources (visible cells: their output may show them) left out.
    """
    found: set[str] = set()
    for source in sources:
        try:
            tree = parse(source)
        except SyntaxError:
            continue
        signed = {
            id(node.operand)
            for node in ast.walk(tree)
            if isinstance(node, ast.UnaryOp) and _number(node) is not None
        }
        for node in ast.walk(tree):
            if id(node) not in signed:  # -2.5 as a whole, not its 2.5
                found.update(_telling(node))
    return sorted(item for item in found if not any(item in text for text in shown))


def _text(output: dict[str, Any]) -> str:
    parts = [output.get("text", ""), output.get("ename", ""), output.get("evalue", "")]
    parts += [json.dumps(output.get("data", "")), json.dumps(output.get("traceback", ""))]
    return " ".join(str(part) for part in parts)


def _pattern(item: str) -> str:
    if ", " in item:  # a sequence: as a whole list or tuple, not part of a longer one
        return rf"[\[(]\s*{re.escape(item)}\s*,?\s*[\])]"
    return rf"(?<![\w.]){re.escape(item)}(?![\w.])"


def shows_any(output: dict[str, Any], inputs: list[str]) -> bool:
    """True when ``output`` shows one of ``inputs`` as a whole (``-2.5``, not ``-2.51``;
    ``[1, 2, 3, 4]``, not ``[1, 2, 3, 4, 5]``)."""
    text = _text(output)
    return any(re.search(_pattern(item), text) for item in inputs if item)


def hides_something(
    output: dict[str, Any], *, test_cell: bool, inputs: list[str] | None = None
) -> bool:
    """True when cutting ``output`` takes away something the report should mention.

    An error outside a test cell (a test's error is judged, and its verdict names the kind)
    other than the ``NotImplementedError`` that an unanswered nbgrader solution cell still
    raises; and any output that shows one of the hidden tests' ``inputs``. Ordinary printed
    or displayed output (training progress) is cut without a word in the report: the cell's
    own output says why it is missing.
    """
    if inputs and shows_any(output, inputs):
        return True
    if output.get("output_type") != "error":
        return False
    return not test_cell and output.get("ename") != "NotImplementedError"


def cut_note(indices: list[int]) -> str:
    """What the report says about cells (0-based ``indices``) whose output was cut."""
    numbers = ", ".join(str(i + 1) for i in indices)
    cells = "cells" if len(indices) > 1 else "cell"
    return (
        f"output of {cells} {numbers} not kept: after the hidden tests began, it raised or "
        "showed their inputs"
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
