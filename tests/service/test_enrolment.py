"""Enrolment from the command line (`students add`, `students import`): an account's role
changes only when the instructor says so, so re-keying an instructor keeps them one."""

from __future__ import annotations

from pathlib import Path

from live_service import cli
from toy_service import one_question_course


def enrol(course: Path, *args: str) -> list[str]:
    """The line `students` prints for the (last) account: id, role, token."""
    return cli(course, "students", *args).stdout.strip().splitlines()[-1].split("\t")


def test_a_role_changes_only_when_asked(tmp_path: Path) -> None:
    course = one_question_course(tmp_path)
    first = enrol(course, "add", "prof", "--instructor")
    assert first[:2] == ["prof", "instructor"]
    again = enrol(course, "add", "prof")  # a new token, the same role
    assert again[:2] == ["prof", "instructor"] and again[2] != first[2]
    assert enrol(course, "add", "newcomer")[:2] == ["newcomer", "student"]
    assert enrol(course, "add", "prof", "--student")[:2] == ["prof", "student"]
    roster = tmp_path / "roster.csv"
    roster.write_text("id,role\nprof,instructor\n")
    assert enrol(course, "import", str(roster))[:2] == ["prof", "instructor"]
    roster.write_text("id,role\nprof,\n")  # a blank role: keep it
    assert enrol(course, "import", str(roster))[:2] == ["prof", "instructor"]


def test_every_issued_secret_can_be_typed_after_token(tmp_path: Path) -> None:
    """A bare ``token_urlsafe`` starts with ``-`` once in 64 draws, and then
    ``submit --token SECRET`` fails as an unknown option: a student locked out by luck."""
    from neurogebra_grader.service.store import Store

    store = Store("sqlite://", tmp_path)
    secrets = {store.add_account(f"s{i % 7}") for i in range(1500)}
    assert len(secrets) == 1500
    assert not any(secret.startswith("-") for secret in secrets)
