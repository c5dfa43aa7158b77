"""The grader's trusted side on hostile input, without kernels: notebook JSON, cell matching,
test-cell rewriting, kernel reports, folder intake and what reports show.

Every case is something a student can write; each must become a flag, a per-student error or
a failed test, never an exception in the grader and never the instructor's solution.
"""

from __future__ import annotations

import copy
import json
import os
import socket
import stat

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell
from one_task_course import RELEASE, SOURCE, STUB, meta
from rich.console import Console

from neurogebra_grader.cli.tables import questions_table, students_table
from neurogebra_grader.pipeline.intake import IntakeLimits, take_in
from neurogebra_grader.pipeline.match import match
from neurogebra_grader.pipeline.plaindata import encode
from neurogebra_grader.pipeline.plan import GradedCell, build_plan
from neurogebra_grader.pipeline.record import safe_output
from neurogebra_grader.pipeline.rewrite import rewrite_test
from neurogebra_grader.pipeline.submitted import UnreadableNotebook, read_notebook
from neurogebra_grader.pipeline.summary import spreadsheet_safe
from neurogebra_grader.pipeline.verdict import judge_test


def submitted(edit=None) -> bytes:
    nb = json.loads(json.dumps(RELEASE))
    nb["cells"][1]["source"] = "def triple(x):\n    return 0"
    if edit:
        edit(nb)
    return json.dumps(nb).encode()


def plan_for(raw: bytes):
    matched = match(read_notebook("hw", raw), SOURCE, RELEASE)
    return build_plan(matched, SOURCE, RELEASE, role="student")


def codes(plan) -> set[str]:
    return {f.code for f in plan.flags}


def _strip_answer_meta(nb):
    del nb["cells"][1]["metadata"]["nbgrader"]


def _retype(nb):
    nb["cells"][1]["cell_type"] = "markdown"


def _rename(nb):
    nb["cells"][1]["metadata"]["nbgrader"]["grade_id"] = "my-answer"


def _move(nb):
    nb["cells"].append(nb["cells"].pop(1))


def _delete(nb):
    del nb["cells"][1]


def _null_source(nb):
    nb["cells"][1]["source"] = None


def _unhashable_id(nb):
    nb["cells"][1]["metadata"]["nbgrader"]["grade_id"] = ["answer"]


def _huge_id(nb):
    nb["cells"][1]["metadata"]["nbgrader"]["grade_id"] = "answer" * 10_000


def _metadata_list(nb):
    nb["cells"][1]["metadata"] = ["nbgrader"]


@pytest.mark.parametrize(
    ("edit", "flag"),
    [
        (_strip_answer_meta, "unanswered"),
        (_retype, "changed-type"),
        (_rename, "unknown-id"),
        (_move, "moved-cell"),
        (_delete, "unanswered"),
        (_null_source, "malformed-cell"),
        (_unhashable_id, "malformed-cell"),
        (_huge_id, "malformed-cell"),
        (_metadata_list, "unanswered"),
    ],
)
def test_a_lost_answer_is_unanswered_flagged_and_never_the_instructors(edit, flag):
    plan = plan_for(submitted(edit))
    assert flag in codes(plan) and "unanswered" in codes(plan)
    text = json.dumps(plan.notebook)
    assert "secret solution" not in text and "x * 3" not in text
    answer = next(g for g in plan.graded if g.grade_id == "test")
    assert answer.kind == "test"
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in plan.notebook.cells]
    slot = plan.notebook.cells[ids.index("answer")]
    assert slot.source == STUB  # the release's stub, as students were given it


def test_an_honest_answer_is_run_where_it_was_written():
    plan = plan_for(submitted())
    assert "unanswered" not in {f.code for f in plan.flags if f.cell == "answer"}
    assert plan.notebook.cells[1].source == "def triple(x):\n    return 0"
    assert plan.student_code["answer"] == "def triple(x):\n    return 0"


def test_a_duplicated_cell_runs_as_the_students_own_code():
    def edit(nb):
        copy = json.loads(json.dumps(nb["cells"][1]))
        copy["source"] = "def triple(x):\n    return 3 * x"
        nb["cells"].insert(2, copy)

    plan = plan_for(submitted(edit))
    assert "duplicate-id" in codes(plan)
    sources = [c.source for c in plan.notebook.cells]
    assert sources[1] == "def triple(x):\n    return 0" and "return 3 * x" in sources[2]


def test_the_reference_plan_holds_the_solution_and_a_student_plan_never_does():
    reference = build_plan(
        match(read_notebook("hw", json.dumps(SOURCE).encode()), SOURCE, RELEASE),
        SOURCE,
        RELEASE,
        role="reference",
    )
    assert "secret solution" in json.dumps(reference.notebook)
    assert "secret solution" not in json.dumps(plan_for(json.dumps(RELEASE).encode()).notebook)


