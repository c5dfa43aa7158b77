"""Graphs built with the Value constructor alone, so a check judges backward on its own.

A *node step* ``("node", data, children, local_grads)`` makes
``Value(data, (nodes...), (locals...))`` from earlier nodes by index: no operation of the
student's (``+``, ``*``) takes part, so only ``backward``, ``topological_order`` and
``zero_grad`` are judged. The expected leaf gradients come from :func:`chain_rule`, a plain
chain rule over the program's numbers (no Value class at all), and :func:`diagnose_backward`
names a typical backward bug by replaying it on the same numbers.

Example:
    >>> graph = Graph((3.0,), (("node", 9.0, (0, 0), (3.0, 3.0)),))
    >>> chain_rule(graph)["grads"]
    [6.0]
    >>> diagnose_backward(graph, [3.0]).cause
    'assign'
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from neurogebra_grader.diagnosis import Diagnosis
from neurogebra_grader.plain import show

NODE = "node"


class NodeProgram(Protocol):
    """What this module reads of a program (battery.Program has these fields)."""

    @property
    def leaves(self) -> tuple[float, ...]: ...
    @property
    def steps(self) -> tuple[tuple[Any, ...], ...]: ...
    @property
    def runs(self) -> int: ...
    @property
    def zero_between(self) -> bool: ...


@dataclass(frozen=True)
class Graph:
    """A bare node program (for examples and tests; battery.Program is the full one)."""

    leaves: tuple[float, ...]
    steps: tuple[tuple[Any, ...], ...]
    runs: int = 1
    zero_between: bool = False


def is_node(step: tuple[Any, ...]) -> bool:
    """Whether ``step`` is a constructor step ``("node", data, children, local_grads)``."""
    return bool(step) and step[0] == NODE


def node_text(step: tuple[Any, ...], names: Sequence[str]) -> str:
    """The step as Python, e.g. ``Value(6, (x, y), (3, 2))``."""
    _, data, children, local_grads = step

    def group(items: list[str]) -> str:
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"

    kids = group([names[i] for i in children])
    locals_ = group([show(float(g)) for g in local_grads])
    return f"Value({show(float(data))}, {kids}, {locals_})"


def build_node(value_cls: Any, step: tuple[Any, ...], nodes: Sequence[Any]) -> Any:
    """Make the step's node with ``value_cls(data, children, local_grads)``."""
    _, data, children, local_grads = step
    return value_cls(float(data), tuple(nodes[i] for i in children), tuple(local_grads))


def _uses(program: NodeProgram) -> list[list[tuple[int, float]]]:
    """For each node, the (parent, local derivative) pairs of its uses."""
    n_leaves = len(program.leaves)
    uses: list[list[tuple[int, float]]] = [[] for _ in range(n_leaves + len(program.steps))]
    for k, (_, _, children, local_grads) in enumerate(program.steps):
        for child, local in zip(children, local_grads, strict=True):
            uses[child].append((n_leaves + k, float(local)))
    return uses


def _reachable(program: NodeProgram) -> set[int]:
    n_leaves = len(program.leaves)
    out = n_leaves + len(program.steps) - 1
    seen, todo = {out}, [out]
    while todo:
        node = todo.pop()
        if node >= n_leaves:
            for child in program.steps[node - n_leaves][2]:
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
    return seen


def _one_backward(program: NodeProgram, leaf_grads: list[float], bug: str) -> list[float]:
    """One ``out.backward()`` on a freshly built graph: the leaves' grads after it."""
    n_leaves = len(program.leaves)
    size = n_leaves + len(program.steps)
    grad = [*leaf_grads, *([0.0] * len(program.steps))]
    reachable = _reachable(program)
    grad[size - 1] = 1.0 if bug != "no-seed" else grad[size - 1]

    def children(node: int) -> list[tuple[int, float]]:
        if node < n_leaves:
            return []
        _, _, kids, local_grads = program.steps[node - n_leaves]
        return list(zip(kids, map(float, local_grads), strict=True))

    if bug == "duplicates":  # a depth-first order without a visited set: once per path
        order: list[int] = []

        def visit(node: int) -> None:
            for child, _ in children(node):
                visit(child)
            order.append(node)

        visit(size - 1)
        sequence = order[::-1]
    elif bug == "forward":  # the topological order, not reversed
        sequence = [k for k in range(size) if k in reachable]
    elif bug in ("breadth", "breadth-pushed"):  # the order found going back from the output
        sequence = _breadth_first(size - 1, children, mark_on_push=bug == "breadth-pushed")
    else:
        sequence = [k for k in range(size - 1, -1, -1) if k in reachable]
    for node in sequence:
        for child, local in children(node):
            if bug == "local-only":
                grad[child] += local
            else:
                grad[child] += local * grad[node]
    return grad[:n_leaves]


def _breadth_first(root: int, children: Any, *, mark_on_push: bool) -> list[int]:
    """Nodes in the order a breadth-first search from ``root`` meets them (no topology)."""
    order: list[int] = []
    queue, seen = [root], {root}
    while queue:
        node = queue.pop(0)
        if not mark_on_push and node in order:
            continue
        order.append(node)
        for child, _ in children(node):
            if mark_on_push and child in seen:
                continue
            seen.add(child)
            queue.append(child)
    return order


