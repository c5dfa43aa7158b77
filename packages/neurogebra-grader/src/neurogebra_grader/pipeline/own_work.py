"""Own work: what an assignment asks students to build themselves, they may not import.

An assignment declares the rule in its *source* notebook's metadata (the instructor's side,
never read from a submission)::

    {"neurogebra": {"own_work": {
        "what": "your own autograd engine (Tasks 1-3)",
        "forbidden": ["neurogebra"],          # modules (and their submodules)
        "names": ["NeurogebraValue"],         # names (imported, read or as attributes)
        "tests": ["test-add-mul", ...]}}}     # the tests of what must be built

``scan`` reads every code cell the student wrote (answer and added cells; never the locked
cells, which may import the library to compare with it) and flags ``uses-library-answer``
where one imports a forbidden module in any spelling (``import``, ``from ... import``, an
alias, ``__import__``, ``importlib.import_module``, a string naming it, with string
concatenation folded, in a line magic or in code run from a string) or reads a forbidden
name. The check is static: code that builds the module's name at run time from parts it
cannot fold is not caught (the other tamper flags, e.g. ``patches-modules``, often are).
``withhold`` then gives a flagged
submission no points for the listed tests: an engine that delegates to the library did not
build what those tests grade. Everything else is graded as usual, and the flag shows in the
report so that a person can review it (and regrade by hand if the flag was wrong).

Example:
    >>> rule = {"neurogebra": {"own_work": {"forbidden": ["neurogebra"], "tests": ["t1"]}}}
    >>> [f.detail for f in scan({"add": "import neurogebra.core.autograd as ag"}, rule)]
    ['imports neurogebra.core.autograd, which this assignment asks you to build yourself']
    >>> scan({"add": "import numpy as np"}, rule)
    []
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from neurogebra_grader.pipeline.tamper import Flag
from neurogebra_grader.pyparse import parse

CODE = "uses-library-answer"
_IMPORTERS = {"__import__", "import_module", "find_spec", "load_module"}
_RUNNERS = {"exec", "eval", "compile", "run_line_magic", "run_cell_magic", "run_cell"}


@dataclass(frozen=True)
class Rule:
    """An assignment's own-work rule (see the module docstring); empty when it has none."""

    what: str = ""
    forbidden: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()

    @classmethod
    def of(cls, metadata: Any) -> Rule:
        """The rule in a source notebook's metadata (an empty rule if there is none).

        >>> Rule.of({}).forbidden
        ()
        """
        raw = (metadata or {}).get("neurogebra", {}).get("own_work", {})
        if not isinstance(raw, dict):
            return cls()
        return cls(
            str(raw.get("what", "")),
            tuple(str(m) for m in raw.get("forbidden", ())),
            tuple(str(n) for n in raw.get("names", ())),
            tuple(str(t) for t in raw.get("tests", ())),
        )

    def forbids(self, module: str) -> bool:
        """Whether ``module`` is (inside) a forbidden module.

        >>> Rule(forbidden=("neurogebra",)).forbids("neurogebra.core"), Rule(
        ...     forbidden=("neurogebra",)).forbids("neurogebra_grader")
        (True, False)
        """
        return any(module == m or module.startswith(m + ".") for m in self.forbidden)


