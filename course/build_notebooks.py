"""Write the course's source notebooks, and the prepared partial submissions the tests grade.

The committed ``.ipynb`` files are canonical; this script is how they are made, so that text,
cell ids and nbgrader metadata stay consistent. Run it from the repository root:

    python course/build_notebooks.py            # course/source/<name>/<name>.ipynb
    python course/build_notebooks.py --partials # also tests/submissions/<name>/partial.ipynb

``--partials`` runs ``nbgrader generate_assignment`` in a temporary copy of the course and fills
some solution cells of the released notebook, as a student who got part of it right would.
Code cells are then formatted with ruff (the version `nox -s lint` pins), so lint passes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from notebook_sources import autograd, linear_regression, spiral_network  # noqa: E402
from notebook_sources.cells import points  # noqa: E402

ASSIGNMENTS = {m.NAME: m for m in (autograd, linear_regression, spiral_network)}


def ruff_format(paths: list[Path]) -> None:
    """Format the notebooks' code cells as `ruff format` would (lint checks that)."""
    ruff = shutil.which("ruff")
    if ruff is None:
        raise SystemExit("ruff is needed to format the notebooks: pip install ruff==0.17.5")
    subprocess.run([ruff, "format", "--quiet", *map(str, paths)], check=True)


def write_sources() -> None:
    written = []
    for name, module in ASSIGNMENTS.items():
        nb = module.build()
        total = points(nb)
        if total != 100:
            raise SystemExit(f"{name}: the points add up to {total}, not 100")
        path = HERE / "source" / name / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        written.append(path)
        print(f"wrote {path.relative_to(ROOT)} ({len(nb.cells)} cells, {total} points)")
    ruff_format(written)


def release(course: Path, name: str) -> nbformat.NotebookNode:
    """The released notebook of one assignment, made by nbgrader in ``course``."""
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force"],
        cwd=course,
        check=True,
        capture_output=True,
    )
    return nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)


def write_partials() -> None:
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(HERE, course, ignore=shutil.ignore_patterns("__pycache__"))
        for name, module in ASSIGNMENTS.items():
            nb = release(course, name)
            answers = dict(module.PARTIAL)
            for cell in nb.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if grade_id in answers:
                    cell.source = answers.pop(grade_id)
            if answers:
                raise SystemExit(f"{name}: no solution cells named {sorted(answers)}")
            path = ROOT / "tests" / "submissions" / name / "partial.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, path)
            written.append(path)
            print(f"wrote {path.relative_to(ROOT)}")
    ruff_format(written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partials", action="store_true", help="also write partial submissions")
    args = parser.parse_args()
    write_sources()
    if args.partials:
        write_partials()


if __name__ == "__main__":
    main()
