"""``check_value_engine``: a student's Value class against the reference engine on a battery.

The kernel runs the battery of small graphs (battery.py) with the student's class and reports
each run's plain numbers; the judge rebuilds the same battery and compares run by run, with the
reference run's reports, or, for ``build="constructor"``, with a plain chain rule computed here
in the trusted process (node_graphs.chain_rule; the library's Value is not run for those).

Example:
    >>> from neurogebra import Value
    >>> check_value_engine(Value, ops=("add", "mul"), n_graphs=3)
    >>> VALUE_ENGINE.student["value_cls"]
    'engine'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from neurogebra_grader.checks import node_graphs
from neurogebra_grader.checks.battery import DEFAULT_OPS, Program, battery, run_program
from neurogebra_grader.checks.check import VALUE, Check
from neurogebra_grader.diagnosis import diagnose_engine, unknown
from neurogebra_grader.failure import Failure, raise_failure
from neurogebra_grader.plain import show

__all__ = ["VALUE_ENGINE", "check_value_engine", "judge_run", "library_values"]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))


def judge_run(program: Program, got: dict[str, Any], expected: dict[str, Any]) -> Failure | None:
    """Compare the student's report for ``program`` with the reference report."""
    what = f"Value engine, {program.title}: {program.text()}"
    topic = f"the Value engine on {program.title}"  # words only: safe for a hidden test
    leaves = program.names()[: len(program.leaves)]
    if "error" in got:
        error = got["error"].strip().removesuffix(":")
        unfinished = error.startswith("NotImplementedError")
        return Failure(
            what,
            f"`{got['during']}` to run",
            f"{error}",
            "that part is not written yet: replace `raise NotImplementedError()` with your code"
            if unfinished
            else program.hint,
            topic=topic,
        )
    if any(g != 0.0 for g in got["initial_grads"]):
        return Failure(
            what,
            "every new Value to start with grad 0.0",
            f"grads {got['initial_grads']}",
            "set self.grad = 0.0 in __init__",
            seen="a new Value started with a gradient that is not zero",
            topic=topic,
        )
    if not _close(got["data"], expected["data"]):
        return Failure(
            f"{what} (out.data)",
            show(expected["data"]),
            show(got["data"]),
            program.hint,
            topic=f"{topic} (the output's .data)",
        )
    wrong = [
        i
        for i, (g, e) in enumerate(zip(got["grads"], expected["grads"], strict=True))
        if not _close(g, e)
    ]
    if wrong:
        listed = ", ".join(f"{leaves[i]}.grad={{{i}}}" for i in range(len(leaves)))
        built = any(node_graphs.is_node(step) for step in program.steps)
        cause = node_graphs.diagnose_backward(program, got["grads"]) if built else None
        cause = cause or diagnose_engine(
            program.title, program.runs, program.zero_between, got["grads"], expected["grads"]
        )
        fallback = unknown(program.hint) if built else program.hint
        return Failure(
            f"{what} (after out.backward())",
            listed.format(*[show(e) for e in expected["grads"]]),
            listed.format(*[show(g) for g in got["grads"]]),
            cause.hint if cause else fallback,
            seen=cause.pattern if cause else "",
            topic=f"{topic} (the leaves' gradients)",
        )
    return None


@dataclass
class _Reference:
    """Reference reports, computed once per program with neurogebra's Value."""

    cache: dict[Program, dict[str, Any]] = field(default_factory=dict)

    def report(self, program: Program) -> dict[str, Any]:
        if program not in self.cache and any(map(node_graphs.is_node, program.steps)):
            self.cache[program] = node_graphs.chain_rule(program)  # no library Value here
        if program not in self.cache:
            from neurogebra.core.autograd import Value

            self.cache[program] = run_program(Value, program)
        return self.cache[program]


_REFERENCE = _Reference()