HOSTILE_JSON = {
    "not utf-8": b"\xff\xfe{}",
    "not json": b'{"cells": [',
    "a list": b"[1, 2]",
    "nbformat 3": b'{"nbformat": 3, "worksheets": []}',
    "nbformat 5": b'{"nbformat": 5, "cells": []}',
    "nbformat as text": b'{"nbformat": "4", "cells": []}',
    "nbformat true": b'{"nbformat": true, "cells": []}',
    "no cells": b'{"nbformat": 4}',
    "cells as a dict": b'{"nbformat": 4, "cells": {"a": 1}}',
    "deep nesting": b'{"nbformat": 4, "cells": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
    "huge number": b'{"nbformat": 4' + b"0" * 5000 + b', "cells": []}',
    "too many cells": json.dumps({"nbformat": 4, "cells": [{}] * 6000}).encode(),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_JSON))
def test_unreadable_notebooks_raise_one_clear_error(case):
    with pytest.raises(UnreadableNotebook, match=r"hw\.ipynb"):
        read_notebook("hw", HOSTILE_JSON[case])


ODD_CELLS = [
    None,
    [],
    "code",
    {"cell_type": ["code"], "source": "x"},
    {"cell_type": "code", "source": 42},
    {"cell_type": "code", "source": ["a", None]},
    {"cell_type": "code", "source": "x", "metadata": {"nbgrader": {"grade_id": {"a": 1}}}},
    {"cell_type": "code", "source": "x", "metadata": {"nbgrader": {"solution": "yes"}}},
    {"cell_type": "code", "source": "x", "metadata": {"nbgrader": {"points": [1]}}},
    {"cell_type": "code", "source": "x", "metadata": {"nbgrader": ["answer"]}},
    {"cell_type": "code", "source": "x" * 3_000_000},
]


def test_odd_cells_are_read_as_flagged_student_cells():
    raw = json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": ODD_CELLS}).encode()
    notebook = read_notebook("hw", raw)
    assert len(notebook.cells) == len(ODD_CELLS)
    plan = build_plan(match(notebook, SOURCE, RELEASE), SOURCE, RELEASE, role="student")
    assert "malformed-cell" in codes(plan) and "unanswered" in codes(plan)
    assert "secret solution" not in json.dumps(plan.notebook)


def test_a_large_output_is_never_read_into_the_plan():
    def edit(nb):
        nb["cells"][1]["outputs"] = [
            {"output_type": "stream", "name": "stdout", "text": "y" * 5_000_000}
        ]

    plan = plan_for(submitted(edit))
    assert len(json.dumps(plan.notebook)) < 10_000


# -- the expected side never reaches the student's kernel ------------------------------------

EXPECTATIONS = {
    "a loop over literal rows": (
        "cases = [(1, 3.25), (2, 6.5)]\nfor x, want in cases:\n    check_close(triple(x), want)"
    ),
    "a zip of inputs and answers": (
        "xs = [1, 2]\nwants = [3.25, 6.5]\nfor x, want in zip(xs, wants):\n"
        "    check_close(triple(x), want)"
    ),
    "a tuple assignment": "x, want = 2, 6.5\ncheck_close(triple(x), want)",
    "a comprehension": (
        "xs = [1, 2]\nwants = [3.25 * x for x in xs]\ncheck_close([triple(x) for x in xs], wants)"
    ),
    "a helper function": (
        "def expected_for(x):\n    return x * 3.25\n"
        "for x in [1, 2]:\n    check_close(triple(x), expected_for(x))"
    ),
    "a data file": (
        "import numpy as np\nanswers = np.load('answers.npy')\ncheck_close(triple(1), answers[0])"
    ),
    "a helper that runs the check": (
        "def expect(x, want, *, tol=3.25e-3):\n    check_close(triple(x), want, rtol=tol)\n"
        "expect(1, 3.25)\nexpect(x=2, want=6.5, tol=3.25)"
    ),
    "a loop body assignment": (
        "for x in [1, 2]:\n    want = x * 3.25\n    check_close(triple(x), want, what='triple')"
    ),
}


@pytest.mark.parametrize("case", sorted(EXPECTATIONS))
def test_expected_values_never_enter_the_student_run(case):
    code = rewrite_test(EXPECTATIONS[case], "student")
    compile(code, "<test>", "exec")
    for secret in ("3.25", "6.5", "expected_for", "answers", "wants"):
        assert secret not in code, (case, secret, code)
    assert "triple(" in code
    reference = rewrite_test(EXPECTATIONS[case], "reference")
    assert any(value in reference for value in ("3.25", "6.5", "answers"))


