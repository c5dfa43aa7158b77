"""The nbgrader course directory, read with nbgrader's own configuration.

Example:
    >>> course = Course.load("course")  # doctest: +SKIP
    >>> course.path("submitted", "alice", "autograd")  # doctest: +SKIP
    PosixPath('.../course/submitted/alice/autograd')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from neurogebra_grader.pipeline.dburl import DatabaseURLError, database_url


class CourseError(ValueError):
    """The course folder is missing something; the message says what and how to fix it."""


@dataclass
class Course:
    """A course folder and its nbgrader settings (``nbgrader_config.py``)."""

    root: Path
    config: Config
    coursedir: CourseDirectory

    @classmethod
    def load(cls, root: str | os.PathLike[str], extra: Config | None = None) -> Course:
        root = Path(root).resolve()
        config_file = root / "nbgrader_config.py"
        if not config_file.exists():
            raise CourseError(
                f"{root} has no nbgrader_config.py: pass the course folder with --course "
                "(the folder holding nbgrader_config.py and source/)"
            )
        config = PyFileConfigLoader(config_file.name, path=str(root)).load_config()
        if extra is not None:
            config.merge(extra)
        config.CourseDirectory.root = str(root)
        coursedir = CourseDirectory(config=config)
        # one URL for the course, nbgrader's steps, autograde and the service (see dburl.py)
        try:
            config.CourseDirectory.db_url = coursedir.db_url = database_url(coursedir.db_url)
        except DatabaseURLError as error:
            raise CourseError(str(error)) from None
        return cls(root, config, coursedir)

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id or "default_course"

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    def path(self, step: str, student: str, assignment: str) -> Path:
        directory = getattr(self.coursedir, f"{step}_directory")
        return Path(self.coursedir.format_path(directory, student, assignment))

    def assignments(self) -> list[str]:
        source = self.path("source", ".", "")
        return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))

    def notebooks(self, assignment: str) -> list[str]:
        folder = self.path("source", ".", assignment)
        if not folder.is_dir():
            raise CourseError(
                f"no assignment {assignment!r} in {folder.parent}; known: {self.assignments()}"
            )
        return sorted(p.stem for p in folder.glob("*.ipynb"))

    def students_with_submissions(self, assignment: str) -> list[str]:
        root = Path(self.coursedir.root) / self.coursedir.submitted_directory
        if not root.is_dir():
            return []
        return sorted(p.name for p in root.iterdir() if _has_folder(p / assignment))

    def state_dir(self) -> Path:
        """Where the pipeline keeps its own files (reference data): never mounted in a sandbox."""
        path = self.root / ".neurogebra"
        path.mkdir(exist_ok=True)
        return path

    def setting(self, section: str, name: str, default: Any) -> Any:
        return self.config.get(section, {}).get(name, default)


def _has_folder(path: Path) -> bool:
    """Whether ``path`` is (or links to) a folder; False if it cannot even be looked at.

    Links are listed on purpose: intake names them as that student's error.
    """
    try:
        return path.is_dir()
    except OSError:  # a student's folder that the grader may not enter (EACCES)
        return os.path.lexists(path)
