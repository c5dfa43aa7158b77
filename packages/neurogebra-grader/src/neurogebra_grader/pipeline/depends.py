"""Tests that could not run because an earlier cell did not finish.

A test that raises ``NameError`` for a name only an earlier cell defines, where that cell
raised or ran out of time, is told which cell and why, rather than left with a bare error:
"the test could not run (NameError): it reads `line_losses`, which the answer in cell 12
(fit-line) did not define because it raised NotImplementedError: ...".

Only what is safe to show after the hidden tests began goes in: the cell's position and id,
the built-in class name of its exception (never its message, never a class the student
wrote), and names the test's own code reads (or the earlier cell defines or calls).

Example:
    >>> sorted(defined_names("import math\\ndef g():\\n    y = 1\\nx, z = 1, 2"))
    ['g', 'math', 'x', 'z']
    >>> read_in_order("check(losses, f(x)); check(losses, y)")
    ['check', 'losses', 'f', 'x', 'y']
    >>> why_raised("OverflowError").startswith("it raised OverflowError: a number overflowed")
    True
"""

from __future__ import annotations

import ast
import functools
import re
from typing import Any

from neurogebra_grader.pipeline.plan import GradedCell, Plan
from neurogebra_grader.pyparse import parse
from neurogebra_grader.sandbox.redact import safe_error_name
from neurogebra_grader.sandbox.replay import cell_role
from neurogebra_grader.sandbox.runner import NotebookRun

_UNDEFINED = re.compile(r"^NameError: name '(\w+)' is not defined")
DIVERGED = frozenset({"OverflowError", "FloatingPointError"})
MAYBE_DIVERGED = frozenset({"ValueError", "ZeroDivisionError"})  # e.g. log(0) after overflow
_TRAINING = re.compile(r"train|fit", re.I)
_RATES = frozenset({"learning_rate", "lr", "step_size"})


def _parse(source: Any) -> ast.Module | None:
    return _parse_text(str(source))


@functools.lru_cache(maxsize=2048)
def _parse_text(text: str) -> ast.Module | None:
    """The parsed cell, once per distinct source: every submission's locked and test cells
    are the same text, and a test's NameError is explained against each earlier cell. The
    tree is only read here; the result depends on the text alone."""
    try:
        return parse(text)
    except (SyntaxError, ValueError):
        return None


class _Bindings(ast.NodeVisitor):
    """Names a cell binds at the top level (not inside its functions or classes)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.names.add(node.name)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.names.add(node.name)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.names.add(node.name)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        return

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self.names.add(node.id)

    def visit_alias(self, node: ast.alias) -> None:
        if node.name != "*":
            self.names.add((node.asname or node.name).split(".")[0])


def defined_names(source: Any) -> set[str]:
    """The names a cell's code binds at its top level (empty when it does not parse)."""
    tree = _parse(source)
    if tree is None:
        return set()
    visitor = _Bindings()
    visitor.visit(tree)
    return visitor.names


def read_in_order(source: Any) -> list[str]:
    """The names a cell's code reads, each once, in the order they appear in the code."""
    tree = _parse(source)
    if tree is None:
        return []
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    nodes.sort(key=lambda n: (n.lineno, n.col_offset))
    return list(dict.fromkeys(n.id for n in nodes))


def used_names(source: Any) -> set[str]:
    """Every name a cell's code reads."""
    return set(read_in_order(source))


def _top_level_calls(source: Any) -> list[str]:
    """Functions a cell calls by name outside its own function and class bodies."""
    tree = _parse(source)
    if tree is None:
        return []
    calls: list[str] = []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                calls.append(node.func.id)
    return list(dict.fromkeys(calls))


def which_cell(plan: Plan, index: int) -> str:
    """How a message names an earlier cell: its position, its role and its id."""
    cell = plan.notebook.cells[index]
    role = cell_role(cell)
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    if role == "answer":
        return f"the answer in cell {index + 1} ({grade_id})"
    if role == "extra":
        return f"your own cell {index + 1}"
    if role == "given":
        return f"the locked cell {index + 1} ({grade_id})"
    return f"cell {index + 1}"


def why_raised(error_name: str, student_function: str = "", training: str = "") -> str:
    """Why a cell that raised ``error_name`` (a built-in class name) stopped, in words.

    ``student_function``: an unanswered function the cell calls; ``training``: the training
    function it calls (a ``ValueError`` or ``ZeroDivisionError`` there is most often a loss
    that diverged: the log of 0, or an infinity over an infinity).

    Example:
        >>> why_raised("NotImplementedError", "fit_line")
        'it raised NotImplementedError: an unanswered task; finish `fit_line` first'
    """
    name = safe_error_name(error_name)
    check = "check the sign of the update (w = w - lr * dw) and the learning rate"
    if name == "NotImplementedError":
        finish = f"finish `{student_function}` first" if student_function else "finish it first"
        return f"it raised NotImplementedError: an unanswered task; {finish}"
    if name in DIVERGED:
        return (
            f"it raised {name}: a number overflowed; when the cell trains, the training "
            f"diverged (the loss grew without bound): {check}"
        )
    if name in MAYBE_DIVERGED and training:
        return (
            f"it raised {name} in `{training}`: the training most likely diverged (the "
            f"loss overflowed, then a log of 0 or a division by 0 failed): {check}"
        )
    return f"it raised {name}: fix that cell's error first"


