"""Red team: hostile submissions, graded in one sandboxed batch with two honest students.

Every attack is the answer to part 3 of the toy assignment, after correct answers to parts 1
and 2 (30 of 40 points). Each test asserts that the attack earned no point it did not deserve,
changed nothing outside its sandbox, left the honest students' grades intact, and shows up in
the report as a clear error or a tamper flag.
"""

from __future__ import annotations

import json
from pathlib import Path

import hostile
import pytest
from conftest import SECRET, Batch

FAIR = {"test_square": 10.0, "test_engine": 20.0, "test_mean": 0.0}


def assert_contained(batch: Batch, student: str, *, fair: dict[str, float] = FAIR) -> dict:
    """The common assertions; returns the student's ledger row for more specific ones."""
    rows = batch.ledger()
    scores = batch.nbgrader_scores()
    # no undeserved point (and none of the earned ones lost), in nbgrader's gradebook too
    assert scores[student] == fair, scores[student]
    assert rows[student]["score"] == sum(fair.values())
    assert rows[student]["max_score"] == 40.0
    # the honest students' grades are intact
    assert scores["alice"] == {"test_square": 10.0, "test_engine": 20.0, "test_mean": 10.0}
    assert scores["bob"] == FAIR
    assert rows["alice"]["score"] == 40.0 and rows["bob"]["score"] == 30.0
    # nothing outside the sandboxes changed: course files, other submissions, a canary
    assert batch.after == batch.before
    assert batch.outside_after == batch.outside_before
    assert batch.listener.accepted == []
    # graded exactly once
    assert list(rows).count(student) == 1
    return rows[student]


def codes(row: dict) -> set[str]:
    return {flag["code"] for flag in row["flags"]}


def test_honest_students_are_graded_and_unflagged(batch):
    rows = batch.ledger()
    assert rows["alice"]["flags"] == [] and rows["alice"]["errors"] == []
    assert rows["bob"]["flags"] == []
    assert "✗" in batch.autograded_text("bob") and "hidden test failed" in batch.autograded_text(
        "bob"
    )


@pytest.mark.parametrize("student", ["infinite_loop", "ignores_sigint"])
def test_a_loop_is_stopped_at_the_cell_timeout(batch, student):
    row = assert_contained(batch, student)
    assert any("ran longer than" in e for e in row["errors"]), row["errors"]


def test_os_exit_is_a_dead_kernel(batch):
    row = assert_contained(batch, "os_exit")
    assert any("kernel died" in e for e in row["errors"]), row["errors"]
    assert "process-control" in codes(row)


def test_fork_bomb_hits_the_process_cap(batch):
    row = assert_contained(batch, "fork_bomb")
    assert row["errors"], "the fork bomb must end the run with an error"
    assert "process-control" in codes(row)


def test_memory_bomb_hits_the_memory_cap(batch):
    row = assert_contained(batch, "memory_bomb")
    assert any("MemoryError" in e or "died" in e for e in row["errors"]), row["errors"]


def test_output_flood_is_cut_off(batch):
    row = assert_contained(batch, "output_flood")
    # ipykernel batches the prints into one message, which zmq refuses past the byte cap
    assert any("output passed" in e or "the kernel sent" in e for e in row["errors"]), row["errors"]
    path = batch.course / "autograded" / "output_flood" / "toy" / "toy.ipynb"
    assert path.stat().st_size < 1_000_000


def test_source_gradebook_and_references_are_invisible(batch):
    # what it found would have earned part 3 (its mean returns 2.5 only if it saw the
    # expected value); what it printed came after a hidden test, so it is not shown
    row = assert_contained(batch, "reads_source_and_gradebook")
    assert "paths-outside" in codes(row)


def test_writes_outside_the_submission_fail(batch):
    # assert_contained checks the real course, other submissions and a canary are unchanged;
    # a write under /tmp lands in the sandbox's private /tmp and vanishes with it
    row = assert_contained(batch, "writes_outside")
    assert "paths-outside" in codes(row)
    assert not Path("/usr/lib/evil.py").exists() and not Path("/etc/evil").exists()


def test_another_students_grades_cannot_be_rewritten(batch):
    row = assert_contained(batch, "rewrites_other_grades")
    assert "REWROTE" not in batch.autograded_text("rewrites_other_grades")
    assert {"grader-internals", "paths-outside"} <= codes(row)


def test_no_network(batch):
    row = assert_contained(batch, "opens_network")  # the listener accepted nothing
    assert "network" in codes(row)
    assert "CONNECTED" not in batch.autograded_text("opens_network")


def test_the_instructors_environment_is_not_visible(batch):
    row = assert_contained(batch, "reads_environment")
    assert "reads-environment" in codes(row)
    text = batch.autograded_text("reads_environment")
    assert SECRET not in text
    assert "NEUROGEBRA_TEST_SECRET" not in text
    assert SECRET not in json.dumps(batch.ledger())


def test_an_always_true_eq_earns_nothing(batch):
    row = assert_contained(batch, "always_equal")
    assert "constant-comparison" in codes(row)


def test_a_patched_numpy_allclose_earns_nothing(batch):
    row = assert_contained(batch, "patches_allclose")
    assert "patches-library" in codes(row)


def test_an_input_transformer_that_blanks_tests_earns_nothing(batch):
    row = assert_contained(batch, "input_transformer")
    assert "input-transformer" in codes(row)
    verdict = {v["grade_id"]: v for v in row["verdicts"]["toy"]}["test_mean"]
    assert "none of its checks ran" in verdict["message"], verdict


def test_forged_observations_earn_nothing(batch):
    row = assert_contained(batch, "forges_observations")
    assert {"input-transformer", "grader-internals"} <= codes(row)


def test_a_trace_hook_earns_nothing(batch):
    row = assert_contained(batch, "trace_hook")
    assert "trace-hook" in codes(row)


def test_patched_builtins_earn_nothing(batch):
    row = assert_contained(batch, "patches_builtins")
    assert "patches-builtins" in codes(row)


def test_killing_the_sandbox_init_is_not_permitted(batch):
    row = assert_contained(batch, "kills_its_parent")
    assert "process-control" in codes(row)
    assert "PermissionError" in batch.autograded_text("kills_its_parent")


def test_a_deleted_test_cell_is_restored_and_flagged(batch):
    row = assert_contained(batch, "deleted_test_cell")
    assert "deleted-cell" in codes(row)


def test_changed_points_do_not_count_and_are_flagged(batch):
    row = assert_contained(batch, "changed_points")
    assert {"changed-points", "edited-locked-cell"} <= codes(row)


def test_malformed_json_scores_zero_with_a_clear_error(batch):
    row = assert_contained(
        batch, "malformed_json", fair={"test_square": 0.0, "test_engine": 0.0, "test_mean": 0.0}
    )
    assert any("not valid notebook JSON" in e for e in row["errors"]), row["errors"]


def test_every_attack_is_in_the_report_and_export(batch):
    from toycourse import grader

    report = grader("export", "toy", course=batch.course).stdout
    for student in [*hostile.ATTACKS, *hostile.STRUCTURAL]:
        line = next(line for line in report.splitlines() if f",{student}," in line)
        assert line.count(",") >= 9
    flagged = [s for s, r in batch.ledger().items() if r["flags"] or r["errors"]]
    assert set(flagged) >= set(hostile.ATTACKS) | set(hostile.STRUCTURAL)
