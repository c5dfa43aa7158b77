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
import builtins
import copy
import inspect
from typing import Any, NamedTuple

from neurogebra_grader.pipeline import expected as exp
from neurogebra_grader.pipeline.probes import SPECS
from neurogebra_grader.pyparse import parse, parse_expression

IMPORT = "from neurogebra_grader.pipeline.observer import observe as _ng_observe"


class BadTestCell(ValueError):
    """A test cell the pipeline cannot rewrite; the message names the cell's problem."""


def _signature(check: str) -> inspect.Signature:
    return SPECS[check].signature


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
            *range(len(call.args)), **{k.arg: k.value for k in call.keywords if k.arg}
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
    def __init__(
        self,
        role: str,
        taints: dict[int, set[str]] | None = None,
        code: frozenset[str] = frozenset(),
    ) -> None:
        self.role = role
        self.code = code
        self.sites: list[tuple[str, int]] = []
        self.dropped_names: set[str] = set()
        self.taints = taints or {}
        self.recipes: list[dict[str, exp.Recipe]] = []
        self.sources: list[dict[str, str]] = []

    def visit_Call(self, node: ast.Call) -> Any:
        check = _check_name(node)
        if check is None:
            return self.generic_visit(node)
        args = bind_call(node, check)
        kinds = SPECS[check].kinds(self.role)
        for name, expr in args.items():
            if name not in kinds:
                self.dropped_names |= {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
        try:  # an expected side read from the student's objects is recomputed (expected.py)
            classified = exp.classify_call(check, args, self.taints.get(id(node), set()), self.code)
        except exp.Unclassifiable as error:
            raise BadTestCell(f"{check}(...) on line {node.lineno}: {error}") from None
        recipes = {k: c.recipe for k, c in classified.items() if c.recipe is not None}
        kept = {name: self.visit(expr) for name, expr in args.items() if name in kinds}
        for name in exp.reported_names(recipes, self.role):
            kept[exp.PREFIX + name], kinds[exp.PREFIX + name] = ast.Name(name, ast.Load()), "plain"
        site = len(self.sites)
        self.sites.append((check, node.lineno))
        self.recipes.append(recipes)
        self.sources.append({name: c.source for name, c in classified.items()})
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


_BLOCKS = ("body", "orelse", "finalbody")
_BUILTINS = frozenset(dir(builtins))
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_ASSIGNMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign)
_TRIVIAL = (ast.Pass, ast.Break, ast.Continue)


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists nested in a compound statement (loop, if, with, try, match)."""
    blocks = [
        getattr(stmt, name) for name in _BLOCKS if isinstance(getattr(stmt, name, None), list)
    ]
    blocks += [handler.body for handler in getattr(stmt, "handlers", [])]
    blocks += [case.body for case in getattr(stmt, "cases", [])]
    return blocks


def _targets(stmt: ast.stmt) -> list[ast.expr]:
    if isinstance(stmt, ast.Assign):
        return list(stmt.targets)
    return [stmt.target] if isinstance(stmt, ast.AugAssign | ast.AnnAssign) else []


def _defined(stmt: ast.stmt) -> set[str]:
    """Names an assignment binds or changes (``d[k] = v`` and ``o.a = v`` change d and o)."""
    names = set()
    for target in _targets(stmt):
        for node in ast.walk(target):
            base = node
            while isinstance(base, ast.Attribute | ast.Subscript | ast.Starred):
                base = base.value
            if isinstance(base, ast.Name):
                names.add(base.id)
    return names


def _observes(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_ng_observe"
        for n in ast.walk(node)
    )


def _expected_names(tree: ast.Module, dropped: set[str], needed: set[str]) -> set[str]:
    """Names that hold only the expected side: what the checks' expected arguments read, what
    only feeds those, and what is computed from them; never a name the student's side reads,
    nor an import or a builtin (``sum(scores).backward()`` must still run).
    """
    rebound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not _is_load(n)}
    imported = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    protected = (imported | _BUILTINS) - rebound | needed
    expected = dropped - protected
    assignments = [n for n in ast.walk(tree) if isinstance(n, _ASSIGNMENTS)]
    while True:
        grown = set(expected)
        for stmt in assignments:
            defined, loaded = _defined(stmt), _loaded_names(stmt)
            if defined and defined <= grown:  # what only feeds the expected side
                grown |= loaded - protected
            elif loaded & grown and not defined & needed:  # what is computed from it
                grown |= defined - protected
        if grown == expected:
            return expected
        expected = grown


def _binders(tree: ast.AST) -> list[tuple[set[str], set[str]]]:
    """(names bound, names read) of every binding in ``tree``: assignments, loop and ``with``
    targets, comprehensions, ``:=``, and definitions (a function binds its name from its body).
    """
    out: list[tuple[set[str], set[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, _ASSIGNMENTS):
            value = node.value
            out.append((_defined(node), _loaded_names(value) if value else set()))
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            out.append((_stored_names(node.target), _loaded_names(node.iter)))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            out.append((_stored_names(node.optional_vars), _loaded_names(node.context_expr)))
        elif isinstance(node, ast.NamedExpr):
            out.append(({node.target.id}, _loaded_names(node.value)))
        elif isinstance(node, _DEFINITIONS):
            out.append(({node.name}, _loaded_names(node)))
    return out


def _stored_names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name) and not _is_load(n)}


def _linked_names(tree: ast.Module) -> set[str]:
    """Names that may hold the student's objects: what the cell reads but never binds (the
    notebook's ``train``, ``net``) and every name bound from one of those (``w`` in
    ``for w in neuron.w``, ``full_loss = sum(... tiny(x) ...)``). A change made through such a
    name may change what the student's side sees, so it always runs.
    """
    binders = _binders(tree)
    bound: set[str] = set().union(*(defined for defined, _ in binders))
    imported = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    linked = _loaded_names(tree) - bound - imported - _BUILTINS - _module_like(tree)
    while True:
        grown = set(linked)
        for defined, loaded in binders:
            if loaded & grown:
                grown |= defined
        if grown == linked:
            return linked
        linked = grown


def _module_like(tree: ast.AST) -> set[str]:
    """Names the cell only ever reads an attribute of (``np`` in ``np.zeros(3)``): modules,
    as far as the cell shows, whose functions return new objects rather than the student's.
    """
    bases = {
        node.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }
    other = {
        node.id
        for parent in ast.walk(tree)
        if not isinstance(parent, ast.Attribute)
        for node in ast.iter_child_nodes(parent)
        if isinstance(node, ast.Name)
    }
    return bases - other


def _acted_on(stmt: ast.stmt) -> set[str]:
    """Names whose objects a statement may change: the receivers of the calls it makes
    (``full_loss`` in ``full_loss.backward()``) and the bases of what it stores into."""
    names: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Call):
            names |= _loaded_names(node.func)
    if any(not isinstance(target, ast.Name) for target in _targets(stmt)):
        names |= _defined(stmt)
    return names


_ACTIONS = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)


def _may_act(stmt: ast.stmt) -> bool:
    """Whether an assignment may do more than bind names: a call, or a change to an object."""
    changes = any(not isinstance(target, ast.Name) for target in _targets(stmt))
    return changes or any(isinstance(n, _ACTIONS) for n in ast.walk(stmt))


def _is_load(node: ast.Name) -> bool:
    return isinstance(node.ctx, ast.Load)


def _slice(
    block: list[ast.stmt], needed: set[str], expected_only: set[str], linked: set[str]
) -> list[ast.stmt]:
    """The statements of ``block`` a student run needs (``block`` is changed in place).

    Only what holds the expected side goes: a plain name binding or a definition that feeds
    nothing but names in ``expected_only``, and a statement that reads one of them and can
    change no object in ``linked`` (``print(expected)``, ``expected.sort()``). Everything else
    stays as written: a loop that sets weights, ``loss.backward()`` even when ``loss`` feeds
    only the expected side (the student's parameters get their gradients from it).
    """
    kept: list[ast.stmt] = []
    for stmt in block:
        # it may change the student's objects, and the expected side it reads (if any) comes
        # from them: never a value the instructor wrote (``set_weights(net, [0.5, -1.0])``)
        touches = bool(_acted_on(stmt) & linked) and _loaded_names(stmt) & expected_only <= linked
        if isinstance(stmt, _DEFINITIONS):
            keep = stmt.name in needed
        elif isinstance(stmt, _ASSIGNMENTS):
            defined = _defined(stmt)
            plain = all(isinstance(target, ast.Name) for target in _targets(stmt))
            keep = bool(defined & needed) or (
                _may_act(stmt)
                and not (defined and defined <= expected_only and (plain or not touches))
            )
        elif isinstance(stmt, ast.Expr):
            keep = _observes(stmt) or not (_loaded_names(stmt) & expected_only) or bool(touches)
        elif _blocks(stmt):
            substantive = False
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, name, None)
                if isinstance(inner, list):
                    setattr(stmt, name, _slice(inner, needed, expected_only, linked))
            for part in [*getattr(stmt, "handlers", []), *getattr(stmt, "cases", [])]:
                part.body = _slice(part.body, needed, expected_only, linked)
            for inner in _blocks(stmt):
                substantive |= any(not isinstance(s, _TRIVIAL) for s in inner)
            keep = substantive
            if keep:
                for name in ("body",):
                    if not getattr(stmt, name):
                        setattr(stmt, name, [ast.Pass()])
                for part in [*getattr(stmt, "handlers", []), *getattr(stmt, "cases", [])]:
                    part.body = part.body or [ast.Pass()]
        else:  # imports, assert, raise, return, pass, global ...: as written
            keep = True
        if keep:
            kept.append(stmt)
    return kept


def _split_tuple_assignments(tree: ast.AST) -> None:
    """``x, want = 3, 9`` becomes two assignments, so ``want`` can be left out on its own."""
    for node in ast.walk(tree):
        for name in _BLOCKS:
            block = getattr(node, name, None)
            if not isinstance(block, list):
                continue
            out: list[ast.stmt] = []
            for stmt in block:
                target = stmt.targets[0] if isinstance(stmt, ast.Assign) else None
                value = stmt.value if isinstance(stmt, ast.Assign) else None
                if (
                    isinstance(stmt, ast.Assign)
                    and len(stmt.targets) == 1
                    and isinstance(target, ast.Tuple | ast.List)
                    and isinstance(value, ast.Tuple | ast.List)
                    and len(target.elts) == len(value.elts)
                    and not any(isinstance(e, ast.Starred) for e in [*target.elts, *value.elts])
                    and not (_defined(stmt) & _loaded_names(value))
                ):
                    out += [
                        ast.copy_location(ast.Assign([t], v), stmt)
                        for t, v in zip(target.elts, value.elts, strict=True)
                    ]
                else:
                    out.append(stmt)
            setattr(node, name, out)


def _literal_rows(node: ast.expr | None, width: int) -> bool:
    return isinstance(node, ast.List | ast.Tuple) and all(
        isinstance(row, ast.Tuple | ast.List) and len(row.elts) == width for row in node.elts
    )


def _project_loops(tree: ast.Module, needed: set[str]) -> None:
    """In ``for x, want in rows``, put None where a row holds values only ``want`` reads.

    ``rows`` may be a literal list of tuples, a name bound to one at the top of the cell, or a
    ``zip(xs, wants)`` (whose ``wants`` becomes an endless run of None).
    """
    literals = {
        stmt.targets[0].id: stmt.value
        for stmt in tree.body
        if isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
    }
    for loop in [n for n in ast.walk(tree) if isinstance(n, ast.For | ast.comprehension)]:
        target = loop.target
        if not isinstance(target, ast.Tuple | ast.List):
            continue
        unused = [
            i
            for i, element in enumerate(target.elts)
            if isinstance(element, ast.Name) and element.id not in needed
        ]
        if not unused or len(unused) == len(target.elts):
            continue
        width = len(target.elts)
        rows = loop.iter
        if isinstance(rows, ast.Name) and _literal_rows(literals.get(rows.id), width):
            rows = loop.iter = copy.deepcopy(literals[rows.id])
        if _literal_rows(rows, width):
            for row in rows.elts:  # type: ignore[attr-defined]
                for i in unused:
                    row.elts[i] = ast.Constant(None)
        elif (
            isinstance(rows, ast.Call)
            and isinstance(rows.func, ast.Name)
            and rows.func.id == "zip"
            and len(rows.args) == width
            and not rows.keywords
        ):
            for i in unused:
                rows.args[i] = parse_expression("__import__('itertools').repeat(None)")


def _blank_expected_parameters(tree: ast.Module, dropped: set[str]) -> None:
    """``def expect(x, want): check_close(f(x), want)`` then ``expect(2, 4)``: the 4 goes.

    A parameter of a function that runs checks, used only for what was left out of them, is
    passed None at every call (and its default becomes None).
    """
    blanks: dict[str, tuple[set[int], set[str]]] = {}
    for func in tree.body:
        if not isinstance(func, ast.FunctionDef) or not _observes(func):
            continue
        params = [*func.args.posonlyargs, *func.args.args]
        used = set().union(*(_loaded_names(stmt) for stmt in func.body))
        unused = {a.arg for a in [*params, *func.args.kwonlyargs]} & (dropped - used)
        if not unused:
            continue
        blanks[func.name] = ({i for i, a in enumerate(params) if a.arg in unused}, unused)
        defaults = func.args.defaults
        for a, default in zip(params[len(params) - len(defaults) :], list(defaults), strict=True):
            if a.arg in unused:
                defaults[defaults.index(default)] = ast.Constant(None)
        kw_defaults = func.args.kw_defaults
        for i, a in enumerate(func.args.kwonlyargs):
            if a.arg in unused and kw_defaults[i] is not None:
                kw_defaults[i] = ast.Constant(None)
    for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call)]:
        if isinstance(call.func, ast.Name) and call.func.id in blanks:
            positions, names = blanks[call.func.id]
            call.args = [
                ast.Constant(None) if i in positions and not isinstance(a, ast.Starred) else a
                for i, a in enumerate(call.args)
            ]
            for keyword in call.keywords:
                if keyword.arg in names:
                    keyword.value = ast.Constant(None)


def _student_slice(tree: ast.Module, dropped: set[str]) -> ast.Module:
    """Only what the student's side of the checks needs: expected values never stay behind."""

    def fixpoint(original: ast.Module) -> tuple[ast.Module, set[str]]:
        needed: set[str] = set()
        while True:
            candidate = copy.deepcopy(original)
            expected = _expected_names(original, dropped, needed)
            candidate.body = _slice(candidate.body, needed, expected, linked)
            now = _loaded_names(candidate)
            if now <= needed:
                return candidate, needed
            needed |= now

    _split_tuple_assignments(tree)
    _blank_expected_parameters(tree, dropped)
    linked = _linked_names(tree)
    _, needed = fixpoint(tree)
    _project_loops(tree, needed)
    sliced, _ = fixpoint(tree)
    _forget_after_last_use(sliced, dropped)
    return sliced


def _forget_after_last_use(tree: ast.Module, dropped: set[str]) -> None:
    """Delete a name of the expected side that stayed only for its side effect (``full_loss``
    of ``full_loss.backward()``) right after its last use, so the student's code called later
    in the cell cannot read it (``train()`` returning ``[full_loss.data]`` as its history).

    Example: ``loss = f(net); loss.backward(); check_close(grads(net), loss.data)`` runs
    ``loss = f(net); loss.backward(); del loss`` before the student's ``grads``.
    """
    got_side = set().union(*(_loaded_names(n) for n in ast.walk(tree) if _observes_call(n)))
    deferred = set().union(
        *(_loaded_names(n) for n in ast.walk(tree) if isinstance(n, (*_DEFINITIONS, ast.Lambda)))
    )
    bound = {name for stmt in tree.body for name in _stored_names(stmt)}
    for name in sorted((dropped & bound) - got_side - deferred):
        last = max(i for i, stmt in enumerate(tree.body) if name in _all_names(stmt))
        forget = parse(f"try:\n    del {name}\nexcept NameError:\n    pass").body[0]
        tree.body.insert(last + 1, forget)


def _observes_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_ng_observe"
    )