def test_the_sliced_loop_still_reports_once_per_row():
    code = rewrite_test(EXPECTATIONS["a zip of inputs and answers"], "student")
    seen = []
    namespace = {"_ng_observe": lambda *args: seen.append(args), "triple": lambda x: 3 * x}
    exec(code.split("\n", 1)[1], namespace)
    assert [args[2]["got"] for args in seen] == [3, 6]


class _Net:
    """A student's model: a test cell sets its weights and trains it before checking it."""

    def __init__(self):
        self.weights, self.trained = [0.5, 0.5], False

    def train(self):
        self.trained = True
        return 0.0

    def out(self):
        return sum(self.weights) + (10 if self.trained else 0)


def test_the_student_run_keeps_what_changes_the_students_objects():
    """Only the expected side goes: a loop that sets weights and a call that trains stay."""
    source = (
        "net = Net()\nfor i in range(2):\n    net.weights[i] = -1.0\n"
        "sum(net.train() for epoch in range(1))\nhidden = [w * 3.25 for w in net.weights]\n"
        "check_close(net.out(), sum(hidden) - 2.0)"
    )
    code = rewrite_test(source, "student")  # `sum` is read on the expected side too
    assert "net.weights[i] = -1.0" in code and "sum((net.train()" in code
    assert "hidden" not in code and "3.25" not in code
    seen = []
    namespace = {"_ng_observe": lambda *args: seen.append(args), "Net": _Net}
    exec(code.split("\n", 1)[1], namespace)
    assert [args[2]["got"] for args in seen] == [8.0]


# -- kernel reports are hostile data ---------------------------------------------------------


def _reference(site: int) -> dict:
    data = {"got": encode(np.asarray(6.0)), "expected": encode(np.asarray(6.0))}
    return {"site": site, "check": "check_close", "data": data}


FORGED = {
    "unhashable check": [{"site": 0, "check": ["check_close"], "data": {}}],
    "unhashable site": [{"site": {"a": 1}, "check": "check_close", "data": {}}],
    "a list": [["site", 0]],
    "duplicated": [_reference(0), _reference(0)],
    "data not a dict": [{"site": 0, "check": "check_close", "data": [1]}],
    "bool site": [{"site": True, "check": "check_close", "data": {"got": 6.0}}],
    "nested array": [
        {"site": 0, "check": "check_close", "data": {"got": {"__ndarray__": [[1]], "shape": [1]}}}
    ],
    "deep data": [
        {"site": 0, "check": "check_close", "data": {"got": json.loads("[" * 50 + "]" * 50)}}
    ],
    "huge shape": [
        {"site": 0, "check": "check_close", "data": {"got": {"__ndarray__": [], "shape": [2**62]}}}
    ],
}


@pytest.mark.parametrize("case", sorted(FORGED))
def test_forged_reports_fail_the_test_and_nothing_else(case):
    cell = GradedCell("test", 5.0, "test", 2, ["check_close"], [False])
    passed, message = judge_test(cell, FORGED[case], [_reference(0)], "ok", "")
    assert not passed and message


# -- the submission folder -------------------------------------------------------------------


