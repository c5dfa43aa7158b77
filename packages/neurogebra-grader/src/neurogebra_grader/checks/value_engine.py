"""``check_value_engine``: a student's Value class against the reference engine on a battery.

The kernel runs the battery of small graphs (engine.py) with the student's class and reports
each run's plain numbers; the judge rebuilds the same battery and compares run by run, with the
reference run's reports, or, for ``build="constructor"``, with a plain chain rule computed here
in the trusted process (node_graphs.chain_rule; the library's Value is not run for those).

Example:
    >>> VALUE_ENGINE.student["value_cls"]
    'engine'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from neurogebra_grader.checks import engine, node_graphs
from neurogebra_grader.checks.check import VALUE, Check
from neurogebra_grader.checks.engine import check_value_engine
from neurogebra_grader.failure import Failure

_ENGINE_HINT = "leave check_value_engine and the battery it runs as they are"


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    reports = got["value_cls"]
    ops = tuple(ref["ops"]) if isinstance(ref["ops"], list | tuple) else ref["ops"]
    build = str(ref.get("build", "operators"))
    programs = engine.battery(
        ops, seed=int(ref["seed"]), n_graphs=int(ref["n_graphs"]), build=build
    )
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
        failure = engine.judge_run(program, one, want)
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
    # the battery is drawn with the library's engine (engine._random_graphs), so only the
    # student's runs are counted
    programs = engine.battery(
        setting("ops"), seed=setting("seed"), n_graphs=setting("n_graphs"), build=setting("build")
    )
    with library_values() as made:
        reports = [engine.run_program(value, program) for program in programs]
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
