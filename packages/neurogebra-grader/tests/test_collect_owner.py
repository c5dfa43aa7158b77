"""Collect's owner check: a submission must belong to the system user its student id names.

The tests use the system user ``daemon``, present on every Debian machine, as the student's
user, under both naming schemes: JupyterHub's local users (``{student}``) and The Littlest
JupyterHub's (``jupyter-{student}``, here ``dae{student}`` with the student ``mon``).
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from neurogebra_grader.pipeline.collect import owner_problem
from neurogebra_grader.pipeline.intake import Folder, IntakeLimits

if os.geteuid() != 0:
    pytest.skip("changing a file's owner needs root", allow_module_level=True)

DAEMON = pwd.getpwnam("daemon")


def submission(tmp_path: Path, owner: int) -> Path:
    folder = tmp_path / "inbound"
    folder.mkdir()
    (folder / "autograd.ipynb").write_text("{}")
    for path in (folder, folder / "autograd.ipynb"):
        os.chown(path, owner, owner)
    return folder


def problem(folder: Path, student: str, system_user: str = "{student}") -> str:
    with Folder(folder) as opened:
        files, _ = opened.scan(IntakeLimits())
        return owner_problem(opened, student, files, system_user)


def test_a_submission_owned_by_the_students_user_is_hers(tmp_path: Path) -> None:
    folder = submission(tmp_path, DAEMON.pw_uid)
    assert problem(folder, "daemon") == ""
    assert problem(folder, "mon", system_user="dae{student}") == ""


def test_a_submission_owned_by_someone_else_is_named(tmp_path: Path) -> None:
    folder = submission(tmp_path, 0)
    assert problem(folder, "daemon") == "it names daemon but is owned by root"
    assert problem(folder, "mon", system_user="dae{student}") == "it names mon but is owned by root"


def test_a_student_without_a_system_user_is_not_checked(tmp_path: Path) -> None:
    folder = submission(tmp_path, 0)
    assert problem(folder, "no_such_student_xyz") == ""
