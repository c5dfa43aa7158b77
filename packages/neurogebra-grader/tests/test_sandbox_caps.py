"""The sandbox's per-submission caps, piece by piece, on this machine's real kernel.

The private tmpfs and the cgroups are real mounts and cgroups (both need root, which the
grading machine and CI have); the end-to-end attacks are in tests/pipeline.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from neurogebra_grader.sandbox import cgroups
from neurogebra_grader.sandbox.disk import DiskFull, private_disk
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.sandbox.memguard import MemoryGuard, resident_bytes
from neurogebra_grader.sandbox.messages import (
    MessageBudget,
    capped_context,
    frames_size,
    io_threads,
)
from neurogebra_grader.sandbox.redact import (
    cut_note,
    first_hidden_cell,
    hidden_error,
    hidden_inputs,
    hides_something,
    redact_outputs,
    safe_error_name,
)


def test_limits_refuse_a_cap_that_is_not_positive():
    with pytest.raises(ValueError, match="disk_mb must be positive"):
        Limits(disk_mb=0)


def test_the_message_budget_counts_messages_bytes_and_rate():
    budget = MessageBudget(Limits(message_bytes=1000))
    assert budget.spend(600, now=0.0) == ""
    assert "more than 1,000 bytes" in budget.spend(600, now=0.5)
    fast = MessageBudget(Limits(messages_per_second=3))
    assert [fast.spend(1, now=0.1 * i) for i in range(3)] == ["", "", ""]
    assert "3 messages in one second" in fast.spend(1, now=0.35)
    slow = MessageBudget(Limits(messages_per_second=3))
    assert all(slow.spend(1, now=float(i)) == "" for i in range(20))


def test_message_sizes_are_counted_without_copying_frames():
    import zmq

    assert frames_size([b"abc", zmq.Frame(b"defgh"), memoryview(b"ij")]) == 10


@pytest.mark.skipif(resident_bytes() is None, reason="no /proc/self/statm")
def test_the_memory_guard_stops_the_run_that_receives_not_its_neighbour(tmp_path):
    """One multipart message of 100 frames of 8 MB (the same buffer: zero-copy when sent)."""
    import threading

    import zmq

    attacked, neighbour = capped_context(Limits()), capped_context(Limits())
    receivers, idle = io_threads(attacked), io_threads(neighbour)
    assert receivers and idle and not receivers & idle
    pull = zmq.Context.shadow(attacked.underlying).socket(zmq.PULL)
    pull.bind(f"ipc://{tmp_path}/kernel")
    sender = zmq.Context()
    push = sender.socket(zmq.PUSH)
    push.connect(f"ipc://{tmp_path}/kernel")
    blamed = threading.Event()
    reasons: list[str] = []
    try:
        with (
            MemoryGuard(32 << 20, lambda reason: blamed.set(), receivers),
            MemoryGuard(32 << 20, reasons.append, idle),
        ):
            buffer = memoryview(bytearray(8 << 20))
            push.send_multipart([buffer] * 100, copy=False)
            assert blamed.wait(60), "the guard never blamed the run receiving 800 MB"
    finally:
        push.close(linger=0)
        pull.close(linger=0)
        sender.destroy(linger=0)
        attacked.destroy(linger=0)
        neighbour.destroy(linger=0)
    assert reasons == []  # the neighbour, which received nothing, was left alone
    quiet: list[str] = []
    with MemoryGuard(1 << 40, quiet.append):
        pass
    assert quiet == []


def test_a_students_exception_class_name_is_not_shown():
    assert safe_error_name("ZeroDivisionError") == "ZeroDivisionError"
    assert safe_error_name("CheckFailed") == "CheckFailed"
    assert safe_error_name("LEAKED[-2.5]") == "Exception"
    assert safe_error_name("print") == "Exception"  # a builtin, but not an exception
    assert hidden_error("ValueError: square(-2.5) is 6.25").startswith("ValueError: (")
    assert "-2.5" not in hidden_error("ValueError: square(-2.5) is 6.25")


def test_redacted_outputs_keep_only_the_kind_of_error():
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "-2.5"},
        {"output_type": "display_data", "data": {"text/html": "<b>-2.5</b>"}},
        {"output_type": "error", "ename": "Sneaky-2.5", "evalue": "-2.5", "traceback": ["-2.5"]},
    ]
    cut = redact_outputs(outputs)
    assert "-2.5" not in str(cut)
    assert [o["output_type"] for o in cut] == ["stream", "error"] and cut[1]["ename"] == "Exception"
    assert redact_outputs([]) == []


def test_the_report_names_cut_output_but_not_placeholders_or_judged_test_errors():
    printed = {"output_type": "stream", "name": "stdout", "text": "SEEN [3, -2.5]"}
    shown = {"output_type": "display_data", "data": {"text/html": "<b>mean([1, 2, 3, 4])</b>"}}
    progress = {"output_type": "stream", "name": "stdout", "text": "epoch 3: loss -2.51 [3]"}
    placeholder = {"output_type": "error", "ename": "NotImplementedError", "evalue": ""}
    raised = {"output_type": "error", "ename": "ValueError", "evalue": "-2.5"}
    inputs = hidden_inputs(["check_close(square(-2.5), 6.25)\ncheck_close(mean([1, 2, 3, 4]), 2)"])
    assert inputs == ["-2.5", "1, 2, 3, 4", "6.25"]
    for cell in (True, False):  # output that shows what a hidden test tried: named anywhere
        assert hides_something(printed, test_cell=cell, inputs=inputs)
        assert hides_something(shown, test_cell=cell, inputs=inputs)
        # ordinary output (training progress) is cut without an error row
        assert not hides_something(progress, test_cell=cell, inputs=inputs)
        assert not hides_something(printed, test_cell=cell)
    assert hides_something(raised, test_cell=False)
    assert not hides_something(raised, test_cell=True)  # the test's verdict names it
    assert not hides_something(placeholder, test_cell=False)  # an unanswered cell
    assert cut_note([6]).startswith("output of cell 7 not kept")


def test_the_cut_starts_at_the_first_cell_that_may_hold_hidden_tests():
    import nbformat

    def cell(grade=False, solution=False, mark=None):
        c = nbformat.v4.new_code_cell("x = 1")
        c.metadata["nbgrader"] = {"grade": grade, "solution": solution}
        if mark is not None:
            c.metadata["neurogebra"] = {"hidden_tests": mark}
        return c

    nb = nbformat.v4.new_notebook(cells=[cell(), cell(grade=True, solution=True), cell(grade=True)])
    assert first_hidden_cell(nb) == 2  # a graded answer is not a test; a test cell may hide
    nb.cells[2].metadata["neurogebra"] = {"hidden_tests": False}  # the planner knows better
    assert first_hidden_cell(nb) is None
    nb.cells[0] = cell(mark=True)
    assert first_hidden_cell(nb) == 0


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@needs_root
def test_the_private_disk_caps_bytes_and_files(tmp_path):
    work = tmp_path / "submission"
    work.mkdir()
    (work / "data.csv").write_text("1,2\n")
    with private_disk(work, Limits(disk_mb=2, inodes=64)) as disk:
        assert disk.enforced and (disk.workdir / "data.csv").read_text() == "1,2\n"
        with pytest.raises(OSError) as full:
            (disk.tmp / "big").write_bytes(b"x" * (3 << 20))
        assert full.value.errno == errno.ENOSPC
        (disk.tmp / "big").unlink()
        with pytest.raises(OSError) as no_inodes:
            for n in range(100):
                (disk.shm / f"f{n}").touch()
        assert no_inodes.value.errno == errno.ENOSPC
        root = disk.root
    assert not root.exists()
    assert str(root) not in Path("/proc/self/mounts").read_text()


@needs_root
def test_files_that_do_not_fit_are_a_clear_error(tmp_path):
    work = tmp_path / "submission"
    work.mkdir()
    (work / "huge.bin").write_bytes(b"x" * (3 << 20))
    too_small = private_disk(work, Limits(disk_mb=1))
    with pytest.raises(DiskFull, match=r"do not fit in the sandbox's disk .* limits disk_mb"):
        too_small.__enter__()


@pytest.mark.skipif(not cgroups.support().kind, reason=f"no cgroups: {cgroups.support().reason}")
def test_a_cgroup_holds_every_process_started_in_it_and_kills_them_all():
    group = cgroups.create(Limits(processes=16, cpus=0.5))
    assert group is not None
    try:
        script = "sleep 300 & (setsid sleep 301 &) ; exec sleep 302"
        proc = subprocess.Popen(cgroups.enter_argv(group.procs_files, ["/bin/sh", "-c", script]))
        deadline = time.monotonic() + 10
        while len(group.pids()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(group.pids()) == 3  # the detached ones too
        assert group.kill_all() >= 3
        assert group.pids() == []
        proc.wait(timeout=10)
    finally:
        group.remove()
    assert all(not folder.exists() for folder in group.folders.values())


KILLED_MID_RUN = """
import sys, time
from pathlib import Path
from neurogebra_grader.sandbox import cgroups
from neurogebra_grader.sandbox.disk import private_disk
from neurogebra_grader.sandbox.limits import Limits
work = Path(sys.argv[1])
with private_disk(work, Limits(disk_mb=4)) as disk:
    group = cgroups.create(Limits())
    print(disk.root, *(group.folders.values() if group else []), flush=True)
    time.sleep(600)
"""


@needs_root
def test_a_grader_killed_mid_run_leaves_nothing_after_the_next_sweep(tmp_path):
    from neurogebra_grader.sandbox import disk as disk_module

    work = tmp_path / "submission"
    work.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_RUN, str(work)], stdout=subprocess.PIPE, text=True
    )
    left = child.stdout.readline().split()
    child.kill()  # SIGKILL: no finally block runs
    child.wait(timeout=30)
    root, *groups = left
    assert root in Path("/proc/self/mounts").read_text()
    assert all(Path(folder).is_dir() for folder in groups)
    assert root in disk_module.sweep_stale()
    assert set(groups) <= set(cgroups.sweep_stale())
    assert root not in Path("/proc/self/mounts").read_text() and not Path(root).exists()
    assert not any(Path(folder).exists() for folder in groups)
