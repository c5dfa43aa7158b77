"""Where each check's expected value comes from: a constant, the instructor's run, or a
recomputation in the trusted process from plain data the student's kernel reports.

A name is *tainted* when it may hold the student's work: every name a solution cell binds
(at its top level), and every name a locked or test cell binds from an expression that reads
a tainted name (``net = MLP(...)``, ``hidden = [n(x).data for n in net.layers[0].neurons]``,
loop and ``with`` targets, ``:=``, a helper function whose body reads one). An expected
argument is then

- ``constant``: a literal (``[0.5, 1.0]``, ``-2.0``);
- ``instructor``: it reads no tainted name, so the reference run's value is the answer;
- ``recomputed``: it reads tainted names. The kernel reports those names as plain data
  (``$hidden``) and the trusted process evaluates the instructor's expression over them, with
  ``np`` and ``math`` at hand; the other names it reads come from the reference run.

An expected argument that cannot be evaluated on plain data (it calls a tainted name, or reads
an attribute of one) is refused: :class:`Unclassifiable` names the reason. So is one whose
source its check does not admit: each check declares, per argument of its expected side, the
sources it takes (``Check.expected`` in checks/check.py); e.g. ``check_gradient`` differentiates
only the instructor's ``f``, so an ``f`` that reads the student's work is refused at release.

Example:
    >>> import ast
    >>> classify(ast.parse("-sum(hidden) - 2.0", mode="eval").body, {"hidden"}).source
    'recomputed'
    >>> classify(ast.parse("[0.5, 1.0]", mode="eval").body, {"hidden"}).source
    'constant'
"""

from __future__ import annotations

import ast
import builtins
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from neurogebra_grader.failure import Failure
from neurogebra_grader.pyparse import literal_eval, parse

PREFIX = "$"  # observation keys of reported names: {"$hidden": [...]}
MODULES: dict[str, Any] = {"np": np, "numpy": np, "math": math}
_SAFE_BUILTINS = {
    name: getattr(builtins, name)
    for name in [
        "abs",
        "all",
        "any",
        "bool",
        "dict",
        "divmod",
        "enumerate",
        "filter",
        "float",
        "int",
        "len",
        "list",
        "map",
        "max",
        "min",
        "pow",
        "range",
        "reversed",
        "round",
        "sorted",
        "str",
        "sum",
        "tuple",
        "zip",
    ]
}
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class Unclassifiable(ValueError):
    """An expected side the trusted process cannot evaluate on plain data (says why)."""


@dataclass(frozen=True)
class Recipe:
    """How to recompute one expected argument: the instructor's expression, the argument's
    probe kind, the tainted names the kernel reports, and the other names it reads."""

    expression: str
    kind: str
    tainted: tuple[str, ...]
    others: tuple[str, ...]


@dataclass(frozen=True)
class Classified:
    """The source of one expected argument; ``recipe`` only for 'recomputed'."""

    source: str
    recipe: Recipe | None = None