def chain_rule(program: NodeProgram, bug: str = "") -> dict[str, Any]:
    """The report a correct engine gives for ``program`` (see battery.run_program), by a plain
    chain rule; ``bug`` replays a typical mistake instead ("no-seed", "forward",
    "breadth", "breadth-pushed", "duplicates", "local-only")."""
    grads = [0.0] * len(program.leaves)
    for run in range(program.runs):
        if run and program.zero_between:
            grads = [0.0] * len(program.leaves)
        grads = _one_backward(program, grads, bug)
    data = float(program.steps[-1][1]) if program.steps else float(program.leaves[-1])
    return {"data": data, "grads": grads, "initial_grads": [0.0] * len(program.leaves)}


def _assign_values(program: NodeProgram, cap: int = 512) -> list[set[float]] | None:
    """For each leaf, every gradient it can end with when each use *overwrites* it (``=``),
    whatever order the uses come in; None when there are too many to list."""
    n_leaves = len(program.leaves)
    size = n_leaves + len(program.steps)
    uses = _uses(program)
    reachable = _reachable(program)
    possible: list[set[float]] = [set() for _ in range(size)]
    possible[size - 1] = {1.0}
    for node in range(size - 2, -1, -1):
        live = [(parent, local) for parent, local in uses[node] if parent in reachable]
        values = {round(local * g, 12) for parent, local in live for g in possible[parent]}
        if len(values) > cap:
            return None
        possible[node] = values or {0.0}
    return possible[:n_leaves]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _same(got: Sequence[float], want: Sequence[float]) -> bool:
    return len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want, strict=True))


_BUGS = {
    "no-seed": Diagnosis(
        "no-seed",
        "no gradient reached any leaf",
        "backward starts with self.grad = 1.0 (the output's own gradient); then each node "
        "passes local * node.grad to its children",
    ),
    "local-only": Diagnosis(
        "local-only",
        "each leaf got the sum of its local derivatives, not multiplied along the path",
        "multiply by the node's own gradient: child.grad += local * node.grad",
    ),
    "forward": Diagnosis(
        "order",
        "only the output's direct inputs got a gradient, as when the nodes are handled "
        "children first",
        "go through the nodes in *reverse* topological order (the output first), so each node "
        "has its full gradient before it passes it on",
    ),
    "breadth": Diagnosis(
        "order",
        "a node passed its gradient on before every node that uses it had passed theirs to it",
        "go through the reverse of a topological order (each node after all of its children, "
        "from a depth-first search), not in the order the nodes are met going back from the "
        "output",
    ),
    "duplicates": Diagnosis(
        "duplicates",
        "a node used more than once passed its gradient on more than once",
        "topological_order must list each node once: remember the nodes already visited",
    ),
    "assign": Diagnosis(
        "assign",
        "each node kept the gradient of only one of its uses",
        "each use must add its part to .grad (+=), not overwrite it (=)",
    ),
}


def diagnose_backward(program: NodeProgram, got: Sequence[float]) -> Diagnosis | None:
    """The typical backward bug that gives exactly the leaf gradients ``got``, or None.

    Replays each bug on the program's numbers (a missing ``self.grad = 1.0``, the local
    derivative not multiplied by ``node.grad``, the order not reversed, a node listed once per
    path, ``=`` for ``+=``); two-call programs are left to diagnosis.diagnose_engine.
    """
    if program.runs != 1 or _same(got, chain_rule(program)["grads"]):
        return None
    found = [
        _BUGS[bug]
        for bug in ("no-seed", "local-only", "forward", "breadth", "duplicates")
        if _same(got, chain_rule(program, bug)["grads"])
        or (bug == "breadth" and _same(got, chain_rule(program, "breadth-pushed")["grads"]))
    ]
    possible = _assign_values(program)
    if possible is not None and all(
        any(_close(g, p) for p in values) for g, values in zip(got, possible, strict=True)
    ):
        found.append(_BUGS["assign"])
    if len(found) == 1:
        return found[0]
    if found:
        return Diagnosis(
            "backward",
            "the gradients fit more than one typical mistake",
            "; or ".join(d.hint for d in found),
            sure=False,
        )
    return None


def random_steps(rng: random.Random, n_leaves: int) -> tuple[tuple[Any, ...], ...]:
    """3 to 7 random node steps over ``n_leaves`` leaves (children often recent, sometimes a
    node twice)."""
    steps: list[tuple[Any, ...]] = []
    for k in range(rng.randint(3, 7)):
        size = n_leaves + k
        kids = []
        for _ in range(rng.choice((1, 2, 2, 2, 3))):
            recent = rng.random() < 0.7
            kids.append(rng.randrange(max(0, size - 3), size) if recent else rng.randrange(size))
        local_grads = tuple(rng.choice((-1.0, 1.0)) * round(rng.uniform(0.2, 2.0), 2) for _ in kids)
        data = round(rng.uniform(-3.0, 3.0), 2)
        steps.append((NODE, data, tuple(kids), local_grads))
    return tuple(steps)
