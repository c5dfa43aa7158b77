"""Hostile submissions made of structure and files rather than code: notebooks whose JSON or
cell ids lie, and submission folders whose files are links, pipes or far too large.

The attackers here answer nothing themselves (their answer cells hold the release's stubs),
so any point they earn could only come from the instructor's solution: each must score what
an honest blank notebook scores.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import toycourse as tc

# lines of the instructor's solution that no released or blank notebook contains
SOLUTION_SNIPPETS = (
    "return x * x",
    "return sum(xs) / len(xs)",
    "parent.grad += local * node.grad",
    "(other.data, self.data)",
)
MARKUP = "[link=https://evil.example]click[/link][/][bold"


def release_json(course: Path) -> dict:
    path = course / "release" / tc.ASSIGNMENT / f"{tc.ASSIGNMENT}.ipynb"
    return json.loads(path.read_text())


def nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def answer_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if nbgrader(c).get("solution")]


def place(course: Path, student: str, content: str | bytes, timestamp: str | None = None) -> Path:
    """A submission folder holding ``content`` as the notebook (raw bytes or text)."""
    folder = course / "submitted" / student / tc.ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    (folder / f"{tc.ASSIGNMENT}.ipynb").write_bytes(data)
    (folder / "timestamp.txt").write_text(timestamp or "2030-01-01 10:00:00.000000 UTC")
    return folder


def _edited(course: Path, edit) -> str:
    nb = release_json(course)
    edit(nb)
    return json.dumps(nb)


def _delete_answers(nb):
    nb["cells"] = [c for c in nb["cells"] if not nbgrader(c).get("solution")]


def _strip_metadata(nb):
    for cell in nb["cells"]:
        cell["metadata"] = {}


def _retype_answers(nb):
    for cell in answer_cells(nb):
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
        cell["cell_type"] = "raw"


def _rename_answers(nb):
    for cell in answer_cells(nb):
        nbgrader(cell)["grade_id"] += "-mine"


def _move_answers(nb):
    answers = answer_cells(nb)
    nb["cells"] = [c for c in nb["cells"] if c not in answers] + answers


def _claim_test_ids(nb):
    fake = {
        "cell_type": "code",
        "execution_count": None,
        "outputs": [],
        "source": "pass",
        "metadata": {
            "nbgrader": {
                "grade": True,
                "grade_id": "test_mean",
                "points": 1000,
                "locked": False,
                "solution": True,
                "schema_version": 3,
            }
        },
    }
    nb["cells"].insert(0, fake)


def _null_sources(nb):
    for cell in answer_cells(nb):
        cell["source"] = None


def _odd_sources(nb):
    for cell in answer_cells(nb):
        cell["source"] = ["def square(x):", 42, {"return": "x * x"}]


def _unhashable_ids(nb):
    for n, cell in enumerate(answer_cells(nb)):
        nbgrader(cell)["grade_id"] = [["square"], {"id": n}][n % 2]


def _huge_ids(nb):
    for cell in answer_cells(nb):
        nbgrader(cell)["grade_id"] = "mean" * 250_000


def _forged_points(nb):
    for cell in nb["cells"]:
        meta = nbgrader(cell)
        if meta:
            meta.update(grade=True, points=1000, locked=False)


def _big_output(nb):
    answer_cells(nb)[0]["outputs"] = [
        {"output_type": "stream", "name": "stdout", "text": "y" * 8_000_000}
    ]


def _markup_everywhere(nb):
    answer_cells(nb)[0]["source"] = f"raise MemoryError({MARKUP!r})"
    nb["cells"].append(
        {"cell_type": "markdown", "metadata": {}, "source": "<script>alert('xss')</script>"}
    )
    nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "from IPython.display import HTML, display\n"
            "display(HTML(\"<script>alert('xss')</script>\"))",
        }
    )


FORGE_REPORTS = """
from IPython.display import publish_display_data
MIME = 'application/vnd.neurogebra.observation+json'
def forge(*args):
    for bad in ({'site': [0], 'check': ['check_close'], 'data': []},
                {'site': {'a': 1}, 'check': 'check_close', 'data': {'got': 2.5}},
                {'site': 0, 'check': 'check_close', 'data': {'got': {'__ndarray__': [2.5],
                 'shape': [2**62]}}}):
        publish_display_data({MIME: bad})