def _all_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def rewrite_test(source: str, role: str) -> str:
    """The code to run for a test cell in a ``role`` ('student' or 'reference') run."""
    return rewrite_test_sites(source, role)[0]


def rewrite_test_sites(source: str, role: str) -> tuple[str, list[tuple[str, int]]]:
    """The rewritten code, and the check and source line of each call site."""
    rewritten = rewrite_test_cell(source, role, set())
    return rewritten.code, rewritten.sites


class Rewritten(NamedTuple):
    """A rewritten test cell: its code, each check call's name and line, the recipes of its
    recomputed expected arguments, and the source of each expected argument (expected.py)."""

    code: str
    sites: list[tuple[str, int]]
    recipes: list[dict[str, exp.Recipe]]
    sources: list[dict[str, str]]


def rewrite_test_cell(source: str, role: str, tainted: set[str]) -> Rewritten:
    """Like :func:`rewrite_test_sites`, for a cell entered with ``tainted`` names (see
    expected.py); also each site's recomputed expected arguments."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        tree = parse("\n".join(lines))
    except SyntaxError as error:
        raise BadTestCell(f"the test cell is not valid Python: {error}") from None
    rewriter = _Rewriter(role, exp.taint_at_calls(tree, tainted), exp.code_names(tree))
    tree = rewriter.visit(tree)
    if role == "student":
        tree = _student_slice(tree, rewriter.dropped_names)
    body = ast.unparse(ast.fix_missing_locations(tree))
    return Rewritten(f"{IMPORT}\n{body}", rewriter.sites, rewriter.recipes, rewriter.sources)