def check_value_engine(
    value_cls: Any,
    *,
    ops: Sequence[str] = DEFAULT_OPS,
    seed: int = 0,
    n_graphs: int = 20,
    build: str = "operators",
) -> None:
    """Check a scalar autograd class op by op, then on graphs, against neurogebra's Value.

    ``value_cls(x)`` must make a leaf with ``.data`` and ``.grad``; results of ``ops`` must
    support ``.backward()`` and leaves ``.zero_grad()``. Checks, in order: each op's output and
    gradient (also with plain numbers on either side), a Value used twice, a diamond, a
    60-step chain, gradient accumulation, ``zero_grad``, then ``n_graphs`` random graphs.
    The first mismatch raises CheckFailed showing the program as Python code.

    ``build="constructor"`` runs graphs made with ``value_cls(data, children, local_grads)``
    only, so a test of backward is not charged for the student's operators: ``ops`` is not
    used, and the expected gradients come from a plain chain rule.

    Example:
        >>> from neurogebra import Value
        >>> check_value_engine(Value, ops=("add", "mul"), n_graphs=3)
    """
    __tracebackhide__ = True
    for program in battery(ops, seed=seed, n_graphs=n_graphs, build=build):
        failure = judge_run(program, run_program(value_cls, program), _REFERENCE.report(program))
        raise_failure(failure)


_ENGINE_HINT = "leave check_value_engine and the battery it runs as they are"


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    reports = got["value_cls"]
    ops = tuple(ref["ops"]) if isinstance(ref["ops"], list | tuple) else ref["ops"]
    build = str(ref.get("build", "operators"))
    programs = battery(ops, seed=int(ref["seed"]), n_graphs=int(ref["n_graphs"]), build=build)
    if build == "constructor":  # trusted: the chain rule on the program's own numbers
        expected: Any = [node_graphs.chain_rule(program) for program in programs]
    else:
        expected = ref.get("value_cls")
    if not isinstance(reports, list) or len(reports) != len(programs):
        return Failure(
            "Value engine", f"{len(programs)} results", "a different number", _ENGINE_HINT
        )
    if not isinstance(expected, list) or len(expected) != len(programs):
        raise ValueError("the reference run did not report the Value-engine battery")
    for program, one, want in zip(programs, reports, expected, strict=True):
        try:
            one, want = _engine_report(one), _engine_report(want)
        except (TypeError, ValueError, KeyError):
            return Failure("Value engine", "a report per program", "malformed data", _ENGINE_HINT)
        if "error" not in one and len(one["grads"]) != len(program.leaves):
            return Failure(
                "Value engine", "one gradient per leaf", "a different number", _ENGINE_HINT
            )
        failure = judge_run(program, one, want)
        if failure is not None:
            return failure
    return None


def _engine_report(report: Any) -> dict[str, Any]:
    """A run_program report rebuilt from plain data with builtin types only."""
    if not isinstance(report, dict):
        raise TypeError("not a report")
    if "error" in report:
        return {"error": str(report["error"]), "during": str(report.get("during", ""))}
    return {
        "data": float(report["data"]),
        "grads": [float(g) for g in report["grads"]],
        "initial_grads": [float(g) for g in report["initial_grads"]],
    }


LIBRARY_VALUES: list[int] = []  # per engine probe: the library Values the student's runs made


@contextmanager
def library_values() -> Iterator[list[int]]:
    """Count the ``neurogebra`` Values made inside the block (a runtime sign that a student's
    engine delegates to the library; see pipeline/own_work.py). Yields [count]."""
    made = [0]
    try:
        from neurogebra.core.autograd import Value as LibraryValue
    except Exception:  # no library in this kernel: nothing to count
        yield made
        return
    original = LibraryValue.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        made[0] += 1
        original(self, *args, **kwargs)

    LibraryValue.__init__ = counting  # type: ignore[method-assign]
    try:
        yield made
    finally:
        LibraryValue.__init__ = original  # type: ignore[method-assign]


def _probe(value: Any, setting: Callable[[str], Any]) -> Any:
    # the battery is drawn with the library's engine (battery._random_graphs), so only the
    # student's runs are counted
    programs = battery(
        setting("ops"), seed=setting("seed"), n_graphs=setting("n_graphs"), build=setting("build")
    )
    with library_values() as made:
        reports = [run_program(value, program) for program in programs]
    LIBRARY_VALUES.append(made[0])
    return reports


VALUE_ENGINE = Check(
    check_value_engine,
    student={
        "value_cls": "engine",
        "ops": VALUE,
        "seed": VALUE,
        "n_graphs": VALUE,
        "build": VALUE,
    },
    reference={},
    judge=_judge,
    probes={"engine": _probe},
)
