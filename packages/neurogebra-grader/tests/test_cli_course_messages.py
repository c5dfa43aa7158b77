"""What `neurogebra-grader` says when the environment or the gradebook is not ready.

A module missing from the grading environment is named as such by `release` (not blamed on the
solution), and `export`/`report` with nothing graded say so instead of printing nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neurogebra_grader.cli.main import main


def make_course(root: Path, code: str) -> Path:
    (root / "source" / "hw").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'testcourse'\n"
    )
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "source": code, "outputs": []}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / "source" / "hw" / "hw.ipynb").write_text(json.dumps(notebook))
    return root


def test_release_names_a_module_missing_from_the_environment(tmp_path, capsys) -> None:
    course = make_course(tmp_path, "import numpy\nfrom no_such_module_q7 import thing\n")
    assert main(["--course", str(course), "release", "hw"]) == 2
    said = " ".join(capsys.readouterr().out.split())
    assert "no_such_module_q7 (imported by hw.ipynb)" in said
    assert "not installed in this environment" in said
    assert "neurogebra-grader[course]" in said
    assert "numpy" not in said.split("imported by")[0].split(":")[-1]
    assert not (course / "release").exists(), "nothing may be released before the check"


@pytest.mark.parametrize("command", ["export", "report"])
def test_export_and_report_say_when_nothing_is_graded(tmp_path, capsys, command) -> None:
    course = make_course(tmp_path, "x = 1\n")
    code = main(["--course", str(course), command, "hw"])
    out, err = capsys.readouterr()
    said = " ".join((out + err).split())
    assert "nothing graded yet for hw" in said
    assert "neurogebra-grader collect hw" in said
    assert code == 0  # report and export always work on what is recorded
    if command == "export":  # the note goes to stderr; stdout stays a CSV table, header only
        assert out.splitlines()[0].startswith("assignment,") and len(out.splitlines()) == 1