def _loads(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _stores(node: ast.AST) -> set[str]:
    return {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
    }


def _base(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Starred | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _reads_tainted(node: ast.AST, tainted: set[str]) -> bool:
    if isinstance(node, (*_DEFINITIONS, ast.Lambda)):
        return bool(_free_in_definition(node) & tainted)
    return bool(_loads(node) & tainted)


def _free_in_definition(node: ast.AST) -> set[str]:
    """Globals a function, class or lambda reads (its arguments and locals left out)."""
    params: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.arguments):
            params |= {a.arg for a in [*sub.posonlyargs, *sub.args, *sub.kwonlyargs]}
            params |= {a.arg for a in (sub.vararg, sub.kwarg) if a is not None}
    return _loads(node) - params - _stores(node)


def solution_names(source: str) -> set[str]:
    """Names a solution cell binds at its top level (its functions' locals excluded; names a
    function declares ``global`` included). Imports bind modules, not the student's work."""
    try:
        tree = parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()

    def visit(block: list[ast.stmt]) -> None:
        for stmt in block:
            if isinstance(stmt, _DEFINITIONS):
                names.add(stmt.name)
                names.update(
                    n for g in ast.walk(stmt) if isinstance(g, ast.Global) for n in g.names
                )
            elif isinstance(stmt, ast.Import | ast.ImportFrom):
                continue
            else:
                names.update(_stores(stmt) - _comprehension_targets(stmt))
                for inner in ("body", "orelse", "finalbody"):
                    if isinstance(getattr(stmt, inner, None), list):
                        visit(getattr(stmt, inner))

    visit(tree.body)
    return names


def _comprehension_targets(node: ast.AST) -> set[str]:
    return {
        name
        for c in ast.walk(node)
        if isinstance(c, ast.comprehension)
        for name in _stores(c.target)
    }


def module_like(block: list[ast.stmt]) -> set[str]:
    """Names a cell only ever reads attributes of (``plt``, ``np``): modules as far as the
    cell shows, whose calls return new objects rather than change them."""
    tree = ast.Module(body=block, type_ignores=[])
    bases = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
    other = {n.id for n in names if id(n) not in bases or not isinstance(n.ctx, ast.Load)}
    return {n.id for n in names} - other


def propagate(
    block: list[ast.stmt],
    tainted: set[str],
    *,
    modules: set[str] | None = None,
    at_calls: dict[int, set[str]] | None = None,
) -> set[str]:
    """The names that may be tainted after running ``block`` (a locked or test cell).

    A name rebound from untainted data stops being tainted; after a loop or a branch a name
    is tainted if it may be on some path. ``at_calls`` collects the tainted names at every
    call, by ``id`` of its node (a call in a function body: at the definition or later).

    Example:
        >>> cell = ast.parse("a = net(1)\\nb = [v * 2 for v in a]\\nc = 3").body
        >>> sorted(propagate(cell, {"net"}))
        ['a', 'b', 'net']
    """
    state = set(tainted)
    modules = module_like(block) if modules is None else modules
    for stmt in block:
        state = _step(stmt, state, modules, at_calls)
    return state


def _record(nodes: list[ast.AST], state: set[str], at_calls: dict[int, set[str]] | None) -> None:
    if at_calls is not None:
        for node in nodes:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call):
                    at_calls[id(sub)] = at_calls.get(id(sub), set()) | state


def _bind(names: set[str], dirty: bool, state: set[str]) -> set[str]:
    return state | names if dirty else state - names


