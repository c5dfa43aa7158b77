"""Rewrite a test cell so that its checks report plain data instead of deciding a grade.

Every call to a known check becomes a call to the observer with the arguments the role
needs (see :mod:`neurogebra_grader.pipeline.probes`). In the student's run, the expected
values are left out of the code altogether, along with assignments that only fed them, so
they never enter the sandbox.

Example:
    >>> print(rewrite_test("check_close(area(2), 12.56, rtol=1e-3)", "student").splitlines()[1])
    _ng_observe(0, 'check_close', {'got': area(2)}, {'got': 'array'})
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

from neurogebra_grader.pipeline.probes import SPECS

IMPORT = "from neurogebra_grader.pipeline.observer import observe as _ng_observe"


class BadTestCell(ValueError):
    """A test cell the pipeline cannot rewrite; the message names the cell's problem."""


def _signature(check: str) -> inspect.Signature:
    import neurogebra_grader.checks as checks

    return inspect.signature(getattr(checks, check))


def _check_name(call: ast.Call) -> str | None:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name if name in SPECS else None


def bind_call(call: ast.Call, check: str) -> dict[str, ast.expr]:
    """The argument expressions of a check call, by parameter name."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        raise BadTestCell(f"{check}(...) uses *args or **kwargs; write the arguments out")
    try:
        bound = _signature(check).bind_partial(
            *range(len(call.args)), **{k.arg: k.value for k in call.keywords}
        )
    except TypeError as error:
        raise BadTestCell(f"{check}(...): {error}") from None
    return {
        name: call.args[value]
        if isinstance(value, int)
        and not isinstance(value, bool)
        and name not in {k.arg for k in call.keywords}
        else value
        for name, value in bound.arguments.items()
    }


class _Rewriter(ast.NodeTransformer):
    def __init__(self, role: str) -> None:
        self.role = role
        self.sites: list[tuple[str, int]] = []
        self.dropped_names: set[str] = set()

    def visit_Call(self, node: ast.Call) -> Any:
        check = _check_name(node)
        if check is None:
            return self.generic_visit(node)
        args = bind_call(node, check)
        kinds = SPECS[check].kinds(self.role)
        for name, expr in args.items():
            if name not in kinds:
                self.dropped_names |= {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
        kept = {name: self.visit(expr) for name, expr in args.items() if name in kinds}
        site = len(self.sites)
        self.sites.append((check, node.lineno))
        return ast.Call(
            func=ast.Name("_ng_observe", ast.Load()),
            args=[
                ast.Constant(site),
                ast.Constant(check),
                ast.Dict([ast.Constant(k) for k in kept], list(kept.values())),
                ast.Dict([ast.Constant(k) for k in kept], [ast.Constant(kinds[k]) for k in kept]),
            ],
            keywords=[],
        )


def _loaded_names(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _drop_expected_assignments(tree: ast.Module, candidates: set[str]) -> None:
    """Remove top-level ``name = ...`` lines whose names only fed left-out arguments."""
    while True:
        used = _loaded_names(tree)
        removable = [
            stmt
            for stmt in tree.body
            if isinstance(stmt, ast.Assign)
            and all(isinstance(t, ast.Name) for t in stmt.targets)
            and {t.id for t in stmt.targets} <= candidates  # type: ignore[union-attr]
            and not ({t.id for t in stmt.targets} & used)  # type: ignore[union-attr]
        ]
        if not removable:
            return
        tree.body = [stmt for stmt in tree.body if stmt not in removable]


def rewrite_test(source: str, role: str) -> str:
    """The code to run for a test cell in a ``role`` ('student' or 'reference') run."""
    return rewrite_test_sites(source, role)[0]


def rewrite_test_sites(source: str, role: str) -> tuple[str, list[tuple[str, int]]]:
    """The rewritten code, and the check and source line of each call site."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError as error:
        raise BadTestCell(f"the test cell is not valid Python: {error}") from None
    rewriter = _Rewriter(role)
    tree = rewriter.visit(tree)
    if role == "student":
        _drop_expected_assignments(tree, rewriter.dropped_names)
    body = ast.unparse(ast.fix_missing_locations(tree))
    return f"{IMPORT}\n{body}", rewriter.sites