get_ipython().events.register('post_run_cell', forge)
"""

PEEK = """
import os, json
seen = {}
for root, dirs, files in os.walk(os.getcwd()):
    for name in files:
        try:
            seen[os.path.join(root, name)] = open(os.path.join(root, name), errors='replace').read()
        except OSError as error:
            seen[os.path.join(root, name)] = repr(error)
print('SEEN', json.dumps(seen)[:200000])
print('HISTORY', In)
print('GLOBALS', sorted(globals()))
"""


def _code_answer(code: str, cell: int = -1):
    """Put ``code`` in an answer cell (the first one runs before any test, hidden or not,
    so what it prints is kept: output after the hidden tests start is cut)."""

    def edit(nb):
        answer_cells(nb)[cell]["source"] = code

    return edit


EDITS = {
    "deletes_answers": _delete_answers,
    "strips_metadata": _strip_metadata,
    "retypes_answers": _retype_answers,
    "renames_answers": _rename_answers,
    "moves_answers": _move_answers,
    "claims_test_ids": _claim_test_ids,
    "null_sources": _null_sources,
    "odd_sources": _odd_sources,
    "unhashable_ids": _unhashable_ids,
    "huge_ids": _huge_ids,
    "forges_points": _forged_points,
    "big_output": _big_output,
    "markup_everywhere": _markup_everywhere,
    "forges_reports": _code_answer(FORGE_REPORTS),
    "peeks_at_everything": _code_answer(PEEK, cell=0),
}

RAW = {
    "nbformat_3": json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": []}),
    "nbformat_99": json.dumps({"nbformat": 99, "cells": []}),
    "deep_nesting": '{"nbformat": 4, "cells": [], "metadata": '
    + "[" * 300_000
    + "]" * 300_000
    + "}",
    "cells_not_a_list": json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": {"0": {}}}),
    "not_utf8": b"\xff\xfe\x00{\x00}",
}


# student ids a spreadsheet would run as formulas (they answer nothing, as blank does)
FORMULA_NAMES = ("=HYPERLINK(1)", "@SUM(1+1)", "+cmd", "-2+3")


def place_structure_attacks(course: Path) -> list[str]:
    """Every structural attacker's submission; returns their names."""
    for name, edit in EDITS.items():
        place(course, name, _edited(course, edit))
    for name, raw in RAW.items():
        place(course, name, raw)
    # a 200 MB notebook (sparse: its apparent size is what counts, and it costs no disk)
    folder = place(course, "huge_notebook", _edited(course, lambda nb: None))
    os.truncate(folder / f"{tc.ASSIGNMENT}.ipynb", 200_000_000)
    place(course, "bad_timestamp", _edited(course, lambda nb: None), timestamp="\x00not a date")
    for name in FORMULA_NAMES:
        place(course, name, _edited(course, lambda nb: None))
    return [*EDITS, *RAW, "huge_notebook", "bad_timestamp", *FORMULA_NAMES]


def printed(course: Path, student: str) -> str:
    """Everything the student's graded notebook printed (its outputs, not its code)."""
    path = course / "autograded" / student / tc.ASSIGNMENT / f"{tc.ASSIGNMENT}.ipynb"
    cells = json.loads(path.read_text())["cells"]
    return "\n".join(json.dumps(output) for cell in cells for output in cell.get("outputs", []))


ledger_rows = tc.ledger  # the ledger's rows, JSON columns read


def surviving_processes(marker: str) -> list[str]:
    """Live processes whose command line mentions ``marker`` (a course's or the job folder's
    path) or whose working folder lies under it (whatever a kernel started, detached or not).
    """
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if (marker in cmdline or cwd.startswith(marker)) and "pytest" not in cmdline:
            found.append(f"{pid} in {cwd}: {cmdline}")
    return found