def _text(node: ast.AST) -> str | None:
    """The string an expression always evaluates to, for constants and ``+`` of constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = [_text(v) for v in node.values]
        return "".join(p for p in parts if p is not None) if None not in parts else None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.List | ast.Tuple)
    ):
        glue, parts = _text(node.func.value), [_text(e) for e in node.args[0].elts]
        if glue is not None and None not in parts:
            return glue.join(p for p in parts if p is not None)
    return None


def _python_line(line: str) -> str:
    """A line as Python: a shell line (``!...``) is dropped, a line magic (``%time code``)
    keeps the code it runs."""
    stripped = line.lstrip()
    if stripped.startswith("!"):
        return ""
    if stripped.startswith("%"):
        rest = re.sub(r"^%+\w+\s*", "", stripped)
        try:
            parse(rest)
        except SyntaxError:
            return ""
        return line[: len(line) - len(stripped)] + rest
    return line


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def uses(source: str, rule: Rule) -> list[str]:
    """What in ``source`` uses a forbidden module or name (one phrase each, in order).

    >>> uses("m = __import__('neuro' + 'gebra')", Rule(forbidden=("neurogebra",)))
    ['imports neurogebra through __import__']
    """
    try:
        tree = parse("\n".join(_python_line(line) for line in source.splitlines()))
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # it cannot run either
        return []
    found: list[str] = []
    consumed: set[int] = set()  # string parts already reported through their import
    for node in ast.walk(tree):
        if id(node) in consumed:
            continue
        if isinstance(node, ast.Import):
            found += [f"imports {a.name}" for a in node.names if rule.forbids(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and rule.forbids(node.module):
            names = ", ".join(a.name for a in node.names)
            found.append(f"imports {names} from {node.module}")
        elif isinstance(node, ast.ImportFrom):
            found += [f"imports {a.name}" for a in node.names if a.name in rule.names]
        elif isinstance(node, ast.Call) and _called(node) in _IMPORTERS and node.args:
            name = _text(node.args[0])
            if name is not None and rule.forbids(name):
                found.append(f"imports {name} through {_called(node)}")
                consumed |= {id(part) for part in ast.walk(node.args[0])}
        elif isinstance(node, ast.Call) and _called(node) in _RUNNERS:
            for arg in node.args:  # code run from a string: read it too
                text = _text(arg)
                if text is not None and len(text) < 100_000:
                    found += uses(text, rule)
                    consumed |= {id(part) for part in ast.walk(arg)}
        elif isinstance(node, ast.Name) and node.id in rule.names:
            found.append(f"uses {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in rule.names:
            found.append(f"uses {ast.unparse(node)}")
        elif isinstance(node, ast.Constant | ast.BinOp | ast.JoinedStr):
            text = _text(node)
            if text is not None and rule.forbids(text):
                found.append(f"names the module {text!r}")
                consumed |= {id(part) for part in ast.walk(node)}
    return list(dict.fromkeys(found))


def scan(student_code: dict[str, str], metadata: Any) -> list[Flag]:
    """``uses-library-answer`` flags for the student's code cells (label -> source)."""
    rule = Rule.of(metadata)
    if not rule.forbidden and not rule.names:
        return []
    flags = []
    for label, code in student_code.items():
        for phrase in uses(code, rule):
            shown = phrase if len(phrase) <= 120 else phrase[:117] + "..."
            detail = f"{shown}, which this assignment asks you to build yourself"
            flags.append(Flag(CODE, label, detail))
    return flags


def runtime_flags(plan: Any, run: Any, metadata: Any) -> list[Flag]:
    """``uses-library-answer`` flags from the run: an engine check whose battery made the
    library's own Values (the kernel counts them, see observer.py). The count comes from the
    untrusted kernel, so it can only add a flag, never remove one.

    >>> runtime_flags(None, None, {})
    []
    """
    rule = Rule.of(metadata)
    if not rule.forbids("neurogebra.core.autograd") or run is None:
        return []
    flags = []
    for cell in plan.graded:
        ran = run.cells[cell.index] if cell.index < len(run.cells) else None
        observations = ran.observations if ran and type(ran.observations) is list else []
        for seen in observations:
            data = seen.get("data") if type(seen) is dict else None
            made = data.get("library_values") if type(data) is dict else None
            if type(made) is int and made > 0:
                detail = (
                    f"made {made:,} of neurogebra's own Values at run time (in the engine "
                    "check), which this assignment asks you to build yourself"
                )
                flags.append(Flag(CODE, cell.grade_id, detail))
                break
    return flags


def withhold(verdicts: list[Any], flags: list[Flag], metadata: Any) -> list[Any]:
    """The verdicts with the own-work tests at zero when ``flags`` hold a library-use flag."""
    rule = Rule.of(metadata)
    used = [f for f in flags if f.code == CODE]
    if not used or not rule.tests:
        return verdicts
    where = "; ".join(f"{f.cell}: {f.detail.split(', which')[0]}" for f in used[:3])
    reason = (
        f"no points: this task asks for {rule.what or 'your own code'}, and your answer uses "
        f"the library's instead ({where}). The library's own version is not allowed here: "
        "the introduction says what you may use"
    )
    for verdict in verdicts:
        if verdict.grade_id in rule.tests and verdict.score:
            verdict.score = 0.0
            verdict.message = reason
        elif verdict.grade_id in rule.tests:
            verdict.message = f"{reason}; and: {verdict.message}"
    return verdicts