def test_intake_takes_regular_files_only(tmp_path):
    outside = tmp_path / "gradebook.db"
    outside.write_text("secret grades")
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "hw.ipynb").write_text("{}")
    (folder / "data.csv").symlink_to(outside)
    (folder / "linked-dir").symlink_to(tmp_path)
    os.link(outside, folder / "hard.db")
    os.mkfifo(folder / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock"))
    (folder / "sparse.bin").touch()
    os.truncate(folder / "sparse.bin", 300_000_000)
    expected = {
        "data.csv": "link",
        "linked-dir": "link",
        "hard.db": "hardlink",
        "pipe.txt": "special-file",
        "sock": "special-file",
        "sparse.bin": "too-large",
    }
    try:  # /dev/zero under a data file's name: read, it never ends (needs CAP_MKNOD)
        os.mknod(folder / "zeros.csv", stat.S_IFCHR | 0o644, os.makedev(1, 5))
        expected["zeros.csv"] = "special-file"
    except PermissionError:
        pass
    taken = take_in(folder)
    server.close()
    assert sorted(taken.files) == ["hw.ipynb"]
    assert {f.cell: f.code for f in taken.flags} == expected
    assert any("sparse.bin" in e for e in taken.errors)


def test_intake_limits_are_checked_before_reading(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    for i in range(12):
        (folder / f"f{i}.txt").write_text("x")
    taken = take_in(folder, IntakeLimits(files=10))
    assert taken.files == {} and "than the limit of 10: nothing was graded" in taken.errors[0]
    (folder / "big.bin").touch()
    os.truncate(folder / "big.bin", 10**9)  # sparse: counted by its apparent size
    taken = take_in(folder, IntakeLimits(files=100, file_bytes=2 * 10**9))
    assert taken.files == {} and "bytes, more than the limit" in taken.errors[0]


def test_the_listing_stops_at_the_limit(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "hw.ipynb").write_text("{}")
    for i in range(500):
        (folder / f"link{i}").symlink_to("/etc/hostname")
    taken = take_in(folder, IntakeLimits(files=20))
    assert taken.files == {} and len(taken.flags) <= 21
    assert taken.flags[-1].code == "too-many-files"


def test_a_linked_student_folder_is_never_followed(tmp_path):
    (tmp_path / "alice" / "hw").mkdir(parents=True)
    (tmp_path / "alice" / "hw" / "hw.ipynb").write_text("{}")
    (tmp_path / "mallory").symlink_to(tmp_path / "alice")
    taken = take_in(tmp_path / "mallory" / "hw")
    assert taken.files == {} and [f.code for f in taken.flags] == ["link"]
    assert "the student's folder is not a folder" in taken.errors[0]


def test_the_digest_is_stable_and_covers_what_is_graded(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "hw.ipynb").write_text("{}")
    first = take_in(folder).digest
    assert take_in(folder).digest == first
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "hw.ipynb").write_text("ignored")
    assert take_in(folder).digest == first
    (folder / "hw.ipynb").write_text('{"cells": []}')
    assert take_in(folder).digest != first


def test_a_bad_timestamp_is_flagged_not_fatal(tmp_path):
    (tmp_path / "timestamp.txt").write_bytes(b"\xffnot a date")
    taken = take_in(tmp_path)
    assert taken.timestamp is None and [f.code for f in taken.flags] == ["bad-timestamp"]


# -- what instructors see --------------------------------------------------------------------

MARKUP = "[link=https://evil.example]click[/link][/][bold"


def test_student_text_is_shown_literally_in_the_tables():
    row = {
        "assignment": "hw",
        "student": MARKUP,
        "score": 0.0,
        "max_score": 5.0,
        "seconds_late": 0.0,
        "late_penalty": 0.0,
        "final_score": 0.0,
        "flag_codes": ["unknown-id"],
        "errors": "[/]" + MARKUP,
    }
    console = Console(width=400, record=True)
    console.print(students_table([row]))
    console.print(
        questions_table(
            [
                {
                    "notebook": MARKUP,
                    "question": "[/]",
                    "points": 1.0,
                    "average": 0.0,
                    "passed": 0,
                    "students": 1,
                }
            ]
        )
    )
    shown = console.export_text()
    assert MARKUP in shown and "[/]" in shown
    assert "evil.example" not in console.export_html().replace(MARKUP, "")


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_spreadsheet_formulas_are_neutralised(text):
    assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("alice") == "alice"


def test_kernel_outputs_are_rebuilt_as_plain_text_and_images():
    html = {"text/html": "<script>alert(1)</script>", "text/plain": "<Figure>"}
    assert safe_output({"output_type": "display_data", "data": html})["data"] == {
        "text/plain": "<Figure>"
    }
    assert safe_output({"output_type": "display_data", "data": {"text/html": "<b>"}}) is None
    assert safe_output({"output_type": "display_data", "data": {"image/png": '"><script>'}}) is None
    assert safe_output({"output_type": "stream", "name": "evil", "text": ["a", 1]})["text"] == "a"
    assert safe_output(["not", "an", "output"]) is None
    assert safe_output({"output_type": "error", "traceback": {"a": 1}})["traceback"] == []


def test_the_plan_marks_where_hidden_tests_start_and_the_student_cannot_move_it():
    from neurogebra_grader.sandbox.redact import first_hidden_cell

    def with_hidden(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        nb = copy.deepcopy(nb)
        nb.cells.append(
            new_code_cell(
                "check_close(triple(1), 3)\n### BEGIN HIDDEN TESTS\n"
                "check_close(triple(7), 21)\n### END HIDDEN TESTS",
                metadata=meta("hidden", grade=True, locked=True, points=5),
            )
        )
        return nb

    source, release = with_hidden(SOURCE), with_hidden(RELEASE)
    raw = json.loads(json.dumps(release))
    raw["cells"][2]["metadata"]["neurogebra"] = {"hidden_tests": True}  # the student's own mark
    matched = match(read_notebook("hw", json.dumps(raw).encode()), source, release)
    plan = build_plan(matched, source, release, role="student")
    marks = [c.metadata.get("neurogebra", {}).get("hidden_tests") for c in plan.notebook.cells]
    assert marks == [None, None, False, None, True]
    assert first_hidden_cell(plan.notebook) == 4  # the visible test's output is kept
