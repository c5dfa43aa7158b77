"""Which modules a course's notebooks import that the grading environment lacks.

A student's kernel runs with the grader's own Python, so a module missing there makes every
notebook fail, the instructor's solution included. ``release`` asks this module first, so an
incomplete install is reported as such, not as a broken solution.

Example:
    >>> import json, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> cell = {"cell_type": "code", "source": "import numpy\\nimport no_such_module_xyz"}
    >>> _ = (folder / "a.ipynb").write_text(json.dumps({"cells": [cell]}))
    >>> missing_modules([folder / "a.ipynb"])
    {'no_such_module_xyz': ['a.ipynb']}
"""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from pathlib import Path

from neurogebra_grader.pyparse import parse

INSTALL_HINT = "pip install 'neurogebra-grader[course]'"


def imported_modules(source: str) -> set[str]:
    """Top-level names of the modules a cell's code imports (IPython magics and shell lines,
    and code that does not parse, are left out)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = parse("\n".join(lines))
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def missing_modules(notebooks: list[Path]) -> dict[str, list[str]]:
    """Each module the notebooks import that this Python cannot find, with the notebooks."""
    missing: dict[str, list[str]] = {}
    for path in notebooks:
        cells = json.loads(Path(path).read_text()).get("cells", [])
        code = "\n".join(
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells
            if c.get("cell_type") == "code"
        )
        for name in sorted(imported_modules(code)):
            if importlib.util.find_spec(name) is None:
                missing.setdefault(name, []).append(Path(path).name)
    return missing


class MissingCourseModules(ImportError):
    """The grading environment lacks modules that the course's notebooks import."""


def require_modules(notebooks: list[Path]) -> None:
    """Raise MissingCourseModules, naming each module and the fix, when any is missing."""
    missing = missing_modules(notebooks)
    if missing:
        raise MissingCourseModules(missing_modules_message(missing, sys.executable))


def missing_modules_message(missing: dict[str, list[str]], python: str) -> str:
    """What an instructor reads when the environment lacks modules the notebooks import."""
    listing = "; ".join(f"{name} (imported by {', '.join(nbs)})" for name, nbs in missing.items())
    return (
        f"the course's notebooks import modules that are not installed in this environment "
        f"({python}): {listing}. Every notebook, your solution included, would fail on them. "
        f"Install them into this environment, e.g. with `{INSTALL_HINT}`, then release again"
    )