def _step(
    stmt: ast.stmt, state: set[str], modules: set[str], at_calls: dict[int, set[str]] | None
) -> set[str]:
    """The tainted names after one statement run from ``state``."""
    flow = dict(modules=modules, at_calls=at_calls)
    if isinstance(stmt, ast.For | ast.AsyncFor | ast.While):
        header = stmt.iter if isinstance(stmt, ast.For | ast.AsyncFor) else stmt.test
        entry = set(state)
        for _ in range(4):  # until what one pass taints no longer feeds the next
            _record([header], entry, at_calls)
            inside = set(entry)
            if isinstance(stmt, ast.For | ast.AsyncFor):
                inside = _bind(_stores(stmt.target), _reads_tainted(header, entry), inside)
            out = propagate(stmt.body, inside, **flow)  # type: ignore[arg-type]
            if out <= entry:
                break
            entry |= out
        return propagate(stmt.orelse, entry, **flow) | entry  # type: ignore[arg-type]
    if isinstance(stmt, ast.If):
        _record([stmt.test], state, at_calls)
        return propagate(stmt.body, state, **flow) | propagate(stmt.orelse, state, **flow)  # type: ignore[arg-type]
    if isinstance(stmt, ast.With | ast.AsyncWith):
        _record([item.context_expr for item in stmt.items], state, at_calls)
        for item in stmt.items:
            if item.optional_vars is not None:
                dirty = _reads_tainted(item.context_expr, state)
                state = _bind(_stores(item.optional_vars), dirty, state)
        return propagate(stmt.body, state, **flow)  # type: ignore[arg-type]
    if isinstance(stmt, ast.Try | ast.Match):
        blocks = [stmt.body] if isinstance(stmt, ast.Try) else []
        blocks += [h.body for h in getattr(stmt, "handlers", [])]
        blocks += [c.body for c in getattr(stmt, "cases", [])]
        blocks += [getattr(stmt, "orelse", [])]
        out = set(state)
        for inner in blocks:
            out |= propagate(inner, state, **flow)  # type: ignore[arg-type]
        return propagate(getattr(stmt, "finalbody", []), out, **flow)  # type: ignore[arg-type]
    _record([stmt], state, at_calls)
    state = set(state)
    for sub in ast.walk(stmt):  # x := f(net) anywhere
        if isinstance(sub, ast.NamedExpr) and _reads_tainted(sub.value, state):
            state.add(sub.target.id)
    if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = list(stmt.targets) if isinstance(stmt, ast.Assign) else [stmt.target]
        dirty = stmt.value is not None and _reads_tainted(stmt.value, state)
        if isinstance(stmt, ast.AugAssign):
            dirty |= _reads_tainted(stmt.target, state)
        for target in targets:
            value = stmt.value
            if (  # x, want = net(1), [2.0]: each name from its own value
                isinstance(target, ast.Tuple | ast.List)
                and isinstance(value, ast.Tuple | ast.List)
                and len(target.elts) == len(value.elts)
                and not any(isinstance(e, ast.Starred) for e in [*target.elts, *value.elts])
                and all(isinstance(n, _PLAIN_TARGET) for n in ast.walk(target))
            ):
                flags = [_reads_tainted(v, state) for v in value.elts]  # all read first
                for part, flag in zip(target.elts, flags, strict=True):
                    state = _bind(_stores(part), flag, state)
            elif all(isinstance(n, _PLAIN_TARGET) for n in ast.walk(target)):
                state = _bind(_stores(target), dirty, state)
            elif dirty:  # d[k] = v, o.a = v: the object changes, it is never cleaned
                base = _base(target)
                state |= {base} if base else set()
    elif isinstance(stmt, _DEFINITIONS):
        state = _bind({stmt.name}, _reads_tainted(stmt, state), state)
    elif isinstance(stmt, ast.Import | ast.ImportFrom):
        state -= {(a.asname or a.name).split(".")[0] for a in stmt.names}
    elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        call = stmt.value  # before.append(p.data): ``before`` now holds their data
        receiver = _base(call.func.value) if isinstance(call.func, ast.Attribute) else None
        if (
            receiver
            and receiver not in MODULES
            and receiver not in modules
            and any(_reads_tainted(a, state) for a in [*call.args, *call.keywords])
        ):
            state.add(receiver)
    return state


_PLAIN_TARGET = (ast.Name, ast.Tuple, ast.List, ast.Starred, ast.Load, ast.Store)


def taint_at_calls(tree: ast.Module, entry: set[str]) -> dict[int, set[str]]:
    """The tainted names at every call in a cell, by ``id`` of the Call node. A call in a
    function the cell defines also sees what is tainted at the end of the cell."""
    at_calls: dict[int, set[str]] = {}
    final = propagate(tree.body, entry, at_calls=at_calls)
    for node in ast.walk(tree):
        if isinstance(node, (*_DEFINITIONS, ast.Lambda)):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call):
                    at_calls[id(sub)] = at_calls.get(id(sub), set()) | final
    return at_calls


