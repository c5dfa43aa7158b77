"""The grader compiles the kernel's environment to bytecode once, and checks it cheaply after.

A sandboxed kernel cannot write ``.pyc`` files (its view of the environment is read-only), so
an environment installed without them would be compiled again in every kernel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from neurogebra_grader.sandbox import bytecode


def _package(root: Path) -> Path:
    folder = root / "site"
    (folder / "pkg").mkdir(parents=True)
    (folder / "pkg" / "__init__.py").write_text("from pkg.sub import x\n")
    (folder / "pkg" / "sub.py").write_text("x = 1\n")
    return folder


def _pycs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.pyc"))


def test_compiles_every_module_then_trusts_the_stamp(tmp_path, monkeypatch):
    folder = _package(tmp_path)
    stamp = tmp_path / "cache" / "stamp.json"
    assert bytecode.compile_folders([str(folder)], sys.executable, stamp)
    tag = sys.implementation.cache_tag
    assert _pycs(folder) == [f"__init__.{tag}.pyc", f"sub.{tag}.pyc"]
    assert stamp.exists()

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again although nothing changed")

    monkeypatch.setattr(subprocess, "run", no_compiling)
    assert bytecode.compile_folders([str(folder)], sys.executable, stamp)


def test_an_edited_source_is_compiled_again(tmp_path):
    folder = _package(tmp_path)
    stamp = tmp_path / "stamp.json"
    bytecode.compile_folders([str(folder)], sys.executable, stamp)
    before = stamp.read_text()
    source = folder / "pkg" / "sub.py"
    source.write_text("x = 2  # edited\n")
    later = source.stat().st_mtime + 5  # compileall compares whole seconds
    os.utime(source, (later, later))
    assert bytecode.compile_folders([str(folder)], sys.executable, stamp)
    assert stamp.read_text() != before
    pyc = next((folder / "pkg" / "__pycache__").glob("sub.*.pyc"))
    assert int.from_bytes(pyc.read_bytes()[8:12], "little") == int(later)  # the source's time


def test_a_file_that_does_not_compile_is_left_as_source(tmp_path):
    folder = _package(tmp_path)
    (folder / "pkg" / "broken.py").write_text("def (:\n")
    assert bytecode.compile_folders([str(folder)], sys.executable, tmp_path / "stamp.json")
    assert [name.split(".")[0] for name in _pycs(folder)] == ["__init__", "sub"]


def test_only_writable_folders_outside_the_standard_library_are_compiled():
    folders = bytecode.kernel_folders(sys.executable)
    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
    assert stdlib not in folders
    assert all(os.access(f, os.W_OK) and not f.startswith("/usr/") for f in folders)
    purelib = os.path.realpath(sysconfig.get_paths()["purelib"])
    if os.access(purelib, os.W_OK) and not purelib.startswith("/usr/"):
        assert purelib in folders


def test_the_stamp_lives_in_the_graders_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert bytecode.stamp_path(sys.executable).is_relative_to(tmp_path / "neurogebra-grader")
    assert bytecode.stamp_path(sys.executable) != bytecode.stamp_path("/other/python")


def test_a_python_that_cannot_be_probed_still_grades(monkeypatch):
    monkeypatch.setattr(bytecode, "_DONE", set())
    bytecode.ensure_compiled("/no/such/python")  # best effort: no exception
    assert "/no/such/python" in bytecode._DONE
