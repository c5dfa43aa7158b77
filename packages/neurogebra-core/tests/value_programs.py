"""Random computation graphs for the Value tests, runnable on several number types.

A *program* is a list of steps; each step applies one operation to earlier nodes (the inputs
are nodes 0..n-1) and appends the result. Because any earlier node may be picked again, the
graphs share sub-expressions, reuse nodes many times and grow deep chains. The same program
runs on plain floats, on 50-digit mpmath numbers (the reference for central differences), on
:class:`Value` and on PyTorch tensors, through a :class:`Backend` that supplies the named
functions; the arithmetic operators (numbers on either side included) are the number type's own.

Example:
    >>> program = Program(n_inputs=2, steps=(Step("mul", (0, 1)), Step("tanh", (2,))))
    >>> round(run(program, [2.0, 0.25], FLOATS)[-1], 6)
    0.462117
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
from hypothesis import strategies as st

from neurogebra.core.autograd import Value

# How far an intermediate result may stray before an example is thrown away: large values make
# central differences meaningless and exp overflow.
MAGNITUDE_LIMIT = 1e4
EXP_INPUT_LIMIT = 30.0


class OutOfRange(Exception):
    """A program left the region where it can be checked (see :func:`run`)."""


@dataclass(frozen=True)
class Step:
    """Apply ``op`` to the nodes at ``args``; ``const`` is the plain number some ops use."""

    op: str
    args: tuple[int, ...]
    const: float = 1.0
    repeat: int = 1


@dataclass(frozen=True)
class Program:
    n_inputs: int
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Backend:
    """The named functions of one number type (operators come from the type itself)."""

    relu: Callable[[Any], Any]
    sigmoid: Callable[[Any], Any]
    tanh: Callable[[Any], Any]
    exp: Callable[[Any], Any]
    log: Callable[[Any], Any]
    nsum: Callable[[list[Any]], Any]  # one n-ary sum node
    data: Callable[[Any], float]


def _float_sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


FLOATS = Backend(
    relu=lambda a: a if a > 0 else 0.0,
    sigmoid=_float_sigmoid,
    tanh=math.tanh,
    exp=math.exp,
    log=math.log,
    nsum=math.fsum,
    data=float,
)

# mpmath (installed with SymPy) at the working precision set by central_differences.
PRECISE = Backend(
    relu=lambda a: a if a > 0 else mpmath.mpf(0),
    sigmoid=lambda a: 1 / (1 + mpmath.exp(-a)),
    tanh=mpmath.tanh,
    exp=mpmath.exp,
    log=mpmath.log,
    nsum=mpmath.fsum,
    data=float,
)

VALUES = Backend(
    relu=Value.relu,
    sigmoid=Value.sigmoid,
    tanh=Value.tanh,
    exp=Value.exp,
    log=Value.log,
    nsum=Value.sum,
    data=lambda v: v.data,
)

# op name -> number of node arguments (None: any number)
ARITY: dict[str, int | None] = {
    # unary, node only
    "neg": 1,
    "relu": 1,
    "sigmoid": 1,
    "tanh": 1,
    "exp": 1,
    "log": 1,  # log(a*a + c): always defined
    "square": 1,
    "cube": 1,
    "sqrt": 1,  # (a*a + c) ** 0.5
    "rsqrt": 1,  # (a*a + c) ** -1.5
    # a node and a plain number, on either side
    "add_c": 1,
    "c_add": 1,
    "sub_c": 1,
    "c_sub": 1,
    "mul_c": 1,
    "c_mul": 1,
    "div_c": 1,
    "c_div": 1,  # c / (a*a + 1)
    "c_pow": 1,  # c ** a, c > 0
    # two nodes
    "add": 2,
    "sub": 2,
    "mul": 2,
    "div": 2,  # a / (b*b + 1)
    "pow": 2,  # (a*a + c) ** b
    # many nodes
    "nsum": None,  # one Value.sum node
    "bsum": None,  # builtin sum(): a chain of + nodes
    "reuse": 1,  # sum of a * (c + 0.1 i) for i in range(repeat): one node used `repeat` times
}
UNARY_CHAIN_OPS = ("neg", "relu", "sigmoid", "tanh", "log", "sqrt", "add_c", "c_sub", "mul_c")


def apply(step: Step, nodes: Sequence[Any], b: Backend, kink: float) -> Any:
    """One step on any backend; raises OutOfRange where the result can't be checked."""
    op, c = step.op, step.const
    args = [nodes[i] for i in step.args]
    a = args[0]
    if op == "relu" and abs(b.data(a)) < kink:
        raise OutOfRange("relu too close to its kink at 0")
    if op == "exp" and b.data(a) > EXP_INPUT_LIMIT:
        raise OutOfRange("exp input too large")
    match op:
        case "neg":
            return -a
        case "relu" | "sigmoid" | "tanh" | "exp":
            return getattr(b, op)(a)
        case "log":
            return b.log(a * a + c)
        case "square":
            return a**2
        case "cube":
            return a**3
        case "sqrt":
            return (a * a + c) ** 0.5
        case "rsqrt":
            return (a * a + c) ** -1.5
        case "add_c":
            return a + c
        case "c_add":
            return c + a
        case "sub_c":
            return a - c
        case "c_sub":
            return c - a
        case "mul_c":
            return a * c
        case "c_mul":
            return c * a
        case "div_c":
            return a / c
        case "c_div":
            return c / (a * a + 1)
        case "c_pow":
            return c**a
        case "add":
            return a + args[1]
        case "sub":
            return a - args[1]
        case "mul":
            return a * args[1]
        case "div":
            return a / (args[1] * args[1] + 1)
        case "pow":
            return (a * a + c) ** args[1]
        case "nsum":
            return b.nsum(args)
        case "bsum":
            return sum(args)
        case "reuse":
            return sum(a * (c + 0.1 * i) for i in range(step.repeat))
    raise AssertionError(f"unknown op {op!r}")


