"""The grading process's CPU cuts (issue 17) build and refuse exactly what nbformat does."""

from __future__ import annotations

import threading

import nbformat
import pytest
from nbformat.v4 import nbbase

from neurogebra_grader.pipeline.plan import _made_cell
from neurogebra_grader.sandbox import memguard
from neurogebra_grader.sandbox.outputs import output_from_msg

OBSERVED = {"application/vnd.neurogebra.observation+json": {"site": 1, "got": [1.5, None]}}
GOOD = [
    ("stream", {"name": "stdout", "text": "42\n"}),
    ("display_data", {"metadata": {}, "data": {"text/plain": "x", **OBSERVED}, "transient": {}}),
    ("execute_result", {"metadata": {}, "data": {"text/plain": "3"}, "execution_count": 4}),
    ("error", {"ename": "ValueError", "evalue": "no", "traceback": ["a", "b"]}),
]
BAD = [
    ("stream", {"name": "stdout"}),  # a field missing
    ("display_data", {"metadata": {}, "data": {"not a mime type": 1}}),
    ("error", {"ename": "E", "evalue": "v", "traceback": "not a list"}),
    ("execute_result", {"metadata": {}, "data": {}, "execution_count": "four"}),
    ("made_up", {}),
    ("stream", None),
]


def _outcome(make, msg):
    try:
        return ("made", make(msg))
    except Exception as error:
        return (type(error).__name__, str(error))


@pytest.mark.parametrize(("kind", "content"), GOOD + BAD)
def test_outputs_are_built_and_refused_as_nbformat_does(kind, content):
    msg = {"header": {"msg_type": kind}, "content": content}
    ours, theirs = _outcome(output_from_msg, msg), _outcome(nbbase.output_from_msg, msg)
    assert ours == theirs
    if ours[0] == "made":
        assert list(ours[1]) == list(theirs[1])
        assert isinstance(ours[1].get("data", ours[1]), nbformat.NotebookNode)


@pytest.mark.parametrize("kind", ["code", "markdown", "raw", "other"])
def test_plan_cells_are_the_cells_nbformat_makes(kind):
    meta = {"nbgrader": {"grade": True, "grade_id": "q1", "points": 2}}
    maker = getattr(nbformat.v4, f"new_{kind if kind != 'other' else 'raw'}_cell")
    ours, theirs = _made_cell(kind, "x = 1\n", meta), maker("x = 1\n", metadata=meta)
    assert ours.pop("id") and theirs.pop("id")
    assert ours == theirs
    assert isinstance(ours.metadata.nbgrader, nbformat.NotebookNode)


def test_memory_guards_share_one_thread_and_stop_calling_once_stopped():
    before = {t.name for t in threading.enumerate()}
    reasons: list[str] = []
    guards = [memguard.MemoryGuard(1 << 40, reasons.append) for _ in range(3)]
    for guard in guards:
        guard.start()
    watchers = [t for t in threading.enumerate() if t.name == "memory-guard"]
    assert len(watchers) == 1
    assert not {t.name for t in threading.enumerate()} - before - {"memory-guard"}
    for guard in guards:
        guard.stop()
        guard.baseline = -(1 << 50)  # over any allowance: a stopped guard is never tripped
    memguard._tick()
    assert reasons == []
