"""The gradebook's URL: a plain `postgresql://` gets the psycopg 3 driver, and a missing driver
is named with the command that installs it. (That the course, nbgrader, autograde and the
service then share the PostgreSQL database is tested end to end in tests/service.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from neurogebra_grader.cli.main import main
from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.dburl import database_url

PLAIN = "postgresql://grader:pw@127.0.0.1:5432/gradebook"


def course_with_db(root: Path, url: str) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.db_url = {url!r}\n"
    )
    return root


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (PLAIN, "postgresql+psycopg://grader:pw@127.0.0.1:5432/gradebook"),
        ("postgres://g@db/gb", "postgresql+psycopg://g@db/gb"),
        ("postgresql+psycopg://g@db/gb", "postgresql+psycopg://g@db/gb"),
        ("sqlite:////srv/gradebook.db", "sqlite:////srv/gradebook.db"),
    ],
)
def test_urls_name_their_driver(given: str, used: str) -> None:
    assert database_url(given, check_driver=False) == used


def test_a_missing_driver_is_named_with_its_fix(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    course = course_with_db(tmp_path, PLAIN)
    with pytest.raises(CourseError, match=r"psycopg 3.*neurogebra-grader\[postgresql\]"):
        Course.load(course)
    assert main(["--course", str(course), "report"]) == 2
    said = " ".join(capsys.readouterr().out.split())
    assert "psycopg 3, is not installed" in said and "neurogebra-grader[postgresql]" in said
