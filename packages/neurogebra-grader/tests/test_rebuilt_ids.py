"""The autograded notebook the pipeline rebuilds gives every cell a valid, unique id, also the
cells a student added, and nbformat writes it without a warning."""

from __future__ import annotations

import json
import re
import warnings

import nbformat
from one_task_course import RELEASE, SOURCE

from neurogebra_grader.pipeline.match import match
from neurogebra_grader.pipeline.plan import build_plan
from neurogebra_grader.pipeline.record import cell_ids, write_autograded
from neurogebra_grader.pipeline.submitted import read_notebook
from neurogebra_grader.pipeline.verdict import unrun_verdicts


def test_cells_a_student_added_get_ids_and_the_notebook_writes_without_warnings(tmp_path):
    nb = json.loads(json.dumps(RELEASE))
    nb["cells"][1]["source"] = "def triple(x):\n    return x + x + x"
    added = [
        {
            "cell_type": "code",
            "metadata": {},
            "source": "print(triple(3))",
            "outputs": [],
            "execution_count": None,
        },
        {"cell_type": "markdown", "metadata": {}, "source": "my notes", "id": "intro"},
    ]
    nb["cells"][2:2] = added  # no id, and an id that repeats the course's
    plan = build_plan(
        match(read_notebook("hw", json.dumps(nb).encode()), SOURCE, RELEASE), SOURCE, RELEASE
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_autograded(tmp_path, "hw", plan, None, unrun_verdicts(plan, "not run"), {})
        written = nbformat.read(tmp_path / "hw.ipynb", as_version=4)
        nbformat.validate(written)
    ids = [cell["id"] for cell in written.cells]
    assert len(written.cells) == 6 and len(set(ids)) == 6
    assert ids[0] == SOURCE.cells[0]["id"]  # course cells keep the course's ids
    assert "print(triple(3))" in [c.source for c in written.cells]


def test_ids_are_valid_and_unique_whatever_the_cells_carry():
    cells = [{"id": "a"}, {"id": "a"}, {"id": "has space"}, {"id": 7}, {}, {"id": "cell-5"}]
    ids = cell_ids(cells)
    assert len(set(ids)) == len(ids) and ids[0] == "a"
    assert all(re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", i) for i in ids), ids
