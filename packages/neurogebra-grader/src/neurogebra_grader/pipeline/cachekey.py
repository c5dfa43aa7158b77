"""The key of a cached reference run: a hash of everything that changes its result.

That is the notebook, the assignment's data files, the course's ``nbgrader_config.py``, every
grader module the reference run takes part in (found by following the imports from
reference.py and from the line the rewrite puts in each test cell, never a hand-kept list),
the ``neurogebra`` library the notebooks import, and the Python and NumPy versions.

Example:
    >>> "pipeline/rewrite.py" in {p.relative_to(PACKAGE).as_posix() for p in grader_files()}
    True
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import platform
from functools import lru_cache
from pathlib import Path

import numpy as np

from neurogebra_grader.pyparse import parse

PACKAGE = Path(__file__).resolve().parent.parent  # .../neurogebra_grader
_ROOTS = ("neurogebra_grader.pipeline.reference", "neurogebra_grader.pipeline.rewrite")


def _module_file(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != PACKAGE.name:
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path) -> set[str]:
    """Grader modules a file imports anywhere (functions' lazy imports included), and
    modules named in its string constants (the rewrite's ``from ... import observe``)."""
    tree = parse(path.read_bytes())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for word in node.value.replace(",", " ").split():
                if word.startswith(PACKAGE.name + "."):
                    found.add(word)
    with_parents = set(found)
    for name in found:  # importing a.b.c runs a/__init__.py and a/b/__init__.py
        parts = name.split(".")
        with_parents |= {".".join(parts[:i]) for i in range(1, len(parts))}
    return with_parents


@lru_cache(maxsize=1)
def grader_files() -> tuple[Path, ...]:
    """Every grader source file a reference run may execute, by following imports."""
    todo = [f for f in map(_module_file, _ROOTS) if f]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo += [f for f in map(_module_file, _imports(path)) if f and f not in seen]
    return tuple(sorted(seen))


def _library_files() -> list[Path]:
    spec = importlib.util.find_spec("neurogebra")
    if spec is None or not spec.submodule_search_locations:
        return []
    return sorted(
        p for folder in spec.submodule_search_locations for p in Path(folder).rglob("*.py")
    )


def reference_key(notebook: bytes, files: dict[str, bytes], course_config: Path) -> str:
    """The hex digest that a cached reference must carry to be reused."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("notebook", notebook)
    for name in sorted(files):
        add(f"file:{name}", files[name])
    add("nbgrader_config.py", course_config.read_bytes() if course_config.is_file() else b"")
    for path in grader_files():
        add(f"grader:{path.relative_to(PACKAGE).as_posix()}", path.read_bytes())
    for path in _library_files():
        add(f"neurogebra:{path.name}", path.read_bytes())
    add("versions", f"{platform.python_version()} numpy {np.__version__}".encode())
    return digest.hexdigest()