def _free_names(expr: ast.expr) -> set[str]:
    """Names an expression reads from outside it (comprehension targets, lambda arguments
    and ``:=`` targets are its own)."""
    own = _stores(expr)
    for node in ast.walk(expr):
        if isinstance(node, ast.Lambda):
            args = node.args
            own |= {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
            own |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    return _loads(expr) - own


def _is_literal(expr: ast.expr) -> bool:
    try:
        literal_eval(expr)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def source(expr: ast.expr, tainted: set[str]) -> str:
    """Where an argument's value would come from: 'constant' (a literal), 'instructor' (it
    reads no tainted name) or 'recomputed' (it does), before asking whether it can be.

    Example:
        >>> source(ast.parse("2 * w", mode="eval").body, {"w"})
        'recomputed'
    """
    if _is_literal(expr):
        return "constant"
    return "recomputed" if _free_names(expr) & tainted else "instructor"


def classify(
    expr: ast.expr, tainted: set[str], kind: str = "array", code: frozenset[str] = frozenset()
) -> Classified:
    """The source of one expected argument (raises Unclassifiable with the reason); ``code``
    names what the cell binds to code (functions, classes, modules), never plain data."""
    found = source(expr, tainted)
    if found != "recomputed":
        return Classified(found)
    free = _free_names(expr)
    dirty = free & tainted
    text = ast.unparse(expr)
    if kind not in ("array", "exact", "value"):
        raise Unclassifiable(
            f"its {kind} argument `{text}` reads {_names(dirty)}, which hold the student's "
            "work: only numbers, arrays and settings can be recomputed from plain data"
        )
    local = set(dirty)  # names bound inside the expression from tainted data
    for node in ast.walk(expr):
        if isinstance(node, ast.comprehension) and _reads_tainted(node.iter, local):
            local |= _stores(node.target)
    for node in ast.walk(expr):
        if isinstance(node, ast.Call) and _base(node.func) in local:
            raise Unclassifiable(
                f"the expected side `{text}` calls `{ast.unparse(node.func)}`, which runs the "
                "student's code; report plain data the test computes before the check "
                "(e.g. `out = [v.data for v in ...]`) and compute the expected value from it"
            )
        if isinstance(node, ast.Attribute) and _base(node.value) in local:
            raise Unclassifiable(
                f"the expected side `{text}` reads `{ast.unparse(node)}` of the student's "
                f"`{_base(node.value)}`; read plain data first (e.g. "
                f"`values = [v.data for v in ...]`) and compute the expected value from it"
            )
    others = free - dirty - set(MODULES) - set(_SAFE_BUILTINS)
    if others & code:
        raise Unclassifiable(
            f"the expected side `{text}` reads {_names(others & code)}, code of the test "
            "cell, next to the student's data: the grader recomputes it from plain data only, "
            "so write the formula into the check call"
        )
    recipe = Recipe(text, kind, tuple(sorted(dirty)), tuple(sorted(others)))
    return Classified("recomputed", recipe)


def classify_call(
    check: str, args: dict[str, ast.expr], tainted: set[str], code: frozenset[str] = frozenset()
) -> dict[str, Classified]:
    """The source of each expected argument and setting written in a check call; arguments
    left out take the check's defaults, constants. Raises Unclassifiable when an argument of
    the check's expected side has a source the check does not admit (``Check.expected``), or
    one has no source the trusted process can evaluate.

    Example:
        >>> call = ast.parse("check_close(out, 2 * w, rtol=1e-3)", mode="eval").body
        >>> args = {"got": call.args[0], "expected": call.args[1], "rtol": call.keywords[0].value}
        >>> {k: c.source for k, c in classify_call("check_close", args, {"w"}).items()}
        {'expected': 'recomputed', 'rtol': 'constant'}
        >>> call = ast.parse("check_gradient(lambda x: net(x), [1.0], g)", mode="eval").body
        >>> args = dict(zip(["f", "at", "got"], call.args))
        >>> try:
        ...     classify_call("check_gradient", args, {"net", "g"})
        ... except Unclassifiable as error:
        ...     print(str(error)[:64])
        check_gradient takes `f` only as instructor (the instructor's ru
    """
    from neurogebra_grader.pipeline.probes import SPECS

    spec = SPECS[check]
    kinds = {**spec.reference, **{n: spec.student[n] for n in spec.expected if n in spec.student}}
    classified: dict[str, Classified] = {}
    for name, kind in kinds.items():
        if name not in args:
            continue
        found = source(args[name], tainted)
        admitted = spec.expected.get(name)
        if admitted is not None and found not in admitted:
            raise Unclassifiable(_not_admitted(check, name, args[name], found, admitted, tainted))
        if name in spec.student:  # evaluated in the kernel (check_type's class): no recipe
            classified[name] = Classified(found)
        else:
            classified[name] = classify(args[name], tainted, kind, code)
    return classified


_MEANING = {
    "constant": "a literal",
    "instructor": "the instructor's run",
    "recomputed": "recomputed from the student's reported data",
}


def _not_admitted(
    check: str, name: str, expr: ast.expr, found: str, admitted: frozenset[str], tainted: set[str]
) -> str:
    """Why an expected argument's source is refused: the check, the argument, the source
    found (and what makes it so) and the sources the check admits."""
    allowed = " or ".join(f"{s} ({_MEANING[s]})" for s in sorted(admitted))
    text = f"{check} takes `{name}` only as {allowed}, but `{ast.unparse(expr)}`"
    if found == "recomputed":
        dirty = _names(_free_names(expr) & tainted)
        return (
            f"{text} would be recomputed (it reads {dirty}, which hold the student's work); "
            "write it from the test's own data"
        )
    why = "it is a literal" if found == "constant" else "it reads none of the student's work"
    return f"{text} is {found} ({why})"


def code_names(tree: ast.AST) -> frozenset[str]:
    """What a cell binds to code: functions, classes and imports."""
    names = {n.name for n in ast.walk(tree) if isinstance(n, _DEFINITIONS)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return frozenset(names)


def reported_names(recipes: dict[str, Recipe], role: str) -> list[str]:
    """Names a run reports for a call's recipes: the student's kernel only the tainted
    ones; the reference run every one, so the release can recompute its expected side."""
    names: set[str] = set()
    for recipe in recipes.values():
        names |= set(recipe.tainted) | (set(recipe.others) if role == "reference" else set())
    return sorted(names)


def entry_taints(cells: list[tuple[str, bool, str]]) -> dict[str, set[str]]:
    """The tainted names on entry to each cell of a notebook, by cell id, from its code
    cells in order as (id, is_solution, source)."""
    tainted: set[str] = set()
    out: dict[str, set[str]] = {}
    for cell_id, is_solution, source in cells:
        out[cell_id] = set(tainted)
        if is_solution:
            tainted |= solution_names(source)
            continue
        lines = ["" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines()]
        try:
            tainted = propagate(parse("\n".join(lines)).body, tainted)
        except SyntaxError:
            continue
    return out


def _names(names: set[str]) -> str:
    return ", ".join(f"`{n}`" for n in sorted(names))


def evaluate(recipe: Recipe, values: dict[str, Any]) -> Any:
    """The instructor's expression over decoded plain data, in the trusted process.

    Example:
        >>> evaluate(Recipe("-sum(h) - 2.0", "array", ("h",), ()), {"h": [1.0, 2.0]})
        -5.0
    """
    scope = {"__builtins__": _SAFE_BUILTINS, **MODULES}
    scope.update({name: values[name] for name in (*recipe.tainted, *recipe.others)})
    scope["__builtins__"] = _SAFE_BUILTINS
    return eval(compile(recipe.expression, "<expected>", "eval"), scope)


def encoded(recipe: Recipe, value: Any) -> Any:
    """The recomputed value as the reference run would have reported it."""
    from neurogebra_grader.pipeline.observer import probe

    data = probe(recipe.kind, value, {}, "")
    if isinstance(data, dict) and ("not_plain" in data or "error" in data):
        raise ValueError(str(data.get("not_plain") or data.get("error")))
    return data


def _values(recipe: Recipe, student: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    from neurogebra_grader.pipeline.plaindata import decode

    values = {name: decode(reference.get(PREFIX + name)) for name in recipe.others}
    for name in recipe.tainted:
        if PREFIX + name not in student:
            raise LookupError(f"`{name}` was not reported")
        value = decode(student[PREFIX + name])
        if isinstance(value, dict) and ("not_plain" in value or "error" in value):
            raise LookupError(f"`{name}` is {value.get('not_plain') or value.get('error')}")
        if _has_huge_whole_number(value):
            raise LookupError(f"`{name}` holds a whole number beyond ±{MAX_WHOLE:,}")
        allowed = max(MAX_GROWTH * _items(decode(reference.get(PREFIX + name))), MIN_ITEMS)
        if _items(value) > allowed:
            raise LookupError(
                f"`{name}` holds {_items(value):,} numbers; the instructor's run reported at "
                f"most {allowed:,} for it"
            )
        values[name] = value
    return values


# The instructor's formula runs in the grader's own process on numbers a student's kernel
# reported. The message caps bound how much data arrives, but not what a whole number can
# make a formula do (`range(n)`, `[0] * n`, `k ** n`): such numbers are refused first.
MAX_WHOLE = 10**7
# Nor what the size of the data can make it cost (`np.outer(h, h)`): a reported name may hold
# at most MAX_GROWTH times the items the instructor's run reported for it (MIN_ITEMS at least),
# so the formula's time stays within a small multiple of the reference run's, which release
# measures.
MAX_GROWTH = 8
MIN_ITEMS = 4096


def _items(value: Any) -> int:
    """How many numbers (or strings) decoded plain data holds.

    Example:
        >>> _items([1.0, [2.0, 3.0], {"a": np.zeros((2, 3))}]), _items(None)
        (9, 0)
    """
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, np.ndarray):
            count += int(item.size)
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif item is not None:
            count += 1
    return count


def _has_huge_whole_number(value: Any) -> bool:
    """Whether decoded plain data holds an integer (or integer array entry) past MAX_WHOLE.

    Example:
        >>> _has_huge_whole_number([1, [2, 3 * 10**9]]), _has_huge_whole_number(1e300)
        (True, False)
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, int) and abs(item) > MAX_WHOLE:
            return True
        if isinstance(item, np.ndarray) and item.dtype.kind in "iu" and item.size:
            if int(np.max(np.abs(item.astype(object)))) > MAX_WHOLE:
                return True
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def expected_data(
    recipes: dict[str, Recipe], student: dict[str, Any], reference: dict[str, Any], what: str
) -> tuple[dict[str, Any], Failure | None]:
    """The reference data with each recomputed argument replaced by its value on the
    student's reported data, or a Failure saying why it could not be computed."""
    data = {k: v for k, v in reference.items() if not k.startswith(PREFIX)}
    for arg, recipe in recipes.items():
        try:
            data[arg] = encoded(recipe, evaluate(recipe, _values(recipe, student, reference)))
        except LookupError as error:
            return data, Failure(
                what,
                f"plain data from your objects ({_names(set(recipe.tainted))})",
                str(error)[:200],
                "return numbers, lists or Values from your functions",
            )
        except Exception as error:  # their data does not fit the formula (e.g. a wrong shape)
            return data, Failure(
                what,
                f"a value computed from your {_names(set(recipe.tainted))}",
                f"{type(error).__name__}: {error}"[:200],
                "check the shapes and lengths your functions return",
            )
    return data, None


def verify_reference(recipes: dict[str, Recipe], reference: dict[str, Any]) -> str | None:
    """At release: None when every recomputed argument, evaluated on the reference run's own
    reported data, equals the value that run computed; else what differs."""
    from neurogebra_grader.pipeline.plaindata import decode

    for arg, recipe in recipes.items():
        try:
            values = {n: decode(reference[PREFIX + n]) for n in (*recipe.tainted, *recipe.others)}
            mine = decode(encoded(recipe, evaluate(recipe, values)))
        except Exception as error:
            return f"`{recipe.expression}` cannot be recomputed from plain data ({error})"
        theirs = decode(reference.get(arg))
        if isinstance(mine, np.ndarray) or isinstance(theirs, np.ndarray):
            same = np.shape(mine) == np.shape(theirs) and bool(
                np.allclose(mine, theirs, rtol=1e-9, atol=1e-12, equal_nan=True)
            )
        else:
            same = mine == theirs
        if not same:
            return (
                f"`{recipe.expression}` recomputed from the reported data differs from "
                "the value the cell computes (does it read something the test changes later?)"
            )
    return None
