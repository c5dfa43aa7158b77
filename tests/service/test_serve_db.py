"""`serve --db postgresql://...` on a course released into its SQLite file: the service
starts on the PostgreSQL gradebook and says which released assignments are not open there,
without printing the database's password; an assignment never released gets no warning."""

from __future__ import annotations

from live_service import Server, one_question_course
from postgres_server import PostgresServer


def test_serve_names_assignments_missing_from_its_database(tmp_path, postgres: PostgresServer):
    course = one_question_course(tmp_path)  # released into course/gradebook.db
    url = postgres.create_database("served").replace("postgresql+psycopg://", "postgresql://")
    server = Server(course, ["--db", url])
    server.start()
    server.stop()
    [log] = course.parent.glob("serve-*.log")
    said = " ".join(log.read_text().split())
    assert "warning: toy not released into the gradebook at postgresql+psycopg://" in said
    assert postgres.password not in said and "***" in said


def test_serve_says_nothing_of_assignments_not_yet_released(tmp_path):
    """An assignment still being written (in source/, never released) is no cause for alarm."""
    course = one_question_course(tmp_path)
    draft = course / "source" / "draft"
    draft.mkdir()
    for notebook in (course / "source" / "toy").glob("*.ipynb"):
        (draft / notebook.name).write_bytes(notebook.read_bytes())
    server = Server(course)
    server.start()
    server.stop()
    [log] = course.parent.glob("serve-*.log")
    assert "not released" not in log.read_text()