def _unfinished(plan: Plan, run: NotebookRun, upto: int) -> list[int]:
    """Earlier non-test cells that raised or ran out of time."""
    return [
        i
        for i in range(min(upto, len(run.cells)))
        if run.cells[i].status in ("timeout", "error")
        and cell_role(plan.notebook.cells[i]) not in ("test", "text")
    ]


def _wanted(plan: Plan, cell: GradedCell, error: str, unfinished: list[int]) -> list[str]:
    """The names the NameError may be for, most likely first."""
    named = _UNDEFINED.match(error)
    if named:  # the kernel said which name
        return [named.group(1)]
    # its message was cut (after the hidden tests began): the names the test reads, then
    # those its helpers (earlier cells that did finish) read
    wanted = read_in_order(plan.notebook.cells[cell.index].source)
    for i in range(cell.index):
        if cell_role(plan.notebook.cells[i]) in ("test", "text") or i in unfinished:
            continue
        source = plan.notebook.cells[i].source
        if defined_names(source) & set(wanted):
            wanted += [n for n in read_in_order(source) if n not in wanted]
    return wanted


def _raises_not_implemented(node: ast.AST) -> bool:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Raise) and inner.exc is not None:
            exc = inner.exc.func if isinstance(inner.exc, ast.Call) else inner.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                return True
    return False


def _unanswered_functions(source: Any) -> set[str]:
    """Functions an answer cell defines whose body still raises NotImplementedError."""
    tree = _parse(source)
    if tree is None:
        return set()
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and _raises_not_implemented(node)
    }


def _function_called(plan: Plan, index: int) -> str:
    """An unanswered function of the student's that an unfinished cell calls, or ''."""
    cells = plan.notebook.cells[: index + 1]
    unanswered = set().union(
        *(_unanswered_functions(c.source) for c in cells if cell_role(c) == "answer")
    )
    calls = _top_level_calls(plan.notebook.cells[index].source)
    return next((f for f in calls if f in unanswered), "")


def _training_called(source: Any) -> str:
    """The function a cell calls to train (its name says train or fit, or it is given a
    learning rate), or ''."""
    tree = _parse(source)
    if tree is None:
        return ""
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                rated = any(k.arg in _RATES for k in node.keywords)
                if rated or _TRAINING.search(node.func.id):
                    return node.func.id
    return ""


def missing_from_unfinished(plan: Plan, run: NotebookRun, cell: GradedCell, error: str) -> str:
    """Why a test's NameError is the doing of an earlier cell that did not finish, or ''.

    A cell that ran out of time defines nothing (the kernel restarted without it); one that
    raised defines what it bound before the error, so a name only it binds is blamed on it.
    """
    unfinished = _unfinished(plan, run, cell.index)
    if not unfinished:
        return ""
    wanted = _wanted(plan, cell, error, unfinished)
    ran = [
        i
        for i in range(cell.index)
        if i not in unfinished and cell_role(plan.notebook.cells[i]) not in ("test", "text")
    ]
    still_defined = set().union(*(defined_names(plan.notebook.cells[i].source) for i in ran))
    for index in reversed(unfinished):
        defined = defined_names(plan.notebook.cells[index].source) - still_defined
        names = [n for n in wanted if n in defined]
        if not names:
            continue
        earlier = run.cells[index]
        if earlier.status == "timeout":
            return (
                f"the test could not run (NameError): it depends on the answer that ran out "
                f"of time, {which_cell(plan, index)}, which defines `{names[0]}`; that cell "
                f"{str(earlier.error).removeprefix('the cell ')}"
            )
        error_name = str(earlier.error).split(":", 1)[0].strip() or "Exception"
        source = plan.notebook.cells[index].source
        reads = (
            "reads" if names[0] in used_names(plan.notebook.cells[cell.index].source) else "needs"
        )
        return (
            f"the test could not run (NameError): it {reads} `{names[0]}`, which "
            f"{which_cell(plan, index)} did not define because "
            f"{why_raised(error_name, _function_called(plan, index), _training_called(source))}"
        )
    return ""


def depends_verdict(plan: Plan, run: NotebookRun, cell: GradedCell) -> str | None:
    """The message for a test whose NameError an earlier unfinished cell explains, or None."""
    if cell.kind != "test" or cell.index >= len(run.cells):
        return None
    ran = run.cells[cell.index]
    if ran.status != "error" or not str(ran.error).startswith("NameError"):
        return None
    return missing_from_unfinished(plan, run, cell, str(ran.error)) or None
