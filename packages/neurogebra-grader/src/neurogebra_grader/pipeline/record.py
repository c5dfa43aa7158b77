"""Record, the last pass: the graded notebook for formgrader and feedback, then the ledger.

Everything in the graded notebook that the student's kernel produced is hostile: it is
rebuilt from plain text (streams, errors, ``text/plain`` and bitmap images only), so no HTML,
JavaScript, SVG or Markdown of the student's reaches the feedback page or formgrader. The
student's own Markdown cells are shown as text, with ``<``, ``>`` and ``&`` escaped. Test
cells show their visible code (no hidden tests) and the verdict, never the kernel's output.

Example:
    >>> safe_output({"output_type": "display_data", "data": {"text/html": "<script>x</script>",
    ...     "text/plain": "<Figure>"}, "metadata": {}})["data"]
    {'text/plain': '<Figure>'}
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import nbformat

from neurogebra_grader.pipeline.intake import EXCHANGE_FILES
from neurogebra_grader.pipeline.plan import Plan
from neurogebra_grader.pipeline.verdict import CellVerdict
from neurogebra_grader.sandbox.runner import NotebookRun

MAX_TEXT = 100_000
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = "".join(v for v in value if isinstance(v, str))
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _output(output_type: str, **fields: Any) -> Any:
    """An nbformat output from fields already checked here (no schema validation per output:
    ``nbformat.write`` validates the whole graded notebook once)."""
    if output_type in ("display_data", "execute_result"):
        fields.setdefault("metadata", {})
    return nbformat.from_dict({"output_type": output_type, **fields})


def safe_output(output: Any) -> Any | None:
    """A kernel output rebuilt from plain text, or None when it holds nothing safe to show."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream":
        name = "stderr" if output.get("name") == "stderr" else "stdout"
        return _output("stream", name=name, text=_text(output.get("text")))
    if kind == "error":
        trace = output.get("traceback")
        lines = [_text(line) for line in trace[:200]] if isinstance(trace, list) else []
        return _output(
            "error",
            ename=_text(output.get("ename"))[:200],
            evalue=_text(output.get("evalue"))[:2000],
            traceback=lines,
        )
    if kind in ("display_data", "execute_result"):
        data = output.get("data")
        data = data if isinstance(data, dict) else {}
        kept = {"text/plain": _text(data.get("text/plain"))} if "text/plain" in data else {}
        for mime in ("image/png", "image/jpeg"):
            image = data.get(mime)
            if isinstance(image, str) and len(image) < 5_000_000 and _BASE64.match(image):
                kept[mime] = image
        if not kept:
            return None
        if kind == "execute_result":
            return _output(kind, data=kept, execution_count=None)
        return _output(kind, data=kept)
    return None


_CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")  # nbformat 4.5's rule for a cell id


def cell_ids(cells: list[Any]) -> list[str]:
    """A valid id per cell, unique in the notebook: its own, else one made from its position.

    Cells a student added (or whose id is missing, malformed or repeated) get ``cell-<n>``.

    Example:
        >>> cell_ids([{"id": "intro"}, {}, {"id": "intro"}, {"id": "a b"}])
        ['intro', 'cell-2', 'cell-3', 'cell-4']
    """
    taken: set[str] = set()
    ids = []
    for number, cell in enumerate(cells, start=1):
        own = cell.get("id")
        valid = isinstance(own, str) and _CELL_ID.match(own) and own not in taken
        new, suffix = (own if valid else f"cell-{number}"), 0
        while new in taken:
            suffix += 1
            new = f"cell-{number}-{suffix}"
        taken.add(new)
        ids.append(new)
    return ids


def write_autograded(
    folder: Path,
    notebook: str,
    plan: Plan,
    run: NotebookRun | None,
    verdicts: list[CellVerdict],
    exchange_files: dict[str, bytes],
) -> None:
    """Write ``notebook``.ipynb (and the exchange's timestamp and secret) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.from_dict(nbformat.v4.new_notebook(metadata=plan.notebook.metadata))
    by_index = {g.index: g for g in plan.graded}
    by_id = {v.grade_id: v for v in verdicts}
    ids = cell_ids(plan.notebook.cells)
    for index, planned in enumerate(plan.notebook.cells):
        cell = nbformat.from_dict(
            {
                "id": ids[index],
                "cell_type": planned.cell_type,
                "metadata": planned.metadata,
                "source": planned.source,
            }
        )
        graded = by_index.get(index)
        student_text = not planned.metadata.get("nbgrader", {}).get("locked")
        if cell.cell_type != "code":
            if student_text:
                cell.source = html.escape(cell.source, quote=False)
            nb.cells.append(cell)
            continue
        ran = run.cells[index] if run and index < len(run.cells) else None
        outputs = [safe_output(o) for o in ran.outputs] if ran else []
        cell.outputs, cell.execution_count = [o for o in outputs if o is not None], None
        if graded and graded.kind == "test":
            cell.source = graded.shown_source
            verdict = by_id[graded.grade_id]
            mark = "✓" if verdict.passed else "✗"
            text = (
                f"{mark} {verdict.score or 0:g} of {verdict.points:g} points: {verdict.message}\n"
            )
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        nb.cells.append(cell)
    nbformat.write(nb, folder / f"{notebook}.ipynb")
    for name in EXCHANGE_FILES:  # nbgrader's feedback needs both; taken in as plain bytes
        if name in exchange_files:
            (folder / name).write_bytes(exchange_files[name])
