"""Where bubblewrap is missing, autograde refuses, says how to install it, and runs only when
the instructor explicitly asks for --unsandboxed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import toycourse as tc
from conftest import fresh_course, good


def test_autograde_refuses_without_bubblewrap_unless_told(released, tmp_path):
    course = fresh_course(tmp_path, released)
    tc.place_submission(course, "alice", good(course))
    # a PATH with this Python's tools but no bwrap on it
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    refused = tc.grader("autograde", "toy", course=course, env=env, check=False)
    assert refused.returncode == 2
    message = " ".join(refused.stdout.split())  # the console wraps long lines
    assert "apt-get install bubblewrap" in message
    assert "--unsandboxed" in message
    assert not (course / "autograded").exists()

    done = tc.grader("autograde", "toy", "--unsandboxed", course=course, env=env)
    output = " ".join(done.stdout.split())
    assert "WITHOUT a sandbox" in output
    assert "alice: 40 / 40" in output
