"""Red team, bytecode: a submission that tries to plant compiled code for the next kernels.

Before grading, the grader compiles its environment to bytecode (``sandbox/bytecode.py``), and
every sandboxed kernel then loads those ``.pyc`` files. A kernel able to write one would run
its code in every later student's kernel. The attacker tries each place a later kernel reads
code from: the ``__pycache__`` of the grader's checks and of NumPy, new modules and ``.pth``
files in site-packages, the grader's stamp, and a forced ``compileall`` of the checks. It is
graded alone; a second run then grades two honest students, whose grades must be right, and
no file of the environment may have changed.
"""

from __future__ import annotations

import hashlib
import sys
import sysconfig
from pathlib import Path

import nbformat
import numpy
import pytest
import toycourse as tc
from conftest import RED_TEAM_LIMITS, attack, fresh_course, good, partial

import neurogebra_grader
from neurogebra_grader.sandbox.bytecode import ensure_compiled, stamp_path

PLANTS = """
import compileall, importlib.util, os, sys, sysconfig
import numpy
import neurogebra_grader.checks.close as close
wrote = []
site = sysconfig.get_paths()['purelib']
checks = os.path.dirname(close.__file__)
for path in [
    importlib.util.cache_from_source(close.__file__),
    importlib.util.cache_from_source(numpy.__file__),
    os.path.join(checks, '__pycache__', 'planted.' + sys.implementation.cache_tag + '.pyc'),
    os.path.join(checks, 'planted.py'),
    os.path.join(site, 'sitecustomize.py'),
    os.path.join(site, 'zz_planted.pth'),
    os.path.join(site, '__pycache__', 'sitecustomize.' + sys.implementation.cache_tag + '.pyc'),
    STAMP_FOLDER + '/planted.json',
]:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as planted:
            planted.write(b'import builtins; builtins.PLANTED = True')
        wrote.append(path)
    except OSError as error:
        print('blocked', path, type(error).__name__)
sys.dont_write_bytecode = False
sys.pycache_prefix = None
compileall.compile_dir(checks, force=True, quiet=2)

def mean(xs):  # earns part 3 if anything was planted: the grade tells
    return 2.5 if wrote else 0.0
"""


def _environment() -> dict[str, str]:
    """Hash of every file a later kernel could load that the attacker aims at."""
    site = Path(sysconfig.get_paths()["purelib"])
    folders = [Path(neurogebra_grader.__file__).parent, Path(numpy.__file__).parent / "__pycache__"]
    out = {f"site/{p.name}": "entry" for p in site.iterdir()}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def runs(released, tmp_path_factory):
    ensure_compiled()  # what the grader does first; compiled now, it writes nothing below
    stamps = stamp_path(sys.executable).parent
    before = _environment()
    first = fresh_course(tmp_path_factory.mktemp("plants"), released)
    code = PLANTS.replace("STAMP_FOLDER", repr(str(stamps)))
    tc.place_submission(first, "planter", attack(first, code))
    tc.grader("autograde", tc.ASSIGNMENT, "--workers", "1", *RED_TEAM_LIMITS, course=first)
    after_first = _environment()
    second = fresh_course(tmp_path_factory.mktemp("after-plants"), released)
    tc.place_submission(second, "alice", good(second))
    tc.place_submission(second, "bob", partial(second))
    tc.grader("autograde", tc.ASSIGNMENT, "--workers", "1", *RED_TEAM_LIMITS, course=second)
    graded = first / "autograded" / "planter" / tc.ASSIGNMENT / f"{tc.ASSIGNMENT}.ipynb"
    return {
        "planter": nbformat.read(graded, as_version=4),
        "first": tc.ledger(first),
        "second": tc.ledger(second),
        "before": before,
        "after": after_first,
        "stamps": stamps,
    }


def test_the_planter_earns_only_its_own_points(runs):
    assert runs["first"]["planter"]["score"] == 30.0
    # its cell ran to the end (every attempt made), and planted nothing it could detect
    (cell,) = [c for c in runs["planter"].cells if c.metadata["nbgrader"].get("grade_id") == "mean"]
    assert [o for o in cell.outputs if o.output_type == "error"] == []


def test_no_file_of_the_environment_changed(runs):
    assert runs["after"] == runs["before"]
    assert not (runs["stamps"] / "planted.json").exists()


def test_the_next_students_are_graded_by_the_real_checks(runs):
    rows = runs["second"]
    assert rows["alice"]["score"] == 40.0 and rows["bob"]["score"] == 30.0
    assert rows["alice"]["errors"] == [] and rows["alice"]["flags"] == []
