"""The gradebook's database URL, made explicit about its driver.

SQLAlchemy reads a bare ``postgresql://`` (or Heroku-style ``postgres://``) URL as psycopg2;
the grader uses psycopg 3, so such URLs are rewritten to ``postgresql+psycopg://`` here, in
the one place every URL passes through (``Course.load``), and a missing driver is named.

Example:
    >>> database_url("postgresql://me:pw@127.0.0.1:5432/gradebook", check_driver=False)
    'postgresql+psycopg://me:pw@127.0.0.1:5432/gradebook'
    >>> database_url("sqlite:////srv/course/gradebook.db")
    'sqlite:////srv/course/gradebook.db'
"""

from __future__ import annotations

import importlib

from sqlalchemy.engine import make_url

PSYCOPG = "postgresql+psycopg://"
BARE = ("postgresql://", "postgres://")
INSTALL = "pip install 'neurogebra-grader[postgresql]'"


class DatabaseURLError(ValueError):
    """The URL cannot be used here; the message says why and how to fix it."""


def database_url(url: str, *, check_driver: bool = True) -> str:
    """``url`` with bare PostgreSQL schemes given the psycopg 3 driver; others unchanged.

    Raises DatabaseURLError for a PostgreSQL URL when psycopg 3 is not installed.
    """
    for bare in BARE:
        if url.startswith(bare):
            url = PSYCOPG + url[len(bare) :]
            break
    if check_driver and url.startswith(PSYCOPG):
        try:
            importlib.import_module("psycopg")
        except ImportError:
            raise DatabaseURLError(
                "the gradebook is on PostgreSQL but its driver, psycopg 3, is not installed: "
                + INSTALL
            ) from None
    return url


def shown(url: str) -> str:
    """``url`` fit to print: its password masked.

    Example:
        >>> shown("postgresql+psycopg://me:secret@db:5432/gradebook")
        'postgresql+psycopg://me:***@db:5432/gradebook'
    """
    return make_url(url).render_as_string(hide_password=True)
