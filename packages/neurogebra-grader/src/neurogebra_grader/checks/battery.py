"""The Value-engine battery: small programs, and what running one on a Value class reports.

Each :class:`Program` is plain data: leaf values and steps such as ``("mul", 0, 1)`` or
``("pow", 2, 3.0)``; with ``build="constructor"`` the graphs are made with
``Value(data, children, local_grads)`` only (node steps, see node_graphs.py). :func:`run_program`
runs a program on any Value-like class and reports plain numbers (output, leaf gradients) or the
error it raised, so the same program runs on the student's class (inside their kernel) and on
the reference (anywhere). The check that judges the reports is value_engine.py.

Example:
    >>> from neurogebra import Value
    >>> run_program(Value, Program("mul", (1.5, -2.0), (("mul", 0, 1),)))["grads"]
    [-2.0, 1.5]
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from neurogebra_grader.checks import node_graphs
from neurogebra_grader.plain import show

__all__ = ["BUILDS", "DEFAULT_OPS", "Program", "battery", "run_program"]

DEFAULT_OPS = ("add", "mul", "pow", "relu", "tanh", "exp")
BUILDS = ("operators", "constructor")  # how the battery's graphs are made (see battery)
_BINARY = {"add": "+", "mul": "*", "sub": "-", "div": "/"}
_UNARY = ("relu", "tanh", "exp", "sigmoid", "log", "neg")
_LEAF_NAMES = "xyzw"

# What to look at when one operation goes wrong, by operation.
_OP_HINTS = {
    "add": "the local derivative of a + b is 1 for both a and b",
    "mul": "the local derivative of a * b is b for a, and a for b",
    "sub": "the local derivative of a - b is 1 for a and -1 for b",
    "div": "a / b is a * b**-1",
    "pow": "the local derivative of x**k is k * x**(k - 1)",
    "relu": "relu passes the gradient where its input is > 0 and blocks it elsewhere",
    "tanh": "the local derivative of tanh(x) is 1 - tanh(x)**2",
    "exp": "the local derivative of exp(x) is exp(x) itself",
    "sigmoid": "the local derivative of s = sigmoid(x) is s * (1 - s)",
    "log": "the local derivative of log(x) is 1 / x",
    "neg": "the local derivative of -x is -1",
}
_GRAPH_HINT = (
    "a node used more than once must add up the gradient from every use (+=, not =), and "
    "backward must handle each node after every node that uses it (reverse topological order)"
)


@dataclass(frozen=True)
class Program:
    """A small computation: leaves, then steps; the last step's result is the output.

    A step is ``(op, i)`` for a unary op on node ``i``, ``(op, i, j)`` for two nodes,
    ``(op, i, c)``/``(op, c, i)`` with a float ``c`` for a plain number on one side (the
    position says which), ``("pow", i, k)`` for ``node ** k``, and
    ``("node", data, (i, j), (gi, gj))`` for ``Value(data, (node i, node j), (gi, gj))``.
    Nodes are numbered leaves first. ``runs`` builds and back-propagates the graph that many
    times (gradients accumulate); with ``zero_between`` every leaf's ``zero_grad()`` is called
    between runs.
    """

    title: str
    leaves: tuple[float, ...]
    steps: tuple[tuple[Any, ...], ...]
    runs: int = 1
    zero_between: bool = False
    hint: str = ""

    def names(self) -> list[str]:
        leaves = [_LEAF_NAMES[i] if i < 4 else f"x{i}" for i in range(len(self.leaves))]
        inner = [chr(ord("a") + i) if i < 26 else f"n{i}" for i in range(len(self.steps) - 1)]
        return [*leaves, *inner, "out"]

    def text(self) -> str:
        """The program as one line of Python, e.g. ``x = 1.5; y = -2; out = x * y``."""
        names = self.names()
        parts = [f"{n} = Value({show(v)})" for n, v in zip(names, self.leaves, strict=False)]
        for k, step in enumerate(self.steps):
            parts.append(f"{names[len(self.leaves) + k]} = {_step_text(step, names)}")
        return "; ".join(parts)


def _step_text(step: tuple[Any, ...], names: list[str]) -> str:
    if node_graphs.is_node(step):
        return node_graphs.node_text(step, names)
    op, *args = step

    def arg(a: Any, node: bool) -> str:
        return names[a] if node else show(float(a))

    if op in _UNARY:
        return f"-{names[args[0]]}" if op == "neg" else f"{names[args[0]]}.{op}()"
    if op == "pow":
        return f"{names[args[0]]}**{show(float(args[1]))}"
    left_node, right_node = isinstance(args[0], int), isinstance(args[1], int)
    return f"{arg(args[0], left_node)} {_BINARY[op]} {arg(args[1], right_node)}"


def _apply(step: tuple[Any, ...], nodes: list[Any]) -> Any:
    op, *args = step
    if op in _UNARY:
        x = nodes[args[0]]
        return -x if op == "neg" else getattr(x, op)()
    if op == "pow":
        return nodes[args[0]] ** args[1]
    a = nodes[args[0]] if isinstance(args[0], int) else args[0]
    b = nodes[args[1]] if isinstance(args[1], int) else args[1]
    if op == "add":
        return a + b
    if op == "mul":
        return a * b
    if op == "sub":
        return a - b
    return a / b


def run_program(value_cls: Any, program: Program) -> dict[str, Any]:
    """Run ``program`` on ``value_cls``; report plain numbers or the error and where it happened.

    Returns ``{"data": float, "grads": [float, ...], "initial_grads": [...]}``, or
    ``{"error": "TypeError: ...", "during": "b = a.relu()"}``.
    """
    names = program.names()
    during = "creating the leaves"
    try:
        leaves = [value_cls(v) for v in program.leaves]
        initial = [float(leaf.grad) for leaf in leaves]
        data = math.nan
        for run in range(program.runs):
            if run and program.zero_between:
                during = "calling zero_grad() on every leaf"
                for leaf in leaves:
                    leaf.zero_grad()
            nodes = list(leaves)
            for k, step in enumerate(program.steps):
                during = f"{names[len(leaves) + k]} = {_step_text(step, names)}"
                if node_graphs.is_node(step):
                    nodes.append(node_graphs.build_node(value_cls, step, nodes))
                else:
                    nodes.append(_apply(step, nodes))
            during = "out.backward()"
            data = float(nodes[-1].data)
            nodes[-1].backward()
        grads = [float(leaf.grad) for leaf in leaves]
    except Exception as error:  # a student's engine can fail in any way; report it as data
        return {"error": f"{type(error).__name__}: {error}", "during": during}
    return {"data": data, "grads": grads, "initial_grads": initial}


def battery(
    ops: Sequence[str] = DEFAULT_OPS,
    *,
    seed: int = 0,
    n_graphs: int = 20,
    build: str = "operators",
) -> list[Program]:
    """The programs check_value_engine runs, simplest first (so the first failure is telling).

    ``build="constructor"`` gives graphs made with ``Value(data, children, local_grads)``
    only (``ops`` is then not used): a node used twice, a diamond, an order that matters, a
    long chain, gradients adding up over two calls, ``zero_grad``, then random graphs.
    """
    if build not in BUILDS:
        raise ValueError(f"check_value_engine: build={build!r}; choose from {list(BUILDS)}")
    if build == "constructor":
        return [*_constructor_rules(), *_random_node_graphs(seed=seed, count=n_graphs)]
    unknown_ops = sorted(set(ops) - set(_OP_HINTS))
    if unknown_ops:
        raise ValueError(
            f"check_value_engine: unknown ops {unknown_ops}; choose from {sorted(_OP_HINTS)}"
        )
    programs = list(_single_ops(ops))
    programs += list(_graph_rules(ops))
    programs += _random_graphs(ops, seed=seed, count=n_graphs)
    return programs


def _single_ops(ops: Sequence[str]) -> Iterable[Program]:
    for op in ops:
        hint = _OP_HINTS[op]
        if op in _BINARY:
            yield Program(f"{op} of two Values", (1.5, -2.0), ((op, 0, 1),), hint=hint)
            yield Program(f"{op} with a plain number", (1.5,), ((op, 0, 2.0),), hint=hint)
            yield Program(
                f"{op} with a plain number on the left",
                (1.5,),
                ((op, 3.0, 0),),
                hint=hint + "; a plain number on the left needs __r" + op + "__",
            )
        elif op == "pow":
            for k in (2.0, 3.0, -1.0):
                yield Program(f"pow by {show(k)}", (1.5,), (("pow", 0, k),), hint=hint)
        elif op in ("log",):
            yield Program(f"{op}", (1.5,), ((op, 0),), hint=hint)
        else:
            for x in (0.8, -0.7):
                yield Program(f"{op}", (x,), ((op, 0),), hint=hint)


def _graph_rules(ops: Sequence[str]) -> Iterable[Program]:
    if "mul" in ops:
        yield Program("a Value used twice", (1.5,), (("mul", 0, 0),), hint=_GRAPH_HINT)
    if "add" in ops and "mul" in ops:
        diamond = (("mul", 0, 1), ("add", 2, 0), ("mul", 2, 3))
        yield Program("a diamond-shaped graph", (1.5, -2.0), diamond, hint=_GRAPH_HINT)
        chain = tuple(("add" if k % 2 else "mul", k + 1, 0) for k in range(60))
        yield Program("a long chain", (0.99, 1.0), (("mul", 0, 1), *chain), hint=_GRAPH_HINT)
    first = ops[0]
    step = ((first, 0, 1),) if first in _BINARY else ((first, 0),)
    leaves = (0.8, 0.5) if first in _BINARY else (0.8,)
    yield Program(
        "two backward calls without zero_grad (gradients add up)",
        leaves,
        step,
        runs=2,
        hint="backward must add to the leaves' .grad (+=), never overwrite it",
    )
    yield Program(
        "zero_grad() between two backward calls",
        leaves,
        step,
        runs=2,
        zero_between=True,
        hint="zero_grad() sets this Value's .grad back to 0.0",
    )


_BUILT = " (built with the constructor)"


def _constructor_rules() -> Iterable[Program]:
    node = node_graphs.NODE
    yield Program(
        "a Value used twice" + _BUILT, (1.5,), ((node, 2.25, (0, 0), (1.5, 1.5)),), hint=_GRAPH_HINT
    )
    diamond = (
        (node, -3.0, (0, 1), (-2.0, 1.5)),  # a = x * y
        (node, -1.5, (2, 0), (1.0, 1.0)),  # b = a + x
        (node, 4.5, (2, 3), (-1.5, -3.0)),  # out = a * b
    )
    yield Program("a diamond-shaped graph" + _BUILT, (1.5, -2.0), diamond, hint=_GRAPH_HINT)
    # h is used by out directly and through p -> q: handled before q, it misses q's part
    order = (
        (node, 1.0, (0,), (2.0,)),  # a = h
        (node, 3.0, (1,), (3.0,)),  # b = p, uses h
        (node, 3.0, (2,), (1.0,)),  # c = q, uses p
        (node, 4.0, (3, 1), (1.0, 1.0)),  # out, uses q and h
    )
    yield Program("a graph where the order matters" + _BUILT, (0.5,), order, hint=_GRAPH_HINT)
    chain = tuple((node, 1.0, (k, 0), (1.01, 0.01)) for k in range(60))
    yield Program("a long chain" + _BUILT, (0.5,), chain, hint=_GRAPH_HINT)
    step = ((node, 0.4, (0, 1), (0.5, 0.8)),)
    yield Program(
        "two backward calls without zero_grad (gradients add up)" + _BUILT,
        (0.8, 0.5),
        step,
        runs=2,
        hint="backward must add to the leaves' .grad (+=), never overwrite it",
    )
    yield Program(
        "zero_grad() between two backward calls" + _BUILT,
        (0.8, 0.5),
        step,
        runs=2,
        zero_between=True,
        hint="zero_grad() sets this Value's .grad back to 0.0",
    )


def _random_node_graphs(*, seed: int, count: int) -> list[Program]:
    """Random graphs of node steps whose chain-rule gradients stay moderate."""
    rng = random.Random(seed)
    programs: list[Program] = []
    while len(programs) < count:
        leaves = tuple(round(rng.uniform(-1.5, 1.5), 2) for _ in range(rng.randint(2, 3)))
        steps = node_graphs.random_steps(rng, len(leaves))
        title = f"random graph #{len(programs) + 1}{_BUILT}"
        program = Program(title, leaves, steps, hint=_GRAPH_HINT)
        if _moderate(node_graphs.chain_rule(program)["grads"]):
            programs.append(program)
    return programs


def _random_graphs(ops: Sequence[str], *, seed: int, count: int) -> list[Program]:
    """Random small graphs whose reference values stay moderate (no overflow, no huge grads)."""
    from neurogebra.core.autograd import Value  # the reference engine

    rng = random.Random(seed)
    programs: list[Program] = []
    while len(programs) < count:
        n_leaves = rng.randint(2, 3)
        leaves = tuple(round(rng.uniform(-1.5, 1.5), 2) for _ in range(n_leaves))
        steps: list[tuple[Any, ...]] = []
        for k in range(rng.randint(3, 7)):
            size = n_leaves + k
            i = rng.randrange(max(0, size - 3), size) if rng.random() < 0.7 else rng.randrange(size)
            j = rng.randrange(size)
            op = rng.choice(list(ops))
            if op in _BINARY:
                if rng.random() < 0.2:
                    c = rng.choice([0.5, 2.0, -1.5])
                    steps.append((op, i, c) if rng.random() < 0.5 else (op, c, i))
                else:
                    steps.append((op, i, j))
            elif op == "pow":
                steps.append(("pow", i, rng.choice([2.0, 3.0])))
            else:
                steps.append((op, i))
        program = Program(
            f"random graph #{len(programs) + 1}", leaves, tuple(steps), hint=_GRAPH_HINT
        )
        report = run_program(Value, program)
        if "error" not in report and _moderate([report["data"], *report["grads"]]):
            programs.append(program)
    return programs


def _moderate(numbers: list[float]) -> bool:
    return all(math.isfinite(v) and abs(v) < 1e4 for v in numbers)