def run(program: Program, inputs: Sequence[Any], b: Backend, kink: float = 0.0) -> list[Any]:
    """All nodes of ``program`` on ``inputs``; the last one sums every node nothing else used."""
    nodes = list(inputs)
    used: set[int] = set()
    for step in program.steps:
        try:
            out = apply(step, nodes, b, kink)
        except OverflowError as error:
            raise OutOfRange(str(error)) from None
        x = b.data(out)
        if not math.isfinite(x) or abs(x) > MAGNITUDE_LIMIT:
            raise OutOfRange(f"{step.op} gave {x}")
        used.update(step.args)
        nodes.append(out)
    sinks = [node for i, node in enumerate(nodes) if i not in used]
    nodes.append(b.nsum(sinks) if len(sinks) > 1 else sinks[0])
    return nodes


def output(program: Program, inputs: Sequence[Any]) -> Any:
    """The program's final node in 50-digit arithmetic: what central differences look at."""
    return run(program, inputs, PRECISE)[-1]


def central_differences(
    f: Callable[[list[Any]], Any], point: Sequence[float], step: float = 1e-20
) -> list[float]:
    """d f / d point[i] for every i, from (f(x + h) - f(x - h)) / 2h in 50-digit arithmetic.

    ``f`` must compute with the PRECISE backend. With 50 digits, h can be tiny (relative
    1e-20), so neither rounding nor the O(h^2) truncation error matters even for high-degree
    polynomials with huge intermediate values, and the slope is exact to float precision.
    """
    slopes = []
    with mpmath.workdps(50):
        exact = [mpmath.mpf(x) for x in point]
        for i, x in enumerate(exact):
            h = step * max(1, abs(x))
            up, down = list(exact), list(exact)
            up[i], down[i] = x + h, x - h
            slopes.append(float((f(up) - f(down)) / (2 * h)))
    return slopes


def assert_gradients_close(
    analytic: Sequence[float], numeric: Sequence[float], rel: float = 1e-7, abs_: float = 1e-9
) -> None:
    for i, (g, n) in enumerate(zip(analytic, numeric, strict=True)):
        scale = max(1.0, abs(g), abs(n))
        assert abs(g - n) <= rel * scale + abs_, f"input {i}: backward gives {g}, central {n}"


# ---- hypothesis strategies ----

# Inputs away from 0, where relu's kink and exact cancellations live.
inputs = st.floats(0.1, 2.0).flatmap(lambda x: st.sampled_from([x, -x]))
positive_consts = st.floats(0.25, 3.0)
signed_consts = positive_consts.flatmap(lambda c: st.sampled_from([c, -c]))
NEEDS_POSITIVE_CONST = {"log", "sqrt", "rsqrt", "c_pow", "pow"}


@st.composite
def steps_for(draw: st.DrawFn, op: str, n_nodes: int) -> Step:
    """One step of ``op`` over ``n_nodes`` existing nodes, preferring recent ones (depth)."""
    recent = st.integers(max(0, n_nodes - 3), n_nodes - 1)
    node = st.one_of(recent, st.integers(0, n_nodes - 1))
    arity = ARITY[op]
    if arity is None:
        args = tuple(draw(st.lists(node, min_size=1, max_size=6)))
    else:
        args = tuple(draw(node) for _ in range(arity))
    const = draw(positive_consts if op in NEEDS_POSITIVE_CONST else signed_consts)
    repeat = draw(st.integers(2, 60)) if op == "reuse" else 1
    return Step(op, args, const, repeat)


@st.composite
def programs(
    draw: st.DrawFn, max_inputs: int = 4, max_steps: int = 20, ops: Sequence[str] = tuple(ARITY)
) -> Program:
    """Random DAGs: any op may take any earlier node, so sub-expressions are shared."""
    n_inputs = draw(st.integers(1, max_inputs))
    n_steps = draw(st.integers(1, max_steps))
    steps = []
    for i in range(n_steps):
        op = draw(st.sampled_from(ops))
        steps.append(draw(steps_for(op, n_inputs + i)))
    return Program(n_inputs, tuple(steps))


@st.composite
def chains(draw: st.DrawFn, min_length: int = 50, max_length: int = 300) -> Program:
    """A deep chain: unary op after unary op on one input."""
    length = draw(st.integers(min_length, max_length))
    steps = []
    for i in range(length):
        op = draw(st.sampled_from(UNARY_CHAIN_OPS))
        const = draw(st.floats(0.5, 1.1) if op == "mul_c" else positive_consts)
        steps.append(Step(op, (i,), const))
    return Program(1, tuple(steps))


@st.composite
def programs_with_inputs(draw: st.DrawFn, program_strategy: Any) -> tuple[Program, list[float]]:
    program = draw(program_strategy)
    return program, [draw(inputs) for _ in range(program.n_inputs)]
