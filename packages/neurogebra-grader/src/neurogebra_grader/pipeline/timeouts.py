"""Verdicts that time limits decide: a question over its limit, and one that needed it.

A cell that runs out of time fails alone (the sandbox restarts the kernel and re-runs the
earlier answers without it, see :mod:`neurogebra_grader.sandbox.replay`). Its question says
so, with the limit and the time it ran. A later test that raises ``NameError`` for a name only
the stopped cell defines is told that it depends on the answer that ran out of time, rather
than left with a bare error. Questions the notebook's budget left unrun say that.

Example:
    >>> sorted(defined_names("import math\\ndef g():\\n    y = 1\\nx, z = 1, 2"))
    ['g', 'math', 'x', 'z']
    >>> sorted(used_names("check_close(g(2), 4)"))
    ['check_close', 'g']
"""

from __future__ import annotations

import ast
import re
from typing import Any

from neurogebra_grader.pipeline.plan import GradedCell, Plan
from neurogebra_grader.sandbox.replay import cell_role
from neurogebra_grader.sandbox.runner import NotebookRun

_UNDEFINED = re.compile(r"^NameError: name '(\w+)' is not defined")
BUDGET_PREFIX = "not run: the notebook's time budget"


def _parse(source: Any) -> ast.Module | None:
    try:
        return ast.parse(str(source))
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


def used_names(source: Any) -> set[str]:
    """Every name a cell's code reads."""
    tree = _parse(source)
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _which(plan: Plan, index: int) -> str:
    cell = plan.notebook.cells[index]
    role = cell_role(cell)
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    if role == "answer":
        return f"the answer in cell {index + 1} ({grade_id})"
    if role == "extra":
        return f"your own cell {index + 1}"
    return f"cell {index + 1}"


def _missing_from_timeout(plan: Plan, run: NotebookRun, cell: GradedCell, error: str) -> str:
    """Why a test's NameError is the doing of an earlier cell that ran out of time, or ''."""
    stopped = [
        i
        for i in range(min(cell.index, len(run.cells)))
        if run.cells[i].status == "timeout" and cell_role(plan.notebook.cells[i]) != "test"
    ]
    if not stopped:
        return ""
    named = _UNDEFINED.match(error)
    if named:  # the kernel said which name: it must be one only a stopped cell binds
        wanted = {named.group(1)}
    else:  # its message was cut (a hidden test): the names the test and its helpers read
        wanted = used_names(plan.notebook.cells[cell.index].source)
        for i in range(cell.index):
            if cell_role(plan.notebook.cells[i]) != "test" and i not in stopped:
                source = plan.notebook.cells[i].source
                if defined_names(source) & wanted:
                    wanted |= used_names(source)
    ran = [
        i
        for i in range(cell.index)
        if i not in stopped and cell_role(plan.notebook.cells[i]) not in ("test", "text")
    ]
    still_defined = set().union(*(defined_names(plan.notebook.cells[i].source) for i in ran))
    for index in reversed(stopped):
        names = sorted((defined_names(plan.notebook.cells[index].source) & wanted) - still_defined)
        if names:
            return (
                f"the test could not run (NameError): it depends on the answer that ran out "
                f"of time, {_which(plan, index)}, which defines `{names[0]}`; that cell "
                f"{str(run.cells[index].error).removeprefix('the cell ')}"
            )
    return ""


def time_verdict(plan: Plan, run: NotebookRun, cell: GradedCell) -> str | None:
    """The message for a graded cell whose zero the time limits decided, or None.

    ``run`` is the notebook's run; ``cell`` one of ``plan.graded``.
    """
    if cell.index >= len(run.cells):
        return None
    ran = run.cells[cell.index]
    what = "the test" if cell.kind == "test" else "the answer"
    if ran.status == "timeout" and str(ran.error).startswith("the notebook ran out of time"):
        return f"{what} did not finish: {ran.error}"  # the budget, not its own limit
    if ran.status == "timeout":
        return f"{what} ran out of time: {ran.error}"
    if ran.status == "not run" and str(ran.error).startswith(BUDGET_PREFIX):
        return f"{what} did not run: {str(ran.error).removeprefix('not run: ')}"
    if cell.kind == "test" and ran.status == "error" and str(ran.error).startswith("NameError"):
        return _missing_from_timeout(plan, run, cell, str(ran.error)) or None
    return None
