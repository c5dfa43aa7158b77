"""Tamper flags: signs that a submission changed what it must not, for a human to review.

Two kinds: *structure* (locked cells edited or deleted, points changed, unknown or duplicated
cell ids, changed cell types), found by comparing the submission with the released notebook;
and *code* (input transformers, trace hooks, patched builtins or libraries, an ``__eq__``
that always says yes), found by reading the code the student wrote. A flag never changes a
grade by itself: grades come from the trusted judges; flags say where to look.

Example:
    >>> [f.code for f in scan_code("import sys\\nsys.settrace(lambda *a: None)", "cell-1")]
    ['trace-hook']
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass

from neurogebra_grader.pyparse import parse


@dataclass(frozen=True)
class Flag:
    """One thing to review: a short code, the cell it concerns, and a sentence."""

    code: str
    cell: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def text(self) -> str:
        return f"{self.code} ({self.cell}): {self.detail}"


# (code, pattern, sentence): textual signs, checked even when the code does not parse
_PATTERNS = [
    (
        "input-transformer",
        r"input_transformers|input_transformer_manager|ast_transformers"
        r"|register_transform|events\.register|register_magic|run_cell",
        "changes how IPython runs later cells",
    ),
    (
        "trace-hook",
        r"settrace|setprofile|sys\.monitoring|addaudithook|gettrace",
        "installs a trace, profile or audit hook",
    ),
    ("patches-builtins", r"\bbuiltins\b|__builtins__", "touches Python's builtins"),
    (
        "patches-modules",
        r"sys\.modules|sys\.meta_path|sys\.path_hooks|importlib\.reload",
        "changes the module system",
    ),
    (
        "grader-internals",
        r"neurogebra_grader|_ng_observe|nbgrader|gradebook|sqlite3",
        "refers to the grader or its gradebook",
    ),
    (
        "network",
        r"\bsocket\b|urllib|\brequests\b|http\.client|aiohttp|smtplib|ftplib",
        "opens network connections",
    ),
    ("reads-environment", r"os\.environ|getenv|environ\b|/proc/", "reads environment variables"),
    (
        "process-control",
        r"os\._exit|os\.fork|os\.kill|signal\.signal|\bfork\(|multiprocessing"
        r"|subprocess|ctypes",
        "kills, forks or signals processes",
    ),
]

# an absolute path of two or more parts, or one that climbs out of its folder
_PATH = re.compile(r"^(/[\w.*-]+){2,}/?$|^(\.\./)|.*/\.\./")

# IPython's records of every cell run so far (test cells included)
_HISTORY_NAMES = {"In", "Out", "_ih", "_oh", "_dh", "_i", "_ii", "_iii"}

_MODULE_ALIASES = {"np", "numpy", "math", "neurogebra", "neurogebra_grader", "IPython", "sys"}


def scan_code(source: str, cell: str) -> list[Flag]:
    """Flags for one cell of code the student wrote."""
    flags = [
        Flag(code, cell, sentence)
        for code, pattern, sentence in _PATTERNS
        if re.search(pattern, source)
    ]
    try:
        tree = parse(
            "\n".join(
                line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
            )
        )
    except SyntaxError:
        return flags
    history = sorted(
        {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in _HISTORY_NAMES}
    )
    if history:
        flags.append(Flag("reads-history", cell, f"reads IPython's history ({', '.join(history)})"))
    modules = set(_MODULE_ALIASES)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            base = target
            while isinstance(base, ast.Attribute):
                base = base.value
            if (
                isinstance(target, ast.Attribute)
                and isinstance(base, ast.Name)
                and base.id in modules
            ):
                flags.append(Flag("patches-library", cell, f"assigns {ast.unparse(target)}"))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Name) and first.id in modules:
                flags.append(Flag("patches-library", cell, f"calls {ast.unparse(node)[:80]}"))
        if isinstance(node, ast.FunctionDef) and node.name in (
            "__eq__",
            "__ne__",
            "__bool__",
            "__float__",
            "__array__",
        ):
            returns = [n for n in ast.walk(node) if isinstance(n, ast.Return)]
            constant = returns and all(isinstance(r.value, ast.Constant) for r in returns)
            if constant:
                flags.append(
                    Flag(
                        "constant-comparison", cell, f"defines {node.name} that returns a constant"
                    )
                )
    outside = sorted(
        {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _PATH.match(node.value)
        }
    )
    if outside:
        shown = ", ".join(outside[:3]) + (" ..." if len(outside) > 3 else "")
        flags.append(Flag("paths-outside", cell, f"names paths outside its folder: {shown}"))
    unique: dict[tuple[str, str, str], Flag] = {}
    for flag in flags:
        unique.setdefault((flag.code, flag.cell, flag.detail), flag)
    return list(unique.values())
